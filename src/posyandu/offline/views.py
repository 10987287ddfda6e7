"""Thin views of the offline kader app (ADR 8, ADR 9): shell page, manifest, service worker.

The shell carries every word of the script (from the `id` catalogue, as `json_script`), the
user's posyandu and the CSRF token; the data itself comes from `/api/sync/snapshot`.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from posyandu.accounts.models import WORKER_ROLES
from posyandu.accounts.scope import posyandu_for, role_of

STATIC_DIR = Path(__file__).resolve().parent / "static" / "offline"
ASSETS = ("app.js", "db.js", "sync.js", "app.css", "icon-192.png", "icon-512.png")

# Every word the script shows (msgid in English, translated by the `id` catalogue).
LABELS = {
    "people": gettext_lazy("Residents"),
    "search": gettext_lazy("Search by name or NIK"),
    "new_person": gettext_lazy("Register a new resident"),
    "today": gettext_lazy("Today's service day"),
    "no_day": gettext_lazy("No service day today in the data on this phone."),
    "online": gettext_lazy("Online"),
    "offline": gettext_lazy("Offline"),
    "send_now": gettext_lazy("Send now"),
    "sending": gettext_lazy("Sending…"),
    "saved": gettext_lazy("Saved on this phone"),
    "sent": gettext_lazy("Sent"),
    "waiting": gettext_lazy("Waiting for a record not yet on the server"),
    "conflict": gettext_lazy("Waiting for the bidan"),
    "rejected": gettext_lazy("Refused by the server"),
    "pending_check": gettext_lazy("Will be checked when online"),
    "name": gettext_lazy("Name"),
    "sex": gettext_lazy("Sex"),
    "female": gettext_lazy("Female"),
    "male": gettext_lazy("Male"),
    "birth_date": gettext_lazy("Birth date"),
    "nik": gettext_lazy("NIK (optional)"),
    "household": gettext_lazy("Household (optional)"),
    "none": gettext_lazy("— none —"),
    "save": gettext_lazy("Save on this phone"),
    "back": gettext_lazy("Back"),
    "check_in": gettext_lazy("Came today"),
    "checked_in": gettext_lazy("Checked in today"),
    "measure": gettext_lazy("Weighing and measuring"),
    "weight_kg": gettext_lazy("Weight (kg)"),
    "lenhei_cm": gettext_lazy("Length/height (cm)"),
    "lying": gettext_lazy("lying (length)"),
    "standing": gettext_lazy("standing (height)"),
    "muac_cm": gettext_lazy("Arm circumference (cm)"),
    "headc_cm": gettext_lazy("Head circumference (cm)"),
    "assessment": gettext_lazy("Last assessment by the server"),
    "as_of": gettext_lazy("as of"),
    "findings": gettext_lazy("Findings"),
    "imm_due": gettext_lazy("Immunisations due"),
    "services": gettext_lazy("Services"),
    "refer": gettext_lazy("Refer to the Pustu/Puskesmas"),
    "history": gettext_lazy("History"),
    "nothing": gettext_lazy("Nothing recorded."),
    "not_found": gettext_lazy("Not found on this phone."),
    "required": gettext_lazy("Please fill in: %s"),
    "implausible": gettext_lazy("%s: %s is outside %s–%s; please measure again."),
    "bad_nik": gettext_lazy("NIK must have 16 digits, not %s."),
    "future": gettext_lazy("The birth date %s is in the future."),
    "last_sync": gettext_lazy("Last download"),
    "never": gettext_lazy("never"),
    "outbox": gettext_lazy("Not yet sent"),
    "persons_count": gettext_lazy("residents on this phone"),
    "no_data": gettext_lazy("No data on this phone yet: connect to the internet once."),
    "sync_failed": gettext_lazy("Sending failed; the data stays on this phone."),
    # The home-visit worklist (the first four words are those of the /kunjungan-rumah/ page).
    "home_visits": gettext_lazy("Home visits"),
    "last_visit": gettext_lazy("Last home visit"),
    "not_visited": gettext_lazy("not yet visited"),
    "nobody": gettext_lazy("Nobody needs a home visit today."),
    "by_server": gettext_lazy("Computed by the server"),
    "worklist_old": gettext_lazy(
        "Not updated today: connect to the internet to refresh this list."
    ),
    "to_visit": gettext_lazy("persons to visit"),
    "due_on": gettext_lazy("due on"),
}


def _posyandu(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Return the posyandu the app works for: the kader's own, or the nakes' chosen one."""
    role = role_of(request.user)
    if role not in WORKER_ROLES:
        raise PermissionDenied
    choices = posyandu_for(request.user).order_by("name")
    wanted = request.GET.get("posyandu")
    chosen = choices.filter(uuid=wanted).first() if wanted else choices.first()
    if chosen is None:
        raise Http404
    return chosen


@login_required
def shell(request: HttpRequest) -> HttpResponse:
    """The app shell: one page, the screens are drawn by the script from IndexedDB."""
    posyandu = _posyandu(request)
    context = {
        "labels": {key: str(value) for key, value in LABELS.items()},
        "boot": {
            "posyandu": str(posyandu.uuid),
            "posyandu_name": posyandu.name,
            "user": request.user.get_username(),
            "csrf": get_token(request),
        },
    }
    response = render(request, "offline/shell.html", context)
    response["Cache-Control"] = "no-cache"
    return response


def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest (public: browsers fetch it without the session)."""
    body = {
        "name": _("Posyandu ILP"),
        "short_name": _("Posyandu"),
        "start_url": "/luring/",
        "scope": "/luring/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b6e4f",
        "icons": [
            {"src": static(f"offline/icon-{s}.png"), "sizes": f"{s}x{s}", "type": "image/png"}
            for s in (192, 512)
        ],
    }
    return HttpResponse(json.dumps(body), content_type="application/manifest+json")


@cache
def _version() -> str:
    digest = hashlib.sha256()
    for name in ASSETS:
        digest.update((STATIC_DIR / name).read_bytes())
    digest.update((STATIC_DIR.parents[1] / "templates" / "offline" / "sw.js").read_bytes())
    return digest.hexdigest()[:12]


def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, scoped to /luring/, with a cache name versioned by the assets."""
    context = {
        "version": _version(),
        "assets": json.dumps([static(f"offline/{name}") for name in ASSETS]),
        "manifest": "/luring/manifest.webmanifest",
    }
    response = render(request, "offline/sw.js", context, content_type="text/javascript")
    response["Service-Worker-Allowed"] = "/luring/"
    response["Cache-Control"] = "no-cache"
    return response
