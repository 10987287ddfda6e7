"""The offline kader app: first-load bytes against the 150 KB budget, and the first download.

    .venv/bin/python -m tests.bench.offline_bench            # 1,500 persons
    .venv/bin/python -m tests.bench.offline_bench -n 300     # a quicker look

(1) First load of /luring/: the shell page, its three scripts, the style sheet, the manifest,
    the service worker and the two icons, as the server sends them gzip-compressed (whitenoise
    serves the static files pre-compressed; the shell, manifest and worker are compressed here
    the same way, level 9) — everything the phone transfers before any data. Budget 150 KB.
(2) The first data download of a posyandu of N persons (default 1,500: 300 households; children
    under five with a monthly weighing for up to 24 months, the others 1-2 measurements):
    time of GET /api/sync/snapshot (server side, through Django's test client, on a throwaway
    SQLite database), its size raw and as sent (the endpoint answers gzip when asked), the
    share of it that is the home-visit worklist, and a later incremental download with nothing
    changed (the worklist comes whole with every download, ADR 8).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import random
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

BUDGET = 150 * 1024


def _django(db: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("POSYANDU_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "posyandu.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9))


def first_load(client) -> list[tuple[str, int, int]]:  # type: ignore[no-untyped-def]
    """(name, raw bytes, gzip bytes) of every file of the first load."""
    from django.contrib.staticfiles import finders

    from posyandu.offline.views import ASSETS

    rows = []
    for url in ("/luring/", "/luring/manifest.webmanifest", "/luring/sw.js"):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        rows.append((url, len(response.content), _gz(response.content)))
    for name in ASSETS:
        data = Path(finders.find(f"offline/{name}")).read_bytes()
        # PNG is already compressed: whitenoise sends it as it is.
        rows.append(
            (
                f"/static/offline/{name}",
                len(data),
                len(data) if name.endswith(".png") else _gz(data),
            )
        )
    return rows


def build_posyandu(posyandu, n: int, today: dt.date) -> int:  # type: ignore[no-untyped-def]
    """Create n persons in n/5 households with measurement histories; return the measurements."""
    from posyandu.registry.models import Household, Person
    from posyandu.visits.models import Measurement, ServiceDay

    rng = random.Random(7)
    homes = Household.objects.bulk_create(
        Household(
            posyandu=posyandu,
            head_name=f"Kepala Keluarga {i}",
            address=f"RT {i % 9 + 1}",
            dusun=f"Dusun {i % 4 + 1}",
            no_kk=f"{5201010000000000 + i}",
        )
        for i in range(max(1, n // 5))
    )
    persons = Person.objects.bulk_create(
        Person(
            posyandu=posyandu,
            household=homes[i % len(homes)],
            name=f"Warga Bench {i}",
            sex="F" if i % 2 else "M",
            birth_date=today
            - dt.timedelta(days=rng.randint(30, 1800) if i % 3 == 0 else rng.randint(6000, 25000)),
            nik=f"{5201010100000000 + i}",
            phone="",
        )
        for i in range(n)
    )
    facts = []
    for p in persons:
        age = (today - p.birth_date).days
        months = min(24, age // 30) if age < 1826 else rng.randint(1, 2)
        for m in range(months):
            when = today - dt.timedelta(days=30 * m + 3)
            if age < 1826:
                grown = max(0, age - 30 * m)
                facts.append(
                    Measurement(
                        person=p,
                        date=when,
                        weight_kg=round(3.3 + grown / 160, 2),
                        lenhei_cm=round(50 + grown / 25, 1),
                        measure="l" if grown < 730 else "h",
                    )
                )
            else:
                facts.append(
                    Measurement(
                        person=p,
                        date=when,
                        weight_kg=round(rng.uniform(45, 80), 1),
                        sbp_mmhg=rng.randint(100, 150),
                        dbp_mmhg=rng.randint(60, 95),
                    )
                )
    Measurement.objects.bulk_create(facts, batch_size=2000)
    ServiceDay.objects.create(posyandu=posyandu, date=today)
    return len(facts)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=1500, help="persons at the posyandu (1500)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        _django(Path(tmp) / "bench.sqlite3")
        from django.test import Client
        from django.utils import timezone

        from posyandu.sync.selectors import cursor_encode
        from tests.personas import build_jejaring

        jejaring = build_jejaring()
        client = Client(HTTP_ACCEPT_LANGUAGE="id", HTTP_HOST="127.0.0.1")
        client.force_login(jejaring.user("kader_sari"))

        rows = first_load(client)
        print("(1) first load of /luring/ (before any data)")
        for name, raw, gz in rows:
            print(f"  {name:<38} {raw:>8,} B raw {gz:>8,} B gzip")
        total_raw, total_gz = sum(r[1] for r in rows), sum(r[2] for r in rows)
        verdict = "within" if total_gz <= BUDGET else "OVER"
        print(
            f"  {'total':<38} {total_raw:>8,} B raw {total_gz:>8,} B gzip"
            f"   budget {BUDGET:,} B: {verdict} ({100 * total_gz / BUDGET:.1f} % used)"
        )

        today = timezone.localdate()
        started = time.perf_counter()
        facts = build_posyandu(jejaring.melati, args.n, today)
        print(
            f"\n(2) first download for {args.n:,} persons ({facts:,} measurements;"
            f" built in {time.perf_counter() - started:.1f} s)"
        )
        url = f"/api/sync/snapshot?posyandu={jejaring.melati.uuid}"
        for attempt in ("cold", "warm"):
            started = time.perf_counter()
            response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
            seconds = time.perf_counter() - started
            if response.status_code != 200:
                print(f"  GET {url}: HTTP {response.status_code} (the sync API is not available)")
                return 1
            wire = response.content  # as the server sends it (gzip-compressed)
            raw = len(gzip.decompress(wire))
            print(
                f"  {attempt}: {seconds:6.2f} s server time, {raw:>10,} B raw,"
                f" {len(wire):>9,} B on the wire ({len(wire) / args.n:,.0f} B per person)"
            )
        body = json.loads(gzip.decompress(wire))
        worklist = json.dumps(body["worklist"]).encode()
        print(
            f"  of which the worklist: {len(body['worklist']['items']):,} persons,"
            f" {len(worklist):,} B raw, {_gz(worklist):,} B gzip"
        )
        # A cursor of now (the answer's own keeps a margin that would resend the fresh rows).
        since = cursor_encode(timezone.now())
        started = time.perf_counter()
        response = client.get(f"{url}&since={since}", HTTP_ACCEPT_ENCODING="gzip")
        seconds = time.perf_counter() - started
        print(
            f"  incremental, nothing changed: {seconds:6.2f} s server time,"
            f" {len(response.content):,} B on the wire (the worklist, whole)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
