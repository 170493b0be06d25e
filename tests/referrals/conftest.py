"""Fixtures of the referral tests: a police unit, child welfare, a VAWA-covered provider
with a program, people and consents. All synthetic."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from safeharbor.accounts.choices import AgencyKind, ProgramKind
from safeharbor.core.permissions import CASE, IDENTITY
from safeharbor.referrals.models import ReferralSettings
from safeharbor.survivors.choices import ConsentPurpose, SignerRole
from safeharbor.survivors.services import SignerInput, consent_record, person_create
from tests import factories


def years_ago(years: int) -> datetime.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - datetime.timedelta(days=20)


@pytest.fixture
def police(db):
    return factories.AgencyFactory(kind=AgencyKind.POLICE, name="Synthetic Police")


@pytest.fixture
def provider(db):
    return factories.AgencyFactory(
        kind=AgencyKind.VICTIM_SERVICE_PROVIDER, vawa_covered=True, name="Synthetic Provider"
    )


@pytest.fixture
def program(provider):
    return factories.ProgramFactory(
        agency=provider, name="Synthetic Options", kind=ProgramKind.SURVIVOR_SERVICES
    )


@pytest.fixture
def housing(db):
    return factories.AgencyFactory(kind=AgencyKind.HOUSING_PROVIDER, name="Synthetic Housing")


def _member(agency, role):
    return factories.membership(factories.UserFactory(), agency, role)


@pytest.fixture
def detective(police):
    return _member(police, "detective")


@pytest.fixture
def advocate(provider):
    return _member(provider, "caseworker")


@pytest.fixture
def adult(detective):
    return person_create(
        membership=detective,
        values={
            "given_name": "Marisol",
            "family_name": "Testbrook",
            "dob": years_ago(24),
            "phones": ["(503) 555-0199"],
        },
    )


@pytest.fixture
def youth(detective):
    return person_create(
        membership=detective,
        values={"given_name": "Tamsin", "family_name": "Testvale", "dob": years_ago(15)},
    )


@pytest.fixture
def consent(detective, adult, program):
    today = timezone.localdate()
    return consent_record(
        membership=detective,
        person=adult,
        recipient_agencies=[],
        recipient_programs=[program],
        categories=[IDENTITY, CASE],
        purpose=ConsentPurpose.REFERRAL,
        signed_on=today - datetime.timedelta(days=1),
        expires_on=today + datetime.timedelta(days=90),
        signers=[SignerInput(SignerRole.PERSON, "Marisol Testbrook")],
    )


@pytest.fixture
def legal_basis(police):
    return ReferralSettings.objects.create(
        agency=police, juvenile_legal_basis="ORS 419B.005 (synthetic)", legal_basis_access_days=90
    )
