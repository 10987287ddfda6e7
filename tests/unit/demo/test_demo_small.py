"""The small demo kabupaten (`posyandu demo --scale small`): built once for this module.

What a user of `make run` would notice: the demo logins work where their labels say, the
kader's posyandu has people, the numbers look like an Indonesian village (stunting, D/S,
pregnancies), every NIK is valid, and starting again adds nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import time
import tomllib
from collections import Counter
from collections.abc import Iterator
from importlib import resources

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings

from posyandu.accounts.models import Membership
from posyandu.accounts.scope import posyandu_for
from posyandu.audit.models import AuditEvent
from posyandu.core.assess import AssessmentInput, MeasurementRecord, assess
from posyandu.core.assess import Person as CorePerson
from posyandu.core.dates import add_months, completed_months
from posyandu.core.nik import check_nik
from posyandu.core.rulebook import rule_in_force
from posyandu.demo.writer import AUDIT_ACTION
from posyandu.kaders.competencies import catalogue_in_force
from posyandu.kaders.models import CompetencyRecord, Kader
from posyandu.outreach.models import HomeVisit
from posyandu.pws.models import MonthlyRollup, RegionRollup
from posyandu.referrals.models import Referral
from posyandu.registry.models import Person, Pregnancy
from posyandu.visits.models import ImmunizationGiven, Measurement, ServiceDay, ServiceGiven, Visit

AS_OF = dt.date(2026, 11, 23)
FAST_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"
PERSONAS = {
    "kader_sari": ("kader", "Melati"),
    "bidan_rina": ("bidan", "Sukamaju"),
    "puskesmas_admin": ("puskesmas", "Sukamaju"),
    "dinkes_analyst": ("dinkes", "Sukamaju Raya"),
    "desa_official": ("desa", "Sukamaju"),
    "pokjanal": ("pokjanal", "Sukamaju Raya"),
}
TABLES = (Person, Visit, Measurement, ImmunizationGiven, ServiceGiven, Referral, Kader)


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[dict]:
    """Load the small demo once; roll it back after the module."""
    # The suite's fast hasher (tests/conftest.py) is function-scoped: ask for it here too.
    with (
        django_db_blocker.unblock(),  # type: ignore[attr-defined]
        override_settings(PASSWORD_HASHERS=[FAST_HASHER]),
        transaction.atomic(),
    ):
        out = io.StringIO()
        started = time.perf_counter()
        call_command("demo", scale="small", as_of=AS_OF.isoformat(), stdout=out)
        yield {"seconds": time.perf_counter() - started, "output": out.getvalue()}
        transaction.set_rollback(True)


pytestmark = pytest.mark.usefixtures("demo")


@pytest.fixture
def loaded(demo: dict, db: None) -> dict:
    return demo


def test_demo_small_loads_in_seconds_and_reports_rows(loaded):
    assert loaded["seconds"] < 30  # a few seconds on a quiet machine; generous for busy CI
    assert "registry.person" in loaded["output"]
    assert "kader_sari" in loaded["output"]
    assert 400 <= Person.objects.count() <= 700
    assert all(model.objects.exists() for model in TABLES)


@pytest.mark.parametrize("username", sorted(PERSONAS))
def test_demo_persona_logs_in_where_the_label_says(loaded, client, username):
    role, place = PERSONAS[username]
    assert client.login(username=username, password="posyandu-demo")
    membership = Membership.objects.select_related("facility", "region").get(
        user__username=username
    )
    assert membership.role == role
    assert (membership.facility or membership.region).name == place


def test_demo_kader_sari_sees_her_posyandu_with_people(loaded):
    sari = Membership.objects.get(user__username="kader_sari").user
    posyandu = posyandu_for(sari).get()
    assert (posyandu.name, posyandu.parent.name, posyandu.parent.parent.kind) == (
        "Melati",
        "Sukamaju",
        "puskesmas",
    )
    assert Person.objects.filter(posyandu=posyandu).count() >= 100
    assert Kader.objects.filter(posyandu=posyandu, user=sari).exists()


def test_demo_every_nik_is_valid_for_its_holder(loaded):
    rules = rule_in_force("nik", AS_OF)
    people = Person.objects.exclude(nik=None)
    assert people.count() > 300
    for person in people:
        check_nik(person.nik, birth_date=person.birth_date, sex=person.sex, rules=rules)
    infants = Person.objects.filter(birth_date__gt=AS_OF - dt.timedelta(days=365))
    assert infants.filter(nik=None).count() > infants.count() / 3  # many babies have none yet


def _record(m: Measurement) -> MeasurementRecord:
    def number(value: object) -> float | None:
        return None if value is None else float(value)  # type: ignore[arg-type]

    lenhei = number(m.lenhei_cm)
    return MeasurementRecord(
        date=m.date,
        weight_kg=number(m.weight_kg),
        length_cm=lenhei if m.measure == "l" else None,
        height_cm=lenhei if m.measure == "h" else None,
        measure=m.measure or None,
        headc_cm=number(m.headc_cm),
        muac_cm=number(m.muac_cm),
    )


def test_demo_stunting_share_is_plausible_by_the_core(loaded):
    children = Person.objects.filter(birth_date__gt=add_months(AS_OF, -60))
    stunted = measured = 0
    for child in children.prefetch_related("measurements"):
        records = tuple(_record(m) for m in sorted(child.measurements.all(), key=lambda m: m.date))
        person = CorePerson(sex=child.sex, birth_date=child.birth_date)
        growth = assess(AssessmentInput(as_of=AS_OF, person=person, measurements=records)).growth
        if "hfa" in growth:
            measured += 1
            stunted += growth["hfa"].class_code in ("stunted", "severely_stunted")
    assert measured >= 30
    assert 0.05 <= stunted / measured <= 0.45


def _weighed_share(first: dt.date) -> tuple[int, int]:
    """Return (D, S) of a month: under-fives weighed in it, and under-fives then."""
    last = add_months(first, 1) - dt.timedelta(days=1)
    under_five = [
        p.pk
        for p in Person.objects.filter(birth_date__lte=last)
        if completed_months(p.birth_date, last) < 60
    ]
    weighed = Measurement.objects.filter(
        person__in=under_five, date__range=(first, last), weight_kg__isnull=False
    )
    return len(set(weighed.values_list("person", flat=True))), len(under_five)


def test_demo_most_under_fives_are_weighed_each_month(loaded):
    months = [add_months(AS_OF.replace(day=1), -back) for back in (1, 2, 3)]
    counts = [_weighed_share(first) for first in months]
    weighed, targets = sum(d for d, _ in counts), sum(s for _, s in counts)
    assert targets > 100
    assert 0.6 <= weighed / targets <= 0.9  # D/S over the last three complete months


def test_demo_pregnant_women_and_newborns_linked(loaded):
    pregnant = Pregnancy.objects.filter(delivery_date=None, registered_on__lte=AS_OF).count()
    assert 0.01 <= pregnant / Person.objects.count() <= 0.035
    born = Pregnancy.objects.filter(outcome="live_birth").select_related("person")
    assert born.exists()
    for pregnancy in born:
        assert Person.objects.filter(
            mother=pregnancy.person, birth_date=pregnancy.delivery_date
        ).exists()


def test_demo_melati_is_open_today_with_visitors_between_steps(loaded):
    day = ServiceDay.objects.get(posyandu__name="Melati", date=AS_OF)
    assert day.status == ServiceDay.Status.OPEN
    visits = Visit.objects.filter(service_day=day)
    assert visits.exists()
    assert visits.filter(counselled_at=None).exists() or visits.count() < 3
    past = ServiceDay.objects.filter(date__lt=AS_OF.replace(day=1))
    assert set(past.values_list("status", flat=True)) <= {"confirmed", "validated"}


def test_demo_referrals_wait_or_have_answers(loaded):
    statuses = Counter(Referral.objects.values_list("status", flat=True))
    assert len(statuses) >= 2
    answered = Referral.objects.exclude(feedback="")
    assert all(r.feedback_by_id and r.feedback_at for r in answered)


def test_demo_codes_are_the_rule_data_codes(loaded):
    packages = rule_in_force("service_packages", AS_OF).data["service"]
    assert set(ServiceGiven.objects.values_list("code", flat=True)) <= {s["code"] for s in packages}
    doses = rule_in_force("immunisation_schedule", AS_OF).data["doses"]
    given = set(ImmunizationGiven.objects.values_list("vaccine", flat=True))
    assert given <= {d["vaccine"] for d in doses}
    catalogue = {c.code for c in catalogue_in_force(AS_OF).competencies}
    trained = set(CompetencyRecord.objects.values_list("competency", flat=True))
    assert trained
    assert trained <= catalogue


def test_demo_home_visit_reasons_and_topics_are_known_codes(loaded):
    worklist = pytest.importorskip("posyandu.outreach.worklist")
    reasons = {code for row in HomeVisit.objects.values_list("reasons", flat=True) for code in row}
    assert {"absent", "newborn"} <= reasons
    assert reasons <= worklist.RECORDABLE
    catalogue = resources.files("posyandu.visits").joinpath("counselling_topics.toml")
    if not catalogue.is_file():
        pytest.skip("no counselling topic catalogue")
    known = {
        t["code"]
        for v in tomllib.loads(catalogue.read_text("utf-8"))["version"]
        for t in v["topic"]
    }
    used = {
        code for row in Visit.objects.values_list("counselling_topics", flat=True) for code in row
    }
    assert used
    assert used <= known


def test_demo_fills_the_pws_rollups_of_every_month(loaded):
    months = set(
        MonthlyRollup.objects.filter(posyandu__name="Melati").values_list("month", flat=True)
    )
    assert len(months) == 6  # the small scale's window
    assert max(months) == AS_OF.replace(day=1)


def _planner_statistics(table: str) -> int:
    """Rows of the planner's statistics about `table` (PostgreSQL pg_stats, SQLite stat1)."""
    if connection.vendor == "postgresql":
        sql = "SELECT COUNT(*) FROM pg_stats WHERE tablename = %s"
    else:
        sql = "SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, [table])
        return cursor.fetchone()[0]


