"""Writes to the restricted fund. Every write checks permission, posts through
``journal_post`` (one transaction, rows locked in a fixed order) and writes its audit event
in the same transaction.

The accounting, in short (see docs/funds.md):

- receipt:       Dr cash (net), Dr case costs, Cr forfeiture proceeds (gross)
- distribution:  Dr unassigned fund balance (net), Cr each share's fund balance (its percent)
- allocation:    Dr the share's fund balance, Cr allocated to programs (with the allocation)
- payment:       Dr program expenditure, Cr cash; Dr allocated, Cr unassigned fund balance
- held cash:     Dr seized cash in custody, Cr held pending forfeiture; returned in reverse
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from safeharbor.audit.choices import AuditAction
from safeharbor.audit.services import audit_record
from safeharbor.core.permissions import can

from .choices import AccountKind, AccountRole, EntryKind, PropertyKind
from .locks import lock_for_posting
from .models import (
    ZERO,
    Account,
    Allocation,
    DistributionShare,
    FiscalYear,
    Fund,
    JournalEntry,
    JournalLine,
    Payment,
    Receipt,
)
from .permissions import (
    has_perm,
    is_system,
    posting_source,
    require_on,
    subject_of,
)

if TYPE_CHECKING:
    from safeharbor.accounts.models import Agency, Membership, Program

CENT = Decimal("0.01")

# Accounts whose balance may never go below zero on its normal side. ALLOCATED is checked
# per allocation: a payment can never take more than what is left of its allocation.
GUARDED_ROLES = {
    AccountRole.CASH,
    AccountRole.HELD_CASH,
    AccountRole.HELD_LIABILITY,
    AccountRole.SHARE,
    AccountRole.ALLOCATED,
}
ALLOCATION_ROLES = {AccountRole.ALLOCATED, AccountRole.PROGRAM_EXPENDITURE}


def money(value: Any, *, field: str = "amount") -> Decimal:
    """A Decimal with two places. Floats are refused: they cannot hold cents exactly."""
    if isinstance(value, float):
        raise TypeError("Money must be a Decimal or a string, never a float.")
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError) as error:
        raise ValidationError({field: _("Enter an amount in dollars and cents.")}) from error
    if not amount.is_finite() or amount != amount.quantize(CENT):
        raise ValidationError({field: _("Enter an amount in dollars and cents.")})
    return amount.quantize(CENT)


@dataclass(frozen=True)
class Line:
    """One line to post: a debit or a credit to an account, with the allocation for lines on
    the allocated and program-expenditure accounts."""

    account: Account
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    allocation: Allocation | None = None
    memo: str = ""


# ---------------------------------------------------------------------------------------------
# The posting service
# ---------------------------------------------------------------------------------------------


def _check_posting_permission(
    *,
    actor: Any,
    membership: Membership | None,
    probe: Any,
    source_type: str,
    lines: Sequence[Line] = (),
) -> None:
    """The engine allows adding ``probe`` (an unsaved record of the fund), or the caller holds
    the permission another area registered for ``source_type`` — then only for lines of
    allocations to its own agency's programs."""
    subject = subject_of(actor, membership)
    if subject is not None and can(subject, "add", probe):
        return
    source = posting_source(source_type) if source_type else None
    if source is not None and membership is not None and has_perm(membership, source.permission):
        allocations = [line.allocation for line in lines if line.allocation is not None]
        if allocations and all(a.program.agency_id == membership.agency_id for a in allocations):
            return
    require_on(actor=actor, membership=membership, action="add", obj=probe)  # audits, raises


def _open_fiscal_year(fund: Fund, on: datetime.date) -> FiscalYear:
    year = FiscalYear.objects.filter(fund=fund, starts_on__lte=on, ends_on__gte=on).first()
    if year is None:
        raise ValidationError(
            {"entry_date": _("No fiscal year of this fund covers %(date)s.") % {"date": on}}
        )
    if year.is_closed:
        raise ValidationError(
            {"entry_date": _("Fiscal year %(name)s is closed.") % {"name": year.name}}
        )
    return year


