"""Every persona tries every page: only the allowed ones answer (issue "The service day").

Objects live at Posyandu Melati (kader_sari's; under bidan_rina's Pustu, the Puskesmas of
puskesmas_admin, dinkes_analyst's kabupaten). desa_official and outsider must never reach a
Melati person's data. Every named URL of the apps must appear here, so no page is added
without its access being decided.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from posyandu.kaders.models import Kader
from posyandu.outreach.models import ClassSession
from posyandu.pokjanal.models import Decision
from posyandu.referrals.models import Referral
from posyandu.sync.models import SyncReview
from posyandu.visits.models import ServiceDay, Visit
from tests.factories import PersonFactory

PERSONAS = (
    "kader_sari",
    "bidan_rina",
    "puskesmas_admin",
    "dinkes_analyst",
    "desa_official",
    "outsider",
)
NAKES = {"bidan_rina", "puskesmas_admin"}
NAKES_AND_KADER = NAKES | {"kader_sari"}
PERSONAL = NAKES_AND_KADER | {"dinkes_analyst"}
EVERYONE = set(PERSONAS)
APPS = (
    "registry",
    "visits",
    "referrals",
    "outreach",
    "kaders",
    "pws",
    "reports",
    "offline",
    "pokjanal",
    "sync",
)

# POST-only steps and HTMX fragments are exercised by their apps' own tests; listed here so
# the coverage check below knows they were decided on.
NOT_GET_PAGES = {
    "referrals:receive",
    "referrals:handle",
    "referrals:feedback",
    "referrals:close",
    "visits:check_in",
    "visits:measure_check",
    "kaders:certify",
    "visits:refer",
    # The offline app's manifest and service worker are public (no data): tests/integration/offline.
    "offline:manifest",
    "offline:service_worker",
}


class World:
    """One of each object at Posyandu Melati."""

    def __init__(self, jejaring) -> None:
        today = timezone.localdate()
        self.person = PersonFactory(
            posyandu=jejaring.melati, name="Rahasia Melati", birth_date=today - dt.timedelta(400)
        )
        self.day = ServiceDay.objects.create(posyandu=jejaring.melati, date=today)
        self.visit = Visit.objects.create(
            person=self.person,
            service_day=self.day,
            posyandu=jejaring.melati,
            date=today,
            registered_at=timezone.now(),
        )
        self.referral = Referral.objects.create(
            person=self.person,
            from_facility=jejaring.melati,
            to_facility=jejaring.pustu,
            reasons=["wfa.severely_underweight"],
            issued_on=today,
        )
        self.kader = Kader.objects.create(posyandu=jejaring.melati, name="Kader Melati")
        self.session = ClassSession.objects.create(
            kind="ibu_balita",
            posyandu=jejaring.melati,
            date=today,
            topic="MP-ASI",
            facilitator="Bidan Rina",
        )

    def visit_args(self) -> list[object]:
        return [self.day.uuid, self.visit.uuid]


# URL name → (how to build its arguments, who gets 200). Everyone else gets 403 or 404.
Route = tuple[Callable[[World], list[object]], set[str]]
NONE: Callable[[World], list[object]] = lambda w: []  # noqa: E731
ROUTES: dict[str, Route] = {
    "registry:search": (NONE, PERSONAL | {"outsider"}),
    "registry:new": (NONE, PERSONAL | {"outsider"}),
    "registry:card": (lambda w: [w.person.uuid], PERSONAL),
    "registry:edit": (lambda w: [w.person.uuid], PERSONAL),
    # Merging records and registering kader are the nakes' work (not the kader's, not dinkes').
    "registry:merge": (lambda w: [w.person.uuid], NAKES),
    # The list of days holds dates and counts, no names: the desa official may see it.
    "visits:day_list": (NONE, PERSONAL | {"outsider", "desa_official"}),
    "visits:day": (lambda w: [w.day.uuid], PERSONAL),
    "visits:close": (lambda w: [w.day.uuid], PERSONAL),
    "visits:visit": (World.visit_args, PERSONAL),
    # The dinkes reads a visit's steps but cannot write them (their POSTs are refused).
    "visits:measure": (World.visit_args, PERSONAL),
    "visits:record": (World.visit_args, PERSONAL),
    "visits:services": (World.visit_args, PERSONAL),
    "visits:counsel": (World.visit_args, PERSONAL),
    "referrals:list": (NONE, PERSONAL | {"outsider"}),
    "referrals:issue": (lambda w: [w.person.uuid], NAKES_AND_KADER),
    "referrals:detail": (lambda w: [w.referral.uuid], PERSONAL),
    "outreach:worklist": (NONE, NAKES_AND_KADER | {"outsider"}),
    "outreach:record": (lambda w: [w.person.uuid], NAKES_AND_KADER),
    "outreach:classes": (NONE, NAKES_AND_KADER | {"outsider"}),
    "outreach:class_detail": (lambda w: [w.session.uuid], NAKES_AND_KADER),
    "kaders:list": (NONE, PERSONAL | {"outsider"}),
    "kaders:register": (NONE, NAKES),
    "kaders:gaps": (NONE, PERSONAL | {"outsider"}),
    "kaders:detail": (lambda w: [w.kader.uuid], PERSONAL),
    # The village dashboard: every persona sees the numbers of her own area.
    "pws:dashboard": (NONE, EVERYONE),
    "pws:summary_csv": (NONE, EVERYONE),
    "pws:trend_csv": (NONE, EVERYONE),
    "pws:league_csv": (NONE, EVERYONE),
    "pws:indicator": (lambda w: ["d_s"], EVERYONE),
    "pws:indicator_csv": (lambda w: ["d_s"], EVERYONE),
    # The offline app shell: kader and nakes of a posyandu (the data comes from the sync API).
    "offline:shell": (NONE, NAKES_AND_KADER | {"outsider"}),
    # Monthly reports: the recap of Melati for everyone whose area holds it (the desa official
    # gets it without the register of names); the Puskesmas recap only for whom its area holds
    # every posyandu of the Puskesmas.
    "reports:chooser": (NONE, EVERYONE),
    "reports:posyandu_xlsx": (lambda w: [w.person.posyandu.uuid], PERSONAL | {"desa_official"}),
    "reports:posyandu_pdf": (lambda w: [w.person.posyandu.uuid], PERSONAL | {"desa_official"}),
    "reports:puskesmas_xlsx": (
        lambda w: [w.person.posyandu.parent.parent.uuid],
        {"puskesmas_admin", "dinkes_analyst"},
    ),
    "reports:puskesmas_pdf": (
        lambda w: [w.person.posyandu.parent.parent.uuid],
        {"puskesmas_admin", "dinkes_analyst"},
    ),
    # SPM target-population estimates: the dinkes and Puskesmas staff, for their own area.
    "pws:estimates": (NONE, {"puskesmas_admin", "dinkes_analyst"}),
    # Pokjanal page: the coordinating roles of the area; Puskesmas and dinkes staff set a
    # posyandu's ILP stage and strata figures; dinkes and desa (and the Pokjanal) record decisions.
    "pokjanal:overview": (NONE, {"puskesmas_admin", "dinkes_analyst", "desa_official"}),
    "pokjanal:rollout": (lambda w: [w.person.posyandu.uuid], {"puskesmas_admin", "dinkes_analyst"}),
    "pokjanal:strata": (lambda w: [w.person.posyandu.uuid], {"puskesmas_admin", "dinkes_analyst"}),
    "pokjanal:decision_new": (NONE, {"dinkes_analyst", "desa_official"}),
    "pokjanal:decision_edit": (
        lambda w: [
            Decision.objects.create(
                region=w.person.posyandu.region,
                meeting_date=w.day.date,
                text="Rapat Melati",
                sector="pkk",
                due_date=w.day.date,
            ).uuid
        ],
        {"dinkes_analyst", "desa_official"},
    ),
    # The bidan's review of what the offline app sent: nakes of the jejaring only.
    "sync:reviews": (NONE, NAKES),
    "sync:review": (
        lambda w: [
            SyncReview.objects.create(
                kind="duplicate",
                posyandu=w.person.posyandu,
                person=w.person,
                device=w.person.uuid,
                user=w.kader.posyandu.membership_set.get().user,
                event=w.person.uuid,
            ).uuid
        ],
        NAKES,
    ),
}
# The people behind a number, at Posyandu Melati: named roles of its jejaring only.
PERSON_LISTS = {"pws:persons_csv": PERSONAL}
# Pages that answer an allowed persona with a redirect (a visit opens its next step).
REDIRECTS = {"visits:visit": 302}


def _named_urls() -> set[str]:
    names: set[str] = set()
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace in APPS:
            names |= {
                f"{entry.namespace}:{p.name}"
                for p in entry.url_patterns
                if isinstance(p, URLPattern) and p.name
            }
    return names


def test_access_matrix_covers_every_page():
    assert _named_urls() - NOT_GET_PAGES == set(ROUTES) | set(PERSON_LISTS)


@pytest.mark.parametrize("name", sorted(PERSON_LISTS))
def test_access_matrix_person_lists_only_for_named_roles(client, jejaring, name):
    World(jejaring)
    url = f"{reverse(name, args=['d_s'])}?posyandu={jejaring.melati.uuid}"
    answers = {}
    for persona in PERSONAS:
        client.force_login(jejaring.user(persona))
        answers[persona] = client.get(url).status_code
    expected = {p: 200 if p in PERSON_LISTS[name] else 404 for p in PERSONAS}
    assert answers == expected


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_access_matrix_only_allowed_personas_answer(client, jejaring, name):
    world = World(jejaring)
    build, allowed = ROUTES[name]
    url = reverse(name, args=build(world))
    answers = {}
    for persona in PERSONAS:
        client.force_login(jejaring.user(persona))
        response = client.get(url)
        answers[persona] = response.status_code
        if persona not in allowed:
            assert "Rahasia Melati" not in response.content.decode(errors="ignore"), persona
    answer = REDIRECTS.get(name, 200)
    expected = {p: answer if p in allowed else "refused" for p in PERSONAS}
    got = {p: "refused" if s in (403, 404) else s for p, s in answers.items()}
    assert got == expected


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_access_matrix_anonymous_is_sent_to_login(client, jejaring, name):
    world = World(jejaring)
    build, _allowed = ROUTES[name]
    response = client.get(reverse(name, args=build(world)))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
