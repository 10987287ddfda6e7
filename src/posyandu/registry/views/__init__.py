"""The person pages (/warga/): search, register, card, edit, merge."""

from posyandu.registry.views.card import person_card
from posyandu.registry.views.edit import person_edit
from posyandu.registry.views.merge import person_merge_page
from posyandu.registry.views.register import person_new
from posyandu.registry.views.search import person_list

__all__ = ["person_card", "person_edit", "person_list", "person_merge_page", "person_new"]
