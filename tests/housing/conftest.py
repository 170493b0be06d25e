"""A housing pilot run by a housing provider with a VAWA-covered survivor agency and the
city as partners, an adult survivor of the survivor agency with consent to share with the
housing provider, and a fund with an allocation to the pilot. All synthetic."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from safeharbor.accounts.choices import AgencyKind, ProgramKind
from safeharbor.core.actors import SYSTEM
from safeharbor.funds import services as funds
from safeharbor.housing import services
from safeharbor.survivors.derive import new_reference
from safeharbor.survivors.models import Consent, Person
from tests import factories
from tests.funds.conftest import make_fund, receive

START = datetime.date(2025, 9, 1)
MOVE_IN = datetime.date(2025, 9, 20)


@pytest.fixture
def lifeworks(db):
    return factories.AgencyFactory(
        name="Survivor Services Test", kind=AgencyKind.VICTIM_SERVICE_PROVIDER, vawa_covered=True
    )


@pytest.fixture
def join(db):
    return factories.AgencyFactory(name="Housing Partner Test", kind=AgencyKind.HOUSING_PROVIDER)


@pytest.fixture
def city(db):
    return factories.AgencyFactory(name="City Test", kind=AgencyKind.CITY)


@pytest.fixture
def pilot(join, lifeworks, city):
    program = factories.ProgramFactory(agency=join, name="Housing pilot", kind=ProgramKind.HOUSING)
    return services.housing_program_configure(
        membership=None, program=program, project_type="rrh", partners=[join, lifeworks, city]
    )


@pytest.fixture
def worker(lifeworks):
    user = factories.UserFactory()
    return factories.membership(user, lifeworks, "caseworker")


@pytest.fixture
def supervisor(lifeworks):
    return factories.membership(factories.UserFactory(), lifeworks, "supervisor")


@pytest.fixture
def join_worker(join):
    return factories.membership(factories.UserFactory(), join, "caseworker")


@pytest.fixture
def join_supervisor(join):
    return factories.membership(factories.UserFactory(), join, "supervisor")


def make_person(agency, worker, *, dob=datetime.date(1995, 3, 1), consent_to=None):
    person = Person.objects.create(
        agency=agency,
        reference=new_reference(),
        given_name="Synthia",
        family_name="Testcase",
        dob=dob,
        assigned_to=worker.user,
    )
    if consent_to is not None:
        consent = Consent.objects.create(
            person=person,
            agency=agency,
            categories=["case", "identity"],
            purpose="housing",
            signed_on=datetime.date(2025, 1, 1),
            expires_on=datetime.date.today() + datetime.timedelta(days=90),
        )
        consent.recipient_agencies.set([consent_to])
    return person


@pytest.fixture
def person(lifeworks, worker, join):
    return make_person(lifeworks, worker, consent_to=join)


@pytest.fixture
def unit(worker, lifeworks):
    return services.unit_create(
        membership=worker,
        agency=lifeworks,
        address="12 Confidential Court, Apt 9",
        landlord_name="Hidden Landlord LLC",
        landlord_contact="555-0100",
    )


def place(worker, person, pilot, partner, unit=None, **extra):
    values = {
        "referral_on": START - datetime.timedelta(days=10),
        "start_on": START,
        "move_in_on": MOVE_IN if unit else None,
        "lease_start_on": MOVE_IN if unit else None,
        "lease_months": 12 if unit else None,
        "rent": Decimal("1100.00") if unit else None,
        "assistance_months": 6,
        "assistance_monthly": Decimal("800.00"),
        "participant_share": Decimal("300.00"),
        "income_start": Decimal("400.00"),
    }
    values.update(extra)
    return services.placement_create(
        membership=worker,
        person=person,
        program=pilot,
        partner_agency=partner,
        unit=unit,
        **values,
    )


@pytest.fixture
def placement(worker, person, pilot, join, unit):
    return place(worker, person, pilot, join, unit)


@pytest.fixture
def fund(city):
    fund = make_fund(city, slug="housing-test-fund")
    receive(fund, "10000.00")
    return fund


@pytest.fixture
def allocation(fund, pilot):
    return funds.allocation_create(
        actor=SYSTEM,
        membership=None,
        fund=fund,
        program=pilot.program,
        share=fund.shares.get(name="Victim services"),
        purpose="Rent help",
        amount=Decimal("2000.00"),
        allocated_on=datetime.date(2025, 9, 2),
    )
