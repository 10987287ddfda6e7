"""The live PWS at kabupaten scale: page times and freshness, beside the targets.

    make bench-pws                                  # builds posyandu_kabupaten once, then this
    PWS_BENCH_URL=postgres://postgres@127.0.0.1:5432/posyandu_kabupaten \\
        .venv/bin/python -m tests.bench.pws_bench -n 30

Needs a database holding the demo (`posyandu demo --scale kabupaten`, ~1 M persons); without
PWS_BENCH_URL (or a PostgreSQL DATABASE_URL holding the demo) it prints why it skips.

(1) p50/p95 of GET /pws/ over N requests (after one warm-up) through Django's test client, for
    the demo personas: desa_official (desa), puskesmas_admin (Puskesmas), dinkes_analyst
    (kabupaten). Targets: desa p95 < 150 ms, kabupaten p95 < 500 ms.
(2) Freshness: a weight for a balita not yet weighed this month is saved at Posyandu Melati
    (one transaction, the same write and signals as `measurement_record`); the time from the
    start of that save until the desa dashboard is served with D (balita weighed) one higher in
    the rollup it reads (the on-commit refresh recomputes the posyandu-month and re-sums its
    desa, kecamatan, kabupaten and province). Target < 1 s. The refresh is warmed up once on
    another posyandu (as the page is, once); the first round then counts every person of
    Melati, later ones only the changed person again (the counts of a process are kept by
    person). The measurement is deleted afterwards (the rollup goes back by the same path), so
    the bench leaves the database as it found it.
(3) The alternative a user would pick without rollups: recomputing the kabupaten's numbers of
    one month from the facts (what a nightly full count does), measured once.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from decimal import Decimal

TARGETS_MS = {"desa": 150.0, "puskesmas": 500.0, "kabupaten": 500.0}
FRESHNESS_TARGET_S = 1.0
PERSONAS = {"desa": "desa_official", "puskesmas": "puskesmas_admin", "kabupaten": "dinkes_analyst"}


def _database_url() -> str | None:
    url = os.environ.get("PWS_BENCH_URL")
    if url:
        return url
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


def _percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def create_database(url: str) -> None:
    """Create the PostgreSQL database of `url` when it is missing (make bench-pws)."""
    import psycopg
    from psycopg import sql

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            print(f"  database {name} exists")
            return
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        print(f"  database {name} created")


def _django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("POSYANDU_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "posyandu.config.settings")
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment(debug=False)  # no query log, "testserver" allowed


def pages(n: int) -> dict[str, tuple[int, list[float]]]:
    """Return the posyandu of the area and the times (ms) of N dashboard requests per level."""
    from django.contrib.auth.models import User
    from django.test import Client

    from posyandu.accounts.scope import area_posyandu_for

    out = {}
    for level, username in PERSONAS.items():
        client = Client()
        user = User.objects.get(username=username)
        client.force_login(user)
        response = client.get("/pws/")
        assert response.status_code == 200, (username, response.status_code)
        times = []
        for _ in range(n):
            started = time.perf_counter()
            response = client.get("/pws/")
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        out[level] = (area_posyandu_for(user).count(), times)
    return out


def _balita(posyandu, today: dt.date):  # type: ignore[no-untyped-def]
    """A balita of the posyandu with no measurement this month (she adds one to D)."""
    from posyandu.registry.models import Person
    from posyandu.visits.models import Measurement

    weighed = Measurement.objects.filter(date__gte=today.replace(day=1)).values("person_id")
    return (
        Person.objects.filter(
            posyandu=posyandu,
            merged_into__isnull=True,
            birth_date__gt=today - dt.timedelta(days=4 * 365),
            birth_date__lt=today - dt.timedelta(days=90),
        )
        .exclude(pk__in=weighed)
        .order_by("pk")
        .first()
    )


def freshness(rounds: int) -> list[tuple[float, float, float]]:
    """Return (save+refresh s, page s, total s) per round."""
    from django.contrib.auth.models import User
    from django.db import transaction
    from django.test import Client
    from django.utils import timezone

    from posyandu.pws.models import MonthlyRollup
    from posyandu.pws.services import rollup_refresh
    from posyandu.regions.models import Facility
    from posyandu.visits.models import Measurement

    today = timezone.localdate()
    month = today.replace(day=1)
    # The first Melati: the demo's own (tests.bench.pws_synth copies it, without persons).
    melati = Facility.objects.filter(kind=Facility.Kind.POSYANDU, name="Melati").order_by("pk")[0]
    client = Client()
    client.force_login(User.objects.get(username=PERSONAS["desa"]))
    client.get("/pws/")
    # Like the page, the refresh is warmed up once, as in a server process that has served
    # other saves: on another posyandu (its facts unchanged), so Melati's first round still
    # counts every one of her persons.
    other = Facility.objects.filter(kind=Facility.Kind.POSYANDU, persons__isnull=False)
    rollup_refresh(posyandu=other.exclude(pk=melati.pk).order_by("pk")[0], month=month)

    def d_now() -> int:
        row = MonthlyRollup.objects.filter(posyandu=melati, month=month, indicator="d").first()
        return 0 if row is None else row.numerator

    out = []
    for _ in range(rounds):
        person = _balita(melati, today)
        if person is None:
            print("  freshness: no balita left without a weighing this month; stopped")
            break
        before = d_now()
        started = time.perf_counter()
        with transaction.atomic():
            row = Measurement.objects.create(
                person=person, date=today, weight_kg=Decimal("11.20"), measure=""
            )
        saved = time.perf_counter()
        response = client.get("/pws/")
        served = time.perf_counter()
        assert response.status_code == 200
        changed = d_now() == before + 1
        out.append((saved - started, served - saved, served - started))
        with transaction.atomic():
            row.delete()  # the same path back: the rollup returns to `before`
        if not changed or d_now() != before:
            print("  freshness: the rollup did not follow the save; the figure is void")
            return []
    return out


def full_count_seconds() -> tuple[float, int]:
    """Recompute one month of every posyandu from the facts, writing nothing: (s, posyandu)."""
    from django.utils import timezone

    from posyandu.core.indicators import Month, indicator_rules, indicators_for_month
    from posyandu.pws.mappers import posyandu_facts
    from posyandu.regions.models import Facility

    month = timezone.localdate().replace(day=1)
    rules = indicator_rules(Month.of(month).last)
    started = time.perf_counter()
    places = list(Facility.objects.filter(kind=Facility.Kind.POSYANDU).select_related("region"))
    for posyandu in places:
        facts = posyandu_facts(posyandu)
        indicators_for_month(facts.persons, month, rules, service_days=facts.service_days)
    return time.perf_counter() - started, len(places)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=30, help="requests per page (default 30)")
    parser.add_argument("--rounds", type=int, default=5, help="freshness rounds (default 5)")
    parser.add_argument(
        "--full-count", action="store_true", help="also time the no-rollup full count (slow)"
    )
    parser.add_argument("--create-database", metavar="URL", help="create it if missing, then stop")
    args = parser.parse_args(list(argv) if argv is not None else sys.argv[1:])
    if args.create_database:
        create_database(args.create_database)
        return
    url = _database_url()
    if url is None:
        print(
            "  skipped: no kabupaten-scale database configured; set PWS_BENCH_URL to a "
            "PostgreSQL database holding `posyandu demo --scale kabupaten` (make bench-pws)"
        )
        return
    if "django" in sys.modules and "posyandu.config.settings" in sys.modules:
        # Run from `python -m tests.bench` after benches that set Django up on SQLite.
        cmd = [sys.executable, "-m", "tests.bench.pws_bench", "-n", str(args.n)]
        subprocess.run(
            [*cmd, "--rounds", str(args.rounds), *(["--full-count"] if args.full_count else [])],
            check=True,
            env={**os.environ, "PWS_BENCH_URL": url},
        )
        return
    _django(url)
    from posyandu.demo.build import demo_loaded
    from posyandu.registry.models import Person

    loaded = demo_loaded()
    if loaded is None:
        print(
            f"  skipped: {url.rsplit('/', 1)[-1]} holds no demo (posyandu demo --scale kabupaten)"
        )
        return
    print(
        f"  database {url.rsplit('/', 1)[-1]}: demo scale {loaded.get('scale')}, "
        f"{Person.objects.count():,} persons, as of {loaded.get('as_of')}"
    )
    header = f"{'page':<11} {'posyandu':>8} {'p50 ms':>8} {'p95 ms':>8} {'target p95':>11}"
    print(f"  {header}  (n={args.n})")
    for level, (places, times) in pages(args.n).items():
        p50, p95 = _percentile(times, 0.5), _percentile(times, 0.95)
        target = TARGETS_MS[level]
        verdict = "ok" if p95 < target else "OVER"
        print(
            f"  {level:<11} {places:>8} {p50:>8.1f} {p95:>8.1f} "
            f"{'< ' + str(int(target)):>11}  {verdict}"
        )
    rounds = freshness(args.rounds)
    if rounds:
        totals = [r[2] for r in rounds]
        save = statistics.median(r[0] for r in rounds)
        page = statistics.median(r[1] for r in rounds)
        worst = max(totals)
        verdict = "ok" if worst < FRESHNESS_TARGET_S else "OVER"
        print(
            f"  freshness: median {statistics.median(totals):.2f} s, worst {worst:.2f} s, "
            f"first {totals[0]:.2f} s (save + on-commit refresh {save:.2f} s, page {page:.2f} s), "
            f"target < {FRESHNESS_TARGET_S:.0f} s  {verdict}"
        )
    if args.full_count:
        seconds, places = full_count_seconds()
        print(
            f"  without rollups: one month of the kabupaten from the facts ({places} posyandu) "
            f"{seconds:.1f} s per page view (a nightly full count)"
        )
    else:
        print("  without rollups: add --full-count to time a month recomputed from the facts")


if __name__ == "__main__":
    main()
