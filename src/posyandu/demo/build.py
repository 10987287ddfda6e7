"""Build the whole demo kabupaten in one transaction, or report that it is already there."""

from __future__ import annotations

import datetime as dt
import logging
import os
import random
import uuid
from collections import Counter
from typing import Any

from django.apps import apps
from django.db import transaction

from posyandu.audit.models import AuditEvent
from posyandu.common.db import analyze
from posyandu.demo.context import Jejaring, Window
from posyandu.demo.identity import Registry, seeded
from posyandu.demo.places import build_jejaring
from posyandu.demo.scale import Scale
from posyandu.demo.site import build_site
from posyandu.demo.staff import build_staff
from posyandu.demo.writer import AUDIT_ACTION, BulkWriter
from posyandu.pws.models import MonthlyRollup
from posyandu.pws.services import recent_months, rollup_rebuild
from posyandu.regions.models import Region

logger = logging.getLogger(__name__)


def demo_loaded() -> dict[str, Any] | None:
    """Return how the demo in this database was made (scale, seed, as_of), or None."""
    event = AuditEvent.objects.filter(action=AUDIT_ACTION).order_by("id").first()
    return None if event is None else dict(event.changes)


def pws_refresh(*, as_of: dt.date, months: int) -> int:
    """Recompute the PWS rollups of the window's months (a bulk load fires no signal), in one
    process per CPU on PostgreSQL (the same rows as one process)."""
    return rollup_rebuild(months=recent_months(as_of, months), workers=os.cpu_count() or 1)


def pws_missing() -> bool:
    """Return True when no PWS rollup exists (the rollup step did not finish)."""
    return not MonthlyRollup.objects.exists()


def demo_region_taken(code: str) -> bool:
    """Return True when the demo kabupaten's code is already used in this database."""
    return Region.objects.filter(code=code).exists()


def _targets(jejaring: Jejaring, rng: random.Random, persons: int) -> None:
    """Share the population among the posyandu, some bigger than others."""
    weights = [rng.uniform(0.7, 1.3) for _ in jejaring.sites]
    total = sum(weights)
    for site, weight in zip(jejaring.sites, weights, strict=True):
        site.persons_target = round(persons * weight / total)


def load_uuid(scale: Scale, seed: int, as_of: dt.date) -> uuid.UUID:
    """Return the identity of one load, the same for the same scale, seed and date."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"posyandu-demo:{scale.name}:{seed}:{as_of.isoformat()}")


def load_demo(*, scale: Scale, seed: int, as_of: dt.date) -> Counter[str]:
    """Write the demo kabupaten; return the number of rows written per table."""
    writer = BulkWriter()
    window = Window(as_of, scale.months)
    with transaction.atomic():
        rng = seeded(seed, "jejaring")
        jejaring = build_jejaring(scale, rng, writer)
        build_staff(jejaring, rng, writer)
        _targets(jejaring, rng, scale.persons)
        ids = Registry()
        for site in jejaring.sites:
            build_site(site, seeded(seed, site.posyandu.uuid), ids, window, writer)
            logger.debug("demo: posyandu %s done", site.posyandu.name)
        from posyandu.demo.pokjanal import build_pokjanal  # the Pokjanal's records (pokjanal app)

        build_pokjanal(jejaring, seeded(seed, "pokjanal"), window, writer)
        details = {"scale": scale.name, "seed": seed, "as_of": as_of.isoformat()}
        writer.finish()
        writer.audit(load_uuid=load_uuid(scale, seed, as_of), details=details)
    # Statistics of the new rows before anything reads them (the rollups come next).
    analyze(apps.get_model(label) for label in writer.counts)
    return writer.counts
