"""A server the offline journeys can kill: Django's threaded dev server in its own process.

`python -m tests.e2e.offline_server seed DB` migrates a fresh SQLite file and loads the personas,
today's service day at Posyandu Melati, two residents and a few more on its home-visit worklist
(a thin child, a newborn, a man with high blood pressure, a child of Mawar who must never
show); `serve DB PORT` serves it (static
files included). While the file named by $OFFLINE_SLOW_FLAG exists, every POST to
/api/sync/events is answered only after a long pause (the events are applied first), so a test
can kill the process while the phone waits for the answer.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from pathlib import Path
from typing import Any


def _setup(db: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(db).resolve()}"
    os.environ.setdefault("POSYANDU_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "posyandu.config.settings")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    import django

    django.setup()


def seed(db: str) -> None:
    _setup(db)
    from django.core.management import call_command
    from django.utils import timezone

    from posyandu.visits.models import ServiceDay
    from tests.factories import HouseholdFactory, PersonFactory
    from tests.personas import build_jejaring

    call_command("migrate", verbosity=0, interactive=False)
    jejaring = build_jejaring()
    from tests.personas import _member  # a second kader at Melati for the convergence journey

    _member("kader_dewi", "kader", facility=jejaring.melati)
    today = timezone.localdate()
    ServiceDay.objects.create(posyandu=jejaring.melati, date=today, status="open")
    home = HouseholdFactory(posyandu=jejaring.melati, head_name="Ahmad Yani", dusun="Dusun I")
    PersonFactory(
        posyandu=jejaring.melati,
        household=home,
        name="Siti Aminah",
        sex="F",
        birth_date=today - dt.timedelta(days=400),
    )
    budi = PersonFactory(
        posyandu=jejaring.melati,
        household=home,
        name="Budi Santoso",
        sex="M",
        birth_date=today - dt.timedelta(days=800),
    )
    _worklist_seed(jejaring, today, budi)


def _worklist_seed(jejaring: Any, today: dt.date, budi: Any) -> None:
    """Residents the server puts on Melati's home-visit worklist, and one of Mawar's."""
    from posyandu.visits.models import Measurement
    from tests.factories import HouseholdFactory, PersonFactory
    from tests.unit.outreach.factories import HomeVisitFactory

    kader = jejaring.user("kader_sari")
    HomeVisitFactory(person=budi, kader=kader, visited_on=today - dt.timedelta(days=5))
    home = HouseholdFactory(
        posyandu=jejaring.melati, head_name="Wayan Sudarsa", address="RT 02 RW 01 Dusun II"
    )
    thin = PersonFactory(
        posyandu=jejaring.melati,
        household=home,
        name="Nur Aini",
        sex="F",
        birth_date=today - dt.timedelta(days=430),
    )
    Measurement.objects.create(
        person=thin,
        date=today - dt.timedelta(days=20),
        weight_kg="6.1",
        lenhei_cm="72",
        measure="l",
    )
    PersonFactory(
        posyandu=jejaring.melati,
        household=home,
        name="Bayi Kadek",
        sex="M",
        birth_date=today - dt.timedelta(days=9),
    )
    grandpa = PersonFactory(
        posyandu=jejaring.melati,
        household=home,
        name="Made Harjo",
        sex="M",
        birth_date=today - dt.timedelta(days=365 * 62),
    )
    Measurement.objects.create(
        person=grandpa, date=today - dt.timedelta(days=12), sbp_mmhg=165, dbp_mmhg=100
    )
    PersonFactory(
        posyandu=jejaring.mawar,
        name="Anak Mawar Kurus",
        sex="F",
        birth_date=today - dt.timedelta(days=300),
    )


def serve(db: str, port: int) -> None:
    _setup(db)
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.servers.basehttp import run
    from django.core.wsgi import get_wsgi_application

    inner = StaticFilesHandler(get_wsgi_application())
    flag = os.environ.get("OFFLINE_SLOW_FLAG", "")

    def app(environ: dict[str, Any], start_response: Any) -> Any:
        body = inner(environ, start_response)
        slow = environ["PATH_INFO"] == "/api/sync/events" and environ["REQUEST_METHOD"] == "POST"
        if slow and flag and os.path.exists(flag):
            chunks = list(body)  # the events are applied; the answer never leaves
            Path(flag + ".applied").touch()
            time.sleep(120)
            return chunks
        return body

    run("127.0.0.1", port, app, threading=True)


if __name__ == "__main__":
    command, db, *rest = sys.argv[1:]
    if command == "seed":
        seed(db)
    else:
        serve(db, int(rest[0]))
