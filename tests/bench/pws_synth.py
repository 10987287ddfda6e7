"""A stand-in for the kabupaten PWS page: one kecamatan's rollups copied to more kecamatan.

    .venv/bin/python -m tests.bench.pws_synth \\
        postgres://postgres@127.0.0.1:5432/posyandu_kecamatan \\
        postgres://postgres@127.0.0.1:5432/posyandu_kabupaten_synth --copies 24

Clones the database of `posyandu demo --scale kecamatan` (CREATE DATABASE ... TEMPLATE), then
adds `--copies` kecamatan to its kabupaten, each with the same desa, Puskesmas, Pustu and
posyandu as the original one, and copies every rollup row of the original posyandu to its twin.
The copies have no persons or facts, only rollups: enough for the pages, which read rollups
only. The region rollups are then re-summed from all the posyandu rollups (never run a plain
`pws_rebuild` there: it would recompute the copies from no facts; `--regions-only` is safe).
The target database must not exist; the source must have no other connection while it is
cloned.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import uuid
from collections.abc import Sequence


def clone(source: str, target: str) -> None:
    """Create the database of `target` as a copy of the database of `source`."""
    import psycopg
    from psycopg import sql

    base, name = target.rsplit("/", 1)
    template = source.rsplit("/", 1)[1]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            raise SystemExit(f"{name} exists already; drop it first")
        conn.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(template)
            )
        )


def copy_kecamatan(copies: int) -> int:
    """Add `copies` twins of the only kecamatan, with its posyandu rollups; return rows copied."""
    from django.db import connection, transaction

    from posyandu.regions.models import Facility, Region

    kecamatan = Region.objects.get(level=Region.Level.KECAMATAN)
    kabupaten = kecamatan.parent
    assert kabupaten is not None
    desa = list(Region.objects.filter(parent=kecamatan).order_by("code"))
    facilities = list(Facility.objects.filter(region__code__startswith=kecamatan.code))
    copied = 0
    with transaction.atomic():
        for n in range(copies):
            number = int(kecamatan.code[-2:]) + n + 1
            kec = Region.objects.create(
                code=f"{kabupaten.code}.{number:02d}",
                name=f"{kecamatan.name} {number}",
                level=kecamatan.level,
                parent=kabupaten,
            )
            regions = {kecamatan.pk: kec}
            for d in desa:
                regions[d.pk] = Region.objects.create(
                    code=f"{kec.code}{d.code[len(kecamatan.code) :]}",
                    name=d.name,
                    level=d.level,
                    parent=kec,
                )
            twins: dict[int, Facility] = {}
            # Parents first: Puskesmas, then Pustu, then posyandu.
            for kind in (Facility.Kind.PUSKESMAS, Facility.Kind.PUSTU, Facility.Kind.POSYANDU):
                for f in (f for f in facilities if f.kind == kind):
                    twins[f.pk] = Facility.objects.create(
                        uuid=uuid.uuid4(),
                        kind=f.kind,
                        name=f.name,
                        region=regions[f.region_id],
                        parent=None if f.parent_id is None else twins[f.parent_id],
                        dusun=f.dusun,
                    )
            pairs = [(f.pk, twins[f.pk].pk) for f in facilities if f.kind == Facility.Kind.POSYANDU]
            with connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO pws_monthlyrollup (posyandu_id, month, indicator, numerator,"
                    " denominator, values, computed_at, rules_version)"
                    " SELECT t.twin, r.month, r.indicator, r.numerator, r.denominator,"
                    " r.values, r.computed_at, r.rules_version"
                    " FROM pws_monthlyrollup r"
                    " JOIN unnest(%s::int[], %s::int[]) AS t(original, twin)"
                    " ON r.posyandu_id = t.original",
                    [[p[0] for p in pairs], [p[1] for p in pairs]],
                )
                copied += cursor.rowcount
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return copied


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", help="URL of the database holding the kecamatan demo")
    parser.add_argument("target", help="URL of the database to create (must not exist)")
    parser.add_argument("--copies", type=int, default=24, help="kecamatan to add (default 24)")
    args = parser.parse_args(list(argv) if argv is not None else sys.argv[1:])
    started = time.perf_counter()
    clone(args.source, args.target)
    os.environ["DATABASE_URL"] = args.target
    os.environ.setdefault("POSYANDU_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "posyandu.config.settings")
    import django

    django.setup()
    rows = copy_kecamatan(args.copies)
    print(f"  {args.copies} kecamatan added, {rows:,} rollup rows copied")
    from posyandu.pws.models import MonthlyRollup
    from posyandu.pws.services import region_rollup_rebuild

    months = MonthlyRollup.objects.order_by("month").values_list("month", flat=True).distinct()
    regions = region_rollup_rebuild(months=list(months))
    print(f"  {regions:,} region rollup rows summed, done in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
