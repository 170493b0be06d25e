"""The seized-property section of the program dashboard (``reports.registry``).

For the dashboard's period and agencies: property seized in the period by kind and where its
forfeiture stands now, the people it was seized from, the forfeiture pipeline as it stands
today (notices overdue and due, claim windows, judgments awaiting disposition), and, for
roles that see the proceedings' money, what disposals in the period realised and how much of
it reached the fund.

Everything is counted in the database through the permission engine's statistical read
(``scope.statistics``): grouped counts and sums, never rows, so the number of queries does
not depend on the number of records.

What is disclosive: a count of property or an amount of money says nothing about a person,
so those tables are shown in full. The number of people property was seized from is a count
of people and goes through the small-cell rule like every other count of people.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, F, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safeharbor.core.permissions import role_allows, statistical_access
from safeharbor.reports.registry import (
    DashboardSection,
    Figure,
    ReportScope,
    count_figure,
    count_table,
    money_table,
    register_dashboard_section,
)
from safeharbor.reports.suppression import suppress_table

from .choices import AssetKind, ForfeitureState
from .models import ZERO, Disposition, SeizedAsset
from .selectors import DEADLINE_HORIZON

__all__ = ["register", "sees_proceeds", "seized_property_figures"]

_MONEY = DecimalField(max_digits=14, decimal_places=2)

PIPELINE = ("notice_overdue", "notice_due", "claim_open", "claim_ended", "awaiting_disposal")
PROCEEDS_COLUMNS = ("gross", "case_costs", "liens", "net", "to_fund")


def counts_property(membership: Any) -> bool:
    """The reader's role may count seized property (``assets.seizedasset.view`` for their own
    agency, ``.aggregate`` for every agency); the dashboard shows the section only then."""
    return membership is not None and statistical_access(membership, SeizedAsset) is not None


def sees_proceeds(membership: Any) -> bool:
    """The reader's role may see what disposals realised (property and evidence officers,
    finance officers and the program coordinator, who hold ``assets.disposition.view``)."""
    return membership is not None and role_allows(membership, "assets.disposition.view")


def _sum(expression: Any, condition: Q | None = None) -> Coalesce:
    return Coalesce(
        Sum(expression, filter=condition, output_field=_MONEY),
        Value(ZERO, output_field=_MONEY),
        output_field=_MONEY,
    )


def seized_property_figures(scope: ReportScope) -> list[Figure]:
    kinds = [k.value for k in AssetKind]
    kind_labels = {k.value: str(k.label) for k in AssetKind}
    today = timezone.localdate()
    horizon = today + DEADLINE_HORIZON
    money = sees_proceeds(scope.membership)
    with scope.statistics("reports.dashboard.seized-property") as read:
        assets = read.rows(SeizedAsset).filter(**scope.agency_filter())
        seized = assets.filter(seized_at__date__gte=scope.start, seized_at__date__lte=scope.end)
        by_state = list(seized.order_by().values("kind", "state").annotate(n=Count("pk")))
        people = seized.filter(subject__isnull=False).aggregate(n=Count("subject", distinct=True))[
            "n"
        ]
        # The pipeline as it stands today, for property seized by the end of the period.
        pipeline = assets.filter(seized_at__date__lte=scope.end).aggregate(
            notice_overdue=Count(
                "pk", filter=Q(state=ForfeitureState.SEIZED, notice_due_on__lt=today)
            ),
            notice_due=Count(
                "pk",
                filter=Q(
                    state=ForfeitureState.SEIZED,
                    notice_due_on__gte=today,
                    notice_due_on__lte=horizon,
                ),
            ),
            claim_open=Count(
                "pk", filter=Q(state=ForfeitureState.NOTICE_SENT, claim_deadline__gte=today)
            ),
            claim_ended=Count(
                "pk", filter=Q(state=ForfeitureState.NOTICE_SENT, claim_deadline__lt=today)
            )
            + Count("pk", filter=Q(state=ForfeitureState.NO_CLAIM)),
            awaiting_disposal=Count(
                "pk",
                filter=Q(state__in=(ForfeitureState.FORFEITED, ForfeitureState.SETTLED)),
            ),
        )
        proceeds: list[dict[str, Any]] = []
        if money:
            costs = (
                F("towing_costs")
                + F("storage_costs")
                + F("auction_costs")
                + F("attorney_commission")
            )
            net = F("gross_proceeds") - costs - F("lien_paid")
            proceeds = list(
                read.rows(Disposition)
                .filter(
                    disposed_on__gte=scope.start,
                    disposed_on__lte=scope.end,
                    **scope.agency_filter("asset__agency_id"),
                )
                .order_by()
                .values("asset__kind")
                .annotate(
                    items=Count("pk"),
                    gross=_sum("gross_proceeds"),
                    case_costs=_sum(costs),
                    liens=_sum("lien_paid"),
                    net=_sum(net),
                    to_fund=_sum(net, Q(receipt__isnull=False)),
                )
            )

    states = [s.value for s in ForfeitureState]
    counts = {(row["kind"], row["state"]): row["n"] for row in by_state}
    # Property, not people: shown in full (see the module).
    state_table = suppress_table(counts, kinds, states, enabled=False, name="seized")
    figures = [
        Figure(
            slug="seized-property-by-state",
            title=_("Property seized in the period, by kind and where it stands now"),
            table=state_table,
            row_header=_("Kind of property"),
            row_labels=kind_labels,
            column_labels={s.value: str(s.label) for s in ForfeitureState},
            chart="bar",
            note=_("Counts of property, not of people: small numbers are shown."),
        ),
        count_figure(
            slug="seized-property-people",
            title=_("People property was seized from"),
            table=count_table(
                {"people": people}, ["people"], enabled=scope.suppress, column_totals=False
            ),
            row_header=_("Measure"),
            counted=_("People"),
            row_labels={"people": _("People property was seized from in the period")},
            chart="",
        ),
        count_figure(
            slug="forfeiture-pipeline",
            title=_("Forfeiture steps waiting, as of today"),
            table=count_table(
                {key: pipeline[key] for key in PIPELINE},
                list(PIPELINE),
                enabled=False,
                column_totals=False,
            ),
            row_header=_("Step"),
            counted=_("Items of property"),
            row_labels={
                "notice_overdue": _("Notice overdue (deadline passed, no notice sent)"),
                "notice_due": _("Notice due within %(days)s days")
                % {"days": DEADLINE_HORIZON.days},
                "claim_open": _("Claim window open"),
                "claim_ended": _("Claim window ended, judgment to record"),
                "awaiting_disposal": _("Forfeited or settled, disposal to record"),
            },
            chart="bar",
            note=_("As of %(today)s, for property seized on or before the end of the period.")
            % {"today": today.isoformat()},
        ),
    ]
    if money:
        figures.append(_proceeds_figure(proceeds, kinds, kind_labels))
    return figures


def _proceeds_figure(
    rows: list[dict[str, Any]], kinds: list[str], kind_labels: dict[str, str]
) -> Figure:
    amounts: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    items: dict[str, int] = defaultdict(int)
    for row in rows:
        items[row["asset__kind"]] += row["items"]
        for column in PROCEEDS_COLUMNS:
            amounts[(row["asset__kind"], column)] += row[column]
    # The kinds that had a disposal (every kind, at zero, when none had).
    shown = [k for k in kinds if items[k]] or kinds
    return Figure(
        slug="seized-property-proceeds",
        title=_("What disposals in the period realised, by kind of property"),
        table=money_table(amounts, shown, list(PROCEEDS_COLUMNS), name="proceeds"),
        row_header=_("Kind of property"),
        row_labels={
            k: _("%(kind)s (%(count)s disposed)") % {"kind": kind_labels[k], "count": items[k]}
            for k in kinds
        },
        column_labels={
            "gross": _("Gross proceeds"),
            "case_costs": _("Case costs"),
            "liens": _("Paid to lienholders"),
            "net": _("Net proceeds"),
            "to_fund": _("Posted to the fund"),
        },
        unit="money",
        chart="bar",
        note=_(
            "Net proceeds are gross proceeds less towing, storage, auction fees, the "
            "attorney's commission and what lienholders were paid."
        ),
    )


def register() -> None:
    register_dashboard_section(
        DashboardSection(
            slug="seized-property",
            title=gettext_lazy("Seized property and forfeiture"),
            build=seized_property_figures,
            order=65,
            shown_to=counts_property,
        )
    )