def test_demo_leaves_the_planner_statistics_of_what_it_wrote(loaded):
    # Without them, PostgreSQL planned a posyandu's facts as a scan of every visit (ANALYZE).
    for model in (*TABLES, MonthlyRollup, RegionRollup):
        assert _planner_statistics(model._meta.db_table) > 0, model._meta.db_table


def test_demo_audits_each_table_once_with_its_count(loaded):
    events = AuditEvent.objects.filter(action=AUDIT_ACTION)
    by_table = {e.entity: e.changes["rows"] for e in events}
    assert by_table["registry.person"] == Person.objects.count()
    assert by_table["visits.measurement"] == Measurement.objects.count()
    assert events.count() == len(by_table)


def test_demo_leaves_room_for_new_records(loaded):
    # The loader sets primary keys itself; the database must still number new rows after them.
    melati = Person.objects.filter(posyandu__name="Melati").first()
    newborn = Person.objects.create(
        posyandu=melati.posyandu, name="Bayi Baru", sex="F", birth_date=AS_OF, mother=melati
    )
    assert newborn.pk > Person.objects.exclude(pk=newborn.pk).order_by("-pk").first().pk


def test_demo_second_run_adds_nothing(loaded):
    before = {model: model.objects.count() for model in TABLES}
    out = io.StringIO()
    call_command("demo", scale="small", as_of=AS_OF.isoformat(), stdout=out)
    assert "already loaded" in out.getvalue()
    assert "kader_sari" in out.getvalue()
    assert {model: model.objects.count() for model in TABLES} == before
