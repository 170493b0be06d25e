"""Fixtures for the survivors area: two agencies, members with roles, people."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from safeharbor.accounts.choices import AgencyKind
from safeharbor.survivors import services
from tests import factories


@pytest.fixture
def home(db):
    return factories.AgencyFactory(kind=AgencyKind.VICTIM_SERVICE_PROVIDER, vawa_covered=True)


@pytest.fixture
def other(db):
    return factories.AgencyFactory(kind=AgencyKind.CHILD_WELFARE)


@pytest.fixture
def member(db):
    """member("caseworker", agency) -> an active membership."""

    def make(role: str, agency, **extra):
        user = factories.UserFactory()
        return factories.membership(user, agency, role, **extra)

    return make


@pytest.fixture
def worker(member, home):
    return member("caseworker", home)


@pytest.fixture
def supervisor(member, home):
    return member("supervisor", home)


def years_ago(years: int, days: int = 0) -> datetime.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - datetime.timedelta(days=days)


@pytest.fixture
def make_person(db):
    def make(membership, **values):
        values.setdefault("given_name", "Rosa")
        values.setdefault("family_name", "Testwell")
        return services.person_create(membership=membership, values=values)

    return make


@pytest.fixture
def youth(worker, make_person):
    return make_person(
        worker,
        given_name="Katy",
        family_name="Smith",
        aliases=["Little K"],
        dob=years_ago(15, 30),
        phones=["(503) 555-0142"],
        sex="F",
    )


@pytest.fixture
def adult(worker, make_person):
    return make_person(worker, given_name="Dana", family_name="Fairhollow", dob=years_ago(30))
