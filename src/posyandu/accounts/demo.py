"""The demo logins: one person per role of the jejaring, printed by `posyandu demo`.

The password is public on purpose: these accounts exist only in a demo database
(`posyandu demo`), which refuses to run when POSYANDU_DEBUG is off. Where each login works is
set by the demo generator (posyandu.demo.staff); the labels here say it to the user.
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
    DemoLogin("puskesmas_admin", "puskesmas", _("Staff of Puskesmas Sukamaju")),
    DemoLogin("dinkes_analyst", "dinkes", _("District health office analyst, Sukamaju Raya")),
    DemoLogin("desa_official", "desa", _("Village official of Desa Sukamaju")),
    DemoLogin("pokjanal", "pokjanal", _("Pokjanal of Kabupaten Sukamaju Raya")),
    DemoLogin("kader_dewi", "kader", _("Kader at Posyandu Mawar")),
    DemoLogin("kader_euis", "kader", _("Kader at Posyandu Anggrek, Desa Sukasari")),
    DemoLogin("kader_nur", "kader", _("Kader at Posyandu Kenanga, Kecamatan Cikaret")),
)
