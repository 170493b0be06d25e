"""Staff pages and the API: what finance and the coordinator see and can do."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safeharbor.audit.models import AuditEvent
from safeharbor.funds import selectors
from safeharbor.funds.models import Allocation, Fund, JournalEntry, Payment, Receipt

from .conftest import allocate, pay, receive

pytestmark = pytest.mark.django_db


def body(response) -> str:
    """A CSV download's text, without the byte-order mark Excel needs."""
    return b"".join(response.streaming_content).decode().removeprefix("\ufeff")


@pytest.fixture
def ledger(fund, program, victim_share):
    receive(fund, "8400.00", "1790.00", description="=HYPERLINK(evil) sedan")
    allocation = allocate(fund, program, victim_share, "3000.00")
    pay(allocation, "950.00")
    return fund, allocation


def test_finance_records_proceeds_and_sees_the_split(staff_client, city, fund):
    client, _user = staff_client("finance", agency=city)
    response = client.post(
        f"/staff/funds/{fund.slug}/receipts/new/",
        {
            "received_on": "2025-10-01",
            "property_kind": "vehicle",
            "description": "2010 hatchback sold at auction",
            "case_reference": "CV-1",
            "gross_amount": "4000.00",
            "case_costs": "400.00",
        },
    )
    assert response.status_code == 302
    page = client.get(f"/staff/funds/{fund.slug}/").content.decode()
    assert "$3,600.00" in page  # cash
    assert "$2,700.00" in page and "$900.00" in page  # 75% / 25% of the net
    assert Receipt.objects.get().created_by == _user


def test_receipt_form_shows_a_plain_error_for_costs_above_gross(staff_client, city, fund):
    client, _ = staff_client("finance", agency=city)
    response = client.post(
        f"/staff/funds/{fund.slug}/receipts/new/",
        {
            "received_on": "2025-10-01",
            "property_kind": "phone",
            "description": "Phone",
            "gross_amount": "40.00",
            "case_costs": "50.00",
        },
    )
    assert response.status_code == 200
    assert "Case costs must be between zero and the gross proceeds" in response.content.decode()
    assert not JournalEntry.objects.exists()


def test_overpayment_through_the_page_is_refused_with_what_is_left(staff_client, city, ledger):
    fund, allocation = ledger
    client, _ = staff_client("finance", agency=city)
    url = f"/staff/funds/{fund.slug}/allocations/{allocation.pk}/"
    response = client.post(url, {"amount": "2050.01", "payee": "Landlord", "paid_on": "2025-10-02"})
    assert response.status_code == 200
    assert "more than is left of the allocation (2050.00 available)" in response.content.decode()
    ok = client.post(url, {"amount": "2050.00", "payee": "Landlord", "paid_on": "2025-10-02"})
    assert ok.status_code == 302
    assert "$0.00" in client.get(url).content.decode()


def test_coordinator_reads_and_allocates_but_cannot_post_receipts_or_pay(
    staff_client, city, ledger, program
):
    fund, allocation = ledger
    client, _ = staff_client("coordinator", agency=city)
    for path in ("", "journal/", "accounts/", "receipts/", "allocations/", "reports/annual/"):
        assert client.get(f"/staff/funds/{fund.slug}/{path}").status_code == 200, path
    assert client.get(f"/staff/funds/{fund.slug}/receipts/new/").status_code == 403
    page = client.get(f"/staff/funds/{fund.slug}/allocations/{allocation.pk}/").content.decode()
    assert "Record a payment" not in page
    refused = client.post(
        f"/staff/funds/{fund.slug}/allocations/{allocation.pk}/",
        {"amount": "1.00", "payee": "x", "paid_on": "2025-10-02"},
    )
    assert refused.status_code == 403
    share = fund.shares.get(name="Police")
    made = client.post(
        f"/staff/funds/{fund.slug}/allocations/new/",
        {
            "program": program.pk,
            "share": share.pk,
            "purpose": "Training",
            "amount": "100.00",
            "allocated_on": "2025-10-03",
        },
    )
    assert made.status_code == 302
    assert Allocation.objects.filter(share=share).count() == 1


def test_other_roles_and_other_agencies_see_no_fund(staff_client, city, ledger):
    fund, _ = ledger
    caseworker, _ = staff_client("caseworker", agency=city)
    assert caseworker.get("/staff/funds/").status_code == 403
    outsider, _ = staff_client("finance")  # finance officer of another agency
    assert outsider.get(f"/staff/funds/{fund.slug}/").status_code == 404
    assert outsider.get("/api/v1/funds/allocations/").json()["results"] == []


