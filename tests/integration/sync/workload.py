"""A week of offline work at one posyandu from three phones, as sync events (stress and bench).

Every uuid is uuid5(namespace, label), so the same week can be generated for another posyandu
with another namespace and the final states compared label by label (`canonical_dump`).
"""

from __future__ import annotations

import datetime as dt
import random
import uuid as uuid_lib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from posyandu.accounts.models import Membership
from posyandu.regions.models import Facility
from posyandu.registry.models import Household, Person
from posyandu.sync.services import events_ingest
from posyandu.visits.models import ImmunizationGiven, Measurement, ServiceDay, ServiceGiven, Visit

VACCINES = ("bcg", "opv1", "opv2", "opv3", "opv4", "dpt_hb_hib1", "dpt_hb_hib2", "ipv1", "mr1")
TOPICS = ("growth_monitoring", "complementary_feeding", "immunization", "child_development")
DAYS = 7


@dataclass
class Workload:
    posyandu: Facility
    users: dict[uuid_lib.UUID, User]  # device → the kader using it
    events: dict[uuid_lib.UUID, list[dict[str, Any]]]  # device → its events in seq order
    labels: dict[str, str] = field(default_factory=dict)  # uuid → label
    # The phones sync between phases (registrations; each day; the edits): device → events.
    phases: list[dict[uuid_lib.UUID, list[dict[str, Any]]]] = field(default_factory=list)

    def count(self) -> int:
        return sum(len(evs) for evs in self.events.values())


def setup_site(posyandu: Facility, tag: str) -> tuple[list[User], list[ServiceDay]]:
    """Two kader of `posyandu` and its service days of the last week (today included)."""
    users = []
    for i in range(2):
        user = User.objects.create_user(username=f"kader_{tag}_{i}", password="x")
        Membership.objects.create(user=user, role="kader", facility=posyandu)
        users.append(user)
    today = timezone.localdate()
    days = [
        ServiceDay.objects.create(posyandu=posyandu, date=today - dt.timedelta(DAYS - 1 - i))
        for i in range(DAYS)
    ]
    return users, days


def build_workload(
    posyandu: Facility, tag: str, *, persons: int = 170, per_day: int = 62, seed: int = 7
) -> Workload:
    """Registrations, check-ins, measurements, doses, services, counselling and a few edits."""
    users, days = setup_site(posyandu, tag)
    namespace = uuid_lib.uuid5(uuid_lib.NAMESPACE_URL, f"posyandu-sync-{tag}")
    rng = random.Random(seed)
    devices = [uuid_lib.uuid5(namespace, f"device{i}") for i in range(3)]
    owner = {devices[0]: users[0], devices[1]: users[0], devices[2]: users[1]}
    events: dict[uuid_lib.UUID, list[dict[str, Any]]] = {d: [] for d in devices}
    phases: list[dict[uuid_lib.UUID, list[dict[str, Any]]]] = [{}]
    labels: dict[str, str] = {}
    today = timezone.localdate()

    def uid(label: str) -> str:
        value = str(uuid_lib.uuid5(namespace, label))
        labels[value] = label
        return value

    def emit(device: uuid_lib.UUID, kind: str, label: str, record: str, data: dict) -> None:
        seq = len(events[device]) + 1
        event = {
            "id": uid(f"event:{label}"),
            "type": kind,
            "record": record,
            "seq": seq,
            "at": timezone.now().isoformat(),
            "data": data,
        }
        events[device].append(event)
        phases[-1].setdefault(device, []).append(event)

    posyandu_uuid = str(posyandu.uuid)
    households = [uid(f"household{i}") for i in range(21)]
    for i, household in enumerate(households):
        emit(
            devices[i % 3],
            "household.create",
            f"hh{i}",
            household,
            {
                "posyandu": posyandu_uuid,
                "head_name": f"Kepala {i}",
                "address": f"RT {i}",
                "dusun": "Dusun A",
                "no_kk": "",
            },
        )
    people = []
    for i in range(persons):
        person = uid(f"person{i}")
        born = today - dt.timedelta(days=400 + rng.randrange(900))
        device = devices[i % 3]
        emit(
            device,
            "person.register",
            f"reg{i}",
            person,
            {
                "posyandu": posyandu_uuid,
                "household": households[i % 21],
                "mother": None,
                "name": f"Anak {i}",
                "sex": "MF"[i % 2],
                "birth_date": born.isoformat(),
                "nik": None,
                "phone": "",
                "has_buku_kia": True,
            },
        )
        people.append((person, device, born))
    given: dict[str, set[str]] = {}
    for d, day in enumerate(days):
        phases.append({})
        for j in rng.sample(range(persons), per_day):
            person, _, born = people[j]
            device = devices[(j + d) % 3]
            visit = uid(f"visit{d}:{j}")
            emit(
                device,
                "visit.register",
                f"v{d}:{j}",
                visit,
                {"service_day": str(day.uuid), "person": person},
            )
            emit(
                device,
                "measurement.record",
                f"m{d}:{j}",
                uid(f"measure{d}:{j}"),
                {
                    "visit": visit,
                    "values": {
                        "weight_kg": f"{8 + rng.random() * 7:.2f}",
                        "lenhei_cm": f"{75 + rng.random() * 25:.1f}",
                        "measure": "h",
                    },
                },
            )
            emit(
                device,
                "service.record",
                f"s{d}:{j}",
                uid(f"service{d}:{j}"),
                {"visit": visit, "code": "plot_growth_chart", "quantity": None, "note": ""},
            )
            emit(
                device,
                "counselling.record",
                f"c{d}:{j}",
                visit,
                {"visit": visit, "topics": [TOPICS[(j + d) % 4]]},
            )
            left = [v for v in VACCINES if v not in given.setdefault(person, set())]
            if left and (j + d) % 4 == 0:
                given[person].add(left[0])
                emit(
                    device,
                    "immunization.record",
                    f"i{d}:{j}",
                    uid(f"dose{d}:{j}"),
                    {"visit": visit, "vaccine": left[0], "batch": f"B{d}"},
                )
            if j % 9 == 0:
                # A second phone checks her in too (it did not know) and weighs her again.
                other = devices[(j + d + 1) % 3]
                twin = uid(f"visit{d}:{j}:twin")
                emit(
                    other,
                    "visit.register",
                    f"v{d}:{j}:twin",
                    twin,
                    {"service_day": str(day.uuid), "person": person},
                )
                emit(
                    other,
                    "measurement.record",
                    f"m{d}:{j}:twin",
                    uid(f"measure{d}:{j}:twin"),
                    {"visit": twin, "values": {"muac_cm": f"{12 + rng.random() * 4:.1f}"}},
                )
    phases.append({})
    for i in range(0, persons, 17):  # a few demographic edits, each from the registering phone
        person, device, _ = people[i]
        emit(
            device,
            "person.update",
            f"upd{i}",
            person,
            {"base": {"phone": ""}, "changes": {"phone": f"0812{i:07d}"}},
        )
    return Workload(posyandu, owner, events, labels, phases)


