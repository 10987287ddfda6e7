"""Database housekeeping shared by the bulk writers (the demo load, the PWS rebuild)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, models


def analyze(tables: Iterable[type[models.Model]]) -> None:
    """Refresh the planner's statistics of these models' tables after a bulk write.

    PostgreSQL plans from sampled statistics that autovacuum refreshes only some time after a
    large load (never, where it is switched off); until then a posyandu's facts, read by
    person, were planned as a scan of millions of rows: 1.7 s instead of 0.05 s per refresh
    on the kabupaten demo. SQLite keeps its own (`sqlite_stat1`) the same way.
    """
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in sorted({model._meta.db_table for model in tables}):
            # A table name from the model's metadata, quoted.
            cursor.execute(f"ANALYZE {quote(table)}")
