"""Referrals as staff use them: from a victim contact to the provider's inbox, accepting,
the home panel, and the API's refusal message."""

from __future__ import annotations

import pytest
from django.utils import timezone

from safeharbor.core.permissions import CASE, IDENTITY
from safeharbor.enforcement import services as enforcement
from safeharbor.referrals.models import Referral

pytestmark = pytest.mark.django_db


def test_victim_contact_referral_reaches_the_provider_who_accepts_it(
    staff_client, police, detective, adult, program, consent, advocate
):
    police.designated_program = program
    police.save(update_fields=["designated_program"])
    client, _user = staff_client("detective", agency=police)
    operation = enforcement.operation_create(
        membership=detective,
        name="Synthetic outreach",
        kind="outreach",
        started_on=timezone.localdate(),
        general_area="Old Town",
        lead=detective.user,
    )
    response = client.post(
        f"/staff/enforcement/operations/{operation.pk}/contacts/new/",
        {
            "role": "victim",
            "contacted_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "person": adult.pk,
            "program_info_given": "on",
            "referral_decision": "made",
        },
    )
    # Making a referral opens the referral form.
    assert response.status_code == 302 and "/staff/referrals/new/contact/" in response["Location"]
    form = client.get(response["Location"])
    assert adult.reference.encode() in form.content
    sent = client.post(
        response["Location"],
        {
            "to_program": program.pk,
            "urgency": "soon",
            "reason": "Wants to meet an advocate this week.",
            "categories": [IDENTITY, CASE],
        },
    )
    assert sent.status_code == 302
    referral = Referral.objects.get()
    assert referral.enforcement_contacts.get().operation == operation

    provider_client, _provider_user = staff_client("caseworker", agency=program.agency)
    home = provider_client.get("/staff/")
    assert b"1 referral waiting for your agency" in home.content
    inbox = provider_client.get("/staff/referrals/?state=pending")
    assert referral.number.encode() in inbox.content
    assert b"Marisol" not in inbox.content
    detail = provider_client.get(f"/staff/referrals/{referral.pk}/")
    assert b"Wants to meet an advocate" in detail.content
    accepted = provider_client.post(f"/staff/referrals/{referral.pk}/accept/")
    assert accepted.status_code == 302
    referral.refresh_from_db()
    assert referral.state == "accepted"
    person_page = provider_client.get(f"/staff/survivors/people/{referral.receiving_person_id}/")
    assert person_page.status_code == 200 and b"Marisol" in person_page.content
    # The referring agency cannot accept its own referral.
    assert client.post(f"/staff/referrals/{referral.pk}/accept/").status_code in (403, 404)


def test_referral_form_shows_what_the_consent_is_missing(staff_client, police, adult, housing):
    client, _user = staff_client("detective", agency=police)
    response = client.post(
        f"/staff/referrals/new/person/{adult.pk}/",
        {
            "to_agency": housing.pk,
            "urgency": "routine",
            "reason": "Needs housing.",
            "categories": [CASE],
        },
    )
    assert response.status_code == 200
    assert b"No consent is recorded for this person" in response.content
    assert not Referral.objects.exists()


def test_api_send_refused_then_accepted(staff_client, police, adult, program, consent):
    client, _user = staff_client("detective", agency=police)
    refused = client.post(
        "/api/v1/referrals/referrals/",
        {"person": adult.pk, "to_agency": police.pk + 999, "reason": "x", "categories": ["case"]},
        content_type="application/json",
    )
    assert refused.status_code == 404
    payload = {
        "person": adult.pk,
        "to_program": program.pk,
        "reason": "Wants an advocate.",
        "categories": ["identity", "case", "statistical"],
    }
    refused = client.post("/api/v1/referrals/referrals/", payload, content_type="application/json")
    assert refused.status_code == 400
    assert "does not cover: Statistical" in str(refused.json())
    payload["categories"] = ["identity", "case"]
    created = client.post("/api/v1/referrals/referrals/", payload, content_type="application/json")
    assert created.status_code == 201, created.content
    number = created.json()["number"]

    provider, _user = staff_client("caseworker", agency=program.agency)
    box = provider.get("/api/v1/referrals/referrals/?box=received&state=pending").json()
    rows = box["results"] if isinstance(box, dict) else box
    assert [r["number"] for r in rows] == [number]
    accepted = provider.post(f"/api/v1/referrals/referrals/{rows[0]['id']}/accept/")
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["state"] == "accepted"
    assert accepted.json()["receiving_person"]
    stranger, _user = staff_client("caseworker")
    assert stranger.get(f"/api/v1/referrals/referrals/{rows[0]['id']}/").status_code == 404


def test_start_a_referral_by_reference(staff_client, police, adult):
    client, _user = staff_client("detective", agency=police)
    response = client.get(f"/staff/referrals/?reference={adult.reference.lower()}")
    assert response.status_code == 302
    assert response["Location"] == f"/staff/referrals/new/person/{adult.pk}/"
    other, _user = staff_client("detective")
    refused = other.get(f"/staff/referrals/?reference={adult.reference}")
    assert b"No record of your agency has that reference" in refused.content


def test_inbox_queries_do_not_grow_with_referrals(staff_client, detective, adult, program, consent):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from safeharbor.referrals import services

    provider, _user = staff_client("caseworker", agency=program.agency)

    def send():
        _send(services, detective, adult, program)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert provider.get("/staff/referrals/").status_code == 200
        return len(queries)

    send()
    few = count()
    for _ in range(4):
        send()
    assert count() == few


def test_a_long_inbox_is_shown_a_page_at_a_time_and_keeps_the_filter(
    staff_client, detective, adult, program, consent
):
    from safeharbor.core.paging import PER_PAGE
    from safeharbor.referrals import services

    sent = [_send(services, detective, adult, program) for _ in range(PER_PAGE + 2)]
    provider, _user = staff_client("caseworker", agency=program.agency)
    first = provider.get("/staff/referrals/?state=pending").content.decode()
    newest, oldest = sent[-1], sent[0]
    assert f"/staff/referrals/{newest.pk}/" in first
    assert f"/staff/referrals/{oldest.pk}/" not in first
    assert "Page 1 of 2" in first
    assert 'href="?state=pending&amp;received_page=2"' in first
    second = provider.get("/staff/referrals/?state=pending&received_page=2").content.decode()
    assert f"/staff/referrals/{oldest.pk}/" in second
    assert f"/staff/referrals/{newest.pk}/" not in second
    assert "Page 2 of 2" in second
    # A page number past the end shows the last page, not an error.
    assert provider.get("/staff/referrals/?received_page=99").status_code == 200


def _send(services, membership, person, program):
    return services.referral_send(
        membership=membership,
        person=person,
        to_agency=program.agency,
        to_program=program,
        reason="Synthetic",
        categories=["case"],
    )
