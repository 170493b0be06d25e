"""The housing pages: what each person sees, forms refusing bad input by field, the outcome
page with charts and tables, and the funder export."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from safeharbor.audit.models import AuditEvent
from safeharbor.housing import services
from safeharbor.housing.models import Placement
from tests import factories
from tests.conftest import sign_in

from .conftest import START, make_person, place

pytestmark = pytest.mark.django_db

ADDRESS = "12 Confidential Court"
LANDLORD = "Hidden Landlord"


def client_for(membership):
    from django.test import Client

    client = Client()
    sign_in(client, membership.user)
    return client


def test_owner_sees_the_apartment_and_the_partner_works_on_the_placement(
    placement, worker, join_worker
):
    page = client_for(worker).get(f"/staff/housing/placements/{placement.pk}/").content.decode()
    assert ADDRESS in page and LANDLORD in page and "Synthia Testcase" in page
    partner = client_for(join_worker)
    listing = partner.get("/staff/housing/").content.decode()
    assert f"/staff/housing/placements/{placement.pk}/" in listing
    page = partner.get(f"/staff/housing/placements/{placement.pk}/").content.decode()
    assert placement.person.reference in page
    assert "Synthia" not in page  # the person record itself is not shared
    assert "Schedule the plan" in page


def test_someone_elses_placement_is_not_found(placement, pilot):
    outsider = factories.membership(
        factories.UserFactory(), factories.AgencyFactory(), "supervisor"
    )
    response = client_for(outsider).get(f"/staff/housing/placements/{placement.pk}/")
    assert response.status_code == 404


def test_the_form_refuses_a_short_lease_naming_the_field(worker, person, pilot, join):
    response = client_for(worker).post(
        "/staff/housing/placements/new/",
        {
            "reference": person.reference,
            "program": pilot.pk,
            "partner_agency": join.pk,
            "referral_on": "2025-08-20",
            "start_on": "2025-09-01",
            "move_in_on": "2025-09-10",
            "lease_months": "6",
            "rent": "1000.00",
            "assistance_months": "6",
            "assistance_monthly": "700.00",
            "participant_share": "300.00",
            "lease_in_own_name": "on",
            "address": "1 Test Street",
            "landlord_name": "Test Landlord",
            "bedrooms": "1",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "A lease must run at least 12 months." in page
    assert 'id="id_lease_months-error"' in page or "usa-form-group--error" in page
    assert not Placement.objects.exists()


def test_the_form_records_a_placement_with_its_apartment(worker, person, pilot, join):
    response = client_for(worker).post(
        "/staff/housing/placements/new/",
        {
            "reference": person.reference,
            "program": pilot.pk,
            "partner_agency": join.pk,
            "referral_on": "2025-08-20",
            "start_on": "2025-09-01",
            "move_in_on": "2025-09-10",
            "lease_start_on": "2025-09-10",
            "lease_months": "12",
            "rent": "1000.00",
            "assistance_months": "6",
            "assistance_monthly": "700.00",
            "participant_share": "300.00",
            "lease_in_own_name": "on",
            "address": "1 Test Street",
            "landlord_name": "Test Landlord",
            "bedrooms": "1",
        },
    )
    placement = Placement.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"/{placement.pk}/")
    assert placement.unit.address == "1 Test Street"


def _housed(worker, pilot, lifeworks, n):
    for i in range(n):
        person = make_person(lifeworks, worker)
        unit = services.unit_create(
            membership=worker, agency=lifeworks, address=f"{i} {ADDRESS}", landlord_name=LANDLORD
        )
        placement = place(worker, person, pilot, lifeworks, unit)
        if i == 0:
            services.placement_exit(
                membership=worker,
                placement=placement,
                exit_on=datetime.date(2025, 12, 1),
                destination="435",
                income_exit=Decimal("900.00"),
            )


def test_outcome_page_has_charts_with_tables_and_exact_figures_for_staff(
    worker, supervisor, pilot, lifeworks
):
    _housed(worker, pilot, lifeworks, 3)
    page = (
        client_for(supervisor)
        .get(f"/staff/housing/programs/{pilot.pk}/?start=2025-01-01&end=2026-06-30")
        .content.decode()
    )
    assert "<svg" in page and "Move-ins by month" in page
    assert "Move-ins by month: the chart&#x27;s data" in page or "the chart's data" in page
    assert '<th scope="row">2025-09</th><td>3</td>' in page
    assert "100% (1 / 1)" in page  # exits to permanent housing
    assert ADDRESS not in page and LANDLORD not in page and "Synthia" not in page


def test_coordinator_sees_suppressed_aggregates_and_downloads_counts_only(
    worker, pilot, lifeworks, city
):
    _housed(worker, pilot, lifeworks, 3)
    coordinator = factories.membership(factories.UserFactory(), city, "coordinator")
    client = client_for(coordinator)
    page = client.get(f"/staff/housing/programs/{pilot.pk}/?start=2025-01-01&end=2026-06-30")
    text = page.content.decode()
    assert "fewer than 11" in text and "<svg" not in text
    assert client.get(f"/staff/housing/placements/{Placement.objects.first().pk}/").status_code in (
        403,
        404,
    )
    export = client.get(
        f"/staff/housing/programs/{pilot.pk}/outcomes.csv?start=2025-01-01&end=2026-06-30"
    )
    body = b"".join(export.streaming_content).decode()
    assert "Moved in during the period,fewer than 11" in body
    assert '"435 Rental by the person, with an ongoing housing subsidy",fewer than 11' in body
    assert '"410 Rental by the person, no ongoing housing subsidy",0' in body
    for secret in (ADDRESS, LANDLORD, "Synthia", "Testcase", "SH-"):
        assert secret not in body
    assert AuditEvent.objects.filter(reason="funder_export").exists()


def test_caseworker_cannot_download_the_funder_export(worker, pilot):
    response = client_for(worker).get(f"/staff/housing/programs/{pilot.pk}/outcomes.csv")
    assert response.status_code == 403


def test_exit_through_the_page_refuses_an_exit_before_move_in(placement, worker):
    client = client_for(worker)
    response = client.post(
        f"/staff/housing/placements/{placement.pk}/exit/",
        {"exit_on": str(START), "destination": "410"},
        follow=True,
    )
    assert "Exit date: The exit cannot be before the move-in date." in response.content.decode()
    placement.refresh_from_db()
    assert placement.exit_on is None


def test_public_pages_never_show_an_apartment(placement, client):
    for url in ("/", "/es/"):
        response = client.get(url, follow=True)
        assert ADDRESS not in response.content.decode()


def test_the_apartment_and_move_in_are_recorded_later_on_the_placement_page(
    worker, person, pilot, join, join_worker
):
    placement = place(worker, person, pilot, join)
    assert placement.unit is None
    client = client_for(worker)
    page = client.get(f"/staff/housing/placements/{placement.pk}/").content.decode()
    assert "Not found yet" in page and 'name="address"' in page
    response = client.post(
        f"/staff/housing/placements/{placement.pk}/update/",
        {
            "move_in_on": "2025-10-01",
            "lease_start_on": "2025-10-01",
            "lease_months": "12",
            "rent": "1100.00",
            "assistance_months": "6",
            "assistance_monthly": "800.00",
            "participant_share": "300.00",
            "address": "7 Later Lane",
            "landlord_name": "Later Landlord",
            "bedrooms": "1",
        },
    )
    assert response.status_code == 302
    placement.refresh_from_db()
    assert placement.move_in_on == datetime.date(2025, 10, 1)
    assert placement.unit.address == "7 Later Lane"
    # The partner reaches the new apartment too.
    partner_page = client_for(join_worker).get(f"/staff/housing/placements/{placement.pk}/")
    assert "7 Later Lane" in partner_page.content.decode()


def test_the_outcome_report_downloads_as_pdf(worker, supervisor, pilot, lifeworks):
    import io

    import pypdf

    _housed(worker, pilot, lifeworks, 2)
    response = client_for(supervisor).get(
        f"/staff/housing/programs/{pilot.pk}/?start=2025-01-01&end=2026-06-30&format=pdf"
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    assert "People who moved in" in text and "Move-ins by month" in text
    assert ADDRESS not in text and "Synthia" not in text
    assert AuditEvent.objects.filter(reason="outcomes_pdf").exists()
