"""Outcome measures: returns to homelessness windows, income change, length of stay, and
small cells suppressed in the funder rows."""

from __future__ import annotations

import datetime
from collections import Counter
from decimal import Decimal

import pytest

from safeharbor.housing import selectors, services
from safeharbor.housing.models import Placement
from safeharbor.reports.suppression import suppressed_number

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
    assert suppressed_number(0).export_value == 0
    assert suppressed_number(1).export_value == "fewer than 11"
    assert suppressed_number(10).export_value == "fewer than 11"
    assert suppressed_number(11).export_value == 11


def test_funder_rows_hide_what_a_total_would_give_away():
    """12 exits, 11 to a rental and 1 to a shelter: showing 12 and 11 would reveal the 1."""
    result = selectors.Outcomes(
        start=PERIOD["start"],
        end=PERIOD["end"],
        housed=30,
        housed_at_end=18,
        days_to_move_in=[20] * 30,
        stays=[200] * 12,
        exits_by_destination=Counter({"410": 11, "101": 1}),
        permanent_exits=11,
        returns={6: 0, 12: 0, 24: 0},
    )
    rows = {
        (section, category): value for section, category, value in selectors.funder_rows(result)
    }
    assert rows[("Persons", "Moved in during the period")] == 30
    assert rows[("Exits by destination group", "Temporary or homeless")] == "fewer than 11"
    shown = [rows[("Exits", "Total exits")], rows[("Exits by destination group", "Permanent")]]
    assert any(value == "hidden" for value in shown), rows
    page = {r.label: r.value for r in selectors.summary_rows(result, suppressed=True)}
    assert page["People who moved in"] == "30"
