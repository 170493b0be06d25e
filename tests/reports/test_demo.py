"""The Portland demo on the dashboard: real figures for every area present, and the public
statistics page showing only suppressed aggregates."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from safeharbor.core.registry import demo_loaders
from safeharbor.reports.access import report_scope
from safeharbor.reports.views import build_dashboard
from safeharbor.survivors.models import Identification, Screening

pytestmark = pytest.mark.django_db

# Linkage's demo runs a first linkage (slow); the dashboard's other areas do not need it.
SKIP = {"linkage", "directory", "legislation"}


@pytest.fixture
def demo(db):
    for loader in demo_loaders():
        if loader.name not in SKIP:
            loader.load()


def _scope(membership):
    today = timezone.localdate()
    return report_scope(membership, start=today - datetime.timedelta(days=365 * 3), end=today)


def test_demo_dashboard_has_real_figures_for_every_area(demo, staff_client):
    client, user = staff_client("coordinator")
    today = timezone.localdate()
    start = today - datetime.timedelta(days=365 * 3)
    response = client.get("/staff/reports/", {"start": start.isoformat(), "end": today.isoformat()})
    assert response.status_code == 200
    page = re.sub(r"\s+", " ", response.content.decode())
    for heading in [
        "Identifications",
        "Unique young people",
        "Screenings",
        "Referrals",
        "Operations",
        "Housing outcomes",
        "From seizures to programs",
        "Seized property and forfeiture",
    ]:
        assert f">{heading}</h2>" in page, heading
    sections = {s["slug"]: s for s in build_dashboard(_scope(user.memberships.get()))}
    figures = {f["figure"].slug: f["figure"] for s in sections.values() for f in s["figures"]}

    identifications = Identification.objects.filter(identified_on__gte=start).count()
    grand = figures["identifications-by-status"].table.grand_total
    assert identifications > 10
    assert grand.value == identifications
    screenings = Screening.objects.filter(screened_on__gte=start).count()
    assert screenings > 0
    assert figures["screenings-by-concern"].table.grand_total.display in (
        f"{screenings:,}",
        "fewer than 11",
    )
    assert figures["referrals-summary"].table.cells[("offered", "n")].display != "0"
    operations = figures["operations-outcomes"].table.column_totals["operations"]
    assert operations.display != "0"
    fund_flows = [f for slug, f in figures.items() if slug.endswith("-flow")]
    assert fund_flows and fund_flows[0].table.cells[("revenue", "amount")].value > 0
    housed = figures["housing-summary"].table.cells[("housed", "n")]
    assert housed.display != "0"
    # Seized property: the car and the cash disposed, the laptop overdue for notice, the
    # phone's notice due soon; the car's sale and the cash reached the fund.
    from safeharbor.assets.models import SeizedAsset

    by_state = figures["seized-property-by-state"].table
    assert by_state.grand_total.value == SeizedAsset.objects.count() >= 4
    assert by_state.cells[("vehicle", "disposed")].value == 1
    pipeline = figures["forfeiture-pipeline"].table.cells
    assert pipeline[("notice_overdue", "n")].value >= 1
    assert pipeline[("notice_due", "n")].value >= 1
    proceeds = figures["seized-property-proceeds"].table
    assert proceeds.cells[("vehicle", "net")].value == Decimal("6800.00")
    assert proceeds.cells[("cash", "to_fund")].value == Decimal("480.00")
    assert "Notice overdue" in page and "$6,800.00" in page
    purposes = [f for slug, f in figures.items() if slug.endswith("-purposes")]
    assert purposes and purposes[0].table.row_totals["housing"].value > 0


def test_demo_public_statistics_are_suppressed_quarterly_aggregates(demo, client):
    response = client.get("/statistics/")
    assert response.status_code == 200
    text = re.sub(r"\s+", " ", response.content.decode())
    cells = re.findall(r'<td class="text-right(?: text-bold)?">([^<]*)<', text)
    for cell in cells:
        assert not re.fullmatch(r"([1-9]|10)", cell.strip()), cell
    assert "SH-" not in text  # no person references


def test_demo_housing_section_counts_what_the_placements_hold(demo, staff_client):
    """The housing section counts through a statistical read (statistical fields only) and
    gives the same figures as the placements' own outcome measures on the demo data."""
    import dataclasses

    from safeharbor.audit.models import AuditEvent
    from safeharbor.housing.dashboard import housing_figures
    from safeharbor.housing.models import Placement
    from safeharbor.housing.selectors import outcomes

    _client, user = staff_client("coordinator")
    scope = dataclasses.replace(_scope(user.memberships.get()), suppress=False)
    figures = {f.slug: f for f in housing_figures(scope)}
    exact = outcomes(Placement.objects.all(), start=scope.start, end=scope.end)
    summary = figures["housing-summary"].table.cells
    assert exact.housed > 0
    assert summary[("housed", "n")].value == exact.housed
    assert summary[("at_end", "n")].value == exact.housed_at_end
    exits = figures["housing-exits"].table
    assert {g: exits.cells[(g, "n")].value for g in exits.rows} == exact.exits_by_group
    moves = figures["housing-move-ins"].table
    assert sum(moves.cells[(m, "n")].value for m in moves.rows) == sum(
        exact.move_ins_by_month.values()
    )
    event = AuditEvent.objects.get(reason="statistical_read", object_id="reports.dashboard.housing")
    assert "counted:housing.placement.move_in_on" in event.fields
    assert not any(
        f.startswith("counted:housing.placement.income_") and not f.endswith("income_change")
        for f in event.fields
    )
