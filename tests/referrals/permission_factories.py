"""Harness factories for referrals (synthetic)."""

from __future__ import annotations

from django.utils import timezone

from safeharbor.core.testing.harness import register_factory
from safeharbor.referrals.models import Referral, ReferralEvent
from safeharbor.survivors.derive import new_reference
from safeharbor.survivors.models import Person
from tests import factories


def make_referral(*, agency, assigned_to=None):
    person = Person.objects.create(agency=agency, reference=new_reference(), given_name="Synth")
    return Referral.objects.create(
        agency=agency,
        created_by=assigned_to,
        person=person,
        person_reference=person.reference,
        to_agency=factories.AgencyFactory(),
        reason="synthetic",
        legal_basis="synthetic basis",
        categories=["case"],
        sent_at=timezone.now(),
    )


def make_event(*, agency, assigned_to=None):
    return ReferralEvent.objects.create(
        referral=make_referral(agency=agency, assigned_to=assigned_to),
        to_state="pending",
        at=timezone.now(),
    )


register_factory(Referral, make_referral)
register_factory(ReferralEvent, make_event)
