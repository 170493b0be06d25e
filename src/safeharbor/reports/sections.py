"""The dashboard sections this area builds itself from the areas present: identifications,
screenings, referrals, operations and the restricted fund. Housing (``housing.dashboard``) and
seized property add their own through ``registry.register_dashboard_section``.

Every query aggregates in the database (grouped counts, never rows about people) through the
permission engine's statistical read (``scope.statistics(...)``: statistical fields only,
audited), and every count goes through ``suppression`` before anyone sees it.
"""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any, NamedTuple

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .registry import (
    DashboardSection,
    Figure,
    ReportScope,
    count_figure,
    count_table,
    money_table,
    register_dashboard_section,
)
from .suppression import TableInput, suppress_table, suppress_tables

__all__ = ["JuvenileCount", "juvenile_unique_count", "months_between", "register_builtin_sections"]


def months_between(start: datetime.date, end: datetime.date) -> list[str]:
    """Every month of the period as "YYYY-MM", in order."""
    months = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(f"{year:04d}-{month:02d}")
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return months


def _month_key(value: Any) -> str:
    return f"{value.year:04d}-{value.month:02d}"


def _agency_names(ids: Iterable[int]) -> dict[int, str]:
    from safeharbor.accounts.models import Agency

    return dict(Agency.objects.filter(pk__in=set(ids)).values_list("pk", "name"))


# Identifications ----------------------------------------------------------------------------


def identification_figures(scope: ReportScope) -> list[Figure]:
    from safeharbor.survivors.choices import IdentificationStatus
    from safeharbor.survivors.models import Identification

    with scope.statistics("reports.dashboard.identifications") as read:
        rows = list(
            read.rows(Identification)
            .filter(
                identified_on__gte=scope.start,
                identified_on__lte=scope.end,
                **scope.agency_filter(),
            )
            .annotate(month=TruncMonth("identified_on"))
            .order_by()
            .values("month", "agency_id", "status")
            .annotate(n=Count("pk"))
        )
    by_status: dict[tuple[str, str], int] = defaultdict(int)
    by_agency: dict[tuple[str, int], int] = defaultdict(int)
    agency_ids: set[int] = set()
    for row in rows:
        month = _month_key(row["month"])
        by_status[(month, row["status"])] += row["n"]
        by_agency[(month, row["agency_id"])] += row["n"]
        agency_ids.add(row["agency_id"])
    months = months_between(scope.start, scope.end)
    names = _agency_names(agency_ids)
    agencies = sorted(agency_ids, key=lambda pk: (names.get(pk, ""), pk))
    statuses = [s.value for s in IdentificationStatus]
    status_table, agency_table = suppress_tables(
        [
            TableInput("status", months, statuses, by_status, row_dimension="month"),
            TableInput("agency", months, agencies, by_agency, row_dimension="month"),
        ],
        enabled=scope.suppress,
    )
    return [
        Figure(
            slug="identifications-by-status",
            title=_("Identifications by month and status"),
            table=status_table,
            row_header=_("Month"),
            column_labels={s.value: str(s.label) for s in IdentificationStatus},
            chart="bar",
        ),
        Figure(
            slug="identifications-by-agency",
            title=_("Identifications by month and agency"),
            table=agency_table,
            row_header=_("Month"),
            column_labels=names,
            chart="bar",
        ),
    ]


# Unique young people --------------------------------------------------------------------------


class JuvenileCount(NamedTuple):
    count: Any  # linkage.counts.UniqueCount
    basis: str  # what the figure rests on, for the reader
    from_linkage: bool


def juvenile_unique_count(scope: ReportScope) -> JuvenileCount:
    with scope.statistics("reports.dashboard.unique-young-people") as read:
        return _juvenile_unique_count(scope, read)


