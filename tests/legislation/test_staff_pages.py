"""Staff pages: a coordinator records an action and sees the timeline, status, position and
watchers update; other roles are kept out."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from safeharbor.accounts.models import Notification
from safeharbor.legislation import services
from safeharbor.legislation.models import Bill

from .conftest import fixture_text


def test_coordinator_records_action_and_sees_timeline_position_and_watchers(
    staff_client, make_staff, bill
):
    client, coordinator = staff_client("coordinator")
    colleague = make_staff("editor")
    services.bill_watch(actor=colleague, bill=bill)
    url = f"/staff/legislation/bills/{bill.pk}/"

    page = client.get(url).content.decode()
    assert "No actions recorded yet." in page
    assert "1 person watches this bill" in page

    response = client.post(f"{url}watch/", {"watch": "on"})
    assert response.status_code == 302
    response = client.post(
        f"{url}actions/",
        {
            "date": "2031-03-09",
            "description": "Third reading. Carried.",
            "chamber": "upper",
            "classifications": ["reading-3", "passage"],
        },
    )
    assert response.status_code == 302
    response = client.post(
        f"{url}position/",
        {
            "stance": "support",
            "priority": "high",
            "rationale": "Protects minors.",
            "owner": coordinator.pk,
        },
    )
    assert response.status_code == 302

    page = client.get(url).content.decode()
    assert "Third reading. Carried." in page
    assert '<span class="usa-tag" id="bill-status">Passed one chamber</span>' in page
    assert '<dd id="position-stance">Support</dd>' in page
    assert "2 people watch this bill" in page
    assert "You watch this bill" in page
    assert Notification.objects.filter(user=colleague).count() == 1
    assert not Notification.objects.filter(user=coordinator).exists()

    listing = client.get("/staff/legislation/?stance=support").content.decode()
    assert "SB 77" in listing and "Passed one chamber" in listing


def test_bad_action_shows_the_error_and_records_nothing(staff_client, bill):
    client, _user = staff_client("coordinator")
    response = client.post(
        f"/staff/legislation/bills/{bill.pk}/actions/",
        {"date": "March 9", "description": "Third reading."},
    )
    assert response.status_code == 400
    assert "Enter a date as YYYY-MM-DD" in response.content.decode()
    assert not bill.actions.exists()


@pytest.mark.parametrize("role", ["caseworker", "officer", "analyst"])
def test_other_roles_cannot_open_legislation(staff_client, bill, role):
    client, _user = staff_client(role)
    assert client.get("/staff/legislation/").status_code == 403
    assert (
        client.post(
            f"/staff/legislation/bills/{bill.pk}/actions/",
            {"date": "2031-01-01", "description": "x"},
        ).status_code
        == 403
    )
    assert not bill.actions.exists()


def test_import_page_reports_changes_and_refusals(staff_client, oregon):
    client, _user = staff_client("coordinator")
    upload = SimpleUploadedFile("bills.json", fixture_text().encode(), "application/json")
    page = client.post("/staff/legislation/bills/import/", {"file": upload}).content.decode()
    assert "2 added, 0 changed, 0 unchanged." in page

    upload = SimpleUploadedFile("bills.json", fixture_text().encode(), "application/json")
    page = client.post("/staff/legislation/bills/import/", {"file": upload}).content.decode()
    assert "0 added, 0 changed, 2 unchanged." in page

    broken = fixture_text().replace('"identifier": "HB 3902"', '"identifier": 3902', 1)
    upload = SimpleUploadedFile("bills.json", broken.encode(), "application/json")
    response = client.post("/staff/legislation/bills/import/", {"file": upload})
    assert response.status_code == 400
    page = response.content.decode()
    assert '<code id="refused-field">bills[0].related_bills[0].identifier</code>' in page
    assert "Nothing was imported" in page
    assert Bill.objects.count() == 2


def test_priority_statute_and_bill_forms(staff_client, oregon, session_2031, bill):
    client, _user = staff_client("coordinator")
    response = client.post(
        "/staff/legislation/statutes/add/",
        {
            "jurisdiction": oregon.pk,
            "citation": "ORS 163.325",
            "title_en": "Mistake as a defense",
            "summary_en": "When a defendant may claim a mistake about age.",
        },
    )
    assert response.status_code == 302
    response = client.post(
        "/staff/legislation/priorities/add/",
        {
            "title_en": "Protect minors",
            "objective_en": "Support laws that protect minors.",
            "issue_en": "The law does not yet do enough.",
            "session": session_2031.pk,
            "bills": [bill.pk],
            "is_public": "on",
            "order": 0,
        },
    )
    assert response.status_code == 302
    detail = response["Location"]
    statute = oregon.statutes.get()
    response = client.post(
        detail + "proposals/add/",
        {
            "text_en": "No mistake-of-age defense.",
            "statutes": [statute.pk],
            "bills": [bill.pk],
            "order": 0,
        },
    )
    assert response.status_code == 302
    page = client.get(detail).content.decode()
    assert "No mistake-of-age defense." in page and "ORS 163.325" in page
    response = client.post(
        "/staff/legislation/bills/add/",
        {
            "session": session_2031.pk,
            "identifier": "hb 12",
            "title": "Relating to a test.",
            "classification": "bill",
            "subjects_text": "Children, Crimes",
        },
    )
    assert response.status_code == 302
    assert Bill.objects.get(identifier="HB 12").subjects == ["Children", "Crimes"]
    assert "HB 12" in client.get("/staff/legislation/").content.decode()


def test_bill_list_page_query_count_does_not_grow(staff_client, session_2031):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client, user = staff_client("coordinator")

    def add(n: int) -> None:
        bill = services.bill_save(
            actor="system", session=session_2031, identifier=f"HB {n}", title="t"
        )
        services.bill_action_add(
            actor="system", bill=bill, date="2031", description="x", classifications=[]
        )
        services.bill_position_set(
            actor="system", bill=bill, stance="monitor", priority="low", owner=user
        )
        services.bill_watch(actor=user, bill=bill)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/staff/legislation/").status_code == 200
        return len(ctx)

    add(1)
    few = queries()
    for n in range(2, 7):
        add(n)
    assert queries() == few


def test_watched_bills_appear_on_the_staff_home(staff_client, bill):
    client, user = staff_client("coordinator")
    assert "Bills you watch" not in client.get("/staff/").content.decode()
    services.bill_watch(actor=user, bill=bill)
    page = client.get("/staff/").content.decode()
    assert "Bills you watch" in page
    assert f'href="/staff/legislation/bills/{bill.pk}/">SB 77</a>' in page


def test_a_watcher_sees_the_new_action_in_their_notifications(staff_client, bill):
    watcher, watcher_user = staff_client("editor")
    services.bill_watch(actor=watcher_user, bill=bill)
    coordinator, _user = staff_client("coordinator")
    coordinator.post(
        f"/staff/legislation/bills/{bill.pk}/actions/",
        {"date": "2031-04-02", "description": "Signed by the Governor.", "chamber": "executive"},
    )
    page = watcher.get("/staff/notifications/").content.decode()
    assert "SB 77" in page and "Signed by the Governor." in page
    assert f'href="/staff/legislation/bills/{bill.pk}/"' in page
