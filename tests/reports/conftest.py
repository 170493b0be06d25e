"""Fixtures for the reports area: agencies and synthetic records made straight in the
database (reports only read them)."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.utils import timezone

from safeharbor.accounts.choices import AgencyKind
from safeharbor.survivors.models import Identification, Person
from tests import factories

_refs = itertools.count(1)


@pytest.fixture
def provider(db):
    return factories.AgencyFactory(
        name="Harbor Light Services", kind=AgencyKind.VICTIM_SERVICE_PROVIDER
    )


@pytest.fixture
def welfare(db):
    return factories.AgencyFactory(name="County Child Welfare", kind=AgencyKind.CHILD_WELFARE)


def make_people(
    agency,
    n: int,
    *,
    on: datetime.date,
    juvenile: bool = True,
    status: str = "suspected",
    age_band: str = "15_17",
    sex: str = "F",
) -> list[Person]:
    """``n`` synthetic people of ``agency``, each with one identification on ``on``."""
    people = []
    for _ in range(n):
        person = Person.objects.create(
            agency=agency, reference=f"SH-T{next(_refs):07d}", age_band=age_band, sex=sex
        )
        Identification.objects.create(
            person=person,
            agency=agency,
            identified_on=on,
            status=status,
            basis="screening",
            juvenile_at_identification=juvenile,
        )
        people.append(person)
    return people


def this_month() -> datetime.date:
    return timezone.localdate().replace(day=1)
