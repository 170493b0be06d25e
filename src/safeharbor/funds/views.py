"""Staff pages of the restricted fund. Thin: check the role, validate the form, call the
service, render. Every table has a CSV download (``?format=csv``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from safeharbor.audit.choices import AuditAction
from safeharbor.audit.services import audit_record
from safeharbor.core.csv_export import csv_response
from safeharbor.core.decorators import requires
from safeharbor.core.forms import apply_errors
from safeharbor.core.http import StaffRequest
from safeharbor.core.pdf import pdf_response

from . import selectors, services
from .choices import AccountRole
from .forms import (
    SEIZURE_SOURCE,
    AllocationForm,
    AnnualReportForm,
    FiscalYearForm,
    HeldCashForm,
    JournalFilterForm,
    PaymentForm,
    PeriodForm,
    ReceiptForm,
    ReverseForm,
    SharesForm,
)
from .models import (
    Allocation,
    DistributionShare,
    FiscalYear,
    Fund,
    JournalEntry,
    JournalLine,
    Payment,
    Receipt,
)
from .permissions import has_perm, visible, visible_funds
from .services import CENT

ACTIONS = {
    "can_receive": "funds.receipt.add",
    "can_allocate": "funds.allocation.add",
    "can_pay": "funds.payment.add",
    "can_reverse": "funds.journalentry.add",
    "can_manage_years": "funds.fiscalyear.add",
}


def _fund(request: StaffRequest, slug: str) -> Fund:
    return get_object_or_404(visible_funds(request.membership).select_related("agency"), slug=slug)


def _context(request: StaffRequest, fund: Fund, **extra: Any) -> dict[str, Any]:
    flags = {name: has_perm(request.membership, code) for name, code in ACTIONS.items()}
    return {"fund": fund, **flags, **extra}


def _export(request: StaffRequest, fund: Fund, name: str, header: list[str], rows: Any):
    audit_record(
        action=AuditAction.EXPORT,
        actor=request.user,
        agency_id=fund.agency_id,
        obj=fund,
        reason=name,
    )
    return csv_response(f"{fund.slug}-{name}.csv", header, rows)


def _export_pdf(request: StaffRequest, fund: Fund, name: str, template: str, context: Any):
    """The report as a PDF (``core.pdf``), audited like a CSV download."""
    audit_record(
        action=AuditAction.EXPORT,
        actor=request.user,
        agency_id=fund.agency_id,
        obj=fund,
        reason=f"{name}.pdf",
    )
    return pdf_response(template, {"fund": fund, **context}, filename=f"{fund.slug}-{name}")


def _wants_pdf(request: StaffRequest) -> bool:
    return request.GET.get("format") == "pdf"


def _wants_csv(request: StaffRequest) -> bool:
    return request.GET.get("format") == "csv"


@requires("funds.fund.view")
def index(request: StaffRequest) -> HttpResponse:
    funds = list(visible_funds(request.membership))
    if len(funds) == 1:
        return redirect("funds:fund", slug=funds[0].slug)
    return render(request, "funds/index.html", {"funds": funds})


@requires("funds.fund.view")
def fund_detail(request: StaffRequest, slug: str) -> HttpResponse:
    fund = _fund(request, slug)
    overview = selectors.fund_overview(fund)
    allocations = selectors.with_balances(
        visible(Allocation, request.membership)
        .filter(fund=fund)
        .select_related("program__agency", "share", "fiscal_year")
    )
    entries = visible(JournalEntry, request.membership).filter(fund=fund)
    recent = entries.select_related("reversal")[:10]
    return render(
        request,
        "funds/fund.html",
        _context(request, fund, overview=overview, allocations=allocations, recent=recent),
    )


@requires("funds.journalentry.view")
def journal(request: StaffRequest, slug: str) -> HttpResponse:
    fund = _fund(request, slug)
    filters = JournalFilterForm(request.GET or None, fund=fund)
    entries = (
        visible(JournalEntry, request.membership)
        .filter(fund=fund)
        .select_related("fiscal_year", "reverses", "reversal")
    )
    if filters.is_valid():
        if filters.cleaned_data["fiscal_year"]:
            entries = entries.filter(fiscal_year=filters.cleaned_data["fiscal_year"])
        if filters.cleaned_data["kind"]:
            entries = entries.filter(kind=filters.cleaned_data["kind"])
    if _wants_csv(request):
        lines = (
            JournalLine.objects.filter(entry__in=entries)
            .select_related("entry", "account", "allocation__program")
            .order_by("entry__number", "line_no")
        )
        return _export(
            request,
            fund,
            "journal",
            [
                _("Entry"),
                _("Date"),
                _("Kind"),
                _("Description"),
                _("Account"),
                _("Program"),
                _("Debit"),
                _("Credit"),
                _("Source"),
            ],
            (
                [
                    ln.entry.number,
                    ln.entry.entry_date,
                    ln.entry.get_kind_display(),
                    ln.entry.memo,
                    str(ln.account),
                    ln.allocation.program.name if ln.allocation else "",
                    ln.debit or "",
                    ln.credit or "",
                    f"{ln.entry.source_type}:{ln.entry.source_id}" if ln.entry.source_type else "",
                ]
                for ln in lines
            ),
        )
    return render(
        request,
        "funds/journal.html",
        _context(request, fund, entries=entries[:500], filters=filters),
    )


@requires("funds.journalentry.view")
def entry_detail(request: StaffRequest, slug: str, number: int) -> HttpResponse:
    fund = _fund(request, slug)
    entry = get_object_or_404(
        visible(JournalEntry, request.membership)
        .select_related("fiscal_year", "reverses", "posted_by")
        .prefetch_related(
            Prefetch(
                "lines",
                queryset=JournalLine.objects.select_related("account", "allocation__program"),
            )
        ),
        fund=fund,
        number=number,
    )
    reversal = visible(JournalEntry, request.membership).filter(reverses=entry).first()
    form = ReverseForm(request.POST or None)
    if request.method == "POST":
        if not has_perm(request.membership, "funds.journalentry.add"):
            raise PermissionDenied
        if form.is_valid():
            try:
                posted = services.journal_reverse(
                    actor=request.user,
                    membership=request.membership,
                    entry=entry,
                    reason=form.cleaned_data["reason"],
                    reversed_on=form.cleaned_data["reversed_on"],
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The entry is reversed."))
                return redirect("funds:entry", slug=fund.slug, number=posted.number)
    lines = list(entry.lines.all())
    return render(
        request,
        "funds/entry.html",
        _context(
            request,
            fund,
            entry=entry,
            lines=lines,
            reversal=reversal,
            form=form,
            total_debits=sum(ln.debit for ln in lines),
            total_credits=sum(ln.credit for ln in lines),
        ),
    )


@requires("funds.account.view")
def accounts(request: StaffRequest, slug: str) -> HttpResponse:
    fund = _fund(request, slug)
    balances = selectors.account_balances(fund)
    if _wants_csv(request):
        return _export(
            request,
            fund,
            "trial-balance",
            [_("Number"), _("Account"), _("Kind"), _("Debits"), _("Credits"), _("Balance")],
            (
                [
                    b.account.code,
                    b.account.name,
                    b.account.get_kind_display(),
                    b.debits,
                    b.credits,
                    b.balance,
                ]
                for b in balances
            ),
        )
    return render(
        request,
        "funds/accounts.html",
        _context(
            request,
            fund,
            balances=balances,
            total_debits=sum(b.debits for b in balances),
            total_credits=sum(b.credits for b in balances),
        ),
    )


@requires("funds.receipt.view")
def receipts(request: StaffRequest, slug: str) -> HttpResponse:
    fund = _fund(request, slug)
    rows = visible(Receipt, request.membership).filter(fund=fund).select_related("entry__reversal")
    if _wants_csv(request):
        return _export(
            request,
            fund,
            "receipts",
            [
                _("Received"),
                _("Kind of property"),
                _("Description"),
                _("Court or case number"),
                _("Gross"),
                _("Case costs"),
                _("Net"),
                _("Entry"),
                _("Reversed"),
            ],
            (
                [
                    r.received_on,
                    r.get_property_kind_display(),
                    r.description,
                    r.case_reference,
                    r.gross_amount,
                    r.case_costs,
                    r.net_amount,
                    r.entry.number,
                    _("yes") if hasattr(r.entry, "reversal") else _("no"),
                ]
                for r in rows
            ),
        )
    return render(request, "funds/receipts.html", _context(request, fund, receipts=rows))


@requires("funds.receipt.add")
def receipt_new(request: StaffRequest, slug: str) -> HttpResponse:
    fund = _fund(request, slug)
    form = ReceiptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            receipt = services.receipt_record(
                actor=request.user,
                membership=request.membership,
                fund=fund,
                **form.service_arguments(),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Proceeds recorded and split: entries #%(a)s and #%(b)s.")
                % {
                    "a": receipt.entry.number,
                    "b": receipt.distribution.number if receipt.distribution else "—",
                },
            )
            return redirect("funds:receipts", slug=fund.slug)
    return render(
        request,
        "funds/form.html",
        _context(
            request,
            fund,
            form=form,
            title=_("Record proceeds"),
            intro=_("Net proceeds (gross less case costs) are split at once by the fund's shares."),
            submit=_("Record and split"),
            cancel="funds:receipts",
        ),
    )


@requires("funds.allocation.view")
def allocations(request: StaffRequest, slug: str) -> HttpResponse:
    fund = _fund(request, slug)
    rows = selectors.with_balances(
        visible(Allocation, request.membership)
        .filter(fund=fund)
        .select_related("program__agency", "share", "fiscal_year")
    )
    if _wants_csv(request):
        return _export(
            request,
            fund,
            "allocations",
            [
                _("Fiscal year"),
                _("Program"),
                _("Agency"),
                _("From share"),
                _("Purpose"),
                _("Allocated"),
                _("Paid"),
                _("Available"),
            ],
            (
                [
                    a.fiscal_year.name,
                    a.program.name,
                    a.program.agency.name,
                    a.share.name,
                    a.purpose,
                    a.allocated.quantize(CENT),
                    a.paid.quantize(CENT),
                    a.available.quantize(CENT),
                ]
                for a in rows
            ),
        )
    overview = selectors.fund_overview(fund)
    return render(
        request,
        "funds/allocations.html",
        _context(request, fund, allocations=rows, overview=overview),
    )


@requires("funds.allocation.add")
def allocation_new(request: StaffRequest, slug: str) -> HttpResponse:
    fund = _fund(request, slug)
    form = AllocationForm(request.POST or None, fund=fund)
    if request.method == "POST" and form.is_valid():
        try:
            allocation = services.allocation_create(
                actor=request.user,
                membership=request.membership,
                fund=fund,
                **form.cleaned_data,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Allocation made."))
            return redirect("funds:allocation", slug=fund.slug, pk=allocation.pk)
    overview = selectors.fund_overview(fund)
    return render(
        request,
        "funds/form.html",
        _context(
            request,
            fund,
            form=form,
            title=_("Allocate to a program"),
            intro=" · ".join(
                _("%(share)s: %(amount)s unallocated")
                % {"share": s.share.name, "amount": f"${s.unallocated:,.2f}"}
                for s in overview.shares
            ),
            submit=_("Allocate"),
            cancel="funds:allocations",
        ),
    )


@requires("funds.allocation.view")
def allocation_detail(request: StaffRequest, slug: str, pk: int) -> HttpResponse:
    fund = _fund(request, slug)
    allocation = get_object_or_404(
        selectors.with_balances(
            visible(Allocation, request.membership)
            .filter(fund=fund)
            .select_related("program__agency", "share", "fiscal_year")
        ),
        pk=pk,
    )
    form = PaymentForm(request.POST or None)
    if request.method == "POST":
        if not has_perm(request.membership, "funds.payment.add"):
            raise PermissionDenied
        if form.is_valid():
            try:
                services.payment_post(
                    actor=request.user,
                    membership=request.membership,
                    allocation=allocation,
                    **form.cleaned_data,
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Payment recorded."))
                return redirect("funds:allocation", slug=fund.slug, pk=allocation.pk)
    payments = (
        visible(Payment, request.membership)
        .filter(allocation=allocation)
        .select_related("entry__reversal")
    )
    return render(
        request,
        "funds/allocation.html",
        _context(request, fund, allocation=allocation, payments=payments, form=form),
    )


@requires("funds.fiscalyear.view")
def fiscal_years(request: StaffRequest, slug: str) -> HttpResponse:
    fund = _fund(request, slug)
    form = FiscalYearForm(request.POST or None)
    if request.method == "POST":
        if not has_perm(request.membership, "funds.fiscalyear.add"):
            raise PermissionDenied
        if form.is_valid():
            try:
                services.fiscal_year_create(
                    actor=request.user,
                    membership=request.membership,
                    fund=fund,
                    **form.cleaned_data,
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Fiscal year added."))
                return redirect("funds:years", slug=fund.slug)
    years = visible(FiscalYear, request.membership).filter(fund=fund)
    return render(
        request,
        "funds/years.html",
        _context(
            request,
            fund,
            years=years,
            form=form,
            can_close=has_perm(request.membership, "funds.fiscalyear.change"),
        ),
    )


@requires("funds.fiscalyear.change")
@require_POST
def fiscal_year_close(request: StaffRequest, slug: str, pk: int) -> HttpResponse:
    fund = _fund(request, slug)
    year = get_object_or_404(visible(FiscalYear, request.membership), fund=fund, pk=pk)
    try:
        services.fiscal_year_close(actor=request.user, membership=request.membership, year=year)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s is closed.") % {"name": year.name})
    return redirect("funds:years", slug=fund.slug)


def _statement_rows(statement: selectors.Statement) -> list[list[Any]]:
    rows: list[list[Any]] = [
        [_("Fund balance at start"), statement.opening_balance],
        [_("Forfeiture proceeds (gross)"), statement.revenue],
        [_("Case costs"), statement.case_costs],
        [_("Net proceeds"), statement.net_proceeds],
    ]
    rows += [[_("Net proceeds to %(share)s") % {"share": n}, a] for n, a in statement.by_share]
    rows += [
        [_("Allocated to programs"), statement.allocated_in_period],
        [_("Spent by programs"), statement.program_expenditure],
        [_("Fund balance at end"), statement.closing_balance],
        [_("Seized cash held pending forfeiture at end"), statement.held_cash_at_end],
    ]
    return rows


@requires("funds.report.view")
def statement(request: StaffRequest, slug: str) -> HttpResponse:
    fund = _fund(request, slug)
    today = timezone.localdate()
    years = visible(FiscalYear, request.membership).filter(fund=fund)
    year = years.filter(starts_on__lte=today, ends_on__gte=today).first()
    initial = {"start": year.starts_on if year else today.replace(month=1, day=1), "end": today}
    form = PeriodForm(request.GET or initial)
    result = None
    if form.is_valid():
        result = selectors.fund_statement(
            fund, start=form.cleaned_data["start"], end=form.cleaned_data["end"]
        )
        if _wants_csv(request):
            return _export(
                request,
                fund,
                f"statement-{result.start}-{result.end}",
                [_("Line"), _("Amount")],
                _statement_rows(result),
            )
        if _wants_pdf(request):
            return _export_pdf(
                request,
                fund,
                f"statement-{result.start}-{result.end}",
                "funds/pdf/statement.html",
                {
                    "title": _("Fund statement"),
                    "statement": result,
                    "rows": _statement_rows(result),
                },
            )
    return render(
        request,
        "funds/statement.html",
        _context(
            request,
            fund,
            form=form,
            statement=result,
            rows=_statement_rows(result) if result else [],
        ),
    )


@requires("funds.report.view")
def annual_report(request: StaffRequest, slug: str) -> HttpResponse:
    fund = _fund(request, slug)
    years = visible(FiscalYear, request.membership).filter(fund=fund)
    today = timezone.localdate()
    default = years.filter(ends_on__lt=today).first() or years.first()
    form = AnnualReportForm(request.GET or ({"year": default.pk} if default else None), fund=fund)
    report = None
    if form.is_valid():
        year = form.cleaned_data["year"]
        report = selectors.annual_report(year)
        if _wants_csv(request):
            rows: list[list[Any]] = [
                [_("Section"), _("Item"), pgettext("how many", "Count"), _("Amount")]
            ]
            rows += [[_("Summary"), label, "", amount] for label, amount in _statement_rows(report)]
            rows += [
                [_("Proceeds by kind of property"), kind, count, gross]
                for kind, count, gross, _costs in report.by_property
            ]
            for use in report.by_program:
                rows.append(
                    [_("Allocated"), f"{use.program_name} ({use.share_name})", "", use.allocated]
                )
                rows.append([_("Spent"), f"{use.program_name} ({use.share_name})", "", use.paid])
            return _export(request, fund, f"annual-report-{year.name}", rows[0], rows[1:])
        if _wants_pdf(request):
            return _export_pdf(
                request,
                fund,
                f"annual-report-{year.name}",
                "funds/pdf/annual_report.html",
                {
                    "title": _("Annual report on the use of forfeiture proceeds"),
                    "subtitle": f"{fund.name} · {year.name}",
                    "report": report,
                    "rows": _statement_rows(report),
                },
            )
    return render(
        request,
        "funds/annual_report.html",
        _context(
            request,
            fund,
            form=form,
            report=report,
            rows=_statement_rows(report) if report else [],
        ),
    )


@requires("funds.distributionshare.view")
def shares(request: StaffRequest, slug: str) -> HttpResponse:
    """The split of net proceeds, as data; finance may change the percentages."""
    fund = _fund(request, slug)
    can_change = has_perm(request.membership, "funds.distributionshare.change")
    form = SharesForm(request.POST or None, fund=fund)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.shares_configure(
                    actor=request.user,
                    membership=request.membership,
                    fund=fund,
                    percents=form.percents(),
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(
                    request, _("The split is changed. It applies to proceeds received from now.")
                )
                return redirect("funds:shares", slug=fund.slug)
    return render(
        request,
        "funds/shares.html",
        _context(
            request,
            fund,
            shares=visible(DistributionShare, request.membership)
            .filter(fund=fund)
            .select_related("account"),
            form=form,
            can_change=can_change,
        ),
    )


@requires("funds.journalentry.view")
def held_cash(request: StaffRequest, slug: str) -> HttpResponse:
    """Seized cash in custody, by seizure: not the fund's money until a court forfeits it."""
    fund = _fund(request, slug)
    can_post = has_perm(request.membership, "funds.journalentry.add")
    returning = request.POST.get("direction") == "return"
    posted = request.POST if request.method == "POST" else None
    take_in = HeldCashForm(None if returning else posted, prefix="in")
    give_back = HeldCashForm(posted if returning else None, prefix="out")
    if request.method == "POST":
        if not can_post:
            raise PermissionDenied
        form = give_back if returning else take_in
        if form.is_valid():
            data = form.cleaned_data
            arguments = {
                "actor": request.user,
                "membership": request.membership,
                "fund": fund,
                "amount": data["amount"],
                "description": data["description"],
                "source_type": SEIZURE_SOURCE,
                "source_id": data["seizure_reference"],
            }
            try:
                if returning:
                    services.held_cash_return(returned_on=data["on"], **arguments)
                else:
                    services.held_cash_receive(received_on=data["on"], **arguments)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Return recorded.") if returning else _("Cash taken into custody."),
                )
                return redirect("funds:held", slug=fund.slug)
    holdings = (
        JournalLine.objects.filter(
            entry__in=visible(JournalEntry, request.membership).filter(fund=fund),
            account__role=AccountRole.HELD_CASH,
        )
        .values("entry__source_type", "entry__source_id")
        .annotate(taken_in=Sum("debit"), released=Sum("credit"))
        .order_by("entry__source_id")
    )
    rows = [
        {
            "reference": h["entry__source_id"] or _("(no number)"),
            "source": h["entry__source_type"],
            "taken_in": h["taken_in"],
            "released": h["released"],
            "held": h["taken_in"] - h["released"],
        }
        for h in holdings
    ]
    return render(
        request,
        "funds/held.html",
        _context(
            request,
            fund,
            rows=rows,
            total=sum((r["held"] for r in rows), Decimal("0")),
            take_in=take_in,
            give_back=give_back,
            can_post=can_post,
        ),
    )
