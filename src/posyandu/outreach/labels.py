"""Words, tones and icons of the home-visit reasons (the findings share the referral map)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from posyandu.outreach import worklist
from posyandu.web.labels import Look, reason_look

VISIT_REASONS: dict[str, Look] = {
    worklist.ABSENT: Look(_("Did not come on the last posyandu day"), "warn", "▲"),
    worklist.NEWBORN: Look(_("Newborn (0-28 days): neonatal visit"), "warn", "▲"),
    worklist.POSTPARTUM: Look(
        _("Mother after delivery (0-42 days): post-partum visit"), "warn", "▲"
    ),
    worklist.RECORDS_TO_CHECK: Look(
        _("Records to check: they cannot be assessed (e.g. a date before the birth)"), "warn", "?"
    ),
    worklist.ELDERLY_HOMEBOUND: Look(_("Elderly person who cannot come"), "warn", "▲"),
    worklist.OTHER: Look(_("Other reason"), "warn", "•"),
}


def visit_reason_look(code: str) -> Look:
    """Return the word, tone and icon of a home-visit reason code."""
    return VISIT_REASONS.get(code) or reason_look(code)


def visit_reason_rows(codes: list[str]) -> list[tuple[str, Look]]:
    """Return (code, look) pairs for display, in the order given."""
    return [(code, visit_reason_look(code)) for code in codes]