def _validate_lines(fund: Fund, lines: Sequence[Line]) -> list[Line]:
    if len(lines) < 2:
        raise ValidationError(_("An entry needs at least one debit and one credit."))
    clean = []
    for line in lines:
        debit = money(line.debit, field="debit")
        credit = money(line.credit, field="credit")
        if (debit > 0) == (credit > 0) or debit < 0 or credit < 0:
            raise ValidationError(_("Each line is either a debit or a credit, above zero."))
        if line.account.fund_id != fund.pk or not line.account.is_active:
            raise ValidationError(_("Every account must be an active account of this fund."))
        needs_allocation = line.account.role in ALLOCATION_ROLES
        if needs_allocation and line.allocation is None:
            raise ValidationError(
                _("Lines on %(account)s need the allocation they belong to.")
                % {"account": line.account}
            )
        if not needs_allocation and line.allocation is not None:
            raise ValidationError(
                _("Only allocated and program expenditure lines carry an allocation.")
            )
        if line.allocation is not None and line.allocation.fund_id != fund.pk:
            raise ValidationError(_("The allocation belongs to another fund."))
        clean.append(
            Line(
                account=line.account,
                debit=debit,
                credit=credit,
                allocation=line.allocation,
                memo=line.memo[:200],
            )
        )
    debits = sum((line.debit for line in clean), ZERO)
    credits = sum((line.credit for line in clean), ZERO)
    if debits != credits:
        raise ValidationError(
            _("The entry does not balance: debits %(debits)s, credits %(credits)s.")
            % {"debits": debits, "credits": credits}
        )
    return clean


def _check_guarded_balances(lines: Sequence[Line]) -> None:
    """Refuse a posting that would take cash, held cash, a share or an allocation below zero.
    Runs under the fund lock, so the balances read cannot change before the insert."""
    change: dict[tuple[int, int | None], Decimal] = defaultdict(lambda: ZERO)
    accounts: dict[int, Account] = {}
    for line in lines:
        if line.account.role not in GUARDED_ROLES:
            continue
        key = (line.account.pk, line.allocation.pk if line.allocation else None)
        accounts[line.account.pk] = line.account
        signed = line.debit - line.credit
        change[key] += signed if line.account.is_debit_normal else -signed
    for (account_id, allocation_id), delta in change.items():
        if delta >= 0:
            continue
        account = accounts[account_id]
        posted = JournalLine.objects.filter(account_id=account_id)
        if allocation_id is not None:
            posted = posted.filter(allocation_id=allocation_id)
        totals = posted.aggregate(d=Sum("debit"), c=Sum("credit"))
        signed = (totals["d"] or ZERO) - (totals["c"] or ZERO)
        balance = (signed if account.is_debit_normal else -signed).quantize(CENT)
        if balance + delta < 0:
            if account.role == AccountRole.ALLOCATED:
                message = _("That is more than is left of the allocation (%(left)s available).") % {
                    "left": balance
                }
            elif account.role == AccountRole.SHARE:
                message = _(
                    "That is more than is unallocated in %(account)s (%(left)s available)."
                ) % {"account": account.name, "left": balance}
            else:
                message = _("That would take %(account)s below zero (%(left)s available).") % {
                    "account": account.name,
                    "left": balance,
                }
            raise ValidationError({"amount": message})


def _post(
    *,
    actor: Any,
    fund: Fund,
    entry_date: datetime.date,
    kind: str,
    memo: str,
    lines: Sequence[Line],
    source_type: str = "",
    source_id: str | int = "",
    reverses: JournalEntry | None = None,
) -> JournalEntry:
    """Post one balanced entry. Caller holds a transaction and has checked permission."""
    if kind not in EntryKind.values:
        raise ValidationError(_("Unknown kind of entry."))
    source_id = str(source_id)
    if bool(source_type) != bool(source_id):
        raise ValidationError(_("A source needs both its type and its id."))
    lock_for_posting(
        fund_id=fund.pk, allocation_ids=[ln.allocation.pk for ln in lines if ln.allocation]
    )
    clean = _validate_lines(fund, lines)
    year = _open_fiscal_year(fund, entry_date)
    _check_guarded_balances(clean)
    last = JournalEntry.objects.filter(fund=fund).aggregate(n=Max("number"))["n"] or 0
    entry = JournalEntry.objects.create(
        fund=fund,
        number=last + 1,
        fiscal_year=year,
        entry_date=entry_date,
        kind=kind,
        memo=memo[:300],
        source_type=source_type,
        source_id=source_id,
        reverses=reverses,
        posted_at=timezone.now(),
        posted_by=None if is_system(actor) or actor is None else actor,
    )
    # One INSERT for all lines, so a database-side balance check sees the whole entry.
    JournalLine.objects.bulk_create(
        [
            JournalLine(
                entry=entry,
                line_no=number,
                account=line.account,
                allocation=line.allocation,
                debit=line.debit,
                credit=line.credit,
                memo=line.memo,
            )
            for number, line in enumerate(clean, start=1)
        ]
    )
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        agency_id=fund.agency_id,
        obj=entry,
        fields=["lines"],
        reason=kind,
    )
    return entry


