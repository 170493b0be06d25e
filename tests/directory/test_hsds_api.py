"""The HSDS 3.0 API: responses validate against the HSDS schemas (read where they lie, in
the shared folder beside the repository), bad parameters get JSON 400/404, never a 500."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from jsonschema import Draft202012Validator, FormatChecker

from safeharbor.directory.models import Location, Organization, Service, TaxonomyTerm

REPO_ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = REPO_ROOT.parent / "shared" / "hsds-3.0" / "compiled"

needs_schemas = pytest.mark.skipif(
    not SCHEMAS.is_dir(),
    reason=f"HSDS 3.0 schemas not found at {SCHEMAS} (they sit beside the clone in CI)",
)

pytestmark = pytest.mark.django_db


@cache
def validator(name: str) -> Draft202012Validator:
    schema = json.loads((SCHEMAS / name).read_text())
    return Draft202012Validator(schema, format_checker=FormatChecker())


def assert_valid(name: str, data: dict) -> None:
    errors = sorted(validator(name).iter_errors(data), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]


def get(client: Client, url: str):
    response = client.get(url)
    assert response["Content-Type"].startswith("application/json")
    return response, response.json()


@needs_schemas
def test_every_service_validates_in_full_and_in_lists(demo_directory):
    client = Client()
    response, page = get(client, "/api/hsds/services?per_page=100")
    assert response.status_code == 200
    assert page["total_items"] == Service.objects.count() == 5
    for item in page["contents"]:
        assert_valid("service_list.json", item)
        _, full = get(client, f"/api/hsds/services/{item['id']}")
        assert_valid("service.json", full)


@needs_schemas
def test_organizations_and_services_at_locations_validate(demo_directory):
    client = Client()
    _, page = get(client, "/api/hsds/organizations")
    for item in page["contents"]:
        assert_valid("organization_list.json", item)
        _, full = get(client, f"/api/hsds/organizations/{item['id']}")
        assert_valid("organization.json", full)
    _, page = get(client, "/api/hsds/service_at_locations?full=true")
    assert page["total_items"] == 3
    for item in page["contents"]:
        assert_valid("service_at_location_list.json", item)
        _, full = get(client, f"/api/hsds/service_at_locations/{item['id']}")
        assert_valid("service_at_location.json", full)


def test_root_says_version_profile_and_openapi():
    _, data = get(Client(), "/api/hsds/")
    assert data["version"] == "3.0"
    assert data["openapi_url"].endswith("openapi.json")
    assert data["profile"].startswith("https://")


def test_hotline_numbers_are_exactly_the_seed_pages(demo_directory):
    _, page = get(Client(), "/api/hsds/services?full=true&per_page=50")
    numbers = {
        item["name"]: [p["number"] for p in item.get("phones", [])] for item in page["contents"]
    }
    assert numbers["National Human Trafficking Resource Center hotline"] == ["1-888-373-7888"]
    assert numbers["Sexual Assault Resource Center hotline"] == ["1-800-640-5311"]
    assert numbers["New Options for Women: counseling and long-term support"] == ["503-710-1513"]
    # The seed page gives no number for the Gateway Center or the housing pilot.
    assert numbers["Gateway Center"] == []
    assert numbers["Housing pilot for adult trafficking victims"] == []


def test_services_link_to_platform_programs(demo_directory):
    _, page = get(Client(), "/api/hsds/services?per_page=50")
    by_name = {item["name"]: item for item in page["contents"]}
    assert by_name["Gateway Center"]["program"]["name"] == "Gateway Intake"
    assert "program_id" in by_name["Housing pilot for adult trafficking victims"]
    assert "program" not in by_name["Sexual Assault Resource Center hotline"]


def test_confidential_location_never_has_an_address(demo_directory):
    homes = Location.objects.get(is_confidential=True)
    assert homes.address_1 == ""
    service = Service.objects.get(service_at_locations__location=homes)
    _, data = get(Client(), f"/api/hsds/services/{service.pk}")
    location = data["service_at_locations"][0]["location"]
    assert location["addresses"] == []
    assert "latitude" not in location


def test_twenty_four_hour_schedule_is_every_day(demo_directory):
    service = Service.objects.get(name_en="Sexual Assault Resource Center hotline")
    _, data = get(Client(), f"/api/hsds/services/{service.pk}")
    assert data["schedules"][0]["byday"] == "MO,TU,WE,TH,FR,SA,SU"
    assert data["schedules"][0]["opens_at"] == "00:00"


def test_filters_by_term_organization_search_and_modified_after(demo_directory):
    client = Client()
    housing = TaxonomyTerm.objects.get(code="housing")
    _, page = get(client, f"/api/hsds/services?taxonomy_term_id={housing.pk}")
    assert [s["name"] for s in page["contents"]] == ["Housing pilot for adult trafficking victims"]
    sarc = Organization.objects.get(name="Sexual Assault Resource Center")
    _, page = get(client, f"/api/hsds/services?organization_id={sarc.pk}")
    assert page["total_items"] == 1
    _, page = get(client, "/api/hsds/services?search=hotline")
    assert page["total_items"] == 2
    _, page = get(client, "/api/hsds/services?modified_after=2999-01-01T00:00:00Z")
    assert page["empty"] is True and page["contents"] == []
    _, page = get(client, "/api/hsds/services?minimal=true")
    assert set(page["contents"][0]) == {"id", "last_modified"}


def test_pages_count_correctly(demo_directory):
    _, page = get(Client(), "/api/hsds/services?per_page=2&page=3")
    assert page["total_pages"] == 3 and page["size"] == 1 and page["last_page"] is True


def test_spanish_content_on_request(demo_directory):
    _, page = get(Client(), "/api/hsds/taxonomy_terms?lang=es")
    assert "Vivienda" in [t["name"] for t in page["contents"]]


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/hsds/services?page=0", 400),
        ("/api/hsds/services?per_page=10000", 400),
        ("/api/hsds/services?per_page=abc", 400),
        ("/api/hsds/services?taxonomy_term_id=not-a-uuid", 400),
        ("/api/hsds/services?modified_after=yesterday", 400),
        ("/api/hsds/services?full=maybe", 400),
        ("/api/hsds/services/00000000-0000-0000-0000-000000000000", 404),
        ("/api/hsds/services/not-an-id", 404),
        ("/api/hsds/organizations/00000000-0000-0000-0000-000000000000", 404),
        ("/api/hsds/service_at_locations/x", 404),
        ("/api/hsds/taxonomy_terms/x", 404),
    ],
)
def test_bad_parameters_get_json_errors(url, status):
    response, data = get(Client(), url)
    assert response.status_code == status
    assert data  # a message, not an empty body


def test_api_is_read_only_and_sets_no_cookies():
    client = Client(enforce_csrf_checks=True)
    assert client.post("/api/hsds/services", {}).status_code == 405
    response = client.get("/api/hsds/services")
    assert not response.cookies


def test_clients_are_rate_limited(monkeypatch):
    from django.core.cache import cache as django_cache

    from safeharbor.directory.hsds.views import HSDSThrottle

    django_cache.clear()
    monkeypatch.setattr(HSDSThrottle, "THROTTLE_RATES", {"hsds": "3/minute"})
    try:
        client = Client(REMOTE_ADDR="203.0.113.9")
        codes = [client.get("/api/hsds/").status_code for _ in range(4)]
        other = Client(REMOTE_ADDR="203.0.113.10").get("/api/hsds/").status_code
    finally:
        django_cache.clear()
    assert codes == [200, 200, 200, 429]
    assert other == 200


def test_service_list_query_count_does_not_grow_with_services(demo_directory):
    client = Client()
    with CaptureQueriesContext(connection) as small:
        client.get("/api/hsds/services?full=true&per_page=2")
    with CaptureQueriesContext(connection) as large:
        client.get("/api/hsds/services?full=true&per_page=5")
    assert len(large) == len(small)
