"""Referral settings through the page and the REST API (administrators only), and the
"Refer" action on a person's page."""

from __future__ import annotations

import pytest

from safeharbor.accounts.models import Role
from safeharbor.audit.models import AuditEvent
from safeharbor.referrals.models import ReferralSettings
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/api/v1/referrals/settings/"


def test_api_reads_and_changes_the_agency_settings(staff_client, police, program):
    admin, _user = staff_client("admin", agency=police)
    assert admin.get(URL).json() == {
        "agency": police.slug,
        "designated_program": None,
        "designated_program_name": None,
        "juvenile_legal_basis": "",
        "legal_basis_access_days": 90,
    }
    changed = admin.put(
        URL,
        {
            "designated_program": program.pk,
            "juvenile_legal_basis": "ORS 419B.005 (synthetic)",
            "legal_basis_access_days": 60,
        },
        content_type="application/json",
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["designated_program_name"] == "Synthetic Options"
    police.refresh_from_db()
    assert police.designated_program == program
    assert ReferralSettings.objects.get(agency=police).legal_basis_access_days == 60
    audited = AuditEvent.objects.filter(object_type="referrals.referralsettings").get()
    assert "designated_program" in audited.fields
    assert AuditEvent.objects.filter(object_type="accounts.agency", agency_id=police.pk).exists()

    # A partial change keeps the rest; null clears the program.
    patched = admin.patch(URL, {"legal_basis_access_days": 30}, content_type="application/json")
    assert patched.json()["designated_program"] == program.pk
    assert patched.json()["juvenile_legal_basis"] == "ORS 419B.005 (synthetic)"
    cleared = admin.patch(URL, {"designated_program": None}, content_type="application/json")
    assert cleared.json()["designated_program"] is None
    police.refresh_from_db()
    assert police.designated_program is None


def test_api_refuses_bad_values_and_other_roles(staff_client, police, provider, program):
    admin, _user = staff_client("admin", agency=police)
    program.is_active = False
    program.save(update_fields=["is_active"])
    refused = admin.patch(URL, {"designated_program": program.pk}, content_type="application/json")
    assert refused.status_code == 400
    assert "running" in str(refused.json()["designated_program"])
    too_long = admin.patch(URL, {"legal_basis_access_days": 400}, content_type="application/json")
    assert too_long.status_code == 400

    provider_admin, _user = staff_client("admin", agency=provider)
    refused = provider_admin.patch(
        URL, {"juvenile_legal_basis": "ORS 419B.005"}, content_type="application/json"
    )
    assert refused.status_code == 400
    assert "police and child welfare" in str(refused.json())

    detective, _user = staff_client("detective", agency=police)
    assert detective.get(URL).status_code == 403
    assert detective.patch(URL, {"legal_basis_access_days": 5}).status_code == 403
    assert not ReferralSettings.objects.exists()


def test_settings_page_names_the_designated_program(staff_client, police, program):
    admin, _user = staff_client("admin", agency=police)
    page = admin.get("/staff/referrals/settings/")
    assert b"Designated survivor program" in page.content
    saved = admin.post(
        "/staff/referrals/settings/",
        {
            "designated_program": program.pk,
            "juvenile_legal_basis": "",
            "legal_basis_access_days": 90,
        },
    )
    assert saved.status_code == 302
    police.refresh_from_db()
    assert police.designated_program == program


def test_person_page_offers_refer_only_when_the_member_may_refer(
    staff_client, police, adult, program, consent
):
    detective, _user = staff_client("detective", agency=police)
    page = detective.get(f"/staff/survivors/people/{adult.pk}/")
    refer_link = f'href="/staff/referrals/new/person/{adult.pk}/"'.encode()
    assert refer_link in page.content
    form = detective.get(f"/staff/referrals/new/person/{adult.pk}/")
    assert form.status_code == 200 and adult.reference.encode() in form.content

    Role.objects.create(
        slug="records-only",
        name="Records only",
        permissions=["survivors.*"],
        default_scope="agency",
    )
    records, _user = staff_client("records-only", agency=police)
    page = records.get(f"/staff/survivors/people/{adult.pk}/")
    assert page.status_code == 200 and refer_link not in page.content
    assert b">Refer<" not in page.content


def test_receiving_agency_is_not_offered_to_refer_the_referrers_record(
    staff_client, police, detective, adult, program, consent
):
    from safeharbor.core.permissions import CASE, IDENTITY
    from safeharbor.referrals import services

    referral = services.referral_send(
        membership=detective,
        person=adult,
        to_agency=program.agency,
        to_program=program,
        reason="Synthetic.",
        categories=[IDENTITY, CASE],
    )
    supervisor = factories.membership(factories.UserFactory(), program.agency, "supervisor")
    services.referral_accept(membership=supervisor, referral=referral)
    advocate, _user = staff_client("supervisor", agency=program.agency)
    shared = advocate.get(f"/staff/survivors/people/{adult.pk}/")
    assert shared.status_code == 200
    assert b">Refer<" not in shared.content
    referral.refresh_from_db()
    own = advocate.get(f"/staff/survivors/people/{referral.receiving_person_id}/")
    assert b">Refer<" in own.content
