"""Monthly indicator rollups: one row per posyandu, month and PWS indicator, and their sums
per region (desa, kecamatan, kabupaten, province).

Rows are derived data: `posyandu.pws.services` recomputes them from the facts (registry,
visits, referrals) whenever a fact changes, and `pws_rebuild` recomputes them all with the
same numbers. A zero indicator (no numerator, no denominator) has no row.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Case, F, Q, When

from posyandu.core.indicators import median_codes
from posyandu.regions.models import Facility, Region


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


class RegionRollup(models.Model):
    """The sum of the posyandu rollups of one region for one month and indicator.

    A region's dashboard reads its own rows instead of summing those of every posyandu (a
    kabupaten has ~1,000). `region_code` is the start of the posyandu's region code as long as
    a code of `level` (`levels.REGION_LEVELS`), so a region's rows sum exactly the posyandu
    that `area_posyandu_for` gives a member of that region (one placed directly in a kecamatan
    counts in its kecamatan and above, and in a desa-level row of its own code). Kept by the
    refresh of the posyandu rows, in the same transaction; `pws_rebuild` recomputes them all.
    """

    level = models.CharField(max_length=10, choices=Region.Level.choices)
    region_code = models.CharField(max_length=13)
    month = models.DateField()  # the first day of the month
    indicator = models.CharField(max_length=40)
    numerator = models.PositiveIntegerField(default=0)
    denominator = models.PositiveIntegerField(default=0)
    # Median indicators only: every posyandu's values, merged and sorted.
    values = models.JSONField(default=list, blank=True)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["level", "region_code", "month", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "region_code", "month", "indicator"],
                name="rollup_once_per_region_month",
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="region_rollup_month_first_day"),
        ]
        indexes = [
            # The regions of one level within a parent (a refresh reads them by code prefix,
            # `LIKE '62.11%'`): pattern operator classes on PostgreSQL, ignored elsewhere.
            models.Index(
                fields=["level", "month", "region_code"],
                opclasses=["varchar_pattern_ops", "date_ops", "varchar_pattern_ops"],
                name="region_rollup_level_prefix",
            ),
        ]

    def __str__(self) -> str:
        tally = f"{self.numerator}/{self.denominator}"
        return f"{self.level} {self.region_code} {self.month:%Y-%m} {self.indicator} {tally}"


def median_values() -> Case:
    """Return the `values` column of a rollup for the median indicators only: the others have
    none, and decoding thousands of empty lists cost more than the sums themselves."""
    return Case(
        When(indicator__in=sorted(median_codes()), then=F("values")),
        default=None,
        output_field=models.JSONField(),
    )
