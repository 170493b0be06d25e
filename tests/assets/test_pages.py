"""Seized-property pages: what a detective, a property officer and an officer of another
agency see and can do, the reports on screen, as CSV and as PDF, photos, and the home panel."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from safeharbor.assets import services
from safeharbor.assets.choices import ForfeitureState
from safeharbor.assets.models import AssetPhoto, SeizedAsset
from safeharbor.audit.models import AuditEvent
from safeharbor.enforcement.choices import ContactRole, ReferralDecision
from safeharbor.enforcement.models import Contact
from tests import factories

from .conftest import at, days_ago, seize_car

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def member(user):
    return user.memberships.select_related("role", "agency").get()


@pytest.fixture
def keeper_client(staff_client, police, policy):
    client, user = staff_client("property_officer", agency=police)
    return client, member(user)


@pytest.fixture
def detective_client(staff_client, police):
    client, user = staff_client("detective", agency=police)
    return client, member(user)


def test_a_detective_records_a_seizure_and_the_form_offers_no_victim(
    detective_client, exploiter, investigation, operation, police
):
    client, detective = detective_client
    victim = Contact.objects.create(
        operation=operation,
        role=ContactRole.VICTIM,
        contacted_at=at(150),
        program_informed=police.designated_program,
        program_info_given=True,
        referral_decision=ReferralDecision.DECLINED,
    )
    page = client.get("/staff/assets/new/")
    html = page.content.decode()
    assert page.status_code == 200
    assert f"{exploiter.reference} (Exploiter)" in html
    assert f'value="{victim.pk}"' not in html.split('name="contact"')[1].split("</select>")[0]
    response = client.post(
        "/staff/assets/new/",
        {
            "kind": "vehicle",
            "description": "Synthetic hatchback",
            "subject": exploiter.pk,
            "investigation": investigation.pk,
            "seized_at": timezone.localtime(at(3)).strftime("%Y-%m-%dT%H:%M"),
            "seized_by": detective.user_id,
            "estimated_value": "4200.00",
            "plate": "syn123",
            "custodian": "Evidence unit",
            "location": "Impound lot",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    asset = SeizedAsset.objects.get()
    assert asset.plate == "SYN123"
    detail = client.get(response["Location"]).content.decode()
    assert "Synthetic hatchback" in detail and "Impound lot" in detail
    assert "Record the next step" not in detail  # detectives do not run forfeiture


def test_the_property_officer_moves_a_car_to_auction_on_the_pages(
    keeper_client, detective, exploiter, investigation, fund
):
    client, _keeper = keeper_client
    car = seize_car(detective, exploiter, investigation)
    url = f"/staff/assets/{car.pk}/"
    page = client.get(url).content.decode()
    assert "Notice sent, claim window open" in page
    assert AuditEvent.objects.filter(
        action="view", object_type="assets.seizedasset", object_id=str(car.pk)
    ).exists()
    refused = client.post(
        f"{url}forfeiture/", {"to_state": "forfeited", "occurred_on": days_ago(1).isoformat()}
    )
    assert refused.status_code == 400
    assert "Select a valid choice" in refused.content.decode()
    steps = [
        {
            "to_state": "notice_sent",
            "occurred_on": days_ago(110).isoformat(),
            "notice_recipients": "Owner",
            "notice_method": "certified_mail",
        },
        {"to_state": "no_claim", "occurred_on": days_ago(70).isoformat()},
        {
            "to_state": "forfeited",
            "occurred_on": days_ago(60).isoformat(),
            "court_case_number": "CV-PAGE-1",
        },
    ]
    for step in steps:
        assert client.post(f"{url}forfeiture/", step).status_code == 302
    moved = client.post(
        f"{url}custody/",
        {
            "to_custodian": "Synthetic Auctions",
            "location": "Auction yard",
            "reason": "For sale",
            "occurred_at": timezone.localtime(at(40)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert moved.status_code == 302
    sold = client.post(
        f"{url}disposition/",
        {
            "method": "sold",
            "disposed_on": days_ago(20).isoformat(),
            "gross_proceeds": "5000.00",
            "towing_costs": "200.00",
            "storage_costs": "600.00",
            "auction_costs": "200.00",
        },
    )
    assert sold.status_code == 302
    car.refresh_from_db()
    assert car.state == ForfeitureState.DISPOSED
    page = client.get(url).content.decode()
    assert "$4,000.00" in page and "Posted to the fund as entry" in page
    listing = client.get("/staff/assets/").content.decode()
    assert "Synthetic Auctions, Auction yard" in listing


def test_reports_on_screen_as_csv_and_as_pdf(keeper_client, detective, exploiter, investigation):
    client, keeper = keeper_client
    car = seize_car(detective, exploiter, investigation)
    services.forfeiture_advance(
        membership=keeper,
        asset=car,
        to_state="returned",
        occurred_on=days_ago(2),
        court_case_number="CV-R-1",
    )
    period = f"start={days_ago(365).isoformat()}&end={days_ago(0).isoformat()}"
    seizures = client.get(f"/staff/assets/reports/seizures/?{period}").content.decode()
    assert car.reference in seizures and "$9,000.00" in seizures
    csv = b"".join(client.get(f"/staff/assets/reports/seizures/?{period}&format=csv")).decode()
    assert car.reference in csv and "9000.00" in csv
    judgments = client.get(f"/staff/assets/reports/judgments/?{period}").content.decode()
    assert "Returned to owner" in judgments and "CV-R-1" in judgments
    judgments_csv = b"".join(
        client.get(f"/staff/assets/reports/judgments/?{period}&format=csv")
    ).decode()
    assert "Returned to owner" in judgments_csv and "CV-R-1" in judgments_csv
    pdf = client.get(f"/staff/assets/reports/judgments/?{period}&format=pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    import pypdf

    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.content)).pages)
    assert car.reference in text and "CV-R-1" in text
    seizure_pdf = client.get(f"/staff/assets/reports/seizures/?{period}&format=pdf")
    assert seizure_pdf.status_code == 200
    assert AuditEvent.objects.filter(action="export", object_type="assets.seizedasset").count() >= 2


def test_another_agency_sees_nothing_and_an_officer_sees_only_their_own(
    staff_client, detective, exploiter, investigation, police
):
    car = seize_car(detective, exploiter, investigation)
    other, _ = staff_client("property_officer", agency=factories.AgencyFactory())
    assert other.get(f"/staff/assets/{car.pk}/").status_code == 404
    assert car.reference not in other.get("/staff/assets/").content.decode()
    officer, _ = staff_client("officer", agency=police)
    assert officer.get(f"/staff/assets/{car.pk}/").status_code == 404
    analyst, _ = staff_client("analyst", agency=police)
    assert analyst.get("/staff/assets/").status_code == 403


def test_photos_are_stored_encrypted_and_served_only_through_the_engine(
    keeper_client, staff_client, detective, exploiter, investigation
):
    client, _keeper = keeper_client
    car = seize_car(detective, exploiter, investigation)
    upload = io.BytesIO(PNG)
    upload.name = "car.png"
    response = client.post(
        f"/staff/assets/{car.pk}/photos/", {"photo": upload, "caption": "Front of the car"}
    )
    assert response.status_code == 302
    photo = AssetPhoto.objects.select_related("file").get()
    served = client.get(f"/staff/files/{photo.file.key}/")
    assert served.status_code == 200 and served.content == PNG
    other, _ = staff_client("property_officer", agency=factories.AgencyFactory())
    assert other.get(f"/staff/files/{photo.file.key}/").status_code in (403, 404)
    text = io.BytesIO(b"not an image")
    text.name = "note.png"
    refused = client.post(f"/staff/assets/{car.pk}/photos/", {"photo": text})
    assert refused.status_code == 400
    assert "cannot be uploaded here" in refused.content.decode()


def test_the_home_page_shows_the_property_officer_their_deadlines(
    keeper_client, detective, exploiter, investigation
):
    client, _keeper = keeper_client
    car = seize_car(detective, exploiter, investigation, seized_at=at(15))
    home = client.get("/staff/").content.decode()
    assert "Seized property: deadlines" in home
    assert car.reference in home and "Send forfeiture notice" in home


def test_settings_change_the_claim_window(keeper_client, fund):
    client, keeper = keeper_client
    response = client.post(
        "/staff/assets/settings/",
        {"fund": fund.pk, "claim_window_days": "21", "notice_within_days": "14"},
    )
    assert response.status_code == 302
    assert services.policy_for(keeper.agency_id).claim_window_days == 21
    assert services.policy_for(keeper.agency_id).notice_within_days == 14


def test_the_list_page_and_the_api_list_do_not_query_per_row(
    keeper_client, detective, exploiter, investigation, django_assert_max_num_queries
):
    client, _keeper = keeper_client
    seize_car(detective, exploiter, investigation)
    client.get("/staff/assets/")  # warm the session and caches
    client.get("/api/v1/assets/assets/")
    with CaptureQueriesContext(connection) as few:
        client.get("/staff/assets/")
    with CaptureQueriesContext(connection) as few_api:
        client.get("/api/v1/assets/assets/")
    for n in range(5):
        seize_car(detective, exploiter, investigation, plate=f"MORE{n}")
    with django_assert_max_num_queries(len(few)):
        page = client.get("/staff/assets/")
    assert page.content.decode().count("MORE") == 0  # plates are not on the list
    with django_assert_max_num_queries(len(few_api)):
        listing = client.get("/api/v1/assets/assets/")
    assert listing.json()["count"] == 6
