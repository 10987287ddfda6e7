"""Words for the registry's own pages (the shared vocabulary is `posyandu.web.labels`)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# The rows that name a person, as the merge page counts them.
FACT_LABELS: dict[str, Promise] = {
    "measurements": _("Measurements"),
    "immunizations": _("Immunisations"),
    "services": _("Services given"),
    "visits": _("Visits"),
    "pregnancies": _("Pregnancies"),
    "referrals": _("Referrals"),
    "home_visits": _("Home visits"),
    "classes": _("Classes attended"),
    "children": _("Children"),
}