def journal_post(
    *,
    actor: Any,
    membership: Membership | None,
    fund: Fund,
    entry_date: datetime.date,
    kind: str,
    memo: str,
    lines: Sequence[Line],
    source_type: str = "",
    source_id: str | int = "",
) -> JournalEntry:
    """Post a balanced entry to the fund and return it.

    Other areas call this: ``source_type``/``source_id`` name their record (say
    ``"housing.rentalassistance"`` and its id). Allowed with ``funds.journalentry.add`` in
    the fund's agency, or with the permission the calling area registered for its source
    type (then only for lines of allocations to its own agency's programs). Cash, held cash,
    shares and allocations never go below zero; the entry must balance; the date must fall in
    an open fiscal year. Raises ``ValidationError`` with a plain message otherwise.
    """
    _check_posting_permission(
        actor=actor,
        membership=membership,
        probe=JournalEntry(fund=fund),
        source_type=source_type,
        lines=lines,
    )
    with transaction.atomic():
        return _post(
            actor=actor,
            fund=fund,
            entry_date=entry_date,
            kind=kind,
            memo=memo,
            lines=lines,
            source_type=source_type,
            source_id=source_id,
        )


def journal_reverse(
    *,
    actor: Any,
    membership: Membership | None,
    entry: JournalEntry,
    reason: str,
    reversed_on: datetime.date | None = None,
) -> JournalEntry:
    """Correct a posted entry by posting its mirror image (debits and credits swapped).

    A receipt is reversed together with its distribution. A distribution or a reversal
    cannot be reversed on its own. Refused when what it would undo has been spent (reverse
    the payments first)."""
    fund = entry.fund
    require_on(actor=actor, membership=membership, action="add", obj=JournalEntry(fund=fund))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why this entry is being reversed.")})
    if entry.kind == EntryKind.REVERSAL:
        raise ValidationError(_("A reversal cannot be reversed. Post a new entry instead."))
    if entry.kind == EntryKind.DISTRIBUTION:
        raise ValidationError(_("Reverse the receipt; its split is reversed with it."))
    on = reversed_on or timezone.localdate()
    with transaction.atomic():
        lock_for_posting(fund_id=fund.pk)
        if JournalEntry.objects.filter(reverses=entry).exists():
            raise ValidationError(_("This entry has already been reversed."))
        to_reverse = []
        receipt = Receipt.objects.filter(entry=entry).select_related("distribution").first()
        if receipt is not None and receipt.distribution is not None:
            to_reverse.append(receipt.distribution)
        to_reverse.append(entry)
        reversal = None
        for original in to_reverse:
            lines = [
                Line(
                    account=line.account,
                    debit=line.credit,
                    credit=line.debit,
                    allocation=line.allocation,
                    memo=line.memo,
                )
                for line in original.lines.select_related("account", "allocation")
            ]
            reversal = _post(
                actor=actor,
                fund=fund,
                entry_date=on,
                kind=EntryKind.REVERSAL,
                memo=_("Reversal of #%(number)s: %(reason)s")
                % {"number": original.number, "reason": reason},
                lines=lines,
                source_type=original.source_type,
                source_id=original.source_id,
                reverses=original,
            )
        assert reversal is not None
        return reversal


# ---------------------------------------------------------------------------------------------
# Setting up a fund
# ---------------------------------------------------------------------------------------------

STANDARD_CHART: list[tuple[str, str, str, str]] = [
    ("1000", "Cash — restricted fund", AccountKind.ASSET, AccountRole.CASH),
    ("1100", "Seized cash in custody", AccountKind.ASSET, AccountRole.HELD_CASH),
    (
        "2100",
        "Seized cash held pending forfeiture",
        AccountKind.LIABILITY,
        AccountRole.HELD_LIABILITY,
    ),
    ("3000", "Fund balance — unassigned", AccountKind.FUND_BALANCE, AccountRole.UNASSIGNED),
    (
        "3500",
        "Fund balance — allocated to programs",
        AccountKind.FUND_BALANCE,
        AccountRole.ALLOCATED,
    ),
    ("4000", "Forfeiture proceeds", AccountKind.REVENUE, AccountRole.PROCEEDS),
    ("5000", "Case costs", AccountKind.EXPENDITURE, AccountRole.CASE_COSTS),
    (
        "5100",
        "Program expenditure",
        AccountKind.EXPENDITURE,
        AccountRole.PROGRAM_EXPENDITURE,
    ),
]


