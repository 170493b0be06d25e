"""The public statistics page counts through the permission engine's statistical read as the
system actor, suppressed, and keeps its counts for a few minutes: one audit event when it
counts, none while the counts are cached, whoever visits and in whichever language."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.cache import cache
from django.utils import timezone

from safeharbor.audit.models import AuditEvent
from safeharbor.reports.public import PURPOSE

from .conftest import make_people

pytestmark = pytest.mark.django_db


def _reads():
    return AuditEvent.objects.filter(reason="statistical_read", object_id=PURPOSE).order_by("id")


def _cells(response) -> dict[str, list[str]]:
    """Each row of the first table (identifications: under 18, 18 or older, not known,
    total) by its quarter: the cells as shown."""
    text = re.sub(r"\s+", " ", response.content.decode())
    text = text.split("<table")[1]
    rows = re.findall(r'<th scope="row">(Q[1-4]|T[1-4])</th>(.*?)</tr>', text)
    return {
        quarter: re.findall(r'<td class="text-right(?: text-bold)?">([^<]*)<', cells)
        for quarter, cells in rows
    }


@pytest.fixture
def last_year(provider, welfare):
    year = timezone.localdate().year - 1
    make_people(provider, 4, on=datetime.date(year, 2, 10))  # Q1: a small cell
    make_people(welfare, 30, on=datetime.date(year, 5, 10), juvenile=False)  # Q2: 30 adults
    make_people(provider, 15, on=datetime.date(year, 8, 10))  # Q3: 15 minors
    return year


def test_the_page_counts_once_then_serves_the_cached_figures(client, last_year):
    first = client.get("/statistics/", {"year": last_year})
    assert first.status_code == 200
    event = _reads().get()
    assert event.actor_kind == "system"
    assert "counted:survivors.identification.identified_on" in event.fields
    assert "counted:survivors.identification.juvenile_at_identification" in event.fields
    assert f"filter:year={last_year}" in event.fields
    assert "filter:suppressed=yes" in event.fields
    assert "filter:audience=public" in event.fields

    # More visitors, in both languages, and a download: no more counting, no more reads.
    assert client.get("/statistics/", {"year": last_year}).status_code == 200
    assert client.get("/es/statistics/", {"year": last_year}).status_code == 200
    csv = client.get(
        "/statistics/", {"year": last_year, "format": "csv", "table": "identifications"}
    )
    assert csv.status_code == 200
    assert _reads().count() == 1
    # The download itself is recorded as an export.
    assert AuditEvent.objects.filter(
        object_type="reports.public_statistics", object_id=f"{last_year}:identifications"
    ).exists()


def test_the_counts_are_the_records_with_small_cells_hidden(client, last_year):
    cells = _cells(client.get("/statistics/", {"year": last_year}))
    assert cells["Q2"][:2] == ["0", "30"]
    assert cells["Q1"][0] == "fewer than 11"
    # 15 minors in Q3 would give the 4 of Q1 away with the year's total: hidden too.
    assert cells["Q3"][:2] == ["hidden", "0"]
    for row in cells.values():
        for cell in row:
            assert not re.fullmatch(r"([1-9]|10)", cell.strip()), cell


def test_new_records_show_once_the_cached_counts_expire(client, provider, last_year):
    client.get("/statistics/", {"year": last_year})
    make_people(provider, 12, on=datetime.date(last_year, 4, 3), juvenile=False)
    # Cached: the 12 new adults of Q2 are not counted yet (the page may lag a few minutes).
    assert _cells(client.get("/statistics/", {"year": last_year}))["Q2"][:2] == ["0", "30"]
    cache.clear()  # what CACHE_SECONDS later looks like
    assert _cells(client.get("/statistics/", {"year": last_year}))["Q2"][:2] == ["0", "42"]
    assert _reads().count() == 2


def test_an_unknown_year_is_not_found_and_the_read_is_still_audited(client, last_year):
    assert client.get("/statistics/", {"year": 1990}).status_code == 404
    event = _reads().get()
    assert "filter:first_year=yes" in event.fields
    assert not any(f.startswith("filter:year=") for f in event.fields)
