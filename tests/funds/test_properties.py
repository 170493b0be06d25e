"""Property: any sequence of receipts, held cash, forfeitures, returns, allocations,
payments and reversals keeps every entry balanced, the trial balance at zero, no guarded
balance below zero, and distributes every cent of net proceeds to the shares."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeharbor.funds import selectors, services
from safeharbor.funds.choices import AccountRole
from safeharbor.funds.models import Allocation, JournalEntry, JournalLine, Receipt
from safeharbor.funds.permissions import SYSTEM

from .conftest import IN_YEAR, make_fund

pytestmark = pytest.mark.django_db

_counter = itertools.count()
cents = st.integers(min_value=1, max_value=5_000_000)

operation = st.one_of(
    st.tuples(st.just("receipt"), cents, st.integers(0, 100)),
    st.tuples(st.just("held"), cents),
    st.tuples(st.just("forfeit"), cents),
    st.tuples(st.just("return"), cents),
    st.tuples(st.just("allocate"), st.integers(0, 1), cents),
    st.tuples(st.just("pay"), st.integers(0, 20), cents),
    st.tuples(st.just("reverse"), st.integers(0, 40)),
)


def money(amount_cents: int) -> Decimal:
    return (Decimal(amount_cents) / 100).quantize(Decimal("0.01"))


def apply(op, fund, program, shares) -> None:
    kind = op[0]
    base = {"actor": SYSTEM, "membership": None}
    if kind == "receipt":
        gross = money(op[1])
        costs = (gross * op[2] / 100).quantize(Decimal("0.01"))
        services.receipt_record(
            **base,
            fund=fund,
            received_on=IN_YEAR,
            property_kind="vehicle",
            description="Sold",
            gross_amount=gross,
            case_costs=costs,
        )
    elif kind == "held":
        services.held_cash_receive(
            **base, fund=fund, amount=money(op[1]), received_on=IN_YEAR, description="Held"
        )
    elif kind == "forfeit":
        services.receipt_record(
            **base,
            fund=fund,
            received_on=IN_YEAR,
            property_kind="cash",
            description="Forfeited",
            gross_amount=money(op[1]),
            from_held_cash=True,
        )
    elif kind == "return":
        services.held_cash_return(
            **base, fund=fund, amount=money(op[1]), returned_on=IN_YEAR, description="Returned"
        )
    elif kind == "allocate":
        services.allocation_create(
            **base,
            fund=fund,
            program=program,
            share=shares[op[1]],
            purpose="Services",
            amount=money(op[2]),
            allocated_on=IN_YEAR,
        )
    elif kind == "pay":
        allocations = list(Allocation.objects.filter(fund=fund).order_by("pk"))
        if allocations:
            services.payment_post(
                **base,
                allocation=allocations[op[1] % len(allocations)],
                amount=money(op[2]),
                payee="Provider",
                paid_on=IN_YEAR,
            )
    elif kind == "reverse":
        entries = list(JournalEntry.objects.filter(fund=fund).order_by("pk"))
        if entries:
            services.journal_reverse(
                **base, entry=entries[op[1] % len(entries)], reason="Correction"
            )


def check_invariants(fund) -> None:
    per_entry: dict[int, Decimal] = {}
    for entry_id, debit, credit in JournalLine.objects.filter(entry__fund=fund).values_list(
        "entry_id", "debit", "credit"
    ):
        per_entry[entry_id] = per_entry.get(entry_id, Decimal("0")) + debit - credit
    assert all(difference == 0 for difference in per_entry.values())
    for balance in selectors.account_balances(fund):
        if balance.account.role in services.GUARDED_ROLES - {AccountRole.ALLOCATED}:
            assert balance.balance >= 0, balance.account
    for allocation in selectors.with_balances(Allocation.objects.filter(fund=fund)):
        assert allocation.available >= 0
        assert allocation.paid >= 0
    live = Receipt.objects.filter(fund=fund, entry__reversal__isnull=True)
    net = sum((r.net_amount for r in live), Decimal("0"))
    overview = selectors.fund_overview(fund)
    assert overview.debits == overview.credits
    assert overview.fund_balance == overview.cash
    # Every cent of net proceeds of receipts still standing sits in a share (allocated or not).
    assert sum((s.distributed for s in overview.shares), Decimal("0")) == net


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(operation, min_size=1, max_size=10))
def test_random_postings_keep_the_ledger_whole(ops, city, program):
    fund = make_fund(city, slug=f"prop-{next(_counter)}")
    shares = list(fund.shares.order_by("order"))
    for op in ops:
        before = JournalEntry.objects.filter(fund=fund).count()
        try:
            apply(op, fund, program, shares)
        except ValidationError:
            # A refused posting leaves nothing behind.
            assert JournalEntry.objects.filter(fund=fund).count() == before
        check_invariants(fund)
    statement = selectors.fund_statement(fund, start=IN_YEAR, end=IN_YEAR)
    assert statement.reconciles