def test_reversal_from_the_entry_page(staff_client, city, ledger):
    fund, allocation = ledger
    client, _ = staff_client("finance", agency=city)
    payment = Payment.objects.get()
    url = f"/staff/funds/{fund.slug}/journal/{payment.entry.number}/"
    assert "Reverse this entry" in client.get(url).content.decode()
    response = client.post(url, {"reason": "Wrong landlord", "reversed_on": "2025-10-05"})
    assert response.status_code == 302
    row = selectors.with_balances(Allocation.objects.filter(pk=allocation.pk)).get()
    assert row.available == Decimal("3000.00")
    assert "Reversed by" in client.get(url).content.decode()


def test_csv_downloads_neutralise_formulas_and_are_audited(staff_client, city, ledger):
    fund, _ = ledger
    client, _ = staff_client("finance", agency=city)
    response = client.get(f"/staff/funds/{fund.slug}/receipts/?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(body(response))))
    assert rows[1][2] == "'=HYPERLINK(evil) sedan"
    assert rows[1][4:7] == ["8400.00", "1790.00", "6610.00"]
    assert AuditEvent.objects.filter(action="export", reason="receipts").exists()
    balance = body(client.get(f"/staff/funds/{fund.slug}/accounts/?format=csv"))
    assert "3000,Fund balance — unassigned,Fund balance,6610.00,950.00,-5660.00" in balance
    assert "1000,Cash — restricted fund,Asset" in balance


def test_annual_report_page_and_csv_show_every_dollar(staff_client, city, ledger):
    fund, _ = ledger
    client, _ = staff_client("coordinator", agency=city)
    year = fund.fiscal_years.get(name="FY 2025-26")
    page = client.get(f"/staff/funds/{fund.slug}/reports/annual/?year={year.pk}").content.decode()
    assert "$8,400.00" in page and "$1,790.00" in page and "$4,957.50" in page
    assert "$950.00" in page and "$3,000.00" in page
    data = client.get(f"/staff/funds/{fund.slug}/reports/annual/?year={year.pk}&format=csv")
    rows = list(csv.reader(io.StringIO(body(data))))
    summary = {r[1]: r[3] for r in rows if r[0] == "Summary"}
    assert summary["Fund balance at end"] == "5660.00"
    statement = client.get(
        f"/staff/funds/{fund.slug}/reports/statement/?start=2025-07-01&end=2026-06-30"
    )
    assert "does not reconcile" not in statement.content.decode()


def test_list_pages_do_not_grow_queries_with_rows(staff_client, city, fund, program, victim_share):
    receive(fund, "100000.00")
    pay(allocate(fund, program, victim_share, "100.00"), "10.00")
    client, _ = staff_client("finance", agency=city)

    def count(path):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        return len(queries)

    paths = [
        f"/staff/funds/{fund.slug}/allocations/",
        f"/staff/funds/{fund.slug}/journal/",
        f"/staff/funds/{fund.slug}/receipts/",
        "/api/v1/funds/entries/",
        "/api/v1/funds/allocations/",
    ]
    before = {p: count(p) for p in paths}
    for _ in range(3):
        pay(allocate(fund, program, victim_share, "100.00"), "10.00")
        receive(fund, "10.00")
    after = {p: count(p) for p in paths}
    assert after == before


def test_api_lists_creates_and_refuses_overpayment(staff_client, city, ledger, program):
    fund, allocation = ledger
    client, _ = staff_client("finance", agency=city)
    listed = client.get("/api/v1/funds/allocations/").json()["results"]
    assert listed[0]["available"] == "2050.00" and listed[0]["paid"] == "950.00"
    refused = client.post(
        "/api/v1/funds/payments/",
        {"allocation": allocation.pk, "amount": "2050.01", "payee": "L", "paid_on": "2025-10-09"},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert "more than is left" in str(refused.json())
    created = client.post(
        "/api/v1/funds/receipts/",
        {
            "fund": fund.slug,
            "received_on": "2025-11-01",
            "property_kind": "computer",
            "description": "Laptop sold",
            "gross_amount": "300.00",
            "case_costs": "20.00",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["net_amount"] == "280.00"
    trial = client.get(f"/api/v1/funds/funds/{fund.slug}/trial-balance/").json()
    assert sum(Decimal(r["debits"]) for r in trial) == sum(Decimal(r["credits"]) for r in trial)
    entries = client.get(
        "/api/v1/funds/entries/", {"source_type": "funds.allocation", "source_id": allocation.pk}
    ).json()["results"]
    assert [e["kind"] for e in entries] == ["allocation"]
    coordinator, _ = staff_client("coordinator", agency=city)
    assert (
        coordinator.post(
            "/api/v1/funds/payments/",
            {"allocation": allocation.pk, "amount": "1.00", "payee": "L", "paid_on": "2025-10-09"},
            content_type="application/json",
        ).status_code
        == 403
    )


def test_api_is_in_the_openapi_schema(staff_client):
    client, _ = staff_client("finance")
    schema = client.get("/api/schema/?format=json").json()
    paths = schema["paths"]
    assert "/api/v1/funds/payments/" in paths
    assert "/api/v1/funds/entries/{id}/reverse/" in paths


def test_portland_demo_shows_the_split_and_every_dollar(staff_client):
    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())  # idempotent
    fund = Fund.objects.get(slug="human-trafficking-fund")
    assert fund.receipts.count() >= 3
    overview = selectors.fund_overview(fund)
    assert overview.in_balance
    assert overview.held_cash == Decimal("600.00")  # one forfeiture still pending
    programs = set(fund.allocations.values_list("program__slug", flat=True))
    assert {"new-options-for-women", "survivor-housing-pilot"} <= programs
    last_year = fund.fiscal_years.order_by("starts_on").first()
    report = selectors.annual_report(last_year)
    assert report.reconciles
    assert dict(report.by_share)["Victim services"] == (
        report.net_proceeds * Decimal("0.75")
    ).quantize(Decimal("0.01"))


def test_the_split_is_data_finance_can_change_and_new_receipts_follow(staff_client, city, fund):
    victim, police = fund.shares.order_by("order")
    client, _ = staff_client("finance", agency=city)
    url = f"/staff/funds/{fund.slug}/split/"
    wrong = client.post(url, {f"share_{victim.pk}": "80", f"share_{police.pk}": "25"})
    assert "add up to 105.00%, not 100%" in wrong.content.decode()
    ok = client.post(url, {f"share_{victim.pk}": "80", f"share_{police.pk}": "20"})
    assert ok.status_code == 302
    receipt = receive(fund, "1000.00")
    lines = receipt.distribution.lines.filter(account__share__isnull=False)
    credits = {ln.account.share_id: ln.credit for ln in lines}
    assert credits == {victim.pk: Decimal("800.00"), police.pk: Decimal("200.00")}
    coordinator, _ = staff_client("coordinator", agency=city)
    assert "Change the split" not in coordinator.get(url).content.decode()
    refused = coordinator.post(url, {f"share_{victim.pk}": "50", f"share_{police.pk}": "50"})
    assert refused.status_code == 403


def test_finance_holds_seized_cash_returns_part_and_forfeits_the_rest(staff_client, city, fund):
    client, _ = staff_client("finance", agency=city)
    url = f"/staff/funds/{fund.slug}/held-cash/"

    def held(direction, prefix, amount):
        return client.post(
            url,
            {
                "direction": direction,
                f"{prefix}-seizure_reference": "S-0042",
                f"{prefix}-amount": amount,
                f"{prefix}-on": "2025-09-20",
                f"{prefix}-description": "Cash counted by two officers",
            },
        )

    assert held("receive", "in", "500.00").status_code == 302
    too_much = held("return", "out", "600.00")
    assert "Only 500.00 is held for this seizure." in too_much.content.decode()
    assert held("return", "out", "100.00").status_code == 302
    forfeited = client.post(
        f"/staff/funds/{fund.slug}/receipts/new/",
        {
            "received_on": "2025-10-01",
            "property_kind": "cash",
            "description": "Forfeited by judgment",
            "gross_amount": "400.00",
            "case_costs": "0",
            "from_held_cash": "on",
            "seizure_reference": "S-0042",
        },
    )
    assert forfeited.status_code == 302
    overview = selectors.fund_overview(fund)
    assert overview.held_cash == 0 and overview.cash == Decimal("400.00")
    page = client.get(url).content.decode()
    assert "S-0042" in page and "$0.00 is held pending forfeiture" in page
    coordinator, _ = staff_client("coordinator", agency=city)
    assert coordinator.get(url).status_code == 200
    assert "Take cash into custody" not in coordinator.get(url).content.decode()
    assert coordinator.post(url, {"direction": "receive"}).status_code == 403
