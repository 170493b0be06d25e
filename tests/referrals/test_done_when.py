"""Issue 5's "Done when", end to end through the staff pages on the Portland demo data: a
police officer records an operation with a victim contact and a referral to New Options
for Women; an advocate at LifeWorks NW accepts it and sees exactly the shared data; after
the consent is revoked the advocate sees nothing of the police record, and their own
agency's intake stays theirs."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from safeharbor.accounts import demo as accounts_demo
from safeharbor.accounts.models import Membership, User
from safeharbor.core.permissions import CASE, IDENTITY
from safeharbor.enforcement.models import Contact, Operation
from safeharbor.referrals.models import Referral
from safeharbor.survivors import demo as survivors_demo
from safeharbor.survivors.choices import ConsentPurpose, SignerRole
from safeharbor.survivors.services import SignerInput, consent_record
from tests import factories
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


def _demo_client(email: str) -> tuple[Client, Membership]:
    user = User.objects.get(email=email)
    user.set_password(factories.PASSWORD)  # the test signs in with its own password
    user.save(update_fields=["password"])
    client = Client()
    sign_in(client, user)
    return client, Membership.objects.select_related("agency").get(user=user, is_active=True)


def test_officer_refers_to_new_options_advocate_accepts_consent_revoked():
    accounts_demo.load()
    survivors_demo.load()
    officer, detective = _demo_client("detective@demo.safeharbor.example")
    advocate, caseworker = _demo_client("caseworker@demo.safeharbor.example")
    assert detective.agency.slug == "portland-police"
    assert caseworker.agency.slug == "lifeworks-nw"

    # The officer records an operation ...
    today = timezone.localdate()
    response = officer.post(
        "/staff/enforcement/operations/new/",
        {
            "name": "Synthetic outreach, 82nd Avenue",
            "kind": "outreach",
            "started_on": today.isoformat(),
            "general_area": "82nd Avenue corridor",
            "status": "underway",
            "lead": detective.user_id,
        },
    )
    assert response.status_code == 302, response.content[:3000]
    operation = Operation.objects.get(name="Synthetic outreach, 82nd Avenue")

    # ... and a victim contact; the search finds nobody, so the person is created with it.
    contact_url = f"/staff/enforcement/operations/{operation.pk}/contacts/new/"
    page = officer.get(contact_url, {"q": "Calliope Testgrove"})
    assert b"New Options for Women" in page.content
    assert b"Nobody found" in page.content
    response = officer.post(
        contact_url + "?q=Calliope+Testgrove",
        {
            "role": "victim",
            "contacted_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "new_given_name": "Calliope",
            "new_family_name": "Testgrove",
            "new_dob": (today - datetime.timedelta(days=365 * 24)).isoformat(),
            "program_info_given": "on",
            "referral_decision": "made",
        },
    )
    contact = Contact.objects.get(operation=operation)
    person = contact.person
    assert contact.program_informed.slug == "new-options-for-women"
    # A referral was made: the referral form opens next.
    assert response["Location"] == f"/staff/referrals/new/contact/{contact.pk}/"

    # Without a consent the referral is refused with what is missing.
    program = detective.agency.designated_program
    refer = {
        "to_program": program.pk,
        "urgency": "soon",
        "reason": "Would like to meet an advocate this week.",
        "categories": [IDENTITY, CASE],
    }
    refused = officer.post(response["Location"], refer)
    assert b"No consent is recorded for this person" in refused.content
    # She signs the written consent (recorded by the officer's colleague's service call).
    consent = consent_record(
        membership=detective,
        person=person,
        recipient_agencies=[],
        recipient_programs=[program],
        categories=[IDENTITY, CASE],
        purpose=ConsentPurpose.REFERRAL,
        signed_on=today,
        expires_on=today + datetime.timedelta(days=90),
        signers=[SignerInput(SignerRole.PERSON, "Calliope Testgrove")],
    )
    sent = officer.post(response["Location"], refer)
    assert sent.status_code == 302
    referral = Referral.objects.get(person=person)
    assert referral.to_program.slug == "new-options-for-women"
    assert referral.enforcement_contacts.get() == contact

    # The advocate at LifeWorks NW finds it in the inbox and accepts it.
    inbox = advocate.get("/staff/referrals/?state=pending")
    assert referral.number.encode() in inbox.content and b"Calliope" not in inbox.content
    accepted = advocate.post(f"/staff/referrals/{referral.pk}/accept/")
    assert accepted.status_code == 302
    referral.refresh_from_db()
    assert referral.state == "accepted"
    own_record = referral.receiving_person

    # Exactly the shared data: identity and case, not the statistical category.
    shared = advocate.get(f"/api/v1/survivors/people/{person.pk}/")
    assert shared.status_code == 200
    body = shared.json()
    assert body["given_name"] == "Calliope" and "in_state_custody" in body
    assert "county" not in body and "reference" not in body and "age_band" not in body
    page = advocate.get(f"/staff/survivors/people/{person.pk}/")
    assert page.status_code == 200 and b"Calliope" in page.content

    # The police revoke the consent (the person asked them to).
    revoked = officer.post(f"/staff/survivors/consents/{consent.pk}/revoke/", {"note": ""})
    assert revoked.status_code == 302
    consent.refresh_from_db()
    assert consent.revoked_at is not None

    # Nothing of the police record is left to the advocate, on any page or API ...
    assert advocate.get(f"/staff/survivors/people/{person.pk}/").status_code in (403, 404)
    assert advocate.get(f"/api/v1/survivors/people/{person.pk}/").status_code == 404
    assert advocate.get(f"/api/v1/referrals/referrals/{referral.pk}/").status_code == 404
    listed = advocate.get("/api/v1/survivors/people/?page_size=200").json()["results"]
    assert person.pk not in {row["id"] for row in listed}
    assert advocate.get(f"/staff/referrals/{referral.pk}/").status_code == 404
    # ... while LifeWorks NW's own intake stays theirs.
    own = advocate.get(f"/staff/survivors/people/{own_record.pk}/")
    assert own.status_code == 200 and b"Calliope" in own.content
    assert own_record.pk in {row["id"] for row in listed}
    assert b">Refer<" in own.content
