"""A bill's status comes from its actions alone."""

from __future__ import annotations

import pytest

from safeharbor.legislation.choices import BillStatus
from safeharbor.legislation.models import BillAction
from safeharbor.legislation.selectors import derive_status, sorted_actions


def act(date: str, *codes: str, chamber: str = "upper", order: int = 0) -> BillAction:
    return BillAction(
        date=date, description="x", classifications=list(codes), chamber=chamber, order=order
    )


@pytest.mark.parametrize(
    ("actions", "expected"),
    [
        ([], BillStatus.NO_ACTION),
        ([act("2031-01-12", "introduction")], BillStatus.INTRODUCED),
        (
            [act("2031-01-12", "introduction"), act("2031-01-15", "referral-committee")],
            BillStatus.IN_COMMITTEE,
        ),
        ([act("2031-03-09", "reading-3", "passage")], BillStatus.PASSED_ONE_CHAMBER),
        (
            [act("2031-03-09", "passage"), act("2031-04-01", "passage", chamber="lower")],
            BillStatus.PASSED_LEGISLATURE,
        ),
        (
            # Referral in the second chamber does not undo passage in the first.
            [act("2031-03-09", "passage"), act("2031-03-12", "referral-committee")],
            BillStatus.PASSED_ONE_CHAMBER,
        ),
        ([act("2011", "executive-signature", chamber="executive")], BillStatus.SIGNED),
        (
            [act("2031-05-01", "executive-signature"), act("2031-06-01", "became-law")],
            BillStatus.BECAME_LAW,
        ),
        ([act("2031-03-09", "passage"), act("2031-05-01", "executive-veto")], BillStatus.VETOED),
        ([act("2031-02-01", "introduction"), act("2031-02-20", "failure")], BillStatus.FAILED),
    ],
)
def test_status_is_derived_from_actions(actions, expected):
    assert derive_status(actions) == expected


def test_out_of_order_entry_is_sorted_by_date_then_order():
    late = act("2031-05-01", "executive-signature", order=0)
    early = act("2031-01-12", "introduction", order=1)
    assert sorted_actions([late, early]) == [early, late]
    assert derive_status([late, early]) == BillStatus.SIGNED
