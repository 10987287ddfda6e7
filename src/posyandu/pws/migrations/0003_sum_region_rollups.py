"""Sum the existing posyandu rollups into the new region rollups (what `pws_rebuild` would do).

The sums come from `posyandu.pws.levels`, which reads plain rows and no model, so this
migration sums exactly as the live refresh; the rows are read and written through the
historical models.
"""

from django.db import migrations
from django.utils import timezone

from posyandu.core.indicators import Tally
from posyandu.pws.levels import sum_levels


def sum_region_rollups(apps, schema_editor):
    monthly = apps.get_model("pws", "MonthlyRollup")
    region = apps.get_model("pws", "RegionRollup")
    now = timezone.now()
    months = monthly.objects.order_by("month").values_list("month", flat=True).distinct()
    for month in list(months):
        rows = monthly.objects.filter(month=month).values_list(
            "posyandu__region__code", "month", "indicator", "numerator", "denominator", "values"
        )
        sums = sum_levels((c, m, i, Tally(n, d, tuple(v))) for c, m, i, n, d, v in rows)
        region.objects.bulk_create(
            (
                region(
                    level=level,
                    region_code=code,
                    month=m,
                    indicator=indicator,
                    numerator=tally.numerator,
                    denominator=tally.denominator,
                    values=list(tally.values),
                    computed_at=now,
                )
                for (level, code, m, indicator), tally in sums.items()
                if tally.numerator or tally.denominator
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
