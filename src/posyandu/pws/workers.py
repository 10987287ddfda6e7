"""Entry points of the `pws_rebuild --workers N` processes.

A light module on purpose: a "spawn" process unpickles these functions before Django is set
up, so nothing here may import a model at import time.
"""

from __future__ import annotations

import datetime as dt


def start(databases: dict[str, dict[str, object]]) -> None:
    """Set up Django in a rebuild process on the very databases of its parent (under test,
    the test database, whose name the settings module does not know)."""
    import django
    from django.conf import settings

    settings.DATABASES.update(databases)
    django.setup()


def rebuild(chunk: tuple[list[int], list[dt.date]]) -> int:
    """Refresh the posyandu of `chunk` (ids, months) in this process; return the rows kept."""
    from posyandu.pws.services import rebuild_posyandu

    ids, months = chunk
    return rebuild_posyandu(ids, months)
