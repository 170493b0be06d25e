"""The seized-property API: the same services and rules as the pages, in the schema."""

from __future__ import annotations

import pytest

from safeharbor.assets.models import SeizedAsset
from safeharbor.enforcement.choices import ContactRole, ReferralDecision
from safeharbor.enforcement.models import Contact
from tests import factories

from .conftest import at, days_ago, seize_car

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(staff_client, police, policy):
    def make(role):
        client, user = staff_client(role, agency=police)
        return client, user.memberships.get()

    return make


def test_seize_advance_and_dispose_through_the_api(api, exploiter, investigation, fund):
    detective_client, _detective = api("detective")
    body = {
        "kind": "vehicle",
        "description": "Synthetic coupe",
        "subject": exploiter.pk,
        "investigation": investigation.pk,
        "seized_at": at(100).isoformat(),
        "vin": "1SYNTH00000000099",
        "estimated_value": "7000.00",
        "custodian": "Evidence unit",
        "location": "Impound lot",
        "lienholders": [{"name": "Synthetic Credit Union", "amount_owed": "500.00"}],
    }
    created = detective_client.post("/api/v1/assets/assets/", body, content_type="application/json")
    assert created.status_code == 201, created.content
    asset = created.json()
    assert asset["state"] == "seized" and asset["custodian"] == "Evidence unit"
    assert asset["liens"] == [
        {"id": asset["liens"][0]["id"], "name": "Synthetic Credit Union", "amount_owed": "500.00"}
    ]
    keeper_client, _keeper = api("property_officer")
    url = f"/api/v1/assets/assets/{asset['id']}/"
    illegal = keeper_client.post(
        f"{url}forfeiture/",
        {"to_state": "disposed", "occurred_on": days_ago(1).isoformat()},
        content_type="application/json",
    )
    assert illegal.status_code == 400
    assert (
        "Allowed next steps: Notice sent, claim window open, Returned to owner"
        in illegal.content.decode()
    )
    for step in (
        {
            "to_state": "notice_sent",
            "occurred_on": days_ago(95).isoformat(),
            "notice_recipients": "Owner; Synthetic Credit Union",
            "notice_method": "certified_mail",
        },
        {"to_state": "no_claim", "occurred_on": days_ago(50).isoformat()},
        {
            "to_state": "forfeited",
            "occurred_on": days_ago(45).isoformat(),
            "court_case_number": "CV-API-1",
        },
    ):
        response = keeper_client.post(f"{url}forfeiture/", step, content_type="application/json")
        assert response.status_code == 201, response.content
    sold = keeper_client.post(
        f"{url}disposition/",
        {
            "method": "sold",
            "disposed_on": days_ago(10).isoformat(),
            "gross_proceeds": "6000.00",
            "lien_paid": "500.00",
            "towing_costs": "100.00",
        },
        content_type="application/json",
    )
    assert sold.status_code == 201, sold.content
    assert sold.json()["net_proceeds"] == "5400.00" and sold.json()["fund_entry"]
    report = keeper_client.get(
        f"/api/v1/assets/assets/reports/judgments/?start={days_ago(365)}&end={days_ago(0)}"
    ).json()
    assert report["net"] == "5400.00"
    assert report["by_share"] == [
        {"share": "Victim services", "amount": "4050.00"},
        {"share": "Police", "amount": "1350.00"},
    ]
    chain = keeper_client.get(f"{url}custody/").json()
    assert [e["to_custodian"] for e in chain] == ["Evidence unit"]
    detail = keeper_client.get(url).json()
    assert detail["state"] == "disposed" and detail["disposition"]["method"] == "sold"


def test_the_api_refuses_a_victims_property_and_others_see_nothing(
    api, staff_client, exploiter, operation, police, detective, investigation
):
    client, _ = api("detective")
    victim = Contact.objects.create(
        operation=operation,
        role=ContactRole.VICTIM,
        contacted_at=at(150),
        program_informed=police.designated_program,
        program_info_given=True,
        referral_decision=ReferralDecision.MADE,
    )
    refused = client.post(
        "/api/v1/assets/assets/",
        {
            "kind": "phone",
            "description": "Phone",
            "subject": exploiter.pk,
            "operation": operation.pk,
            "contact": victim.pk,
            "seized_at": at(100).isoformat(),
        },
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert "contacted as a victim is never recorded as seized" in refused.content.decode()
    assert not SeizedAsset.objects.exists()
    car = seize_car(detective, exploiter, investigation)
    other, _ = staff_client("property_officer", agency=factories.AgencyFactory())
    assert other.get(f"/api/v1/assets/assets/{car.pk}/").status_code == 404
    assert other.get("/api/v1/assets/assets/").json()["results"] == []


def test_the_schema_lists_the_endpoints(client):
    schema = client.get("/api/schema/?format=json").json()
    paths = schema["paths"]
    assert "/api/v1/assets/assets/{id}/forfeiture/" in paths
    assert "/api/v1/assets/assets/reports/judgments/" in paths
