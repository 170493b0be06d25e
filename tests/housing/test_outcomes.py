"""Outcome measures: returns to homelessness windows, income change, length of stay, and
small cells suppressed in the funder rows."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from safeharbor.housing import selectors, services
from safeharbor.housing.models import Placement
from safeharbor.housing.suppression import suppress

from .conftest import make_person, place

pytestmark = pytest.mark.django_db

PERIOD = {"start": datetime.date(2025, 1, 1), "end": datetime.date(2026, 12, 31)}


def _exit(worker, placement, on, destination, income=None, returned=None):
    placement = services.placement_exit(
        membership=worker,
        placement=placement,
        exit_on=on,
        destination=destination,
        income_exit=income,
    )
    if returned:
        services.placement_record_return(
            membership=worker, placement=placement, returned_on=returned
        )


def test_measures(worker, pilot, lifeworks, unit):
    def housed():
        u = services.unit_create(
            membership=worker, agency=lifeworks, address="1 Test Row", landlord_name="T"
        )
        return place(worker, make_person(lifeworks, worker), pilot, lifeworks, u)

    a, b, c, _still_housed = housed(), housed(), housed(), housed()
    # a: permanent exit, homeless again 5 months later; b: permanent, back after 12.5 months
    # (counted only in the 24-month window); c: to a shelter; d: still housed.
    _exit(
        worker, a, datetime.date(2025, 11, 20), "410", Decimal("900.00"), datetime.date(2026, 4, 1)
    )
    _exit(
        worker, b, datetime.date(2025, 10, 20), "435", Decimal("400.00"), datetime.date(2026, 11, 1)
    )
    _exit(worker, c, datetime.date(2025, 12, 20), "101", Decimal("100.00"))
    result = selectors.outcomes(Placement.objects.filter(program=pilot), **PERIOD)
    assert result.housed == 4 and result.housed_at_end == 1
    assert result.exits == 3 and result.permanent_exits == 2
    assert result.returns == {6: 1, 12: 1, 24: 2}
    assert result.exits_by_group["permanent"] == 2 and result.exits_by_group["temporary"] == 1
    assert result.days_to_move_in == [29, 29, 29, 29]  # referral Aug 22 -> move-in Sep 20
    assert sorted(result.stays) == [30, 61, 91]
    # Income at start was 400 for everyone: up (a), same (b), down (c).
    assert (result.income_up, result.income_same, result.income_down) == (1, 1, 1)
    rows = {r.label: r.value for r in selectors.summary_rows(result, suppressed=False)}
    assert rows["Exits to permanent housing"] == "67% (2 / 3)"
    hidden = {r.label: r.value for r in selectors.summary_rows(result, suppressed=True)}
    assert hidden["People who moved in"] == "fewer than 11"
    assert hidden["Exits to permanent housing"] == "fewer than 11"
    funder = selectors.funder_rows(result)
    assert all(count == 0 or count == "fewer than 11" for _, _, count in funder)


def test_suppression_keeps_zero_and_large_counts():
    assert suppress(0) == 0
    assert suppress(1) == "fewer than 11"
    assert suppress(10) == "fewer than 11"
    assert suppress(11) == 11
