"""The performance measures (OVC TIMS shape) and the public statistics page."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from safeharbor.reports.forms import fiscal_year_bounds
from safeharbor.survivors.models import Case, CaseService

from .conftest import make_people

pytestmark = pytest.mark.django_db


def _fiscal_year(today: datetime.date) -> int:
    return today.year + 1 if today.month >= 10 else today.year


@pytest.fixture
def clients(provider):
    today = timezone.localdate()
    start, _end = fiscal_year_bounds(_fiscal_year(today))
    new = make_people(provider, 12, on=start, sex="F")
    continuing = make_people(provider, 2, on=start, juvenile=False, age_band="25_34", sex="M")
    for person in new:
        case = Case.objects.create(person=person, agency=provider, opened_on=start)
        CaseService.objects.create(
            case=case, service_type="legal", status="delivered", delivered_on=start
        )
    for person in continuing:
        Case.objects.create(
            person=person, agency=provider, opened_on=start - datetime.timedelta(days=400)
        )
    return new, continuing


def test_supervisor_sees_own_agency_measures_in_full(staff_client, provider, clients):
    client, _user = staff_client("supervisor", agency=provider)
    page = client.get("/staff/reports/performance/").content.decode()
    assert "Clients served:</strong> 14" in page
    text = re.sub(r"\s+", " ", page)
    assert 'New (first case opened in the year)</th><td class="text-right">12<' in text
    assert 'Continuing from an earlier year</th><td class="text-right">2<' in text
    assert 'Minors (under 18)</th><td class="text-right">12<' in text
    assert 'Female</th><td class="text-right">12<' in text
    assert 'Legal</th><td class="text-right">12<' in text


def test_analyst_gets_the_same_measures_suppressed(staff_client, clients):
    client, _user = staff_client("analyst")
    page = client.get("/staff/reports/performance/").content.decode()
    assert "Clients served:</strong> 14" in page
    text = re.sub(r"\s+", " ", page)
    # The 2 continuing clients are hidden, and so is something that would give them away.
    assert 'Continuing from an earlier year</th><td class="text-right">fewer than 11<' in text
    assert 'New (first case opened in the year)</th><td class="text-right">hidden<' in text
    response = client.get("/staff/reports/performance/", {"format": "csv", "figure": "gender"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "fewer than 11" in body


def test_public_statistics_show_only_suppressed_quarterly_aggregates(client, provider, welfare):
    last_year = timezone.localdate().year - 1
    make_people(provider, 4, on=datetime.date(last_year, 2, 10))
    make_people(welfare, 30, on=datetime.date(last_year, 5, 10), juvenile=False)
    make_people(provider, 15, on=datetime.date(last_year, 8, 10))
    response = client.get("/statistics/", {"year": last_year})
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Statistics for {last_year}" in page
    text = re.sub(r"\s+", " ", page)
    assert 'Q1</th><td class="text-right">fewer than 11<' in text
    # No figure from 1 to 10 anywhere in the tables.
    cells = re.findall(r'<td class="text-right(?: text-bold)?">([^<]*)<', text)
    assert cells
    for cell in cells:
        assert not re.fullmatch(r"([1-9]|10)", cell.strip()), cell
    assert "Harbor Light" not in page  # no agency names
    # Spanish under its own prefix.
    assert client.get("/es/statistics/", {"year": last_year}).status_code == 200
    csv = client.get(
        "/statistics/", {"year": last_year, "format": "csv", "table": "identifications"}
    )
    body = b"".join(csv.streaming_content).decode("utf-8-sig")
    assert "fewer than 11" in body
    assert client.get("/statistics/", {"year": 1990}).status_code == 404
    pdf = client.get("/statistics/", {"year": last_year, "format": "pdf"})
    assert pdf.status_code in (200, 503)  # 503: no Pango on this machine, said plainly
    if pdf.status_code == 200:
        assert pdf.content.startswith(b"%PDF")


@pytest.mark.django_db
@pytest.mark.parametrize(("prefix", "label"), [("/", "Statistics"), ("/es/", "Estadísticas")])
def test_public_navigation_leads_to_the_statistics(client, prefix, label):
    response = client.get(prefix)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="{prefix}statistics/"' in html
    assert f">{label}</a>" in html
