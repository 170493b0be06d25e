"""The Portland demo tells the issue's story: a seized car goes from seizure to auction, its
net proceeds are split 75/25, the victim-services share is allocated to the survivor housing
pilot, and the fund statement and the annual report (on screen and as PDF) show every
dollar."""

from __future__ import annotations

import io
from decimal import Decimal

import pypdf
import pytest
from django.core.management import call_command

from safeharbor.accounts.models import Agency, Membership
from safeharbor.assets import selectors
from safeharbor.assets.choices import ForfeitureState
from safeharbor.assets.models import SeizedAsset
from safeharbor.funds import selectors as fund_selectors
from safeharbor.funds.models import Allocation, FiscalYear, Fund, JournalEntry
from tests import factories
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


def pdf_text(response) -> str:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(response.content)).pages)


def test_the_demo_car_goes_from_seizure_to_the_housing_pilot(client):
    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())  # idempotent
    police = Agency.objects.get(slug="portland-police")
    car = SeizedAsset.objects.get(agency=police, kind="vehicle")
    assert SeizedAsset.objects.filter(agency=police, kind="vehicle").count() == 1
    steps = list(car.forfeiture_events.values_list("to_state", flat=True))
    assert steps == [
        ForfeitureState.NOTICE_SENT,
        ForfeitureState.NO_CLAIM,
        ForfeitureState.FORFEITED,
        ForfeitureState.DISPOSED,
    ]
    assert [e.to_custodian for e in car.custody_events.all()][-1] == "Demo Auto Auction"
    sale = car.disposition
    assert sale.method == "sold" and sale.gross_proceeds == Decimal("9800.00")
    assert sale.net_proceeds == Decimal("6800.00")

    # The fund: the receipt, its 75/25 split and the allocation to the housing pilot.
    fund = Fund.objects.get(slug="human-trafficking-fund")
    entries = JournalEntry.objects.filter(source_type="assets.seizedasset", source_id=str(car.pk))
    assert set(entries.values_list("kind", flat=True)) == {"receipt", "distribution"}
    split = {
        line.account.share.name: line.credit
        for line in sale.receipt.distribution.lines.filter(account__share__isnull=False)
    }
    assert split == {"Victim services": Decimal("5100.00"), "Police": Decimal("1700.00")}
    housing = Allocation.objects.get(fund=fund, purpose__contains=car.reference)
    assert housing.program.slug == "survivor-housing-pilot"
    assert fund_selectors.with_balances(
        Allocation.objects.filter(pk=housing.pk)
    ).get().allocated == (Decimal("5100.00"))

    # The annual report and a fund statement of the year of the sale show every dollar.
    year = FiscalYear.objects.get(
        fund=fund, starts_on__lte=sale.disposed_on, ends_on__gte=sale.disposed_on
    )
    report = fund_selectors.annual_report(year)
    assert report.reconciles
    vehicles = {kind: gross for kind, _n, gross, _c in report.by_property}
    assert vehicles["Vehicle"] >= Decimal("9800.00")
    by_program = {(u.program_name, u.share_name): u.allocated for u in report.by_program}
    pilot = [a for (name, share), a in by_program.items() if "housing" in name.lower()]
    assert sum(pilot) >= Decimal("5100.00")
    day = fund_selectors.fund_statement(fund, start=sale.disposed_on, end=sale.disposed_on)
    assert day.reconciles and day.revenue >= Decimal("9800.00")
    assert dict(day.by_share)["Victim services"] >= Decimal("5100.00")
    assert day.allocated_in_period >= Decimal("5100.00")

    # The judgment and distribution report of the property officer.
    keeper = Membership.objects.get(user__email="property-officer@demo.safeharbor.example")
    judgments = selectors.judgment_report(
        keeper, start=sale.disposed_on.replace(year=sale.disposed_on.year - 1), end=sale.disposed_on
    )
    row = next(r for r in judgments.rows if r.asset.pk == car.pk)
    assert row.split == [("Victim services", Decimal("5100.00")), ("Police", Decimal("1700.00"))]

    # Finance prints the annual report and the statement as PDF; every dollar is in them.
    finance = Membership.objects.get(user__email="finance@demo.safeharbor.example").user
    finance.set_password(factories.PASSWORD)  # the demo's own password is not the tests'
    finance.save(update_fields=["password"])
    sign_in(client, finance)
    annual = pdf_text(
        client.get(f"/staff/funds/{fund.slug}/reports/annual/?year={year.pk}&format=pdf")
    )
    assert "Survivor" in annual and "Vehicle" in annual
    statement = pdf_text(
        client.get(
            f"/staff/funds/{fund.slug}/reports/statement/"
            f"?start={sale.disposed_on}&end={sale.disposed_on}&format=pdf"
        )
    )
    assert "$9,800.00" in statement and "$5,100.00" in statement

    # The property officer's home page shows the phone's notice deadline.
    client.logout()
    keeper.user.set_password(factories.PASSWORD)
    keeper.user.save(update_fields=["password"])
    sign_in(client, keeper.user)
    phone = SeizedAsset.objects.get(agency=police, kind="phone")
    home = client.get("/staff/").content.decode()
    assert phone.reference in home and "Send forfeiture notice" in home
