"""The program dashboard as readers see it: coordinators and analysts across agencies with
small cells hidden, a supervisor's own agency in full, exports audited, no identities."""

from __future__ import annotations

import datetime
import html
import re

import pytest
from django.utils import timezone

from safeharbor.audit.models import AuditEvent
from safeharbor.referrals.models import Referral
from safeharbor.reports.access import report_scope
from safeharbor.reports.sections import juvenile_unique_count

from .conftest import make_people, this_month

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(provider, welfare):
    day = this_month()
    seen = make_people(provider, 14, on=day)
    make_people(provider, 3, on=day, status="confirmed")
    make_people(welfare, 25, on=day, juvenile=False, age_band="25_34")
    return seen


def test_analyst_sees_every_agency_with_small_cells_hidden(staff_client, records):
    client, _user = staff_client("analyst")
    response = client.get("/staff/reports/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Identifications by month and status" in page
    assert "fewer than 11" in page  # the 3 confirmed
    assert ">3<" not in page
    assert "Harbor Light Services" in page and "County Child Welfare" in page
    # Aggregates only: no person's reference on the page.
    assert records[0].reference not in page
    # Charts come as images beside their tables, drawn on the server as SVG.
    match = re.search(r'<img class="report-chart" src="([^"]+)" alt="Chart: ([^"]+)"', page)
    assert match
    chart = client.get(html.unescape(match.group(1)))
    assert chart.status_code == 200
    assert chart["Content-Type"] == "image/svg+xml"
    assert chart.content.startswith(b"<svg")
    assert (
        client.get("/staff/reports/chart/?section=identifications&figure=nope").status_code == 404
    )


def test_supervisor_sees_own_agency_in_full_and_nothing_of_others(staff_client, provider, records):
    client, _user = staff_client("supervisor", agency=provider)
    page = client.get("/staff/reports/").content.decode()
    assert "fewer than 11" not in page
    assert ">3<" in page and ">17<" in page
    assert "County Child Welfare" not in page
    # Asking for another agency changes nothing: the filter is not offered.
    assert 'name="agency"' not in page


def test_caseworker_sees_own_agency_suppressed(staff_client, provider, records):
    client, _user = staff_client("caseworker", agency=provider)
    page = client.get("/staff/reports/").content.decode()
    assert "fewer than 11" in page


def test_roles_without_reports_are_refused(staff_client):
    client, _user = staff_client("officer")
    assert client.get("/staff/reports/").status_code == 403


def test_agency_filter_and_bad_period(staff_client, provider, records):
    client, _user = staff_client("coordinator")
    page = client.get("/staff/reports/", {"agency": provider.pk}).content.decode()
    assert "County Child Welfare</th>" not in page
    bad = client.get("/staff/reports/", {"start": "2026-05-01", "end": "2026-01-01"})
    assert bad.status_code == 400
    assert "must come before" in bad.content.decode()


def test_csv_of_one_table_is_audited_and_keeps_small_cells_hidden(staff_client, records):
    client, user = staff_client("analyst")
    before = AuditEvent.objects.filter(action="export").count()
    response = client.get(
        "/staff/reports/", {"format": "csv", "figure": "identifications-by-status"}
    )
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert body.splitlines()[0] == "Month,Suspected,Confirmed,Ruled out,Total"
    assert "fewer than 11" in body
    event = AuditEvent.objects.filter(action="export").latest("seq")
    assert AuditEvent.objects.filter(action="export").count() == before + 1
    assert event.object_type == "reports.dashboard"
    assert event.actor_id == user.pk


def test_pdf_of_the_dashboard(staff_client, records):
    client, _user = staff_client("analyst")
    response = client.get("/staff/reports/", {"format": "pdf"})
    if response.status_code == 503:  # no Pango on this machine: said plainly
        assert b"PDF downloads are not available" in response.content
        return
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_unique_young_people_join_records_linked_by_a_referral(provider, welfare, records):
    # One of the provider's young people came by referral from child welfare's record.
    other = make_people(welfare, 1, on=this_month())[0]
    Referral.objects.bulk_create(
        [
            Referral(
                agency=welfare,
                person=other,
                person_reference=other.reference,
                to_agency=provider,
                reason="",
                legal_basis="Synthetic test basis",
                sent_at=timezone.now(),
                accepted_at=timezone.now(),
                state="accepted",
                receiving_person=records[0],
            )
        ]
    )
    today = timezone.localdate()
    scope = report_scope(
        _analyst_membership(), start=today - datetime.timedelta(days=40), end=today
    )
    count, basis, from_linkage = juvenile_unique_count(scope)
    assert not from_linkage
    # 17 + 1 records, one pair linked: at most 17 people, at least the provider's 17.
    assert (count.lower, count.upper) == (17, 17)
    assert "referral" in basis


def _analyst_membership():
    from tests import factories

    user = factories.UserFactory()
    return factories.membership(user, factories.AgencyFactory(), "analyst")


def test_query_count_does_not_grow_with_the_records(staff_client, provider, welfare):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client, _user = staff_client("analyst")
    make_people(provider, 2, on=this_month())

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/staff/reports/").status_code == 200
        return len(queries)

    before = count()
    make_people(welfare, 30, on=this_month())
    make_people(provider, 12, on=this_month() - datetime.timedelta(days=40), status="confirmed")
    assert count() == before


def test_a_failing_section_is_reported_and_the_rest_still_shows(staff_client, records):
    from safeharbor.reports.registry import DashboardSection, _sections

    def broken(scope):
        raise RuntimeError("synthetic failure")

    _sections["zz-broken"] = DashboardSection(slug="zz-broken", title="Broken", build=broken)
    try:
        client, _user = staff_client("analyst")
        page = client.get("/staff/reports/").content.decode()
    finally:
        del _sections["zz-broken"]
    assert "These figures could not be counted just now." in page
    assert "Identifications by month and status" in page


def test_unique_young_people_come_from_the_linkage_run_once_there(provider, welfare):
    from safeharbor.linkage.models import ClusterMembership, LinkageRun

    day = this_month()
    ours = make_people(provider, 12, on=day)
    theirs = make_people(welfare, 6, on=day)
    run = LinkageRun.objects.create(
        agency=provider, status="succeeded", threshold=0.9, finished_at=timezone.now()
    )
    # Welfare's six are the same people as six of ours; two of ours could not be linked.
    memberships = [
        ClusterMembership(run=run, person=p, cluster=i, linked=True)
        for i, p in enumerate(ours[:10])
    ]
    memberships += [
        ClusterMembership(run=run, person=p, cluster=i, linked=True) for i, p in enumerate(theirs)
    ]
    ClusterMembership.objects.bulk_create(memberships)
    today = timezone.localdate()
    scope = report_scope(
        _analyst_membership(), start=today - datetime.timedelta(days=40), end=today
    )
    result = juvenile_unique_count(scope)
    assert result.from_linkage
    assert (result.count.lower, result.count.upper) == (10, 12)
    assert "linkage run" in result.basis


def test_caseworker_is_not_offered_the_performance_measures(staff_client, provider, records):
    client, _user = staff_client("caseworker", agency=provider)
    page = client.get("/staff/reports/").content.decode()
    assert "/staff/reports/performance/" not in page
    assert client.get("/staff/reports/performance/").status_code == 403
