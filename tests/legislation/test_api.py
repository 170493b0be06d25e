"""The legislation REST API and its place in the OpenAPI schema."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safeharbor.accounts.models import Notification
from safeharbor.legislation import services
from safeharbor.legislation.models import Bill

from .conftest import fixture_data

API = "/api/v1/legislation"


def test_bill_list_and_detail_in_the_ocd_shape(staff_client, oregon):
    client, _user = staff_client("coordinator")
    response = client.post(
        f"{API}/bills/import/", {"data": fixture_data()}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["created"] == 2

    listing = client.get(f"{API}/bills/").json()
    assert listing["count"] == 2
    by_id = {row["identifier"]: row for row in listing["results"]}
    assert by_id["SB 901"]["status"] == "passed-one-chamber"
    assert by_id["SB 901"]["latest_action"]["description"] == "Third reading. Carried."

    detail = client.get(f"{API}/bills/{by_id['SB 901']['id']}/").json()
    assert detail["actions"][0]["classifications"] == ["introduction", "reading-1"]
    assert [v["note"] for v in detail["versions"]] == ["Introduced", "A-Engrossed"]
    assert detail["documents"][0]["note"] == "Staff measure summary"
    assert detail["sponsorships"][0] == {
        "name": "Avery Example",
        "entity_type": "person",
        "classification": "primary",
        "primary": True,
    }
    assert detail["citations"][0]["citation"] == "ORS 167.017"
    assert detail["related_bills"][0]["identifier"] == "HB 3902"


def test_adding_an_action_by_api_updates_status_and_notifies(staff_client, make_staff, bill):
    client, _user = staff_client("coordinator")
    watcher = make_staff("coordinator")
    services.bill_watch(actor=watcher, bill=bill)
    response = client.post(
        f"{API}/bills/{bill.pk}/actions/",
        {
            "date": "2031-06-01",
            "description": "Governor signed.",
            "classifications": ["executive-signature"],
            "chamber": "executive",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "signed"
    assert Notification.objects.filter(user=watcher).count() == 1

    response = client.put(
        f"{API}/bills/{bill.pk}/position/",
        {"stance": "support", "priority": "high", "rationale": "Why."},
        content_type="application/json",
    )
    assert response.json()["position"]["stance"] == "support"
    assert client.post(f"{API}/bills/{bill.pk}/watch/").status_code == 204
    assert bill.watches.count() == 2


def test_malformed_import_by_api_names_the_field(staff_client, oregon):
    client, _user = staff_client("coordinator")
    data = fixture_data()
    data["results"][0]["actions"][0]["date"] = "soon"
    response = client.post(f"{API}/bills/import/", {"data": data}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["field"] == "bills[0].actions[0].date"
    assert not Bill.objects.exists()


@pytest.mark.parametrize("role", ["caseworker", "analyst"])
def test_roles_without_legislation_are_refused(staff_client, bill, role):
    client, _user = staff_client(role)
    assert client.get(f"{API}/bills/").status_code == 403
    response = client.post(
        f"{API}/bills/{bill.pk}/actions/",
        {"date": "2031-06-01", "description": "x"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not bill.actions.exists()


def test_bill_list_query_count_does_not_grow_with_bills(staff_client, session_2031):
    client, _user = staff_client("coordinator")

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"{API}/bills/").status_code == 200
        return len(ctx)

    for n in range(2):
        bill = services.bill_save(
            actor="system", session=session_2031, identifier=f"SB {n}", title="t"
        )
        services.bill_action_add(
            actor="system",
            bill=bill,
            date="2031",
            description="x",
            classifications=["introduction"],
        )
    few = queries()
    for n in range(2, 8):
        bill = services.bill_save(
            actor="system", session=session_2031, identifier=f"SB {n}", title="t"
        )
        services.bill_action_add(
            actor="system",
            bill=bill,
            date="2031",
            description="x",
            classifications=["introduction"],
        )
    assert queries() == few


def test_schema_documents_the_legislation_api(staff_client):
    client, _user = staff_client("coordinator")
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    for path in (
        "/api/v1/legislation/bills/",
        "/api/v1/legislation/bills/{id}/actions/",
        "/api/v1/legislation/bills/import/",
        "/api/v1/legislation/statutes/",
        "/api/v1/legislation/priorities/",
        "/api/v1/legislation/agenda-items/",
    ):
        assert path in schema
    assert "executive-signature" in schema


def test_agenda_items_link_bills_to_directory_events(staff_client, bill):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from safeharbor.directory.services import event_create

    client, user = staff_client("coordinator")
    event = event_create(
        actor=user,
        title="Hearing on a synthetic bill",
        starts_at=datetime(2031, 2, 3, 13, 0, tzinfo=ZoneInfo("America/Los_Angeles")),
        kind="hearing",
        is_public=True,
    )
    payload = {"event": event.pk, "bill": bill.pk, "description_en": "Public hearing"}
    response = client.post(f"{API}/agenda-items/", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["order"] == 0
    again = client.post(f"{API}/agenda-items/", payload, content_type="application/json")
    assert again.status_code == 400
    page = client.get(f"/staff/legislation/bills/{bill.pk}/").content.decode()
    assert "Hearing on a synthetic bill" in page and "Public hearing" in page
    item_id = response.json()["id"]
    assert client.delete(f"{API}/agenda-items/{item_id}/").status_code == 204
    assert not bill.agenda_items.exists()
