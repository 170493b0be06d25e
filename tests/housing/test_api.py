"""The housing REST API: placements through the engine, hidden categories left out, bad
input refused naming the field, rent help approved and paid through the ledger."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safeharbor.housing.models import Placement

from .conftest import make_person, place
from .test_pages import client_for

pytestmark = pytest.mark.django_db


def test_api_lists_only_visible_placements_and_hides_the_address_of_others_units(
    placement, worker, join_worker, pilot, lifeworks, unit
):
    other = place(worker, make_person(lifeworks, worker), pilot, lifeworks)
    partner = client_for(join_worker)
    rows = partner.get("/api/v1/housing/placements/").json()["results"]
    assert [r["id"] for r in rows] == [placement.pk]
    assert rows[0]["person_reference"] == placement.person.reference
    assert partner.get(f"/api/v1/housing/placements/{other.pk}/").status_code == 404
    owner = client_for(worker)
    units = owner.get("/api/v1/housing/units/").json()["results"]
    assert units[0]["address"].startswith("12 Confidential Court")


def test_api_create_refuses_a_short_lease_then_records_and_schedules(
    worker, person, pilot, join, unit
):
    client = client_for(worker)
    payload = {
        "person": person.pk,
        "program": pilot.pk,
        "partner_agency": join.pk,
        "unit": unit.pk,
        "referral_on": "2025-08-20",
        "start_on": "2025-09-01",
        "move_in_on": "2025-09-15",
        "lease_start_on": "2025-09-15",
        "lease_months": 11,
        "rent": "1000.00",
        "assistance_months": 3,
        "assistance_monthly": "700.00",
        "participant_share": "300.00",
    }
    refused = client.post("/api/v1/housing/placements/", payload, content_type="application/json")
    assert refused.status_code == 400
    assert "lease_months" in refused.json()
    payload["lease_months"] = 12
    created = client.post("/api/v1/housing/placements/", payload, content_type="application/json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    scheduled = client.post(f"/api/v1/housing/placements/{pk}/schedule/")
    assert scheduled.status_code == 201
    assert [m["month"] for m in scheduled.json()] == ["2025-09-01", "2025-10-01", "2025-11-01"]
    bad_exit = client.post(
        f"/api/v1/housing/placements/{pk}/exit/",
        {"exit_on": "2025-09-10", "destination": "410"},
        content_type="application/json",
    )
    assert bad_exit.status_code == 400 and "exit_on" in bad_exit.json()


def test_api_approve_and_pay(placement, worker, supervisor, join_supervisor, allocation):
    client_for(worker).post(f"/api/v1/housing/placements/{placement.pk}/schedule/")
    first = placement.assistance_payments.order_by("month").first()
    approved = client_for(supervisor).post(f"/api/v1/housing/payments/{first.pk}/approve/")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    paid = client_for(join_supervisor).post(
        f"/api/v1/housing/payments/{first.pk}/pay/",
        {"allocation": allocation.pk, "paid_on": "2025-09-20"},
        content_type="application/json",
    )
    assert paid.status_code == 200, paid.content
    assert paid.json()["status"] == "paid" and paid.json()["ledger_payment"]


def test_api_outcomes_and_schema(placement, pilot, supervisor, city):
    from tests import factories

    exact = client_for(supervisor).get(
        f"/api/v1/housing/programs/{pilot.pk}/outcomes/?start=2025-01-01&end=2026-01-01"
    )
    assert exact.json()["measures"][0]["value"] == "1"
    coordinator = factories.membership(factories.UserFactory(), city, "coordinator")
    suppressed = client_for(coordinator).get(
        f"/api/v1/housing/programs/{pilot.pk}/outcomes/?start=2025-01-01&end=2026-01-01"
    )
    assert suppressed.json()["suppressed"] is True
    assert suppressed.json()["measures"][0]["value"] == "fewer than 11"
    schema = client_for(supervisor).get("/api/schema/")
    assert b"/api/v1/housing/placements/{id}/exit/" in schema.content


def test_the_placement_list_page_does_not_grow_queries_with_placements(
    worker, pilot, lifeworks, join_worker
):
    client = client_for(worker)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/staff/housing/").status_code == 200
        return len(queries)

    place(worker, make_person(lifeworks, worker), pilot, lifeworks)
    count()  # warm-up: the first request of a session does a little more
    few = count()
    for _ in range(4):
        place(worker, make_person(lifeworks, worker), pilot, lifeworks)
    assert count() == few
    assert Placement.objects.count() == 5
