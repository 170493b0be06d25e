"""The auditor's page (filter, export CSV) and the supervisors' break-glass review page."""

from __future__ import annotations

import csv
import io

import pytest

from safeharbor.audit.models import AuditEvent
from safeharbor.audit.services import audit_record
from safeharbor.core import permissions as perms
from safeharbor.core.testing.models import Specimen
from tests import factories

pytestmark = pytest.mark.django_db


def test_auditor_filters_events_by_action_object_and_actor(staff_client):
    client, auditor = staff_client("auditor")
    audit_record(action="export", object_type="survivors.person", object_id=77, agency_id=9)
    audit_record(action="view", object_type="survivors.person", object_id=78, agency_id=9)
    response = client.get("/staff/audit/", {"action": "export", "object_id": "77"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "survivors.person:77" in body
    assert "survivors.person:78" not in body
    response = client.get("/staff/audit/", {"actor_id": auditor.pk, "action": "login"})
    assert "accounts.user:%d" % auditor.pk in response.content.decode()
    # Searching the trail is itself recorded.
    assert AuditEvent.objects.filter(reason="audit_search", actor_id=auditor.pk).exists()


def test_auditor_exports_the_filtered_events_as_csv(staff_client):
    client, auditor = staff_client("auditor")
    audit_record(action="delete", object_type="=HYPERLINK(evil)", object_id=5, agency_id=3)
    audit_record(action="view", object_type="survivors.person", object_id=6, agency_id=3)
    response = client.get("/staff/audit/export.csv", {"action": "delete"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [r["action"] for r in rows] == ["delete"]
    assert rows[0]["object_type"] == "'=HYPERLINK(evil)"
    assert len(rows[0]["hash"]) == 64
    export = AuditEvent.objects.get(reason="audit_export")
    assert export.actor_id == auditor.pk and export.object_id == "1"


def test_invalid_dates_are_explained(staff_client):
    client, _ = staff_client("auditor")
    response = client.get("/staff/audit/", {"since": "2026-05-02", "until": "2026-05-01"})
    assert "must not be before" in response.content.decode()


@pytest.mark.parametrize("role", ["caseworker", "supervisor", "admin", "analyst"])
def test_other_roles_cannot_read_the_audit_trail(staff_client, role):
    client, _ = staff_client(role)
    assert client.get("/staff/audit/").status_code == 403
    assert client.get("/staff/audit/export.csv").status_code == 403


def test_supervisor_reviews_emergency_access(staff_client):
    agency = factories.AgencyFactory()
    client, supervisor = staff_client("supervisor", agency=agency)
    caseworker = factories.membership(factories.UserFactory(), agency, "caseworker")
    caseworker.role.permissions = [*caseworker.role.permissions, "core_testing.*"]
    caseworker.role.save()
    record = Specimen.objects.create(agency=agency, name="Synthetic Person")
    access = perms.break_glass_open(
        membership=caseworker, obj=record, reason="Survivor at the front desk in crisis"
    )
    page = client.get("/staff/audit/break-glass/")
    assert page.status_code == 200
    assert "Survivor at the front desk in crisis" in page.content.decode()
    response = client.post(
        f"/staff/audit/break-glass/{access.pk}/review/",
        {f"bg{access.pk}-outcome": "not_justified", f"bg{access.pk}-note": "Not urgent"},
    )
    assert response.status_code == 302
    access.refresh_from_db()
    assert access.review_outcome == "not_justified" and access.reviewed_by == supervisor
    page = client.get("/staff/audit/break-glass/")
    assert "Nothing is waiting for review." in page.content.decode()


def test_caseworker_cannot_review(staff_client):
    client, _ = staff_client("caseworker")
    assert client.get("/staff/audit/break-glass/").status_code == 403


def test_supervisor_home_shows_emergency_access_waiting(staff_client):
    agency = factories.AgencyFactory()
    client, _ = staff_client("supervisor", agency=agency)
    assert "No emergency access is waiting" in client.get("/staff/").content.decode()
    caseworker = factories.membership(factories.UserFactory(), agency, "caseworker")
    caseworker.role.permissions = [*caseworker.role.permissions, "core_testing.*"]
    caseworker.role.save()
    record = Specimen.objects.create(agency=agency, name="Synthetic Person")
    perms.break_glass_open(membership=caseworker, obj=record, reason="Crisis at the front desk")
    body = client.get("/staff/").content.decode()
    assert "1 emergency access is waiting for your review." in body
    caseworker_client, _ = staff_client("caseworker", agency=agency)
    assert "Emergency access" not in caseworker_client.get("/staff/").content.decode()
