"""Fixtures of the enforcement tests: a police agency whose designated program is a
survivor program at another agency. All synthetic."""

from __future__ import annotations

import pytest

from safeharbor.accounts.choices import AgencyKind, ProgramKind
from tests import factories


@pytest.fixture
def police(db):
    agency = factories.AgencyFactory(kind=AgencyKind.POLICE, name="Test Police Unit")
    provider = factories.AgencyFactory(kind=AgencyKind.VICTIM_SERVICE_PROVIDER, vawa_covered=True)
    program = factories.ProgramFactory(
        agency=provider, name="Synthetic Options Program", kind=ProgramKind.SURVIVOR_SERVICES
    )
    agency.designated_program = program
    agency.save(update_fields=["designated_program"])
    return agency


@pytest.fixture
def detective(police):
    user = factories.UserFactory()
    return factories.membership(user, police, "detective")


@pytest.fixture
def officer(police):
    user = factories.UserFactory()
    return factories.membership(user, police, "officer")
