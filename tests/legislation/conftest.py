"""Fixtures of the legislation tests: Oregon, a session and a bill, made through the services.
All bills and people here are synthetic."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from safeharbor.audit.choices import ActorKind
from safeharbor.legislation import services

DATA = Path(__file__).parent / "data"
OREGON = "ocd-jurisdiction/country:us/state:or/government"


def fixture_text() -> str:
    return (DATA / "openstates_bills.json").read_text()


def fixture_data() -> dict:
    return json.loads(fixture_text())


@pytest.fixture
def oregon(db):
    return services.jurisdiction_create(actor=ActorKind.SYSTEM, name="Oregon", ocd_id=OREGON)


@pytest.fixture
def session_2031(oregon):
    return services.session_create(
        actor=ActorKind.SYSTEM, jurisdiction=oregon, identifier="2031R1", name="2031 Regular"
    )


@pytest.fixture
def bill(session_2031):
    return services.bill_save(
        actor=ActorKind.SYSTEM,
        session=session_2031,
        identifier="sb 77",
        title="Relating to a synthetic test subject.",
        chamber="upper",
    )
