"""A week of offline work from three phones: all accepted, replays change nothing, and any
arrival order converges to the same state (issue "Offline-first for the kader")."""

from __future__ import annotations

from django.apps import apps
from django.db.models import Count

from posyandu.audit.models import AuditEvent
from posyandu.registry.models import Household, Person
from posyandu.sync.models import RecordAlias, SyncReceipt, SyncReview
from posyandu.visits.models import ImmunizationGiven, Measurement, ServiceGiven, Visit
from tests.integration.sync.workload import (
    build_workload,
    canonical_dump,
    ingest_in_order,
    ingest_shuffled,
)


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in ("registry", "visits", "sync", "audit")
    }


def test_week_of_offline_work_converges(jejaring):
    work = build_workload(jejaring.melati, "melati")
    assert work.count() >= 2000

    results = ingest_in_order(work)
    assert len(results) == work.count()
    bad = [r for r in results if r["status"] != "accepted"]
    assert bad == []
    assert RecordAlias.objects.count() > 0  # the double check-ins collapsed
    assert not SyncReview.objects.exists()
    first = canonical_dump(jejaring.melati, work.labels)
    assert len(first["persons"]) == 170
    # Written in bulk per batch, still one audit event per change and a receipt per event.
    audited = dict(AuditEvent.objects.values_list("action").annotate(n=Count("id")))
    assert audited == {
        "household.create": Household.objects.count(),
        "person.create": Person.objects.count(),
        "person.update": 10,
        "service_day.open": 7,
        "visit.register": Visit.objects.count(),
        "sync.alias": RecordAlias.objects.count(),
        "measurement.record": Measurement.objects.count(),
        "service.record": ServiceGiven.objects.count(),
        "immunization.record": ImmunizationGiven.objects.count(),
        "visit.counsel": Visit.objects.exclude(counselling_topics=[]).count(),
    }
    assert SyncReceipt.objects.count() == work.count()

    counts = _row_counts()
    replay = ingest_in_order(work)
    assert {r["status"] for r in replay} == {"duplicate"}
    assert [r["record"] for r in replay] == [r["record"] for r in results]
    assert _row_counts() == counts

    # The same week at another posyandu, arriving in a random order.
    shuffled = build_workload(jejaring.mawar, "mawar")
    rounds = ingest_shuffled(shuffled)
    assert rounds > 1  # some events had to wait for what they name
    assert canonical_dump(jejaring.mawar, shuffled.labels) == first
