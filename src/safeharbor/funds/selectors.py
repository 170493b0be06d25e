"""Reads of the restricted fund. Every figure here is summed from posted journal lines."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from .choices import AccountKind, AccountRole, EntryKind, PropertyKind
from .models import ZERO, Account, Allocation, DistributionShare, FiscalYear, Fund, JournalLine

_MONEY = DecimalField(max_digits=14, decimal_places=2)
CENT = Decimal("0.01")


def _zero() -> Value:
    return Value(ZERO, output_field=_MONEY)


def _sum(field_name: str, condition: Q | None = None) -> Coalesce:
    return Coalesce(Sum(field_name, filter=condition), _zero(), output_field=_MONEY)


def _net(lines: QuerySet[JournalLine], *, debit_normal: bool) -> Decimal:
    totals = lines.aggregate(d=_sum("debit"), c=_sum("credit"))
    signed = (totals["d"] - totals["c"]).quantize(CENT)
    return signed if debit_normal else -signed


def lines_of(fund: Fund, *, start: datetime.date | None = None, end: datetime.date | None = None):
    lines = JournalLine.objects.filter(entry__fund=fund)
    if start is not None:
        lines = lines.filter(entry__entry_date__gte=start)
    if end is not None:
        lines = lines.filter(entry__entry_date__lte=end)
    return lines


@dataclass(frozen=True)
class AccountBalance:
    account: Account
    debits: Decimal
    credits: Decimal

    @property
    def balance(self) -> Decimal:
        """On the account's normal side: positive is the usual state."""
        signed = (self.debits - self.credits).quantize(CENT)
        return signed if self.account.is_debit_normal else -signed


def account_balances(fund: Fund, *, end: datetime.date | None = None) -> list[AccountBalance]:
    """The trial balance: every account of the fund with its debits and credits to ``end``."""
    condition = Q(lines__entry__entry_date__lte=end) if end else Q()
    accounts = (
        Account.objects.filter(fund=fund)
        .annotate(d=_sum("lines__debit", condition), c=_sum("lines__credit", condition))
        .order_by("code")
    )
    return [
        AccountBalance(account=a, debits=a.d.quantize(CENT), credits=a.c.quantize(CENT))
        for a in accounts
    ]


def with_balances(allocations: QuerySet[Allocation]) -> Any:
    """Annotate ``available`` (left to pay), ``paid`` and ``allocated`` (the two together).

    Typed ``Any``: the type checker cannot see annotations on model instances."""
    allocated_lines = Q(lines__account__role=AccountRole.ALLOCATED)
    spent_lines = Q(lines__account__role=AccountRole.PROGRAM_EXPENDITURE)
    return allocations.annotate(
        available=_sum("lines__credit", allocated_lines) - _sum("lines__debit", allocated_lines),
        paid=_sum("lines__debit", spent_lines) - _sum("lines__credit", spent_lines),
    ).annotate(allocated=F("available") + F("paid"))


@dataclass(frozen=True)
class ShareSummary:
    share: DistributionShare
    distributed: Decimal
    allocated: Decimal
    unallocated: Decimal


@dataclass(frozen=True)
class FundOverview:
    fund: Fund
    cash: Decimal
    held_cash: Decimal
    fund_balance: Decimal
    shares: list[ShareSummary]
    allocated_available: Decimal
    debits: Decimal
    credits: Decimal

    @property
    def in_balance(self) -> bool:
        return self.debits == self.credits


def _role_balance(fund: Fund, role: str, **period: datetime.date | None) -> Decimal:
    account = Account.objects.get(fund=fund, role=role)
    lines = lines_of(fund, **period).filter(account=account)
    return _net(lines, debit_normal=account.is_debit_normal)


def fund_balance_at(fund: Fund, end: datetime.date | None) -> Decimal:
    """Assets less liabilities at the end of ``end`` (None: now)."""
    lines = lines_of(fund, end=end)
    assets = _net(lines.filter(account__kind=AccountKind.ASSET), debit_normal=True)
    liabilities = _net(lines.filter(account__kind=AccountKind.LIABILITY), debit_normal=False)
    return assets - liabilities


def fund_overview(fund: Fund) -> FundOverview:
    allocations = with_balances(Allocation.objects.filter(fund=fund)).values_list(
        "share_id", "allocated", "available"
    )
    allocated_by_share: dict[int, Decimal] = {}
    allocated_available = ZERO
    for share_id, allocated, available in allocations:
        allocated_by_share[share_id] = allocated_by_share.get(share_id, ZERO) + allocated
        allocated_available += available
    shares = []
    for share in DistributionShare.objects.filter(fund=fund).select_related("account"):
        unallocated = _net(JournalLine.objects.filter(account=share.account), debit_normal=False)
        allocated = allocated_by_share.get(share.pk, ZERO)
        shares.append(
            ShareSummary(
                share=share,
                distributed=unallocated + allocated,
                allocated=allocated,
                unallocated=unallocated,
            )
        )
    totals = lines_of(fund).aggregate(d=_sum("debit"), c=_sum("credit"))
    return FundOverview(
        fund=fund,
        cash=_role_balance(fund, AccountRole.CASH),
        held_cash=_role_balance(fund, AccountRole.HELD_CASH),
        fund_balance=fund_balance_at(fund, None),
        shares=shares,
        allocated_available=allocated_available.quantize(CENT),
        debits=totals["d"],
        credits=totals["c"],
    )


