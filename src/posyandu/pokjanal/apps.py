"""Pokjanal posyandu: ILP roll-out, posyandu strata, kader gaps and meeting decisions."""

from django.apps import AppConfig


class PokjanalConfig(AppConfig):
    name = "posyandu.pokjanal"
    label = "pokjanal"
    verbose_name = "Pokjanal"
