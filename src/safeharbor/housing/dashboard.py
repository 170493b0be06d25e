"""The housing section of the program dashboard (``reports.registry``): moves in, who is
housed at the end of the period, and exits by destination group, over every placement in the
report's scope.

Counted through the permission engine's statistical read (``scope.statistics``): placements'
dates, destination and direction of income change only, never an amount, a person or an
address; small cells are suppressed for readers outside the owning agencies.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safeharbor.reports.registry import (
    DashboardSection,
    Figure,
    ReportScope,
    count_figure,
    count_table,
    register_dashboard_section,
)
from safeharbor.reports.sections import months_between

from .choices import DestinationGroup
from .models import Placement
from .selectors import outcomes

__all__ = ["housing_figures", "register_section"]


def housing_figures(scope: ReportScope) -> list[Figure]:
    """The section's figures (see the module)."""
    with scope.statistics("reports.dashboard.housing") as read:
        placements = read.rows(Placement).filter(**scope.agency_filter())
        result = outcomes(placements, start=scope.start, end=scope.end)
    months = months_between(scope.start, scope.end)
    moves = count_table(
        {m: result.move_ins_by_month.get(m, 0) for m in months}, months, enabled=scope.suppress
    )
    groups = [g.value for g in DestinationGroup]
    exits = count_table(result.exits_by_group, groups, enabled=scope.suppress)
    summary = count_table(
        {"housed": result.housed, "at_end": result.housed_at_end},
        ["housed", "at_end"],
        enabled=scope.suppress,
        column_totals=False,
    )
    return [
        count_figure(
            slug="housing-summary",
            title=_("People housed"),
            table=summary,
            row_header=_("Measure"),
            counted=_("People"),
            row_labels={
                "housed": _("Moved into housing in the period"),
                "at_end": _("Housed at the end of the period"),
            },
            chart="",
        ),
        count_figure(
            slug="housing-move-ins",
            title=_("Moves into housing by month"),
            table=moves,
            row_header=_("Month"),
            counted=_("Moves in"),
        ),
        count_figure(
            slug="housing-exits",
            title=_("Exits from housing by destination"),
            table=exits,
            row_header=_("Destination"),
            counted=_("Exits"),
            row_labels={g.value: str(g.label) for g in DestinationGroup},
        ),
    ]


def counts_placements(membership: Any) -> bool:
    """The reader's role may count housing placements (caseworkers, supervisors,
    coordinators, analysts); finance and property officers, who read the dashboard for the
    fund and seized property, are not shown counts of people housed."""
    from safeharbor.core.permissions import statistical_access

    return membership is not None and statistical_access(membership, Placement) is not None


def register_section() -> None:
    register_dashboard_section(
        DashboardSection(
            slug="housing",
            title=gettext_lazy("Housing outcomes"),
            build=housing_figures,
            order=50,
            shown_to=counts_placements,
        )
    )
