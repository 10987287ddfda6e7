"""Reads of the sync: the phone's snapshot of one posyandu, and the bidan's review list.

The snapshot is bounded (docs/adr/0008): one posyandu, persons not merged away, measurements
of the last 24 months, service days from 7 days ago to 30 days ahead. Its query count does not
grow with the number of persons (prefetches, one `assess_many` over everyone, and the
home-visit worklist of `posyandu.outreach`, whose own query count is constant too).

The persons sent are read and assessed as the worklist reads and assesses them
(`outreach.selectors.with_current_facts`, `assessments_of`: every current fact, not only
the 24 months of history sent), and the worklist takes those assessments: each person is
read and assessed once per download, and her assessment is the one the web pages show.
"""

from __future__ import annotations

import base64
import datetime as dt
import uuid as uuid_lib
from collections.abc import Mapping
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from posyandu.accounts.scope import AnyUser, is_nakes, posyandu_for
from posyandu.core.assess import Assessment
from posyandu.core.dates import add_months
from posyandu.outreach.labels import visit_reason_look
from posyandu.outreach.selectors import (
    WorklistRow,
    assessments_of,
    home_visit_worklist,
    with_current_facts,
)
from posyandu.regions.models import Facility
from posyandu.registry.models import Household, Person
from posyandu.sync.models import SyncReview
from posyandu.visits.models import ServiceDay, Visit
from posyandu.web.labels import reason_look, vaccine_label

HISTORY_MONTHS = 24
DAYS_BEFORE, DAYS_AHEAD = 7, 30
# The cursor is the server's time before the reads, less this margin: a transaction that
# stamped its rows just before and committed just after the reads is not skipped (the phone
# may get a row twice; it stores rows by uuid).
CURSOR_MARGIN = dt.timedelta(minutes=2)


class BadCursor(ValueError):  # noqa: N818 - reads as the answer it gives
    """The `since` cursor is not one this server gave."""


def cursor_encode(moment: dt.datetime) -> str:
    """Return the opaque cursor of a server time."""
    return base64.urlsafe_b64encode(f"v1:{moment.isoformat()}".encode()).decode().rstrip("=")


def cursor_decode(cursor: str) -> dt.datetime:
    """Return the server time of a cursor; BadCursor when it is not one."""
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        version, moment = text.split(":", 1)
        parsed = dt.datetime.fromisoformat(moment)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadCursor(cursor) from exc
    if version != "v1" or parsed.tzinfo is None:
        raise BadCursor(cursor)
    return parsed


def new_cursor() -> str:
    """Return the cursor to hand out with reads that start now."""
    return cursor_encode(timezone.now() - CURSOR_MARGIN)


def posyandu_get(*, user: AnyUser, uuid: uuid_lib.UUID) -> Facility:
    """Return the posyandu `uuid` in the user's scope; Facility.DoesNotExist otherwise."""
    return posyandu_for(user).get(uuid=uuid)


def _assessment_json(a: Assessment | None) -> dict[str, Any] | None:
    if a is None:
        return None
    return {
        "as_of": a.as_of.isoformat(),
        "stages": list(a.stages),
        "findings": [{"code": c, "label": str(reason_look(c).label)} for c in a.findings],
        "immunisations_due": [
            {"vaccine": d.vaccine, "label": vaccine_label(d.vaccine), "status": d.status}
            for d in a.immunizations_due
        ],
        "services": [{"code": s.code, "label": s.label} for s in a.services_due],
        "refer": a.refer,
    }


def _num(value: Any) -> float | None:
    return None if value is None else float(value)


