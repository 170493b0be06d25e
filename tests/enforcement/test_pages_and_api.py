"""The unit's pages and API as staff use them."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from safeharbor.audit.models import AuditEvent
from safeharbor.enforcement import services
from safeharbor.enforcement.models import Contact, Operation
from tests import factories

pytestmark = pytest.mark.django_db


def _operation(membership, name="Synthetic hotel operation"):
    return services.operation_create(
        membership=membership,
        name=name,
        kind="hotel_motel",
        started_on=datetime.date(2026, 2, 10),
        general_area="Airport hotels",
        lead=membership.user,
    )


def test_officer_records_an_operation_and_a_victim_contact(staff_client, police):
    client, user = staff_client("officer", agency=police)
    response = client.post(
        "/staff/enforcement/operations/new/",
        {
            "name": "Synthetic outreach night",
            "kind": "outreach",
            "started_on": "2026-02-11",
            "general_area": "Old Town",
            "status": "planned",
            "lead": user.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    operation = Operation.objects.get(name="Synthetic outreach night")
    page = client.get(f"/staff/enforcement/operations/{operation.pk}/")
    assert b"Old Town" in page.content
    assert AuditEvent.objects.filter(
        action="view", object_type="enforcement.operation", object_id=str(operation.pk)
    ).exists()

    url = f"/staff/enforcement/operations/{operation.pk}/contacts/new/"
    form = client.get(url)
    assert b"Synthetic Options Program" in form.content
    refused = client.post(url, {"role": "victim", "contacted_at": "2026-02-11T22:30"})
    assert refused.status_code == 200
    assert b"Confirm that information about Synthetic Options Program was given" in (
        refused.content
    )
    assert not Contact.objects.exists()
    saved = client.post(
        url,
        {
            "role": "victim",
            "contacted_at": "2026-02-11T22:30",
            "program_info_given": "on",
            "referral_decision": "declined",
        },
    )
    assert saved.status_code == 302
    page = client.get(f"/staff/enforcement/operations/{operation.pk}/")
    assert b"Yes \xe2\x80\x94 Synthetic Options Program" in page.content
    assert b"(100%)" in page.content


def test_other_agency_and_other_roles_cannot_open_the_unit(staff_client, detective):
    operation = _operation(detective)
    stranger, _user = staff_client("detective")
    assert stranger.get(f"/staff/enforcement/operations/{operation.pk}/").status_code == 404
    assert b"Synthetic hotel operation" not in stranger.get("/staff/enforcement/").content
    caseworker, _user = staff_client("caseworker", agency=detective.agency)
    assert caseworker.get("/staff/enforcement/").status_code == 403


def test_subject_arrest_and_charge_pages(staff_client, police):
    client, user = staff_client("detective", agency=police)
    response = client.post(
        "/staff/enforcement/subjects/new/",
        {"kind": "exploiter", "given_name": "Quillonsynthetic", "aliases": "q-handle"},
    )
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert b"Quillonsynthetic" in page.content
    listing = client.get("/staff/enforcement/subjects/")
    assert b"Quillonsynthetic" not in listing.content  # lists show references only
    assert b"SUB-" in listing.content
    arrest = client.post(
        response["Location"],
        {"arrested_at": "2026-02-12T01:00", "arresting_officer": user.pk},
    )
    assert arrest.status_code == 302
    from safeharbor.enforcement.models import Arrest

    arrest_obj = Arrest.objects.get()
    charged = client.post(
        f"/staff/enforcement/arrests/{arrest_obj.pk}/charges/new/",
        {"citation": "ORS 167.017", "charged_on": "2026-02-12"},
    )
    assert charged.status_code == 302
    assert b"ORS 167.017" in client.get(response["Location"]).content


def test_api_lists_only_visible_operations_and_hides_identity(staff_client, detective, police):
    _operation(detective)
    subject = services.subject_create(
        membership=detective, kind="buyer", given_name="Wystansynthetic"
    )
    services.contact_record(
        membership=detective,
        operation=Operation.objects.get(),
        role="victim",
        contacted_at=timezone.now(),
        program_info_given=True,
        referral_decision="made",
    )
    client, _user = staff_client("detective", agency=police)
    data = client.get("/api/v1/enforcement/operations/").json()
    rows = data["results"] if isinstance(data, dict) else data
    assert [r["name"] for r in rows] == ["Synthetic hotel operation"]
    figures = client.get("/api/v1/enforcement/operations/figures/").json()
    assert figures["victims_contacted"] == 1 and figures["information_given_percent"] == 100
    detail = client.get(f"/api/v1/enforcement/subjects/{subject.pk}/").json()
    assert detail["given_name"] == "Wystansynthetic"

    other, _user = staff_client("detective")
    data = other.get("/api/v1/enforcement/operations/").json()
    rows = data["results"] if isinstance(data, dict) else data
    assert rows == []
    assert other.get(f"/api/v1/enforcement/subjects/{subject.pk}/").status_code == 404


def test_api_refuses_uninformed_victim_contact(staff_client, police):
    client, user = staff_client("detective", agency=police)
    created = client.post(
        "/api/v1/enforcement/operations/",
        {
            "name": "API op",
            "kind": "online",
            "started_on": "2026-02-01",
            "general_area": "Online ads",
            "lead": user.pk,
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    response = client.post(
        "/api/v1/enforcement/contacts/",
        {
            "operation": created.json()["id"],
            "role": "victim",
            "contacted_at": "2026-02-01T20:00:00Z",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "program_info_given" in response.json()
    stranger = factories.membership(factories.UserFactory(), factories.AgencyFactory(), "officer")
    assert not Operation.objects.visible_to(stranger).exists()


def test_lists_do_not_grow_queries_with_rows(staff_client, detective, police):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client, _user = staff_client("detective", agency=police)

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    _operation(detective, name="First")
    few = (count("/staff/enforcement/"), count("/api/v1/enforcement/operations/"))
    for n in range(5):
        _operation(detective, name=f"More {n}")
    many = (count("/staff/enforcement/"), count("/api/v1/enforcement/operations/"))
    assert many == few
