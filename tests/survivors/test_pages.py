"""Staff pages: the flow a caseworker follows in the browser, and query-count guards."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from safeharbor.audit.models import AuditEvent
from safeharbor.survivors import services
from safeharbor.survivors.models import Case, Consent, Identification, Person, Screening

pytestmark = pytest.mark.django_db


@pytest.fixture
def caseworker(staff_client, home):
    client, user = staff_client("caseworker", agency=home)
    return client, user, user.memberships.get()


def test_caseworker_creates_screens_identifies_and_opens_a_case(caseworker):
    client, user, _m = caseworker
    response = client.post(
        "/staff/survivors/people/new/",
        {
            "given_name": "Mara",
            "family_name": "Quarrydale",
            "aliases": "Mouse\nM",
            "dob": (timezone.localdate() - datetime.timedelta(days=15 * 365)).isoformat(),
            "sex": "F",
            "phones": "503-555-0177",
            "contact_methods": ["text"],
            "safe_times": "After 4 pm",
            "code_word": "blue kite",
        },
    )
    assert response.status_code == 302
    person = Person.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert "Mara Quarrydale" in page and person.reference in page
    assert "Safe contact" in page and "blue kite" in page and "After 4 pm" in page
    assert AuditEvent.objects.filter(
        action="view", object_type="survivors.person", object_id=str(person.pk)
    ).exists()

    response = client.get(f"/staff/survivors/people/{person.pk}/screenings/new/")
    assert response.status_code == 200 and "Control by another person" in response.content.decode()
    response = client.post(
        f"/staff/survivors/people/{person.pk}/screenings/new/",
        {"screened_on": timezone.localdate().isoformat(), "item_made_to_trade": "yes"},
    )
    screening = Screening.objects.get()
    assert response["Location"].endswith(f"/screenings/{screening.pk}/")
    page = client.get(response["Location"]).content.decode()
    assert "Clear concern" in page and "Record a suspected identification" in page

    response = client.post(
        f"/staff/survivors/people/{person.pk}/identifications/new/?screening={screening.pk}",
        {
            "status": "suspected",
            "identified_on": timezone.localdate().isoformat(),
            "basis": "screening",
            "trafficking_type": "sex",
        },
    )
    assert response.status_code == 302
    assert Identification.objects.get().screening == screening

    response = client.post(
        f"/staff/survivors/people/{person.pk}/cases/new/",
        {
            "opened_on": timezone.localdate().isoformat(),
            "needs": "A safe bed",
            "assigned_to": user.pk,
        },
    )
    case = Case.objects.get()
    client.post(f"/staff/survivors/cases/{case.pk}/notes/", {"body": "First meeting went well."})
    client.post(
        f"/staff/survivors/cases/{case.pk}/services/new/",
        {"service_type": "shelter", "status": "planned"},
    )
    page = client.get(f"/staff/survivors/cases/{case.pk}/").content.decode()
    assert "First meeting went well." in page and "Shelter" in page and "A safe bed" in page


def test_form_errors_are_shown_not_saved(caseworker):
    client, _user, _m = caseworker
    response = client.post("/staff/survivors/people/new/", {"sex": "F"})
    assert response.status_code == 400
    assert "Give at least a given name" in response.content.decode()
    assert Person.objects.count() == 0


def test_consent_form_enforces_guardian_for_a_minor(caseworker, youth, other, worker):
    client, user, _membership = caseworker
    services.person_assign(membership=worker, person=youth, worker=user)
    today = timezone.localdate()
    data = {
        "recipient_agencies": [other.pk],
        "categories": ["identity"],
        "purpose": "referral",
        "signed_on": today.isoformat(),
        "expires_on": (today + datetime.timedelta(days=100)).isoformat(),
        "signer1_role": "person",
        "signer1_name": "Katy Smith",
    }
    response = client.post(f"/staff/survivors/people/{youth.pk}/consents/new/", data)
    assert response.status_code == 400 and "parent or legal guardian" in response.content.decode()
    data.update(signer2_role="legal_guardian", signer2_name="Pat Smith")
    response = client.post(f"/staff/survivors/people/{youth.pk}/consents/new/", data)
    consent = Consent.objects.get()
    assert response["Location"].endswith(f"/consents/{consent.pk}/")
    client.post(f"/staff/survivors/consents/{consent.pk}/revoke/", {"note": ""})
    assert "Revoked" in client.get(f"/staff/survivors/consents/{consent.pk}/").content.decode()


def test_overdue_missing_report_on_home_page(caseworker, staff_client, home):
    client, _user, membership = caseworker
    person = services.person_create(
        membership=membership,
        values={"given_name": "Ivy", "dob": timezone.localdate() - datetime.timedelta(days=5000)},
    )
    services.missing_episode_open(
        membership=membership,
        person=person,
        learned_at=timezone.now() - datetime.timedelta(hours=26),
    )
    page = client.get("/staff/").content.decode()
    assert "report overdue" in page.lower() and person.reference in page
    boss, _u = staff_client("supervisor", agency=home)
    assert person.reference in boss.get("/staff/").content.decode()
    outsider, _u = staff_client("supervisor")
    assert person.reference not in outsider.get("/staff/").content.decode()


def test_someone_elses_record_is_not_shown_but_break_glass_opens_it(caseworker, worker, youth):
    client, _user, _m = caseworker
    response = client.get(f"/staff/survivors/people/{youth.pk}/")
    assert response.status_code == 403 and "Katy" not in response.content.decode()
    response = client.post(
        f"/staff/survivors/people/{youth.pk}/emergency-access/",
        {"reason": "Police called: she may be in danger tonight."},
    )
    assert response.status_code == 302
    assert "Katy" in client.get(f"/staff/survivors/people/{youth.pk}/").content.decode()


def test_other_agency_record_is_404(staff_client, youth):
    client, _u = staff_client("supervisor")
    assert client.get(f"/staff/survivors/people/{youth.pk}/").status_code == 404


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url", ["/staff/survivors/", "/staff/survivors/?q=Rosa", "/staff/survivors/?q=503-555-0100"]
)
def test_list_and_search_use_a_constant_number_of_queries(caseworker, url):
    client, _user, membership = caseworker

    def add(n):
        for _ in range(n):
            person = services.person_create(
                membership=membership,
                values={
                    "given_name": "Rosa",
                    "family_name": "Testwell",
                    "phones": ["503-555-0100"],
                },
            )
            services.case_open(membership=membership, person=person, opened_on=timezone.localdate())
            services.identification_record(
                membership=membership,
                person=person,
                status="suspected",
                identified_on=timezone.localdate(),
                basis="disclosure",
            )

    add(2)
    few = _queries(client, url)
    add(10)
    many = _queries(client, url)
    assert few == many
    assert many <= 18


def test_signed_form_is_uploaded_encrypted_and_served_to_the_worker(caseworker, staff_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from safeharbor.core.files import EncryptedFile

    client, _user, membership = caseworker
    person = services.person_create(
        membership=membership, values={"given_name": "Opal", "dob": datetime.date(1990, 1, 1)}
    )
    today = timezone.localdate()
    recipient = Person._meta.get_field("agency").related_model.objects.create(
        name="Recipient", slug="recipient-agency", kind="housing_provider"
    )
    pdf = SimpleUploadedFile(
        "signed.pdf", b"%PDF-1.4 synthetic form", content_type="application/pdf"
    )
    response = client.post(
        f"/staff/survivors/people/{person.pk}/consents/new/",
        {
            "recipient_agencies": [recipient.pk],
            "categories": ["case"],
            "purpose": "housing",
            "signed_on": today.isoformat(),
            "expires_on": (today + datetime.timedelta(days=30)).isoformat(),
            "signer1_role": "person",
            "signer1_name": "Opal",
            "signed_form": pdf,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    consent = Consent.objects.get()
    stored = EncryptedFile.objects.get(pk=consent.signed_form_id)
    assert stored.content_type == "application/pdf"
    page = client.get(f"/staff/survivors/consents/{consent.pk}/").content.decode()
    assert "Open the signed form" in page
    download = client.get(f"/staff/files/{stored.key}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content if download.streaming else [download.content]) == (
        b"%PDF-1.4 synthetic form"
    )
    outsider, _u = staff_client("supervisor")
    assert outsider.get(f"/staff/files/{stored.key}/").status_code in (403, 404)
