"""Editors manage events and the directory in the staff pages; others cannot."""

from __future__ import annotations

import pytest
from django.utils import translation

from safeharbor.audit.models import AuditEvent
from safeharbor.directory.models import Event, Organization, Service

pytestmark = pytest.mark.django_db


def test_editor_adds_a_public_event_in_two_languages(staff_client):
    client, editor = staff_client("editor")
    assert client.get("/staff/directory/").status_code == 200
    response = client.post(
        "/staff/directory/events/add/",
        {
            "kind": "hearing",
            "title_en": "Council hearing on survivor housing",
            "title_es": "Audiencia del Concejo sobre vivienda",
            "description_en": "Public comment welcome.",
            "starts_at": "2027-04-05T18:30",
            "ends_at": "2027-04-05T20:00",
            "time_zone": "America/Los_Angeles",
            "status": "scheduled",
            "is_public": "on",
            "place_en": "City Hall",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = Event.objects.get()
    assert event.local_start.hour == 18 and event.local_start.minute == 30
    with translation.override("es"):
        assert Event.objects.get().title == "Audiencia del Concejo sobre vivienda"
    assert AuditEvent.objects.filter(object_type="directory.event", actor_id=editor.pk).exists()
    listing = client.get("/staff/directory/events/").content.decode()
    assert "Council hearing on survivor housing" in listing


def test_end_before_start_is_shown_on_the_form(staff_client):
    client, _ = staff_client("editor")
    response = client.post(
        "/staff/directory/events/add/",
        {
            "kind": "event",
            "title_en": "Backwards",
            "starts_at": "2027-04-05T18:30",
            "ends_at": "2027-04-05T17:00",
            "time_zone": "America/Los_Angeles",
            "status": "scheduled",
        },
    )
    assert response.status_code == 200
    assert "The end must be after the start." in response.content.decode()
    assert not Event.objects.exists()


def test_editor_edits_a_service_and_its_needs(staff_client, demo_directory):
    client, _ = staff_client("editor")
    service = Service.objects.get(name_en="Gateway Center")
    page = client.get(f"/staff/directory/services/{service.pk}/")
    assert page.status_code == 200 and "Gateway Center" in page.content.decode()
    data = {
        "organization": str(service.organization_id),
        "name_en": "Gateway Center",
        "name_es": "Centro Gateway",
        "status": "active",
        "description_en": service.description_en,
    }
    response = client.post(f"/staff/directory/services/{service.pk}/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    with translation.override("es"):
        assert Service.objects.get(pk=service.pk).name == "Centro Gateway"


def test_editor_adds_an_organization(staff_client):
    client, _ = staff_client("editor")
    response = client.post(
        "/staff/directory/organizations/add/",
        {"name": "Synthetic Youth Drop-in", "description_en": "A made-up drop-in centre."},
    )
    assert response.status_code == 302
    assert Organization.objects.filter(name="Synthetic Youth Drop-in").exists()


@pytest.mark.parametrize("role", ["caseworker", "officer", "auditor"])
def test_other_roles_cannot_edit_public_content(staff_client, role):
    client, _ = staff_client(role)
    assert client.get("/staff/directory/").status_code == 403
    response = client.post(
        "/staff/directory/events/add/",
        {"kind": "event", "title_en": "No", "starts_at": "2027-04-05T18:30"},
    )
    assert response.status_code == 403
    assert not Event.objects.exists()


def test_unknown_kind_is_not_found(staff_client):
    client, _ = staff_client("editor")
    assert client.get("/staff/directory/widgets/").status_code == 404
