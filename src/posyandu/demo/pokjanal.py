"""The Pokjanal's records of the demo kabupaten: ILP roll-out stage and strata figures of every
posyandu, and a few meeting decisions (some done, some open, some overdue).

Written in bulk through the demo's writer (one row per posyandu per table, a handful of
decisions), after the sites, so the Pokjanal page of the demo has every section filled.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from posyandu.demo.context import Jejaring, Window
from posyandu.demo.identity import new_uuid
from posyandu.demo.writer import BulkWriter
from posyandu.pokjanal.models import Decision, IlpRollout, Sector, StrataInput

# Share of posyandu at each roll-out stage (ILP started in 2023-2024 in most districts).
_STAGES = ((0.65, IlpRollout.Stage.SUDAH), (0.85, IlpRollout.Stage.PERSIAPAN))
_DECISIONS = (
    (Sector.KESEHATAN, "Puskesmas melatih kader baru pada kompetensi skrining lansia dan PTM"),
    (Sector.PMD, "Desa menganggarkan dana desa untuk PMT balita gizi kurang"),
    (Sector.PKK, "PKK menambah kader agar setiap posyandu memiliki minimal 5 kader bertugas"),
    (Sector.PENDIDIKAN, "Sekolah mengirim data siswa untuk penjaringan kesehatan"),
    (Sector.AGAMA, "Penyuluhan imunisasi melalui pengajian dan majelis taklim"),
    (
        Sector.SOSIAL,
        "Data keluarga miskin dengan balita stunting dicocokkan dengan penerima bansos",
    ),
)


def _percent(rng: random.Random, low: float, high: float) -> Decimal | None:
    return None if rng.random() < 0.2 else Decimal(f"{rng.uniform(low, high):.1f}")


def build_pokjanal(
    jejaring: Jejaring, rng: random.Random, window: Window, writer: BulkWriter
) -> None:
    """Write the roll-out stages, strata figures and decisions of the demo kabupaten."""
    as_of = window.as_of
    rollouts, inputs = [], []
    for site in jejaring.sites:
        draw = rng.random()
        stage = next((s for cut, s in _STAGES if draw < cut), IlpRollout.Stage.BELUM)
        since = None
        if stage == IlpRollout.Stage.SUDAH:
            since = dt.date(2023, 8, 1) + dt.timedelta(days=rng.randint(0, 600))
            since = min(since, as_of)
        rollouts.append(
            IlpRollout(
                uuid=new_uuid(rng),
                posyandu=site.posyandu,
                stage=stage,
                since=since,
                set_by=site.puskesmas_user,
            )
        )
        if rng.random() < 0.85:
            inputs.append(
                StrataInput(
                    uuid=new_uuid(rng),
                    posyandu=site.posyandu,
                    year=as_of.year,
                    kia=_percent(rng, 35, 90),
                    kb=_percent(rng, 35, 80),
                    extra_programmes=None if rng.random() < 0.2 else rng.randint(0, 3),
                    dana_sehat=_percent(rng, 5, 70),
                    kader_on_duty=Decimal(f"{rng.uniform(3.5, 7.5):.1f}"),
                    entered_by=site.puskesmas_user,
                )
            )
    decisions = []
    regions = [jejaring.kabupaten, *jejaring.kecamatan[:2], *jejaring.desa[:2]]
    for k, (sector, text) in enumerate(_DECISIONS):
        meeting = as_of - dt.timedelta(days=rng.randint(20, 150))
        due = meeting + dt.timedelta(days=rng.randint(30, 120))
        done = k % 3 == 0
        decisions.append(
            Decision(
                uuid=new_uuid(rng),
                region=regions[k % len(regions)],
                meeting_date=meeting,
                text=text,
                sector=sector,
                due_date=due,
                status=Decision.Status.DONE if done else Decision.Status.OPEN,
                follow_up="Sudah dilaksanakan; dilaporkan pada rapat berikutnya" if done else "",
            )
        )
    writer.save(rollouts)
    writer.save(inputs)
    writer.save(decisions)
