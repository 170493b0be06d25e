"""Fixtures of the database-mode linkage tests: child welfare, police, a VAWA-covered
provider, the city, and a helper that records a young person with an identification through
the survivors services. All synthetic."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from safeharbor.accounts.choices import AgencyKind
from safeharbor.survivors.choices import IdentificationBasis, IdentificationStatus
from safeharbor.survivors.services import identification_record, person_create
from tests import factories


def born(years: int, month: int = 4, day: int = 17) -> datetime.date:
    return datetime.date(timezone.localdate().year - years, month, day)


@pytest.fixture
def city(db):
    return factories.AgencyFactory(kind=AgencyKind.CITY, name="Synthetic City Office")


@pytest.fixture
def dhs(db):
    return factories.AgencyFactory(kind=AgencyKind.CHILD_WELFARE, name="Synthetic Child Welfare")


@pytest.fixture
def police(db):
    return factories.AgencyFactory(kind=AgencyKind.POLICE, name="Synthetic Police")


@pytest.fixture
def provider(db):
    return factories.AgencyFactory(
        kind=AgencyKind.VICTIM_SERVICE_PROVIDER, vawa_covered=True, name="Synthetic Provider"
    )


@pytest.fixture
def record():
    """record(agency, given, family, dob, ...) -> a person with an identification."""

    def make(
        agency,
        given,
        family,
        dob,
        *,
        phone="",
        status=IdentificationStatus.SUSPECTED,
        identified_on=None,
        aliases=(),
    ):
        person = person_create(
            membership=None,
            agency=agency,
            values={
                "given_name": given,
                "family_name": family,
                "dob": dob,
                "sex": "F",
                "phones": [phone] if phone else [],
                "aliases": list(aliases),
                "city": "Portland",
            },
        )
        if status:
            identification_record(
                membership=None,
                person=person,
                status=status,
                identified_on=identified_on or timezone.localdate(),
                basis=IdentificationBasis.SCREENING,
            )
        return person

    return make