def _validate_share_split(shares: Sequence[tuple[str, Decimal]]) -> None:
    if not shares:
        raise ValidationError({"shares": _("A fund needs at least one share.")})
    total = sum((Decimal(str(p)) for _name, p in shares), ZERO)
    if total != Decimal("100"):
        raise ValidationError(
            {"shares": _("The shares add up to %(total)s%%, not 100%%.") % {"total": total}}
        )


def fund_setup(
    *,
    actor: Any,
    membership: Membership | None,
    agency: Agency,
    name: str,
    slug: str,
    shares: Sequence[tuple[str, Decimal]],
    authority: str = "",
    description: str = "",
) -> Fund:
    """Create a fund with the standard chart of accounts and its distribution shares, each
    with its own fund-balance account (3100, 3200, ...)."""
    require_on(actor=actor, membership=membership, action="add", obj=Fund(agency=agency))
    _validate_share_split(shares)
    with transaction.atomic():
        fund = Fund.objects.create(
            agency=agency,
            name=name,
            slug=slug,
            authority=authority,
            description=description,
            created_by=None if is_system(actor) else actor,
        )
        for code, account_name, kind, role in STANDARD_CHART:
            Account.objects.create(fund=fund, code=code, name=account_name, kind=kind, role=role)
        for order, (share_name, percent) in enumerate(shares, start=1):
            share = DistributionShare.objects.create(
                fund=fund, name=share_name, percent=Decimal(str(percent)), order=order
            )
            Account.objects.create(
                fund=fund,
                code=str(3000 + 100 * order),
                name=_("Fund balance — %(share)s share, unallocated") % {"share": share_name},
                kind=AccountKind.FUND_BALANCE,
                role=AccountRole.SHARE,
                share=share,
            )
        audit_record(
            action=AuditAction.CREATE,
            actor=actor,
            agency_id=agency.pk,
            obj=fund,
            fields=["name", "slug", "shares", "accounts"],
        )
    return fund


def fiscal_year_create(
    *,
    actor: Any,
    membership: Membership | None,
    fund: Fund,
    name: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
) -> FiscalYear:
    """Add a fiscal year; it may not overlap another of the same fund."""
    require_on(actor=actor, membership=membership, action="add", obj=FiscalYear(fund=fund))
    if ends_on <= starts_on:
        raise ValidationError({"ends_on": _("The year must end after it starts.")})
    with transaction.atomic():
        lock_for_posting(fund_id=fund.pk)
        if FiscalYear.objects.filter(
            fund=fund, starts_on__lte=ends_on, ends_on__gte=starts_on
        ).exists():
            raise ValidationError({"starts_on": _("This overlaps another fiscal year.")})
        if FiscalYear.objects.filter(fund=fund, name=name).exists():
            raise ValidationError({"name": _("A fiscal year with this name exists.")})
        year = FiscalYear.objects.create(fund=fund, name=name, starts_on=starts_on, ends_on=ends_on)
        audit_record(
            action=AuditAction.CREATE,
            actor=actor,
            agency_id=fund.agency_id,
            obj=year,
            fields=["name", "starts_on", "ends_on"],
        )
    return year


def fiscal_year_close(*, actor: Any, membership: Membership | None, year: FiscalYear) -> None:
    """Close a fiscal year: no entry can be dated in it afterwards."""
    require_on(actor=actor, membership=membership, action="change", obj=year)
    with transaction.atomic():
        lock_for_posting(fund_id=year.fund_id)
        updated = FiscalYear.objects.filter(pk=year.pk, closed_at__isnull=True).update(
            closed_at=timezone.now()
        )
        if not updated:
            raise ValidationError(_("This fiscal year is already closed."))
        audit_record(
            action=AuditAction.UPDATE,
            actor=actor,
            agency_id=year.fund.agency_id,
            obj=year,
            fields=["closed_at"],
        )
    year.refresh_from_db(fields=["closed_at"])


