"""Linkage pages and API: counts with their interval for coordinators and analysts, starting
a run and following its job, the review queue for supervisors, and who may do what."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from safeharbor.core.models import Job
from safeharbor.linkage import services
from safeharbor.linkage.choices import PairStatus
from safeharbor.linkage.models import DuplicatePair, LinkageRun

from .conftest import born

pytestmark = pytest.mark.django_db


@pytest.fixture
def young_people(dhs, police, record):
    """Twelve young people known to child welfare, six of them to the police too."""
    for n in range(12):
        dob = born(13 + n % 5, 1 + n % 12, 1 + n)
        given, family = f"Synth{chr(65 + n)}", f"Family{chr(75 + n)}a"
        record(dhs, given, family, dob, phone=f"503-555-01{n:02d}")
        if n < 6:
            record(police, given, family, dob, phone=f"503-555-01{n:02d}")


@pytest.fixture
def linked(young_people, city):
    run = services.linkage_run_create(membership=None, agency=city)
    return services.linkage_run_execute(run_id=run.pk)


@pytest.fixture
def duplicate(dhs, city, record):
    first = record(dhs, "Kayla", "Brennock", born(17, 1, 22), phone="971-555-0103")
    record(dhs, "Kaila", "Brennock", born(17, 1, 22), phone="971-555-0103")
    run = services.linkage_run_create(membership=None, agency=city)
    services.linkage_run_execute(run_id=run.pk)
    return DuplicatePair.objects.get(person_a=first)


def test_coordinator_home_shows_the_unique_count(staff_client, city, linked):
    client, _ = staff_client("coordinator", agency=city)
    page = client.get("/staff/").content.decode()
    year = timezone.localdate().year
    assert f"Unique young people suspected or confirmed, {year}: 12" in page
    assert "Unique young people suspected or confirmed: 12" in page


def test_home_says_not_yet_run_with_a_start_button(staff_client, city, young_people):
    client, _ = staff_client("coordinator", agency=city)
    page = client.get("/staff/").content.decode()
    assert "have not been linked across agencies yet" in page
    assert reverse("linkage:run-start") in page
    analyst, _ = staff_client("analyst", agency=city)
    page = analyst.get("/staff/").content.decode()
    assert "have not been linked across agencies yet" in page
    assert reverse("linkage:run-start") not in page  # analysts see counts, do not run


def test_counts_page_filters_and_suppresses_small_cells(staff_client, city, dhs, linked):
    client, _ = staff_client("analyst", agency=city)
    page = client.get(
        reverse("linkage:index"), {"juveniles": "on", "status": "confirmed"}
    ).content.decode()
    assert "Unique young people confirmed: 0" in page
    page = client.get(
        reverse("linkage:index"),
        {"juveniles": "on", "status": "suspected_or_confirmed", "agencies": [dhs.pk]},
    ).content.decode()
    # Twelve people: shown, even to an agency that does not own the records.
    assert "(Synthetic Child Welfare): 12" in page
    bad = client.get(reverse("linkage:index"), {"start": "2026-05-01", "end": "2026-01-01"})
    assert "The end date is before the start date." in bad.content.decode()


def test_starting_a_run_from_the_page_shows_the_job_progress(
    staff_client, city, young_people, django_capture_on_commit_callbacks
):
    client, user = staff_client("coordinator", agency=city)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("linkage:run-start"), {"retrain": ""})
    run = LinkageRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("core:job", args=[run.job_id])
    job = Job.objects.get(pk=run.job_id)
    assert job.created_by == user and job.status == Job.Status.SUCCEEDED
    page = client.get(response["Location"]).content.decode()
    assert "Finished" in page and "100%" in page
    detail = client.get(reverse("linkage:run-detail", args=[run.pk])).content.decode()
    assert "Records without consent to statistical linkage (counted, unlinked)" in detail
    assert "Comparing records" in detail


def test_who_may_start_a_run_and_see_counts(staff_client, city, dhs):
    analyst, _ = staff_client("analyst", agency=city)
    assert analyst.post(reverse("linkage:run-start")).status_code == 403
    caseworker, _ = staff_client("caseworker", agency=dhs)
    assert caseworker.get(reverse("linkage:index")).status_code == 403
    assert caseworker.get("/api/v1/linkage/counts/").status_code == 403
    assert LinkageRun.objects.count() == 0


def test_supervisor_reviews_their_agencys_pairs(staff_client, dhs, duplicate):
    client, user = staff_client("supervisor", agency=dhs)
    page = client.get(reverse("linkage:review")).content.decode()
    assert duplicate.person_a.reference in page and "Kaila Brennock" in page
    response = client.post(
        reverse("linkage:review-decide", args=[duplicate.pk]), {"decision": "different"}
    )
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.status == PairStatus.REJECTED and duplicate.decided_by == user
    home = client.get("/staff/").content.decode()
    assert "may be the same person" not in home  # nothing waiting now


def test_other_agencies_and_other_roles_cannot_review(staff_client, police, dhs, duplicate):
    other, _ = staff_client("supervisor", agency=police)
    assert duplicate.person_a.reference not in other.get(reverse("linkage:review")).content.decode()
    url = reverse("linkage:review-decide", args=[duplicate.pk])
    assert other.post(url, {"decision": "same"}).status_code == 404
    caseworker, _ = staff_client("caseworker", agency=dhs)
    assert caseworker.post(url, {"decision": "same"}).status_code == 403
    coordinator, _ = staff_client("coordinator", agency=dhs)
    assert coordinator.post(url, {"decision": "same"}).status_code == 403
    duplicate.refresh_from_db()
    assert duplicate.status == PairStatus.PENDING


def test_api_counts_runs_and_review(staff_client, city, dhs, police, linked, duplicate):
    client, _ = staff_client("coordinator", agency=city)
    year = timezone.localdate().year
    body = client.get("/api/v1/linkage/counts/", {"year": year}).json()
    assert body["point"] == body["lower"] == body["upper"] == 13  # Kayla joined the twelve
    assert body["text"].startswith(f"Unique young people suspected or confirmed, {year}: 13")
    small = client.get("/api/v1/linkage/counts/", {"agency": [police.pk]}).json()
    assert small["suppressed"] and small["point"] is None
    assert "fewer than 11" in small["text"]
    runs = client.get("/api/v1/linkage/runs/").json()
    assert runs["count"] == 2 and "records" in runs["results"][0]["counts"]
    supervisor, _ = staff_client("supervisor", agency=dhs)
    pairs = supervisor.get("/api/v1/linkage/pairs/", {"status": "pending"}).json()
    assert [p["id"] for p in pairs["results"]] == [duplicate.pk]
    answer = supervisor.post(f"/api/v1/linkage/pairs/{duplicate.pk}/confirm/")
    assert answer.status_code == 200 and answer.json()["status"] == "confirmed"
    outsider, _ = staff_client("supervisor", agency=police)
    assert outsider.post(f"/api/v1/linkage/pairs/{duplicate.pk}/reject/").status_code == 404
    analyst, _ = staff_client("analyst", agency=city)
    assert (
        analyst.post("/api/v1/linkage/runs/", {}, content_type="application/json").status_code
        == 403
    )


def test_api_is_in_the_openapi_schema(staff_client, city):
    client, _ = staff_client("coordinator", agency=city)
    paths = client.get("/api/schema/?format=json").json()["paths"]
    assert "/api/v1/linkage/counts/" in paths
    assert "/api/v1/linkage/runs/" in paths
    assert "/api/v1/linkage/pairs/{id}/confirm/" in paths


def test_counts_page_queries_do_not_grow_with_runs(staff_client, city, dhs, record):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    record(dhs, "Opal", "Glenrock", born(15))
    client, _ = staff_client("coordinator", agency=city)

    def run():
        made = services.linkage_run_create(membership=None, agency=city)
        services.linkage_run_execute(run_id=made.pk)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("linkage:index")).status_code == 200
        return len(queries)

    run()
    count()  # the first page view also starts the audit chains it writes to
    few = count()
    run()
    run()
    assert count() == few
