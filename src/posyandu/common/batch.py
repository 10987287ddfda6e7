"""A service's writes with or without the caller's batch (docs/adr/0008).

The registry and visits services a phone syncs take the user's batch (`within=`: the sync's
`posyandu.visits.batch.VisitBatch`). Without one, a service reads what it needs and writes in
its own transaction; with one, it runs in the caller's transaction and finds and remembers rows
through the batch. These are the three moves both apps make, in one place.
"""

from __future__ import annotations

import uuid as uuid_lib
from contextlib import AbstractContextManager, nullcontext
from typing import Any, Protocol, TypeVar

from django.db import models, transaction

M = TypeVar("M", bound=models.Model)


class RowBatch(Protocol):
    """Rows by uuid, shared by the units of work of one batch."""

    def find(self, model: type[M], key: uuid_lib.UUID) -> M | None:
        """Return the row stored (or held) under `key`, or None."""

    def keep(self, row: M) -> M:
        """Remember a row written (or read afresh) in the batch; return the batch's instance
        of it (one per row, so every unit of work sees the latest values)."""


def atomic(within: RowBatch | None) -> AbstractContextManager[Any]:
    """Return a service's transaction: its own, or none in a batch, whose caller holds the
    transaction and undoes a unit of work that raises (its savepoint; a deferring batch's
    visit steps wrote nothing yet). An inner `atomic` would mark the whole transaction for
    rollback on a refusal, however expected."""
    return transaction.atomic() if within is None else nullcontext()


def stored(model: type[M], key: uuid_lib.UUID, within: RowBatch | None) -> M | None:
    """Return the row a client uuid already names (the idempotency check), or None."""
    if within is not None:
        return within.find(model, key)
    return model._default_manager.filter(uuid=key).first()


def remembered(row: M, within: RowBatch | None) -> M:
    """Return the row, remembered by the batch (if any) for the units of work after this one:
    the batch's instance of it."""
    if within is not None:
        return within.keep(row)
    return row