def shares_configure(
    *,
    actor: Any,
    membership: Membership | None,
    fund: Fund,
    percents: dict[int, Decimal],
) -> None:
    """Change the percentages of a fund's shares (by share id); they must add up to 100.
    Receipts already distributed keep the split they were posted with."""
    require_on(
        actor=actor, membership=membership, action="change", obj=DistributionShare(fund=fund)
    )
    with transaction.atomic():
        lock_for_posting(fund_id=fund.pk)
        shares = list(DistributionShare.objects.filter(fund=fund, is_active=True))
        if {s.pk for s in shares} != set(percents):
            raise ValidationError({"shares": _("Give a percentage for every share.")})
        _validate_share_split([(s.name, percents[s.pk]) for s in shares])
        for share in shares:
            DistributionShare.objects.filter(pk=share.pk).update(percent=percents[share.pk])
        audit_record(
            action=AuditAction.UPDATE,
            actor=actor,
            agency_id=fund.agency_id,
            obj=fund,
            fields=["shares.percent"],
        )


def account_for(fund: Fund, role: str) -> Account:
    return Account.objects.get(fund=fund, role=role)


# ---------------------------------------------------------------------------------------------
# Proceeds, held cash, allocations and payments
# ---------------------------------------------------------------------------------------------


def split_net_proceeds(
    net: Decimal, shares: Sequence[DistributionShare]
) -> list[tuple[DistributionShare, Decimal]]:
    """Each share gets its percent of ``net`` rounded down to the cent; the cents left over
    go to the first share, so every cent is distributed."""
    parts = [
        (share, (net * share.percent / Decimal(100)).quantize(CENT, rounding=ROUND_DOWN))
        for share in shares
    ]
    left = net - sum((amount for _share, amount in parts), ZERO)
    if parts and left:
        first, amount = parts[0]
        parts[0] = (first, amount + left)
    return parts


def receipt_record(
    *,
    actor: Any,
    membership: Membership | None,
    fund: Fund,
    received_on: datetime.date,
    property_kind: str,
    description: str,
    gross_amount: Decimal,
    case_costs: Decimal = ZERO,
    case_reference: str = "",
    from_held_cash: bool = False,
    source_type: str = "",
    source_id: str | int = "",
) -> Receipt:
    """Take proceeds into the fund and split the net by the fund's shares, at once.

    Two entries: the receipt (cash net of case costs, case costs as expenditure, gross as
    revenue; from held cash when seized cash is forfeited) and the distribution of the net.
    """
    gross = money(gross_amount, field="gross_amount")
    costs = money(case_costs, field="case_costs")
    if gross <= 0:
        raise ValidationError({"gross_amount": _("Gross proceeds must be above zero.")})
    if costs < 0 or costs > gross:
        raise ValidationError(
            {"case_costs": _("Case costs must be between zero and the gross proceeds.")}
        )
    if property_kind not in PropertyKind.values:
        raise ValidationError({"property_kind": _("Choose the kind of property.")})
    if from_held_cash and property_kind != PropertyKind.CASH:
        raise ValidationError({"from_held_cash": _("Only cash is held in custody.")})
    _check_posting_permission(
        actor=actor,
        membership=membership,
        probe=Receipt(fund=fund),
        source_type="",
        lines=(),
    )
    net = gross - costs
    with transaction.atomic():
        lock_for_posting(fund_id=fund.pk)
        accounts = {a.role: a for a in Account.objects.filter(fund=fund).exclude(role="")}
        shares = list(
            DistributionShare.objects.filter(fund=fund, is_active=True).select_related("account")
        )
        _validate_share_split([(s.name, s.percent) for s in shares])
        if from_held_cash and source_type:
            held = held_for_source(fund, source_type=source_type, source_id=str(source_id))
            if gross > held:
                raise ValidationError(
                    {"gross_amount": _("Only %(held)s is held for this seizure.") % {"held": held}}
                )
        lines = []
        if from_held_cash:
            lines += [
                Line(account=accounts[AccountRole.HELD_LIABILITY], debit=gross),
                Line(account=accounts[AccountRole.HELD_CASH], credit=gross),
            ]
        if net:
            lines.append(Line(account=accounts[AccountRole.CASH], debit=net))
        if costs:
            lines.append(Line(account=accounts[AccountRole.CASE_COSTS], debit=costs))
        lines.append(Line(account=accounts[AccountRole.PROCEEDS], credit=gross))
        entry = _post(
            actor=actor,
            fund=fund,
            entry_date=received_on,
            kind=EntryKind.RECEIPT,
            memo=description,
            lines=lines,
            source_type=source_type,
            source_id=source_id,
        )
        distribution = None
        if net:
            parts = split_net_proceeds(net, shares)
            distribution = _post(
                actor=actor,
                fund=fund,
                entry_date=received_on,
                kind=EntryKind.DISTRIBUTION,
                memo=_("Split of net proceeds of #%(number)s") % {"number": entry.number},
                lines=[
                    Line(account=accounts[AccountRole.UNASSIGNED], debit=net),
                    *[
                        Line(account=share.account, credit=amount, memo=f"{share.percent}%")
                        for share, amount in parts
                        if amount
                    ],
                ],
                source_type=source_type,
                source_id=source_id,
            )
        receipt = Receipt.objects.create(
            fund=fund,
            received_on=received_on,
            property_kind=property_kind,
            description=description[:300],
            case_reference=case_reference[:100],
            gross_amount=gross,
            case_costs=costs,
            from_held_cash=from_held_cash,
            entry=entry,
            distribution=distribution,
            created_by=None if is_system(actor) else actor,
        )
        audit_record(
            action=AuditAction.CREATE,
            actor=actor,
            agency_id=fund.agency_id,
            obj=receipt,
            fields=["gross_amount", "case_costs", "property_kind", "entry", "distribution"],
        )
    return receipt


