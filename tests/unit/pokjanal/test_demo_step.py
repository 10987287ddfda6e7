"""The demo's Pokjanal step: a roll-out stage per posyandu, strata figures, some decisions."""

from __future__ import annotations

import datetime as dt

from posyandu.demo.context import Jejaring, Site, Window
from posyandu.demo.identity import seeded
from posyandu.demo.pokjanal import build_pokjanal
from posyandu.demo.writer import BulkWriter
from posyandu.pokjanal.models import Decision, IlpRollout, StrataInput


def test_build_pokjanal_writes_every_posyandu_once(jejaring):
    posyandu = [jejaring.melati, jejaring.mawar, jejaring.anggrek, jejaring.kenanga]
    sites = [
        Site(k, p, p.parent, p.parent.parent, p.region, p.region.parent)
        for k, p in enumerate(posyandu)
    ]
    frame = Jejaring(
        jejaring.kabupaten.parent,
        jejaring.kabupaten,
        [jejaring.desa_sukamaju.parent],
        [jejaring.desa_sukamaju],
        [jejaring.puskesmas],
        [jejaring.pustu],
        sites,
    )
    writer = BulkWriter()
    as_of = dt.date(2026, 11, 23)
    build_pokjanal(frame, seeded(1, "pokjanal"), Window(as_of, 12), writer)
    writer.finish()
    assert IlpRollout.objects.count() == 4
    assert all(r.since is not None for r in IlpRollout.objects.filter(stage="sudah"))
    # Seed 1 draws strata figures for two of the four posyandu (each has an 85 % chance).
    assert StrataInput.objects.count() == 2
    assert StrataInput.objects.filter(year=2026).count() == writer.counts["pokjanal.stratainput"]
    assert Decision.objects.count() == 6
    assert all(d.due_date >= d.meeting_date for d in Decision.objects.all())
