"""The REST API: same rules as the pages, categories hidden, OpenAPI schema."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from safeharbor.survivors.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(staff_client, home):
    client, _user = staff_client("caseworker", agency=home)
    return client


def test_create_search_and_read_a_person(api):
    response = api.post(
        "/api/v1/survivors/people/",
        {
            "given_name": "Lena",
            "family_name": "Hazelton",
            "aliases": ["Lucky"],
            "dob": "2010-06-01",
            "phones": ["503-555-0123"],
            "safe_contact": {"methods": ["text"], "code_word": "river stone"},
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["reference"].startswith("SH-") and body["age_band"] in {"15_17", "12_14"}
    listed = api.get("/api/v1/survivors/people/?q=Lucky").json()
    assert [row["reference"] for row in listed["results"]] == [body["reference"]]
    assert listed["results"][0]["name"] == "Lena Hazelton"
    detail = api.get(f"/api/v1/survivors/people/{body['id']}/").json()
    assert detail["safe_contact"]["code_word"] == "river stone"


def test_case_consent_and_missing_episode_through_the_api(api):
    person = api.post(
        "/api/v1/survivors/people/",
        {"given_name": "Ivy", "dob": "2011-01-01"},
        content_type="application/json",
    ).json()
    case = api.post(
        "/api/v1/survivors/cases/",
        {"person": person["id"], "opened_on": timezone.localdate().isoformat()},
        content_type="application/json",
    )
    assert case.status_code == 201
    service = api.post(
        f"/api/v1/survivors/cases/{case.json()['id']}/services/",
        {"service_type": "legal"},
        content_type="application/json",
    )
    assert service.status_code == 201
    learned = timezone.now() - datetime.timedelta(hours=30)
    episode = api.post(
        "/api/v1/survivors/missing-episodes/",
        {"person": person["id"], "learned_at": learned.isoformat()},
        content_type="application/json",
    ).json()
    assert episode["police_overdue"] is True and episode["ncmec_overdue"] is True
    bad = api.post(
        "/api/v1/survivors/consents/",
        {
            "person": person["id"],
            "recipient_agencies": [],
            "categories": ["case"],
            "purpose": "referral",
            "signed_on": timezone.localdate().isoformat(),
            "expires_on": (timezone.localdate() + datetime.timedelta(days=400)).isoformat(),
            "signers": [{"role": "person", "name": "Ivy"}],
        },
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert {"recipient_agencies", "expires_on", "signers"} <= set(bad.json())


def test_other_agency_gets_404_and_schema_lists_the_area(api, staff_client, make_person, worker):
    person = make_person(worker)
    outsider, _u = staff_client("supervisor")
    assert outsider.get(f"/api/v1/survivors/people/{person.pk}/").status_code == 404
    assert outsider.get("/api/v1/survivors/people/").json()["count"] == 0
    schema = api.get("/api/schema/?format=json").json()
    assert "/api/v1/survivors/people/" in schema["paths"]
    assert "/api/v1/survivors/consents/{id}/revoke/" in schema["paths"]
    assert Person.objects.count() == 1
