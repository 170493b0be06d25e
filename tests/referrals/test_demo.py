"""The Portland demo: an officer's operation with a victim contact referred to New Options
for Women, accepted at LifeWorks NW, and child welfare's referrals to JOIN's housing pilot."""

from __future__ import annotations

import pytest

from safeharbor.accounts import demo as accounts_demo
from safeharbor.accounts.models import Membership
from safeharbor.core.permissions import can, visible_categories
from safeharbor.enforcement import demo as enforcement_demo
from safeharbor.enforcement.models import Contact, Operation
from safeharbor.referrals import demo
from safeharbor.referrals.models import Referral
from safeharbor.survivors import demo as survivors_demo
from safeharbor.survivors.services import consent_revoke

pytestmark = pytest.mark.django_db


def test_demo_story_and_idempotence():
    accounts_demo.load()
    survivors_demo.load()
    enforcement_demo.load()
    demo.load()
    victims = Contact.objects.filter(role="victim", operation__agency__slug="portland-police")
    assert victims.exists()
    assert all(c.program_informed.slug == "new-options-for-women" for c in victims)
    police = Referral.objects.get(
        agency__slug="portland-police", to_program__slug="new-options-for-women", state="accepted"
    )
    assert police.enforcement_contacts.exists()
    assert Referral.objects.filter(
        agency__slug="oregon-dhs", to_program__slug="survivor-housing-pilot", state="accepted"
    ).exists()
    assert Referral.objects.filter(state="pending").exists()

    advocate = Membership.objects.get(user__email="caseworker@demo.safeharbor.example")
    assert visible_categories(advocate, police.person) == {"identity", "case"}
    detective = Membership.objects.get(user__email="detective@demo.safeharbor.example")
    consent_revoke(membership=detective, consent=police.consent)
    assert not can(advocate, "view", police.person)
    assert can(advocate, "view", police.receiving_person)

    counts = (Operation.objects.count(), Referral.objects.count())
    enforcement_demo.load()
    demo.load()
    assert (Operation.objects.count(), Referral.objects.count()) == counts
