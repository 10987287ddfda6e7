"""Factories of the kader registry."""

from __future__ import annotations

import factory
from django.utils import timezone

from posyandu.kaders.models import CompetencyRecord, Kader
from tests.factories import FacilityFactory


class KaderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Kader

    posyandu = factory.SubFactory(FacilityFactory)
    name = factory.Sequence(lambda n: f"Kader {n}")


class CompetencyRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompetencyRecord

    kader = factory.SubFactory(KaderFactory)
    competency = "bayi_balita.pertumbuhan"
    kind = CompetencyRecord.Kind.ASSESSED
    date = factory.LazyFunction(timezone.localdate)
    passed = True
