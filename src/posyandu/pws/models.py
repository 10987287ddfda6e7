"""Monthly indicator rollups: one row per posyandu, month and PWS indicator.

Rows are derived data: `posyandu.pws.services` recomputes them from the facts (registry,
visits, referrals) whenever a fact changes, and `pws_rebuild` recomputes them all with the
same numbers. A zero indicator (no numerator, no denominator) has no row.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from posyandu.regions.models import Facility


class MonthlyRollup(models.Model):
    """The numerator and denominator of one indicator for one posyandu and month."""

    posyandu = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # the first day of the month
    indicator = models.CharField(max_length=40)  # code of the `indicators` rule family
    numerator = models.PositiveIntegerField(default=0)
    denominator = models.PositiveIntegerField(default=0)
    # Median indicators only: the per-referral values, sorted, so medians can be merged upward.
    values = models.JSONField(default=list, blank=True)
    computed_at = models.DateTimeField()
    rules_version = models.CharField(max_length=40)  # "<indicators>+<assess rule set>"

    class Meta:
        ordering = ["posyandu_id", "month", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["posyandu", "month", "indicator"], name="rollup_once_per_posyandu_month"
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="rollup_month_first_day"),
        ]
        indexes = [models.Index(fields=["month", "indicator"])]

    def __str__(self) -> str:
        tally = f"{self.numerator}/{self.denominator}"
        return f"{self.posyandu_id} {self.month:%Y-%m} {self.indicator} {tally}"