@dataclass
class ProgramUse:
    """What one program got and spent in a period."""

    program_name: str
    agency_name: str
    share_name: str
    allocated: Decimal = ZERO
    paid: Decimal = ZERO


@dataclass
class Statement:
    """The fund statement for a period, and what the annual report on the use of proceeds
    adds to it: proceeds by kind of property, the split, and use by program."""

    fund: Fund
    start: datetime.date
    end: datetime.date
    opening_balance: Decimal
    revenue: Decimal
    case_costs: Decimal
    program_expenditure: Decimal
    closing_balance: Decimal
    held_cash_at_end: Decimal
    allocated_in_period: Decimal
    by_share: list[tuple[str, Decimal]] = field(default_factory=list)
    by_property: list[tuple[str, int, Decimal, Decimal]] = field(default_factory=list)
    by_program: list[ProgramUse] = field(default_factory=list)

    @property
    def net_proceeds(self) -> Decimal:
        return self.revenue - self.case_costs

    @property
    def reconciles(self) -> bool:
        return (
            self.opening_balance + self.revenue - self.case_costs - self.program_expenditure
            == self.closing_balance
        )


def fund_statement(fund: Fund, *, start: datetime.date, end: datetime.date) -> Statement:
    """Opening balance, revenue, case costs, allocations, expenditure and closing balance for
    ``start``..``end`` (inclusive), with the detail the annual report shows."""
    from .models import Receipt

    period = lines_of(fund, start=start, end=end)
    revenue = _net(period.filter(account__role=AccountRole.PROCEEDS), debit_normal=False)
    case_costs = _net(period.filter(account__role=AccountRole.CASE_COSTS), debit_normal=True)
    spent = _net(period.filter(account__role=AccountRole.PROGRAM_EXPENDITURE), debit_normal=True)
    allocation_lines = period.filter(account__role=AccountRole.ALLOCATED).filter(
        Q(entry__kind=EntryKind.ALLOCATION) | Q(entry__reverses__kind=EntryKind.ALLOCATION)
    )
    distribution_lines = period.filter(account__role=AccountRole.SHARE).filter(
        Q(entry__kind=EntryKind.DISTRIBUTION) | Q(entry__reverses__kind=EntryKind.DISTRIBUTION)
    )
    by_share = [
        (
            share.name,
            _net(distribution_lines.filter(account__share=share), debit_normal=False),
        )
        for share in DistributionShare.objects.filter(fund=fund)
    ]
    by_property = []
    receipts = Receipt.objects.filter(
        fund=fund, received_on__gte=start, received_on__lte=end, entry__reversal__isnull=True
    )
    for kind, label in PropertyKind.choices:
        rows = receipts.filter(property_kind=kind)
        totals = rows.aggregate(g=_sum("gross_amount"), c=_sum("case_costs"))
        count = rows.count()
        if count:
            by_property.append((str(label), count, totals["g"], totals["c"]))
    uses: dict[tuple[int, str], ProgramUse] = {}
    program_lines = (
        period.filter(allocation__isnull=False)
        .values(
            "allocation__program_id",
            "allocation__program__name",
            "allocation__program__agency__name",
            "allocation__share__name",
        )
        .annotate(
            allocated=_sum(
                "credit",
                Q(account__role=AccountRole.ALLOCATED)
                & (
                    Q(entry__kind=EntryKind.ALLOCATION)
                    | Q(entry__reverses__kind=EntryKind.ALLOCATION)
                ),
            )
            - _sum(
                "debit",
                Q(account__role=AccountRole.ALLOCATED)
                & (
                    Q(entry__kind=EntryKind.ALLOCATION)
                    | Q(entry__reverses__kind=EntryKind.ALLOCATION)
                ),
            ),
            paid=_sum("debit", Q(account__role=AccountRole.PROGRAM_EXPENDITURE))
            - _sum("credit", Q(account__role=AccountRole.PROGRAM_EXPENDITURE)),
        )
        .order_by("allocation__program__name", "allocation__share__name")
    )
    for row in program_lines:
        key = (row["allocation__program_id"], row["allocation__share__name"])
        use = uses.setdefault(
            key,
            ProgramUse(
                program_name=row["allocation__program__name"],
                agency_name=row["allocation__program__agency__name"],
                share_name=row["allocation__share__name"],
            ),
        )
        use.allocated += row["allocated"]
        use.paid += row["paid"]
    return Statement(
        fund=fund,
        start=start,
        end=end,
        opening_balance=fund_balance_at(fund, start - datetime.timedelta(days=1)),
        revenue=revenue,
        case_costs=case_costs,
        program_expenditure=spent,
        closing_balance=fund_balance_at(fund, end),
        held_cash_at_end=_net(
            lines_of(fund, end=end).filter(account__role=AccountRole.HELD_CASH),
            debit_normal=True,
        ),
        allocated_in_period=_net(allocation_lines, debit_normal=False),
        by_share=by_share,
        by_property=by_property,
        by_program=list(uses.values()),
    )


def annual_report(year: FiscalYear) -> Statement:
    """The annual report on the use of forfeiture proceeds for one fiscal year."""
    return fund_statement(year.fund, start=year.starts_on, end=year.ends_on)
