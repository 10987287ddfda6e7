"""factory_boy factories for the models; tests build what they need, no shared fixtures files."""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth.models import User

from posyandu.accounts.models import Membership
from posyandu.regions.models import Facility, Region
from posyandu.registry.models import Household, Person


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "52.01.01.2001"
    name = factory.Sequence(lambda n: f"Desa {n}")
    level = Region.Level.DESA


class FacilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Facility

    kind = Facility.Kind.POSYANDU
    name = factory.Sequence(lambda n: f"Posyandu {n}")
    region = factory.SubFactory(RegionFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("posyandu-test")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = "kader"


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    posyandu = factory.SubFactory(FacilityFactory)
    head_name = factory.Sequence(lambda n: f"Keluarga {n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    posyandu = factory.SubFactory(FacilityFactory)
    name = factory.Sequence(lambda n: f"Warga {n}")
    sex = "F"
    birth_date = dt.date(2025, 3, 2)
