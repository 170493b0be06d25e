"""The reports API: the same aggregates as the pages, suppressed the same way, in the
OpenAPI schema without warnings."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from .conftest import make_people, this_month

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(provider, welfare):
    make_people(provider, 14, on=this_month())
    make_people(provider, 3, on=this_month(), status="confirmed")
    make_people(welfare, 25, on=this_month(), juvenile=False)


def _figure(body, slug):
    for section in body["sections"]:
        for figure in section["figures"]:
            if figure["slug"] == slug:
                return figure
    raise AssertionError(slug)


def _confirmed(figure):
    column = [c["key"] for c in figure["columns"]].index("confirmed")
    return [cell for row in figure["rows"] for cell in [row["cells"][column]]]


def test_analyst_gets_suppressed_aggregates(staff_client, records):
    client, _user = staff_client("analyst")
    response = client.get("/api/v1/reports/dashboard/")
    assert response.status_code == 200
    body = response.json()
    assert body["suppressed"] is True and body["agency_ids"] is None
    figure = _figure(body, "identifications-by-status")
    cells = [c for c in _confirmed(figure) if c["display"] != "0"]
    assert cells and all(c["value"] is None for c in cells)
    assert {c["display"] for c in cells} <= {"fewer than 11", "hidden"}


def test_supervisor_gets_own_agency_exactly(staff_client, provider, records):
    client, _user = staff_client("supervisor", agency=provider)
    body = client.get("/api/v1/reports/dashboard/").json()
    assert body["suppressed"] is False and body["agency_ids"] == [provider.pk]
    figure = _figure(body, "identifications-by-status")
    assert figure["grand_total"]["value"] == "17"
    performance = client.get("/api/v1/reports/performance/").json()
    assert performance["suppressed"] is False


def test_refused_and_bad_input(staff_client, records):
    client, _user = staff_client("officer")
    assert client.get("/api/v1/reports/dashboard/").status_code == 403
    analyst, _user = staff_client("analyst")
    assert analyst.get("/api/v1/reports/dashboard/?start=nonsense").status_code == 400


def test_schema_has_the_reports_without_warnings(tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(target))
    text = target.read_text()
    assert "/api/v1/reports/dashboard/" in text and "/api/v1/reports/performance/" in text
