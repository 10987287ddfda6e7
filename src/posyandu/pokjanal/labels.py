"""Words and icons of the Pokjanal page, so colour never carries meaning alone."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from posyandu.web.labels import Look

STRATA: dict[str, Promise] = {
    "pratama": _("Pratama"),
    "madya": _("Madya"),
    "purnama": _("Purnama"),
    "mandiri": _("Mandiri"),
}
CRITERIA: dict[str, Promise] = {
    "service_days": _("Service days held in 12 months"),
    "kader_on_duty": _("Mean kader on duty"),
    "ds": _("Mean D/S coverage"),
    "kia": _("Cumulative KIA coverage"),
    "kb": _("Cumulative KB coverage"),
    "immunisation": _("Immunisation coverage (IDL)"),
    "extra_programmes": _("Additional programmes"),
    "dana_sehat": _("Dana sehat coverage"),
    "months_held": _("Months with a service day"),
    "kader_registered": _("Active kader registered"),
}
UNITS: dict[str, str] = {"percent": "%", "days": "", "kader": "", "months": "", "programmes": ""}
OUTCOMES: dict[str, Look] = {
    "met": Look(_("met"), "ok", "✔"),
    "unmet": Look(_("not met"), "bad", "✖"),
    "not_reported": Look(_("not reported"), "warn", "?"),
}
ACTIVE: dict[bool | None, Look] = {
    True: Look(_("Active"), "ok", "✔"),
    False: Look(_("Not active"), "bad", "✖"),
    None: Look(_("Unknown: figures missing"), "warn", "?"),
}
STAGE_ICONS = {"belum": "○", "persiapan": "◐", "sudah": "●"}
OVERDUE = Look(_("Overdue"), "bad", "⚠")
DONE = Look(_("Done"), "ok", "✔")
OPEN = Look(pgettext_lazy("decision status", "Open"), "info", "•")


def figure_text(value: float | None, unit: str) -> str:
    """Return a figure as the page shows it (one decimal at most, with its unit)."""
    if value is None:
        return str(_("not reported"))
    text = f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}".replace(".", ",")
    suffix = UNITS.get(unit, "")
    return f"{text} {suffix}".strip() if suffix else text
