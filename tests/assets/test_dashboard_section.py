"""The seized-property section of the program dashboard, and the fund's spending by purpose:
figures on real rows, the period and agency filters, who sees money, the CSV, and a query
count that does not grow with the records."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safeharbor.accounts.choices import ProgramKind
from safeharbor.assets import services
from safeharbor.assets.choices import AssetKind, DispositionMethod, ForfeitureState
from safeharbor.funds import services as funds
from safeharbor.funds.permissions import SYSTEM
from tests import factories

from .conftest import at, days_ago, seize_car

pytestmark = pytest.mark.django_db
S = ForfeitureState


def advance(membership, asset, to_state, days, **extra):
    return services.forfeiture_advance(
        membership=membership, asset=asset, to_state=to_state, occurred_on=days_ago(days), **extra
    )


def seize_other(membership, subject, investigation, days, text="Synthetic item"):
    return services.asset_seize(
        membership=membership,
        subject=subject,
        investigation=investigation,
        kind=AssetKind.OTHER,
        description=text,
        seized_at=at(days),
        estimated_value=Decimal("50.00"),
        custodian="Evidence unit",
        location="Shelf A",
    )


@pytest.fixture
def records(keeper, detective, exploiter, investigation, policy, fund):
    """A car sold 20 days ago (net 6,800 posted to the fund), one item overdue for notice
    (seized 40 days ago, notice due after 21), one due soon (seized 10 days ago), one
    returned, one seized 300 days ago and still waiting for notice; the fund pays part of
    the victim-services share to a housing program."""
    car = seize_car(detective, exploiter, investigation)
    advance(keeper, car, S.NOTICE_SENT, 110, notice_recipients="Owner", notice_method="publication")
    advance(keeper, car, S.NO_CLAIM, 70)
    advance(keeper, car, S.FORFEITED, 60, court_case_number="CV-T-9")
    services.asset_dispose(
        membership=keeper,
        asset=car,
        method=DispositionMethod.SOLD,
        disposed_on=days_ago(20),
        gross_proceeds=Decimal("9800.00"),
        towing_costs=Decimal("325.00"),
        storage_costs=Decimal("1150.00"),
        auction_costs=Decimal("980.00"),
        attorney_commission=Decimal("545.00"),
    )
    seize_other(detective, exploiter, investigation, 40, "Overdue item")
    seize_other(detective, exploiter, investigation, 10, "Due soon")
    returned = seize_other(detective, exploiter, investigation, 100, "Returned item")
    advance(keeper, returned, S.RETURNED, 90)
    seize_other(detective, exploiter, investigation, 300, "Old item")
    housing = factories.ProgramFactory(name="Synthetic housing", kind=ProgramKind.HOUSING)
    victim = fund.shares.order_by("order").first()
    allocation = funds.allocation_create(
        actor=SYSTEM,
        membership=None,
        fund=fund,
        program=housing,
        share=victim,
        purpose="Rent help",
        amount=Decimal("3000.00"),
        allocated_on=days_ago(15),
    )
    funds.payment_post(
        actor=SYSTEM,
        membership=None,
        allocation=allocation,
        amount=Decimal("950.00"),
        payee="Synthetic landlord",
        reference="RA-T-1",
        paid_on=days_ago(10),
    )
    return {"car": car, "housing": housing}


def dashboard(client, **params):
    query = {"start": days_ago(200).isoformat(), "end": days_ago(0).isoformat(), **params}
    response = client.get("/staff/reports/", query)
    assert response.status_code == 200
    return response


def figures_of(response, section):
    for item in response.context["sections"]:
        if item["slug"] == section:
            return {f["figure"].slug: f["figure"] for f in item["figures"]}
    return None


def values(figure, column):
    return {row: figure.table.cells[(row, column)].value for row in figure.table.rows}


def test_the_figures_count_the_real_rows(staff_client, records, police):
    client, _user = staff_client("coordinator")
    response = dashboard(client, agency=police.pk)
    figures = figures_of(response, "seized-property")
    by_state = figures["seized-property-by-state"]
    # Seized in the last 200 days: the car (disposed), the returned item, two waiting.
    assert by_state.table.cells[(AssetKind.VEHICLE, S.DISPOSED)].value == 1
    assert by_state.table.cells[(AssetKind.OTHER, S.RETURNED)].value == 1
    assert by_state.table.cells[(AssetKind.OTHER, S.SEIZED)].value == 2
    assert by_state.table.grand_total.value == 4  # the item seized 300 days ago is outside
    pipeline = values(figures["forfeiture-pipeline"], "n")
    # The old item and the 40-day-old one are past their notice deadline.
    assert pipeline["notice_overdue"] == 2
    assert pipeline["notice_due"] == 1
    assert pipeline["awaiting_disposal"] == 0
    people = figures["seized-property-people"].table.cells[("people", "n")]
    assert people.value is None and people.display == "fewer than 11"  # one person, suppressed
    proceeds = figures["seized-property-proceeds"]
    assert proceeds.table.cells[(AssetKind.VEHICLE, "gross")].value == Decimal("9800.00")
    assert proceeds.table.cells[(AssetKind.VEHICLE, "case_costs")].value == Decimal("3000.00")
    assert proceeds.table.cells[(AssetKind.VEHICLE, "net")].value == Decimal("6800.00")
    assert proceeds.table.cells[(AssetKind.VEHICLE, "to_fund")].value == Decimal("6800.00")
    page = response.content.decode()
    assert "Seized property and forfeiture" in page
    assert "Notice overdue (deadline passed, no notice sent)" in page
    assert "$9,800.00" in page


def test_the_period_and_the_agency_are_respected(staff_client, records, police, city):
    client, _user = staff_client("coordinator")
    # A period ending 30 days ago: the 10-day-old item and the sale 20 days ago are after it.
    response = dashboard(client, agency=police.pk, end=days_ago(30).isoformat())
    figures = figures_of(response, "seized-property")
    assert figures["seized-property-by-state"].table.grand_total.value == 3
    assert values(figures["forfeiture-pipeline"], "n")["notice_due"] == 0
    assert figures["seized-property-proceeds"].table.grand_total is None
    gross = values(figures["seized-property-proceeds"], "gross")
    assert set(gross.values()) == {Decimal("0")}
    # Another agency: nothing of the police agency's property.
    other = figures_of(dashboard(client, agency=city.pk), "seized-property")
    assert other["seized-property-by-state"].table.grand_total.value == 0
    assert set(values(other["forfeiture-pipeline"], "n").values()) == {0}


def test_finance_sees_money_and_the_fund_by_purpose_but_no_counts_of_survivors(
    staff_client, records, city
):
    client, _user = staff_client("finance", agency=city)
    response = dashboard(client)
    slugs = [s["slug"] for s in response.context["sections"]]
    assert "seized-property" in slugs and "funds" in slugs
    assert not {"identifications", "referrals", "housing", "operations"} & set(slugs)
    fund = figures_of(response, "funds")
    purposes = next(f for slug, f in fund.items() if slug.endswith("-purposes"))
    assert purposes.table.row_totals[ProgramKind.HOUSING].value == Decimal("950.00")
    assert "seized-property-proceeds" in figures_of(response, "seized-property")


def test_a_role_without_finance_access_sees_no_money(staff_client, records, police):
    client, _user = staff_client("analyst")
    response = dashboard(client, agency=police.pk)
    slugs = [s["slug"] for s in response.context["sections"]]
    assert "funds" not in slugs
    figures = figures_of(response, "seized-property")
    assert "seized-property-proceeds" not in figures
    assert figures["seized-property-by-state"].table.grand_total.value == 4
    page = response.content.decode()
    assert "$" not in page
    # Nor through the chart image, the CSV or the API.
    assert (
        client.get(
            "/staff/reports/chart/",
            {
                "agency": police.pk,
                "section": "seized-property",
                "figure": "seized-property-proceeds",
            },
        ).status_code
        == 404
    )
    api = client.get("/api/v1/reports/dashboard/", {"agency": police.pk}).json()
    assert "$" not in str(api) and "gross" not in str(api).lower()
    assert not any(s["slug"] == "funds" for s in api["sections"])


def test_caseworkers_are_not_shown_seized_property(staff_client, records, police):
    client, _user = staff_client("supervisor", agency=police)
    slugs = [s["slug"] for s in dashboard(client).context["sections"]]
    assert "seized-property" not in slugs and "funds" not in slugs


def test_the_property_officer_sees_their_agency_with_proceeds(staff_client, records, police):
    client, _user = staff_client("property_officer", agency=police)
    response = dashboard(client)
    slugs = [s["slug"] for s in response.context["sections"]]
    assert "seized-property" in slugs
    assert "identifications" not in slugs and "funds" not in slugs
    figures = figures_of(response, "seized-property")
    assert figures["seized-property-proceeds"].table.column_totals["net"].value == Decimal(
        "6800.00"
    )
    # Own agency in full: the one person is shown.
    assert figures["seized-property-people"].table.cells[("people", "n")].value == 1


def test_the_csv_is_formula_safe(staff_client, records, police, fund):
    # A program whose name starts like a formula reaches the CSV as inert text.
    records["housing"].name = "=HYPERLINK(1)"
    records["housing"].save(update_fields=["name"])
    client, _user = staff_client("finance", agency=fund.agency)
    for figure in ("seized-property-proceeds", f"fund-{fund.slug}-programs"):
        response = client.get(
            "/staff/reports/",
            {"agency": "", "format": "csv", "figure": figure},
        )
        assert response.status_code == 200
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        assert len(rows) > 1
        for row in rows:
            for cell in row:
                assert not cell.startswith(("=", "+", "-", "@")), cell
    assert "'=HYPERLINK(1) (Victim services)" in text


def test_the_query_count_does_not_grow_with_the_records(
    staff_client, records, keeper, detective, exploiter, investigation, police
):
    client, _user = staff_client("coordinator")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            dashboard(client, agency=police.pk)
        return len(queries)

    before = count()
    for n in range(4):
        item = seize_other(detective, exploiter, investigation, 50 + n, f"More {n}")
        advance(keeper, item, S.RETURNED, 45)
    assert count() == before
