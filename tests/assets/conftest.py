"""Fixtures of the seized-property tests: a police agency whose forfeiture proceeds go to a
city's fund (75% victim services / 25% police), its property officer, detective and
officer, a buyer and an exploiter, an investigation and an operation. All synthetic."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from safeharbor.accounts.choices import AgencyKind, ProgramKind
from safeharbor.assets import services
from safeharbor.assets.choices import AssetKind
from safeharbor.enforcement import services as enforcement
from safeharbor.enforcement.choices import ContactRole
from safeharbor.funds import services as funds
from safeharbor.funds.permissions import SYSTEM
from tests import factories


def fiscal_start(on: datetime.date) -> datetime.date:
    return datetime.date(on.year if on.month >= 7 else on.year - 1, 7, 1)


def make_fund(agency, slug="assets-fund"):
    fund = funds.fund_setup(
        actor=SYSTEM,
        membership=None,
        agency=agency,
        name="Human Trafficking Fund",
        slug=slug,
        shares=[("Victim services", Decimal("75")), ("Police", Decimal("25"))],
    )
    start = fiscal_start(timezone.localdate()).replace(
        year=fiscal_start(timezone.localdate()).year - 1
    )
    for n in range(2):
        begins = start.replace(year=start.year + n)
        funds.fiscal_year_create(
            actor=SYSTEM,
            membership=None,
            fund=fund,
            name=f"FY {begins.year}",
            starts_on=begins,
            ends_on=begins.replace(year=begins.year + 1) - datetime.timedelta(days=1),
        )
    return fund


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def at(n: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=n)


@pytest.fixture
def city(db):
    return factories.AgencyFactory(kind=AgencyKind.CITY, name="Test City")


@pytest.fixture
def fund(city):
    return make_fund(city)


@pytest.fixture
def police(db):
    agency = factories.AgencyFactory(kind=AgencyKind.POLICE, name="Test Police")
    provider = factories.AgencyFactory(kind=AgencyKind.VICTIM_SERVICE_PROVIDER)
    agency.designated_program = factories.ProgramFactory(
        agency=provider, name="Synthetic Options", kind=ProgramKind.SURVIVOR_SERVICES
    )
    agency.save(update_fields=["designated_program"])
    return agency


@pytest.fixture
def keeper(police):
    return factories.membership(factories.UserFactory(), police, "property_officer")


@pytest.fixture
def detective(police):
    return factories.membership(factories.UserFactory(), police, "detective")


@pytest.fixture
def officer(police):
    return factories.membership(factories.UserFactory(), police, "officer")


@pytest.fixture
def policy(keeper, fund):
    return services.policy_configure(
        membership=keeper, fund=fund, claim_window_days=30, notice_within_days=21
    )


@pytest.fixture
def exploiter(detective):
    return enforcement.subject_create(
        membership=detective, kind="exploiter", aliases=["Synthetic Handle 9"]
    )


@pytest.fixture
def investigation(detective, exploiter):
    return enforcement.investigation_open(
        membership=detective,
        case_number="T-ASSET-1",
        title="Synthetic investigation",
        opened_on=days_ago(200),
        lead_detective=detective.user,
        subjects=[exploiter],
    )


@pytest.fixture
def operation(detective):
    return enforcement.operation_create(
        membership=detective,
        name="Synthetic sting",
        kind="reverse_sting",
        started_on=days_ago(150),
        ended_on=days_ago(150),
        general_area="Synthetic corridor",
        lead=detective.user,
        participants=[detective.user],
        status="completed",
    )


@pytest.fixture
def buyer_contact(detective, operation):
    buyer = enforcement.subject_create(membership=detective, kind="buyer", given_name="Synthetic")
    return enforcement.contact_record(
        membership=detective,
        operation=operation,
        role=ContactRole.BUYER,
        contacted_at=at(150),
        subject=buyer,
    )


def seize_car(membership, subject, investigation, **extra):
    values = {
        "kind": AssetKind.VEHICLE,
        "description": "Synthetic sedan",
        "seized_at": at(120),
        "estimated_value": Decimal("9000.00"),
        "vin": "1SYNTH00000000001",
        "plate": "TEST001",
        "custodian": "Evidence unit",
        "location": "Impound lot",
        **extra,
    }
    return services.asset_seize(
        membership=membership, subject=subject, investigation=investigation, **values
    )


def seize_cash(membership, detective, subject, investigation, amount="480.00", **extra):
    return services.asset_seize(
        membership=membership,
        subject=subject,
        investigation=investigation,
        kind=AssetKind.CASH,
        description="Synthetic cash",
        seized_at=extra.pop("seized_at", at(120)),
        cash_amount=Decimal(amount),
        counted_by=membership.user,
        witnessed_by=detective.user,
        custodian="Evidence safe",
        location="Safe",
        **extra,
    )