def snapshot(
    *, user: AnyUser, posyandu: Facility, since: str | None = None, worklist: bool = True
) -> dict[str, Any]:
    """Return the phone's snapshot of `posyandu` (all of it, or what changed after `since`).

    The home-visit worklist comes whole with a full snapshot, and with an incremental one
    unless `worklist` is false: it reads every person's facts, so the phone asks for it only
    when it sent facts or its copy is old (sync.js).
    """
    cursor = new_cursor()  # taken before any read, so nothing committed meanwhile is skipped
    after = cursor_decode(since) if since else None
    today = timezone.localdate()
    oldest = add_months(today, -HISTORY_MONTHS)

    households = Household.objects.filter(posyandu=posyandu)
    persons = Person.objects.filter(posyandu=posyandu, merged_into__isnull=True)
    days = ServiceDay.objects.filter(
        posyandu=posyandu,
        date__gte=today - dt.timedelta(DAYS_BEFORE),
        date__lte=today + dt.timedelta(DAYS_AHEAD),
    )
    removed = Person.objects.filter(posyandu=posyandu, merged_into__isnull=False)
    if after is not None:
        households = households.filter(updated_at__gt=after)
        changed = (
            Q(updated_at__gt=after)
            | Q(measurements__created_at__gt=after)
            | Q(immunizations__created_at__gt=after)
            | Q(pregnancies__updated_at__gt=after)
        )
        persons = persons.filter(
            pk__in=Person.objects.filter(changed, posyandu=posyandu).values("pk")
        )
        days = days.filter(Q(updated_at__gt=after) | Q(visits__created_at__gt=after)).distinct()
        removed = removed.filter(updated_at__gt=after)
    # Read and assessed as the worklist reads and assesses them (every current fact), once:
    # the worklist takes these assessments instead of making them again.
    rows = list(
        with_current_facts(
            persons.select_related("posyandu__region", "household", "mother"), today
        ).order_by("name", "pk")
    )
    assessments = assessments_of(rows, today)
    day_list = list(days.order_by("date"))
    visits = Visit.objects.filter(service_day__in=[d.pk for d in day_list])
    if after is not None:
        visits = visits.filter(created_at__gt=after)
    answer = {
        "posyandu": {"uuid": str(posyandu.uuid), "name": posyandu.name},
        "cursor": cursor,
        "full": after is None,
        "households": [
            {
                "uuid": str(h.uuid),
                "head_name": h.head_name,
                "address": h.address,
                "dusun": h.dusun,
                "no_kk": h.no_kk,
            }
            for h in households.order_by("head_name", "pk")
        ],
        "persons": [_person_json(p, a, oldest) for p, a in zip(rows, assessments, strict=True)],
        "service_days": [
            {"uuid": str(d.uuid), "date": d.date.isoformat(), "status": d.status} for d in day_list
        ],
        "visits": [
            {
                "uuid": str(v["uuid"]),
                "service_day": str(v["service_day__uuid"]),
                "person": str(v["person__uuid"]),
            }
            for v in visits.values("uuid", "service_day__uuid", "person__uuid").order_by("pk")
        ],
        "removed": [str(u) for u in removed.values_list("uuid", flat=True)],
    }
    if worklist or after is None:
        # Always whole: it depends on the date and on facts the `since` filter does not
        # follow (home visits, the latest service day).
        assessed = {p.pk: a for p, a in zip(rows, assessments, strict=True)}
        answer["worklist"] = _worklist_json(user, posyandu, today, assessed)
    return answer


def _worklist_json(
    user: AnyUser,
    posyandu: Facility,
    today: dt.date,
    assessed: Mapping[int, Assessment | None],
) -> dict[str, Any]:
    """Return the posyandu's home-visit worklist as the `/kunjungan-rumah/` page lists it
    (with the assessments of the persons the snapshot already assessed)."""
    rows = home_visit_worklist(user=user, as_of=today, posyandu=posyandu, assessed=assessed)
    return {"as_of": today.isoformat(), "items": [_worklist_item(row) for row in rows]}


def _worklist_item(row: WorklistRow) -> dict[str, Any]:
    looks = [(code, visit_reason_look(code)) for code in row.reasons]
    due = row.assessment.immunizations_due if row.assessment is not None else ()
    return {
        "person": str(row.person.uuid),
        "reasons": [
            {"code": code, "label": str(look.label), "icon": look.icon, "tone": look.tone}
            for code, look in looks
        ],
        "last_home_visit": row.last_home_visit.isoformat() if row.last_home_visit else None,
        "overdue": [
            {
                "vaccine": d.vaccine,
                "label": vaccine_label(d.vaccine),
                "due_date": d.due_date.isoformat(),
            }
            for d in due
            if d.status == "overdue"
        ],
    }


def _person_json(p: Person, a: Assessment | None, oldest: dt.date) -> dict[str, Any]:
    measurements = [m for m in p.current_measurements if m.date >= oldest]  # type: ignore[attr-defined]
    return {
        "uuid": str(p.uuid),
        "household": str(p.household.uuid) if p.household else None,
        "mother": str(p.mother.uuid) if p.mother else None,
        "name": p.name,
        "sex": p.sex,
        "birth_date": p.birth_date.isoformat(),
        "nik": p.nik,
        "phone": p.phone,
        "has_buku_kia": p.has_buku_kia,
        "updated_at": p.updated_at.isoformat(),
        "history": {
            "measurements": [
                {
                    "date": m.date.isoformat(),
                    "weight_kg": _num(m.weight_kg),
                    "lenhei_cm": _num(m.lenhei_cm),
                    "measure": m.measure,
                    "muac_cm": _num(m.muac_cm),
                    "headc_cm": _num(m.headc_cm),
                }
                for m in measurements
            ],
            "immunisations": [
                {"vaccine": d.vaccine, "date": d.date.isoformat()}
                for d in p.current_immunizations  # type: ignore[attr-defined]
            ],
        },
        "assessment": _assessment_json(a),
    }


# --- the bidan's review -----------------------------------------------------------------------


def reviews_open(*, user: AnyUser) -> QuerySet[SyncReview]:
    """Return the open review items of the user's posyandu (nakes only; none for others)."""
    if not is_nakes(user):
        return SyncReview.objects.none()
    return (
        SyncReview.objects.filter(posyandu__in=posyandu_for(user), resolved_at__isnull=True)
        .select_related("person", "posyandu", "user")
        .prefetch_related("candidates")
        .order_by("created_at", "pk")
    )


def review_get(*, user: AnyUser, uuid: uuid_lib.UUID) -> SyncReview:
    """Return the review item `uuid` in the user's scope; SyncReview.DoesNotExist otherwise."""
    if not is_nakes(user):
        raise SyncReview.DoesNotExist
    return (
        SyncReview.objects.filter(posyandu__in=posyandu_for(user))
        .select_related("person", "posyandu", "user", "resolved_by")
        .prefetch_related("candidates")
        .get(uuid=uuid)
    )
