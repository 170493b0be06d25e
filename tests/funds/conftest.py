"""A Portland-shaped fund (75% victim services / 25% police) with two fiscal years."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from safeharbor.accounts.choices import AgencyKind, ProgramKind
from safeharbor.funds import services
from safeharbor.funds.permissions import SYSTEM
from tests import factories

FY_START = datetime.date(2025, 7, 1)
IN_YEAR = datetime.date(2025, 9, 15)


def make_fund(agency, slug="test-fund"):
    fund = services.fund_setup(
        actor=SYSTEM,
        membership=None,
        agency=agency,
        name="Human Trafficking Fund",
        slug=slug,
        shares=[("Victim services", Decimal("75")), ("Police", Decimal("25"))],
        authority="Test ordinance",
    )
    services.fiscal_year_create(
        actor=SYSTEM,
        membership=None,
        fund=fund,
        name="FY 2025-26",
        starts_on=FY_START,
        ends_on=datetime.date(2026, 6, 30),
    )
    services.fiscal_year_create(
        actor=SYSTEM,
        membership=None,
        fund=fund,
        name="FY 2026-27",
        starts_on=datetime.date(2026, 7, 1),
        ends_on=datetime.date(2027, 6, 30),
    )
    return fund


@pytest.fixture
def city(db):
    return factories.AgencyFactory(kind=AgencyKind.CITY)


@pytest.fixture
def fund(city):
    return make_fund(city)


@pytest.fixture
def program(db):
    return factories.ProgramFactory(name="Survivor services test", kind=ProgramKind.HOUSING)


@pytest.fixture
def victim_share(fund):
    return fund.shares.get(name="Victim services")


def receive(fund, gross, costs="0.00", **extra):
    return services.receipt_record(
        actor=SYSTEM,
        membership=None,
        fund=fund,
        received_on=extra.pop("received_on", IN_YEAR),
        property_kind=extra.pop("property_kind", "vehicle"),
        description=extra.pop("description", "Vehicle sold at auction"),
        gross_amount=Decimal(gross),
        case_costs=Decimal(costs),
        **extra,
    )


def allocate(fund, program, share, amount, on=IN_YEAR):
    return services.allocation_create(
        actor=SYSTEM,
        membership=None,
        fund=fund,
        program=program,
        share=share,
        purpose="Rent help",
        amount=Decimal(amount),
        allocated_on=on,
    )


def pay(allocation, amount, on=IN_YEAR):
    return services.payment_post(
        actor=SYSTEM,
        membership=None,
        allocation=allocation,
        amount=Decimal(amount),
        payee="Test Landlord LLC",
        paid_on=on,
    )