def held_cash_receive(
    *,
    actor: Any,
    membership: Membership | None,
    fund: Fund,
    amount: Decimal,
    received_on: datetime.date,
    description: str,
    source_type: str = "",
    source_id: str | int = "",
) -> JournalEntry:
    """Seized cash taken into custody: not the city's money until a court forfeits it."""
    amount = money(amount)
    require_on(actor=actor, membership=membership, action="add", obj=JournalEntry(fund=fund))
    with transaction.atomic():
        return _post(
            actor=actor,
            fund=fund,
            entry_date=received_on,
            kind=EntryKind.HELD,
            memo=description,
            lines=[
                Line(account=account_for(fund, AccountRole.HELD_CASH), debit=amount),
                Line(account=account_for(fund, AccountRole.HELD_LIABILITY), credit=amount),
            ],
            source_type=source_type,
            source_id=source_id,
        )


def held_for_source(fund: Fund, *, source_type: str, source_id: str) -> Decimal:
    """Cash still held in custody for one seizure: taken in, less returned or forfeited."""
    totals = JournalLine.objects.filter(
        entry__fund=fund,
        account__role=AccountRole.HELD_CASH,
        entry__source_type=source_type,
        entry__source_id=source_id,
    ).aggregate(d=Sum("debit"), c=Sum("credit"))
    return ((totals["d"] or ZERO) - (totals["c"] or ZERO)).quantize(CENT)


def held_cash_return(
    *,
    actor: Any,
    membership: Membership | None,
    fund: Fund,
    amount: Decimal,
    returned_on: datetime.date,
    description: str,
    source_type: str = "",
    source_id: str | int = "",
) -> JournalEntry:
    """Held cash returned to its owner on a court's order. With a source, no more than is
    still held for that source can be returned."""
    amount = money(amount)
    require_on(actor=actor, membership=membership, action="add", obj=JournalEntry(fund=fund))
    with transaction.atomic():
        lock_for_posting(fund_id=fund.pk)
        if source_type:
            held = held_for_source(fund, source_type=source_type, source_id=str(source_id))
            if amount > held:
                raise ValidationError(
                    {"amount": _("Only %(held)s is held for this seizure.") % {"held": held}}
                )
        return _post(
            actor=actor,
            fund=fund,
            entry_date=returned_on,
            kind=EntryKind.RELEASE,
            memo=description,
            lines=[
                Line(account=account_for(fund, AccountRole.HELD_LIABILITY), debit=amount),
                Line(account=account_for(fund, AccountRole.HELD_CASH), credit=amount),
            ],
            source_type=source_type,
            source_id=source_id,
        )


