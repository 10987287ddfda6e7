"""Factory of referrals."""

from __future__ import annotations

import factory
from django.utils import timezone

from posyandu.referrals.models import Referral
from tests.factories import PersonFactory


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral

    person = factory.SubFactory(PersonFactory)
    from_facility = factory.LazyAttribute(lambda o: o.person.posyandu)
    to_facility = factory.LazyAttribute(lambda o: o.person.posyandu.parent)
    reasons = factory.LazyFunction(lambda: ["hfa.severely_stunted"])
    issued_on = factory.LazyFunction(timezone.localdate)
