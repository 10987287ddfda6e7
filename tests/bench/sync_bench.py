"""Sync ingest benchmark: a week of offline work (>= 2,000 events from three phones) sent in
order, replayed, and sent again in a random order, on the configured database.

    .venv/bin/python -m tests.bench.sync_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_sync \
        .venv/bin/python -m tests.bench.sync_bench

It works in a throwaway test database (Django's `test_<name>`, created, migrated and dropped;
for SQLite a file in the temp directory, so commits reach the disk). Target: first pass < 5 s.
"""

from __future__ import annotations

import os
import tempfile
import time


def main() -> None:
    """Print the ingest time of the first pass, the replay and the shuffled pass."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "posyandu.config.settings")
    os.environ.setdefault("POSYANDU_DEBUG", "1")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    settings.DEBUG = False  # as in production: no query log kept in memory
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        db.setdefault("TEST", {})["NAME"] = os.path.join(tempfile.gettempdir(), "sync_bench.db")
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        _run(connection.vendor)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


def _run(vendor: str) -> None:
    from posyandu.sync.models import SyncReceipt
    from posyandu.sync.selectors import snapshot
    from tests.integration.sync.workload import (
        build_workload,
        canonical_dump,
        ingest_in_order,
        ingest_shuffled,
    )
    from tests.personas import build_jejaring

    jejaring = build_jejaring()
    work = build_workload(jejaring.melati, "melati")
    count = work.count()
    print(f"sync ingest on {vendor}: {count} events, 3 phones, 7 days")

    start = time.perf_counter()
    results = ingest_in_order(work)
    first = time.perf_counter() - start
    accepted = sum(r["status"] == "accepted" for r in results)
    print(f"  first pass   {first:6.2f} s  {count / first:7.0f} events/s  ({accepted} accepted)")

    start = time.perf_counter()
    replay = ingest_in_order(work)
    again = time.perf_counter() - start
    duplicates = sum(r["status"] == "duplicate" for r in replay)
    print(f"  replay       {again:6.2f} s  {count / again:7.0f} events/s  ({duplicates} duplicate)")

    other = build_workload(jejaring.mawar, "mawar")
    start = time.perf_counter()
    rounds = ingest_shuffled(other)
    shuffled = time.perf_counter() - start
    sent = SyncReceipt.objects.filter(device__in=list(other.events)).count()
    same = canonical_dump(jejaring.mawar, other.labels) == canonical_dump(
        jejaring.melati, work.labels
    )
    print(
        f"  shuffled     {shuffled:6.2f} s  {count / shuffled:7.0f} events/s  "
        f"({rounds} rounds, {sent} receipts, same final state: {same})"
    )

    kader = next(iter(work.users.values()))
    start = time.perf_counter()
    body = snapshot(user=kader, posyandu=jejaring.melati)
    took = time.perf_counter() - start
    print(f"  snapshot     {took:6.2f} s  ({len(body['persons'])} persons with assessment)")
    print(f"  target: first pass < 5 s -> {'met' if first < 5 else 'NOT met'}")


if __name__ == "__main__":
    main()