def allocation_create(
    *,
    actor: Any,
    membership: Membership | None,
    fund: Fund,
    program: Program,
    share: DistributionShare,
    purpose: str,
    amount: Decimal,
    allocated_on: datetime.date,
) -> Allocation:
    """Set money aside from a share's unallocated balance for a program. Refused when the
    share does not have that much unallocated."""
    amount = money(amount)
    if amount <= 0:
        raise ValidationError({"amount": _("The amount must be above zero.")})
    require_on(actor=actor, membership=membership, action="add", obj=Allocation(fund=fund))
    if share.fund_id != fund.pk or not share.is_active:
        raise ValidationError({"share": _("Choose a share of this fund.")})
    if not program.is_active:
        raise ValidationError({"program": _("This program is not active.")})
    purpose = (purpose or "").strip()
    if not purpose:
        raise ValidationError({"purpose": _("Say what the money is for.")})
    with transaction.atomic():
        lock_for_posting(fund_id=fund.pk)
        year = _open_fiscal_year(fund, allocated_on)
        allocation = Allocation.objects.create(
            fund=fund,
            program=program,
            share=share,
            fiscal_year=year,
            purpose=purpose[:300],
            created_by=None if is_system(actor) else actor,
        )
        _post(
            actor=actor,
            fund=fund,
            entry_date=allocated_on,
            kind=EntryKind.ALLOCATION,
            memo=_("Allocation to %(program)s: %(purpose)s")
            % {"program": program.name, "purpose": purpose},
            lines=[
                Line(account=Account.objects.get(fund=fund, share=share), debit=amount),
                Line(
                    account=account_for(fund, AccountRole.ALLOCATED),
                    credit=amount,
                    allocation=allocation,
                ),
            ],
            source_type="funds.allocation",
            source_id=allocation.pk,
        )
        audit_record(
            action=AuditAction.CREATE,
            actor=actor,
            agency_id=fund.agency_id,
            obj=allocation,
            fields=["program", "share", "purpose", "amount"],
        )
    return allocation


def payment_post(
    *,
    actor: Any,
    membership: Membership | None,
    allocation: Allocation,
    amount: Decimal,
    payee: str,
    paid_on: datetime.date,
    reference: str = "",
    memo: str = "",
    source_type: str = "",
    source_id: str | int = "",
) -> Payment:
    """Pay from an allocation (a provider's invoice, a month of rental assistance).

    Refused when it is more than is left of the allocation. Housing and other areas call this
    with their own source type (registered with ``register_posting_source``)."""
    amount = money(amount)
    if amount <= 0:
        raise ValidationError({"amount": _("The amount must be above zero.")})
    payee = (payee or "").strip()
    if not payee:
        raise ValidationError({"payee": _("Say who is paid.")})
    fund = allocation.fund
    accounts = {a.role: a for a in Account.objects.filter(fund=fund).exclude(role="")}
    lines = [
        Line(
            account=accounts[AccountRole.PROGRAM_EXPENDITURE],
            debit=amount,
            allocation=allocation,
        ),
        Line(account=accounts[AccountRole.CASH], credit=amount),
        Line(account=accounts[AccountRole.ALLOCATED], debit=amount, allocation=allocation),
        Line(account=accounts[AccountRole.UNASSIGNED], credit=amount),
    ]
    _check_posting_permission(
        actor=actor,
        membership=membership,
        probe=Payment(allocation=allocation),
        source_type=source_type,
        lines=lines,
    )
    with transaction.atomic():
        entry = _post(
            actor=actor,
            fund=fund,
            entry_date=paid_on,
            kind=EntryKind.PAYMENT,
            memo=memo or _("Payment to %(payee)s") % {"payee": payee},
            lines=lines,
            source_type=source_type,
            source_id=source_id,
        )
        payment = Payment.objects.create(
            allocation=allocation,
            entry=entry,
            amount=amount,
            payee=payee[:200],
            reference=reference[:100],
            paid_on=paid_on,
            created_by=None if is_system(actor) else actor,
        )
        audit_record(
            action=AuditAction.CREATE,
            actor=actor,
            agency_id=fund.agency_id,
            obj=payment,
            fields=["allocation", "amount", "payee", "reference", "paid_on"],
        )
    return payment


__all__ = [
    "Line",
    "account_for",
    "allocation_create",
    "fiscal_year_close",
    "fiscal_year_create",
    "fund_setup",
    "held_cash_receive",
    "held_cash_return",
    "held_for_source",
    "journal_post",
    "journal_reverse",
    "money",
    "payment_post",
    "receipt_record",
    "shares_configure",
    "split_net_proceeds",
]
