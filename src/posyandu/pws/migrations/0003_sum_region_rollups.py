"""Sum the existing posyandu rollups into the new region rollups (what `pws_rebuild` would do).

The summing is a frozen copy of `posyandu.pws.levels.sum_levels` as it stood when this
migration was written (each level grouped by the start of the region code as long as that
level's codes, numerators and denominators added, median values merged and sorted), on plain
tuples: a migration must not import live app code, which may change after it. The rows are
read and written through the historical models.
"""

from collections import defaultdict

from django.db import migrations
from django.utils import timezone

# Each level and the length of its codes, from the smallest region up (2-2-2-4 digits).
REGION_LEVELS = (("desa", 13), ("kecamatan", 8), ("kabupaten", 5), ("province", 2))


def sum_levels(rows):
    """Return {(level, code, month, indicator): (numerator, denominator, values)} of every
    region of every level, from rows (posyandu region code, month, indicator, numerator,
    denominator, values), each level summed from the one below."""
    out = {}
    below = list(rows)
    for level, length in REGION_LEVELS:
        groups = defaultdict(lambda: [0, 0, []])
        for code, month, indicator, numerator, denominator, values in below:
            group = groups[code[:length], month, indicator]
            group[0] += numerator
            group[1] += denominator
            group[2].extend(values)
        below = []
        for (code, month, indicator), (numerator, denominator, values) in groups.items():
            values = sorted(values)
            out[level, code, month, indicator] = (numerator, denominator, values)
            below.append((code, month, indicator, numerator, denominator, values))
    return out


def sum_region_rollups(apps, schema_editor):
    monthly = apps.get_model("pws", "MonthlyRollup")
    region = apps.get_model("pws", "RegionRollup")
    now = timezone.now()
    months = monthly.objects.order_by("month").values_list("month", flat=True).distinct()
    for month in list(months):
        rows = monthly.objects.filter(month=month).values_list(
            "posyandu__region__code", "month", "indicator", "numerator", "denominator", "values"
        )
        sums = sum_levels((c, m, i, n, d, v or []) for c, m, i, n, d, v in rows)
        region.objects.bulk_create(
            (
                region(
                    level=level,
                    region_code=code,
                    month=m,
                    indicator=indicator,
                    numerator=numerator,
                    denominator=denominator,
                    values=values,
                    computed_at=now,
                )
                for (level, code, m, indicator), (numerator, denominator, values) in sums.items()
                if numerator or denominator
            ),
            batch_size=2000,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("pws", "0002_create_region_rollup"),
    ]

    operations = [
        migrations.RunPython(sum_region_rollups, migrations.RunPython.noop, elidable=True),
    ]