def _juvenile_unique_count(scope: ReportScope, read: Any) -> JuvenileCount:
    """Unique young people suspected or confirmed in the period: a ``UniqueCount``, a
    sentence saying what it rests on, and whether a linkage run decided it.

    With a finished linkage run, the linkage area's stored clusters decide (its
    ``selectors.unique_count``). Without one, records are joined only where an accepted
    referral links two agencies' records of the same person; the rest give an interval: at
    least the largest number any one agency has (as if every other record were someone
    already counted), at most every record being someone different.
    """
    from safeharbor.linkage.counts import UniqueCount
    from safeharbor.referrals.models import Referral
    from safeharbor.survivors.models import Identification

    try:  # the database side of linkage (issue 10), once it is there
        from safeharbor.linkage import selectors as linkage_selectors
    except ImportError:  # pragma: no cover - depends on what has landed
        linkage_selectors = None
    if linkage_selectors is not None and hasattr(linkage_selectors, "latest_run"):
        run = linkage_selectors.latest_run()
        if run is not None:
            filters = linkage_selectors.CountFilter(
                juveniles=True,
                start=scope.start,
                end=scope.end,
                agency_ids=tuple(scope.agency_ids or ()),
            )
            count = linkage_selectors.unique_count(filters, run=run, read=read)
            when = run.finished_at.date().isoformat() if run.finished_at else ""
            basis = _(
                "From the linkage run of %(date)s; records that could not be linked (no "
                "consent, or added since) make the range."
            ) % {"date": when}
            return JuvenileCount(count, basis, True)

    juvenile = read.rows(Identification).filter(
        juvenile_at_identification=True,
        status__in=("suspected", "confirmed"),
        identified_on__gte=scope.start,
        identified_on__lte=scope.end,
        **scope.agency_filter(),
    )
    per_agency = list(
        juvenile.order_by()
        .values("agency_id")
        .annotate(people=Count("person_id", distinct=True))
        .values_list("people", flat=True)
    )
    records = sum(per_agency)  # a person record belongs to one agency
    # Accepted referrals join the referring and the receiving agency's record of one person.
    in_set = juvenile.values("person_id")
    pairs = list(
        read.rows(Referral)
        .filter(
            receiving_person__isnull=False, person_id__in=in_set, receiving_person_id__in=in_set
        )
        .values_list("person_id", "receiving_person_id")
    )
    merges = _merges(pairs)
    upper = records - merges
    lower = min(max(per_agency, default=0), upper)
    linked = len({p for pair in pairs for p in pair})
    count = UniqueCount(
        point=upper,
        lower=lower,
        upper=upper,
        linked_records=linked,
        unlinkable_records=records - linked,
    )
    basis = _(
        "No linkage run yet: records are joined only where a referral connects two agencies' "
        "records. The lower figure assumes every other record is someone already counted by "
        "another agency; the upper figure assumes no one is counted twice."
    )
    return JuvenileCount(count, basis, False)