# What receives a batch: `events_ingest`, or the bench's timed stand-in for the API.
Send = Callable[..., list[dict[str, Any]]]


def ingest_in_order(
    work: Workload, batch: int = 250, send: Send = events_ingest
) -> list[dict[str, Any]]:
    """Send each phone's events phase by phase, in batches; return every result."""
    results = []
    for phase in work.phases:
        for device, events in phase.items():
            for start in range(0, len(events), batch):
                results += send(
                    user=work.users[device], device=device, events=events[start : start + batch]
                )
    return results


def ingest_shuffled(
    work: Workload, seed: int = 11, batch: int = 250, send: Send = events_ingest
) -> int:
    """Send the events in a random order, resending the `waiting` ones until none is left;
    return how many rounds it took (each result must end accepted or conflict)."""
    pending = [(device, event) for device, evs in work.events.items() for event in evs]
    random.Random(seed).shuffle(pending)
    rounds = 0
    while pending:
        rounds += 1
        assert rounds < 50, "waiting events never resolved"
        again = []
        for start in range(0, len(pending), batch):
            chunk = pending[start : start + batch]
            for device in {d for d, _ in chunk}:
                mine = [e for d, e in chunk if d == device]
                for event, result in zip(
                    mine,
                    send(user=work.users[device], device=device, events=mine),
                    strict=True,
                ):
                    assert result["status"] in ("accepted", "waiting"), result
                    if result["status"] == "waiting":
                        again.append((device, event))
        pending = again
    return rounds


def canonical_dump(posyandu: Facility, labels: dict[str, str]) -> dict[str, Any]:
    """Return the posyandu's persons, visits and facts by label (not uuid, not row id)."""

    def name(value: object) -> str:
        return labels.get(str(value), str(value))

    persons = sorted(
        (
            name(p.uuid),
            p.name,
            p.sex,
            p.birth_date.isoformat(),
            p.nik,
            p.phone,
            name(p.household.uuid) if p.household else None,
        )
        for p in Person.objects.filter(posyandu=posyandu).select_related("household")
    )
    visits = sorted(
        (
            name(v.person.uuid),
            v.date.isoformat(),
            tuple(v.counselling_topics),
            v.measured_at is not None,
            v.served_at is not None,
        )
        for v in Visit.objects.filter(posyandu=posyandu).select_related("person")
    )
    measurements = sorted(
        (
            name(m.uuid),
            name(m.person.uuid),
            m.date.isoformat(),
            str(m.weight_kg),
            str(m.lenhei_cm),
            str(m.muac_cm),
            m.measure,
        )
        for m in Measurement.objects.filter(person__posyandu=posyandu).select_related("person")
    )
    doses = sorted(
        (name(d.uuid), name(d.person.uuid), d.vaccine, d.date.isoformat(), d.batch)
        for d in ImmunizationGiven.objects.filter(person__posyandu=posyandu).select_related(
            "person"
        )
    )
    services = sorted(
        (name(s.uuid), name(s.person.uuid), s.code, s.date.isoformat())
        for s in ServiceGiven.objects.filter(person__posyandu=posyandu).select_related("person")
    )
    households = sorted(
        (name(h.uuid), h.head_name) for h in Household.objects.filter(posyandu=posyandu)
    )
    return {
        "households": households,
        "persons": persons,
        "visits": visits,
        "measurements": measurements,
        "doses": doses,
        "services": services,
    }
