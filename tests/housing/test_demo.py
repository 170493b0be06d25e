"""Done when: the demo shows the pilot with six women housed, their payments in the ledger
and the outcome page; a JOIN caseworker sees only the placements JOIN works on."""

from __future__ import annotations

import pytest
from django.test import Client

from safeharbor.accounts import demo as accounts_demo
from safeharbor.accounts.models import Membership
from safeharbor.funds import demo as funds_demo
from safeharbor.funds.models import JournalEntry
from safeharbor.housing import demo
from safeharbor.housing.models import AssistancePayment, HousingProgram, Placement
from safeharbor.survivors import demo as survivors_demo
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


def _client(email):
    membership = Membership.objects.select_related("user").get(user__email=email)
    membership.user.set_password("correct-horse-battery-9")
    membership.user.save(update_fields=["password"])
    client = Client()
    sign_in(client, membership.user)
    return client, membership


def test_the_pilot_houses_six_women_pays_through_the_ledger_and_scopes_partners():
    accounts_demo.load()
    survivors_demo.load()
    funds_demo.load()
    demo.load()
    demo.load()  # idempotent
    pilot = HousingProgram.objects.get(program__slug="survivor-housing-pilot")
    assert {a.slug for a in pilot.partners.all()} == {"join", "lifeworks-nw", "city-of-portland"}
    placements = Placement.objects.filter(program=pilot)
    assert placements.count() == 6
    assert all(p.is_housed and p.lease_months >= 12 for p in placements)
    # Every woman's rent help reached the ledger as program expenditure of the pilot.
    for placement in placements:
        paid = placement.assistance_payments.filter(status="paid")
        assert paid.exists()
        for payment in paid:
            entry = JournalEntry.objects.get(
                source_type="housing.assistancepayment", source_id=str(payment.pk)
            )
            assert entry.lines.filter(
                account__role="program_expenditure",
                allocation__program__slug="survivor-housing-pilot",
            ).exists()
    assert AssistancePayment.objects.filter(status="scheduled").exists()

    join_client, join_worker = _client("join-caseworker@demo.safeharbor.example")
    join_ids = set(placements.filter(partner_agency__slug="join").values_list("pk", flat=True))
    assert len(join_ids) == 4
    assert set(Placement.objects.visible_to(join_worker).values_list("pk", flat=True)) == join_ids
    listing = join_client.get("/staff/housing/").content.decode()
    for placement in placements:
        link = f"/staff/housing/placements/{placement.pk}/"
        assert (link in listing) == (placement.pk in join_ids)

    # The outcome page: LifeWorks' supervisor sees all six exactly, with charts.
    client, _ = _client("supervisor@demo.safeharbor.example")
    page = client.get(f"/staff/housing/programs/{pilot.pk}/").content.decode()
    assert "<svg" in page
    assert '<th scope="row">People who moved in</th><td>6</td>' in page
    assert '<th scope="row">Housed at the end of the period</th><td>6</td>' in page
