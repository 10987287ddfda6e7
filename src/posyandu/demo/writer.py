"""Write generated rows in bulk, count them per table, and audit each table load once.

Rows are inserted with `executemany` in batches (SQLite) or COPY (PostgreSQL) through Django's
cursor, with primary keys assigned here (next after the table's largest) and every value
adapted by Django's own field and backend adapters. It does what bulk_create does, minus
bulk_create's per-value SQL compilation, which took two thirds of the demo's load time on
SQLite, and minus one server round of planning per row on PostgreSQL; the PostgreSQL
sequences are moved past the new keys at the end.

Demo data is generated, not a user's change: instead of one audit event per row there is one
`demo.load` event per table with its row count (and the scale, seed and reference date).
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from itertools import islice
from typing import Any

from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from posyandu.audit.models import AuditEvent

AUDIT_ACTION = "demo.load"
BATCH_SIZE = 2000

Convert = Callable[[models.Model], Any]


def _converter(field: models.Field[Any, Any], now: Any, db: BaseDatabaseWrapper) -> Convert:
    """Return a function that reads one field of a row as the database driver wants it."""
    attname, ops = field.attname, db.ops
    if isinstance(field, models.DateTimeField) and (field.auto_now or field.auto_now_add):
        # The generator dates its records (registered in 2025, measured at 08:41...); a record
        # it left undated is stamped with the load's time.
        stamp = ops.adapt_datetimefield_value(now)
        return lambda obj: (
            stamp if (v := obj.__dict__[attname]) is None else ops.adapt_datetimefield_value(v)
        )
    if isinstance(field, models.ForeignKey):
        name = field.name

        def key(obj: models.Model) -> Any:
            value = obj.__dict__[attname]
            if value is None and name in obj._state.fields_cache:
                related = obj._state.fields_cache[name]
                value = None if related is None else related.pk
            return value

        return key
    if isinstance(field, models.DateTimeField):
        return lambda obj: ops.adapt_datetimefield_value(obj.__dict__[attname])
    if isinstance(field, models.DateField):
        return lambda obj: ops.adapt_datefield_value(obj.__dict__[attname])
    if isinstance(field, models.UUIDField) and not db.features.has_native_uuid_field:
        return lambda obj: None if (v := obj.__dict__[attname]) is None else v.hex
    if isinstance(field, models.DecimalField | models.JSONField):
        return lambda obj: field.get_db_prep_save(obj.__dict__[attname], db)
    if isinstance(field, models.CharField | models.TextField):
        # TextChoices members are str subclasses: hand the driver the plain string.
        return lambda obj: None if (v := obj.__dict__[attname]) is None else str(v)
    return lambda obj: obj.__dict__[attname]


class BulkWriter:
    """Insert rows in batches, give them primary keys, and count them per table."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self._next_pk: dict[type[models.Model], int] = {}
        self._now = timezone.now()
        self._db = connections[DEFAULT_DB_ALIAS]  # the wrapper itself: the proxy costs per call

    def save(self, rows: Sequence[models.Model]) -> None:
        """Insert `rows` (all of one model) and set their primary keys."""
        if not rows:
            return
        model = type(rows[0])
        meta = model._meta
        pk = meta.pk
        if pk is None:
            raise ValueError(f"{meta.label} has no primary key")
        fields = [f for f in meta.concrete_fields if f is not pk]
        read = [_converter(f, self._now, self._db) for f in fields]
        first = self._first_pk(model)
        for offset, obj in enumerate(rows):
            obj.pk = first + offset
            obj._state.adding, obj._state.db = False, connection.alias
        self._next_pk[model] = first + len(rows)
        names = [pk.column, *(f.column for f in fields)]
        values = ([obj.pk, *(r(obj) for r in read)] for obj in rows)
        self._insert(meta.db_table, names, values)
        self.counts[meta.label_lower] += len(rows)

    def _insert(self, table: str, names: list[str], values: Iterator[list[Any]]) -> None:
        """Insert rows: COPY on PostgreSQL (a server-side bulk load), else executemany."""
        quote = self._db.ops.quote_name
        columns = ", ".join(quote(name) for name in names)
        with self._db.cursor() as cursor:
            if self._db.vendor == "postgresql":
                # Names come from the model's metadata, quoted; values go through COPY's protocol.
                with cursor.cursor.copy(f"COPY {quote(table)} ({columns}) FROM STDIN") as copy:
                    for row in values:
                        copy.write_row(row)
                return
            marks = ", ".join(["%s"] * len(names))
            # Names come from the model's metadata, quoted; every value is a query parameter.
            sql = f"INSERT INTO {quote(table)} ({columns}) VALUES ({marks})"  # noqa: S608
            while batch := list(islice(values, BATCH_SIZE)):
                cursor.executemany(sql, batch)

    def _first_pk(self, model: type[models.Model]) -> int:
        if model not in self._next_pk:
            largest = model._base_manager.aggregate(m=models.Max("pk"))["m"]
            self._next_pk[model] = (largest or 0) + 1
        return self._next_pk[model]

    def finish(self) -> None:
        """Move the primary-key sequences past the inserted keys (PostgreSQL needs it)."""
        statements = connection.ops.sequence_reset_sql(no_style(), list(self._next_pk))
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    def audit(self, *, load_uuid: uuid.UUID, details: Mapping[str, Any]) -> None:
        """Add one `demo.load` audit event per table written, with its row count."""
        AuditEvent.objects.bulk_create(
            AuditEvent(
                user=None,
                action=AUDIT_ACTION,
                entity=label,
                entity_uuid=load_uuid,
                changes={"rows": rows, **details},
            )
            for label, rows in sorted(self.counts.items())
        )
