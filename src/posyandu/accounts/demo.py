"""The demo logins: one person per role of the jejaring, printed by `make run`.

The password is public on purpose: these accounts exist only in a demo database
(`posyandu demo`), which refuses to run when POSYANDU_DEBUG is off.
"""

from __future__ import annotations

from typing import NamedTuple

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class DemoLogin(NamedTuple):
    username: str
    role: str
    label: Promise


DEMO_PASSWORD = "posyandu-demo"  # noqa: S105 - a published demo password, see module docstring

DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin("kader_sari", "kader", _("Kader at Posyandu Melati")),
    DemoLogin("bidan_rina", "bidan", _("Midwife at Pustu Sukamaju")),
    DemoLogin("puskesmas_admin", "puskesmas", _("Puskesmas staff")),
    DemoLogin("dinkes_analyst", "dinkes", _("District health office analyst")),
    DemoLogin("desa_official", "desa", _("Village official")),
)