def _merges(pairs: Sequence[tuple[int, int]]) -> int:
    """How many records fewer the pairs make (union-find over record ids)."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    merges = 0
    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb
            merges += 1
    return merges


def juvenile_figures(scope: ReportScope) -> list[Figure]:
    count, basis, from_linkage = juvenile_unique_count(scope)
    counts = {"lower": count.lower, "upper": count.upper}
    # A best estimate only where linkage gave one (the linked part's own rate).
    estimated = from_linkage and not count.exact and count.linked_records > 0
    if estimated:
        counts["point"] = count.point
    rows = ["lower", "point", "upper"] if estimated else ["lower", "upper"]
    # Three separate figures about one population: no totals, each one suppressed alone.
    table = count_table(counts, rows, enabled=scope.suppress, column_totals=False)
    return [
        count_figure(
            slug="unique-young-people",
            title=_("Unique young people suspected or confirmed"),
            table=table,
            row_header=_("Figure"),
            counted=_("People"),
            row_labels={
                "lower": _("At least"),
                "point": _("Best estimate"),
                "upper": _("At most"),
            },
            chart="",
            note=basis,
        )
    ]


# Screenings -----------------------------------------------------------------------------------


def screening_figures(scope: ReportScope) -> list[Figure]:
    from safeharbor.survivors.choices import ScreeningBand
    from safeharbor.survivors.models import Screening

    with scope.statistics("reports.dashboard.screenings") as read:
        rows = list(
            read.rows(Screening)
            .filter(
                screened_on__gte=scope.start, screened_on__lte=scope.end, **scope.agency_filter()
            )
            .annotate(month=TruncMonth("screened_on"))
            .order_by()
            .values("month", "band")
            .annotate(n=Count("pk"))
        )
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for row in rows:
        counts[(_month_key(row["month"]), row["band"])] += row["n"]
    bands = [b.value for b in ScreeningBand]
    table = suppress_table(
        counts, months_between(scope.start, scope.end), bands, enabled=scope.suppress
    )
    return [
        Figure(
            slug="screenings-by-concern",
            title=_("Screenings by month and level of concern"),
            table=table,
            row_header=_("Month"),
            column_labels={b.value: str(b.label) for b in ScreeningBand},
        )
    ]


# Referrals ------------------------------------------------------------------------------------


def _referral_waits(read: Any, scope: ReportScope) -> tuple[Any, list[float]]:
    """The referrals sent in the period from or to the scope's agencies, and the days each
    accepted one waited from sending to acceptance."""
    from safeharbor.referrals.models import Referral

    referrals = read.rows(Referral).filter(
        sent_at__date__gte=scope.start, sent_at__date__lte=scope.end
    )
    if scope.agency_ids is not None:
        referrals = referrals.filter(
            Q(agency_id__in=scope.agency_ids) | Q(to_agency_id__in=scope.agency_ids)
        )
    waits = [
        (accepted - sent).total_seconds() / 86400
        for sent, accepted in referrals.filter(accepted_at__isnull=False).values_list(
            "sent_at", "accepted_at"
        )
    ]
    return referrals, waits


def referral_figures(scope: ReportScope) -> list[Figure]:
    from safeharbor.referrals.choices import ReferralState

    with scope.statistics("reports.dashboard.referrals") as read:
        referrals, waits = _referral_waits(read, scope)
        rows = list(
            referrals.annotate(month=TruncMonth("sent_at"))
            .order_by()
            .values("month", "state")
            .annotate(n=Count("pk"))
        )
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for row in rows:
        counts[(_month_key(row["month"]), row["state"])] += row["n"]
    states = [s.value for s in ReferralState]
    table = suppress_table(
        counts, months_between(scope.start, scope.end), states, enabled=scope.suppress
    )
    # Offered, accepted (including those since completed) and completed, with the median.
    offered = sum(counts.values())
    accepted = len(waits)
    completed = sum(n for (_m, s), n in counts.items() if s == ReferralState.COMPLETED)
    summary = count_table(
        {"offered": offered, "accepted": accepted, "completed": completed},
        ["offered", "accepted", "completed"],
        enabled=scope.suppress,
        column_totals=False,
    )
    if not waits:
        median_note = _("No referral was accepted in this period.")
    elif scope.suppress and accepted <= 10:
        median_note = _("The median wait is not shown: fewer than 11 referrals were accepted.")
    else:
        median_note = _("Median time from sending to acceptance: %(days)s days.") % {
            "days": f"{statistics.median(waits):.1f}"
        }
    return [
        count_figure(
            slug="referrals-summary",
            title=_("Referrals offered, accepted and completed"),
            table=summary,
            row_header=_("Referrals"),
            counted=_("Referrals"),
            row_labels={
                "offered": _("Offered"),
                "accepted": _("Accepted (including later completed)"),
                "completed": _("Completed"),
            },
            chart="",
            note=median_note,
        ),
        Figure(
            slug="referrals-by-state",
            title=_("Referrals by month sent and where they stand now"),
            table=table,
            row_header=_("Month"),
            column_labels={s.value: str(s.label) for s in ReferralState},
        ),
    ]


def median_days_to_acceptance(scope: ReportScope) -> float | None:
    """For the API and tests: the median wait in days, or None."""
    with scope.statistics("reports.referral-waits") as read:
        _referrals, waits = _referral_waits(read, scope)
    return statistics.median(waits) if waits else None


# Operations -----------------------------------------------------------------------------------


def operation_figures(scope: ReportScope) -> list[Figure]:
    from safeharbor.enforcement.choices import ContactRole, OperationKind, ReferralDecision
    from safeharbor.enforcement.models import Arrest, Contact, Operation

    with scope.statistics("reports.dashboard.operations") as read:
        operations = read.rows(Operation).filter(
            started_on__gte=scope.start, started_on__lte=scope.end, **scope.agency_filter()
        )
        by_kind = list(operations.order_by().values("kind").annotate(n=Count("pk")))
        contact_rows = list(
            read.rows(Contact)
            .filter(operation__in=operations.values("pk"))
            .order_by()
            .values("operation__kind", "role")
            .annotate(
                n=Count("pk"),
                informed=Count("pk", filter=Q(program_info_given=True)),
                referred=Count("pk", filter=Q(referral_decision=ReferralDecision.MADE)),
            )
        )
        arrest_rows = list(
            read.rows(Arrest)
            .filter(operation__in=operations.values("pk"))
            .order_by()
            .values("operation__kind")
            .annotate(n=Count("pk"))
        )
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for row in by_kind:
        counts[(row["kind"], "operations")] += row["n"]
    for row in contact_rows:
        kind = row["operation__kind"]
        if row["role"] == ContactRole.VICTIM:
            counts[(kind, "victims")] += row["n"]
            counts[(kind, "informed")] += row["informed"]
            counts[(kind, "referred")] += row["referred"]
        elif row["role"] in (ContactRole.BUYER, ContactRole.EXPLOITER):
            counts[(kind, row["role"])] += row["n"]
    for row in arrest_rows:
        counts[(row["operation__kind"], "arrests")] += row["n"]
    kinds = [k.value for k in OperationKind]
    columns = ["operations", "victims", "informed", "referred", "buyer", "exploiter", "arrests"]
    # Each column is its own measure: column totals, no row totals.
    table = suppress_table(counts, kinds, columns, enabled=scope.suppress, row_totals=False)
    return [
        Figure(
            slug="operations-outcomes",
            title=_("Operations and their outcomes, by kind of operation"),
            table=table,
            row_header=_("Kind of operation"),
            row_labels={k.value: str(k.label) for k in OperationKind},
            column_labels={
                "operations": _("Operations"),
                "victims": _("People contacted as victims"),
                "informed": _("Told about the survivor program"),
                "referred": _("Referred to services"),
                "buyer": _("Buyers contacted"),
                "exploiter": _("Exploiters contacted"),
                "arrests": _("Arrests"),
            },
            chart="",
        )
    ]


# The restricted fund --------------------------------------------------------------------------


def counts_people(membership: Any) -> bool:
    """The reader's role may count survivors' records (caseworkers and supervisors for their
    own agency, coordinators and analysts for all): the sections about people are shown to
    them, not to the finance and property officers who read the dashboard for the fund."""
    from safeharbor.core.permissions import statistical_access
    from safeharbor.survivors.models import Identification

    return membership is not None and statistical_access(membership, Identification) is not None


def sees_fund(membership: Any) -> bool:
    """The reader's role may see the fund's ledger (finance officers, the coordinator)."""
    from safeharbor.core.permissions import role_allows

    return membership is not None and role_allows(membership, "funds.journalentry.view")


def fund_figures(scope: ReportScope) -> list[Figure]:
    """From seizures to programs: proceeds by kind of property, the split, what each
    program was allocated and paid, and what the fund paid by purpose (the kind of program)
    and share, for every active fund (amounts are not suppressed: money is not a count of
    people). Shown only to roles that see the fund (``sees_fund``)."""
    from safeharbor.funds.models import Fund
    from safeharbor.funds.selectors import fund_statement

    funds = Fund.objects.filter(is_active=True, **scope.agency_filter()).order_by("name", "pk")
    figures: list[Figure] = []
    for fund in funds:
        purposes = _fund_purpose_figure(fund, scope)
        statement = fund_statement(fund, start=scope.start, end=scope.end)
        flow = {
            ("revenue", "amount"): statement.revenue,
            ("case_costs", "amount"): statement.case_costs,
            ("net", "amount"): statement.net_proceeds,
            ("allocated", "amount"): statement.allocated_in_period,
            ("paid", "amount"): statement.program_expenditure,
        }
        figures.append(
            Figure(
                slug=f"fund-{fund.slug}-flow",
                title=_("%(fund)s: from seized property to programs") % {"fund": fund.name},
                table=money_table(flow, [k for k, _c in flow], ["amount"], column_totals=False),
                row_header=_("Step"),
                column_labels={"amount": _("Amount")},
                row_labels={
                    "revenue": _("Forfeiture proceeds received"),
                    "case_costs": _("Case costs"),
                    "net": _("Net proceeds"),
                    "allocated": _("Allocated to programs"),
                    "paid": _("Paid to programs"),
                },
                unit="money",
                chart="bar",
                note=_("Closing balance of the fund: %(amount)s.")
                % {"amount": f"${statement.closing_balance:,.2f}"},
            )
        )
        property_rows = [label for label, _n, _g, _c in statement.by_property]
        property_amounts: dict[tuple[str, str], Decimal] = {}
        for label, _number, gross, costs in statement.by_property:
            property_amounts[(label, "gross")] = gross
            property_amounts[(label, "costs")] = costs
        if property_rows:
            table = money_table(property_amounts, property_rows, ["gross", "costs"])
            figures.append(
                Figure(
                    slug=f"fund-{fund.slug}-property",
                    title=_("%(fund)s: proceeds by kind of property") % {"fund": fund.name},
                    table=table,
                    row_header=_("Kind of property"),
                    column_labels={"gross": _("Gross proceeds"), "costs": _("Case costs")},
                    unit="money",
                    chart="bar",
                )
            )
        if statement.by_program:
            program_rows = [f"{u.program_name} ({u.share_name})" for u in statement.by_program]
            amounts: dict[tuple[str, str], Decimal] = {}
            for label, use in zip(program_rows, statement.by_program, strict=True):
                amounts[(label, "allocated")] = use.allocated
                amounts[(label, "paid")] = use.paid
            figures.append(
                Figure(
                    slug=f"fund-{fund.slug}-programs",
                    title=_("%(fund)s: allocated and paid by program") % {"fund": fund.name},
                    table=money_table(amounts, program_rows, ["allocated", "paid"]),
                    row_header=_("Program (share)"),
                    column_labels={"allocated": _("Allocated"), "paid": _("Paid")},
                    unit="money",
                    chart="bar",
                )
            )
        if purposes is not None:
            figures.append(purposes)
    return figures


def _fund_purpose_figure(fund: Any, scope: ReportScope) -> Figure | None:
    """What the fund paid in the period by purpose (the kind of program paid: survivor
    services, housing, the enforcement unit...) and by the share it came from; payments
    whose ledger entry was reversed are left out. Counted through the statistical read."""
    from django.db.models import Sum

    from safeharbor.accounts.choices import ProgramKind
    from safeharbor.funds.models import Payment

    shares = list(fund.shares.order_by("order", "pk").values_list("name", flat=True))
    with scope.statistics("reports.dashboard.fund-purposes") as read:
        rows = list(
            read.rows(Payment)
            .filter(
                allocation__fund_id=fund.pk,
                paid_on__gte=scope.start,
                paid_on__lte=scope.end,
                entry__reversal__isnull=True,
            )
            .order_by()
            .values("allocation__program__kind", "allocation__share__name")
            .annotate(paid=Sum("amount"))
        )
    if not rows:
        return None
    amounts: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for row in rows:
        share = row["allocation__share__name"]
        if share not in shares:
            shares.append(share)
        amounts[(row["allocation__program__kind"], share)] += row["paid"]
    kinds = [k.value for k in ProgramKind if any(k.value == r for r, _s in amounts)]
    return Figure(
        slug=f"fund-{fund.slug}-purposes",
        title=_("%(fund)s: paid by purpose and share") % {"fund": fund.name},
        table=money_table(amounts, kinds, shares, row_totals=True),
        row_header=_("Purpose (kind of program)"),
        row_labels={k.value: str(k.label) for k in ProgramKind},
        column_labels={name: name for name in shares},
        unit="money",
        chart="bar",
        note=_("Payments made in the period; reversed payments are left out."),
    )


def register_builtin_sections() -> None:
    register_dashboard_section(
        DashboardSection(
            slug="identifications",
            title=gettext_lazy("Identifications"),
            build=identification_figures,
            order=10,
            shown_to=counts_people,
        )
    )
    register_dashboard_section(
        DashboardSection(
            slug="unique-young-people",
            title=gettext_lazy("Unique young people"),
            build=juvenile_figures,
            order=15,
            shown_to=counts_people,
        )
    )
    register_dashboard_section(
        DashboardSection(
            slug="screenings",
            title=gettext_lazy("Screenings"),
            build=screening_figures,
            order=20,
            shown_to=counts_people,
        )
    )
    register_dashboard_section(
        DashboardSection(
            slug="referrals",
            title=gettext_lazy("Referrals"),
            build=referral_figures,
            order=30,
            shown_to=counts_people,
        )
    )
    register_dashboard_section(
        DashboardSection(
            slug="operations",
            title=gettext_lazy("Operations"),
            build=operation_figures,
            order=40,
            shown_to=counts_people,
        )
    )
    register_dashboard_section(
        DashboardSection(
            slug="funds",
            title=gettext_lazy("From seizures to programs"),
            build=fund_figures,
            order=70,
            shown_to=sees_fund,
        )
    )
