"""API lists cost the same number of queries for 25 rows as for 5: the engine is asked about
a whole page at once (survivors' people, and referrals received through grants)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safeharbor.accounts.models import Membership
from safeharbor.core.permissions import CASE, IDENTITY
from safeharbor.referrals import services
from safeharbor.survivors.services import person_create

from .conftest import years_ago

pytestmark = pytest.mark.django_db


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(queries), response.json()["results"]


def _refer_youths(detective, program, count, start):
    for i in range(start, start + count):
        youth = person_create(
            membership=detective,
            values={"given_name": f"Youth{i}", "family_name": "Synthetic", "dob": years_ago(15)},
        )
        services.referral_send(
            membership=detective,
            person=youth,
            to_agency=program.agency,
            to_program=program,
            reason="Synthetic referral.",
            categories=[IDENTITY, CASE] if i % 2 else [CASE],
        )


def test_list_queries_do_not_grow_with_the_page(
    staff_client, police, program, legal_basis, django_assert_max_num_queries
):
    officer, officer_user = staff_client("detective", agency=police)
    provider, _provider_user = staff_client("supervisor", agency=program.agency)
    detective = Membership.objects.get(user=officer_user)
    urls = [
        (officer, "/api/v1/survivors/people/"),
        (officer, "/api/v1/referrals/referrals/"),
        (provider, "/api/v1/referrals/referrals/?box=received"),
    ]

    _refer_youths(detective, program, 5, 0)
    small = {url: _queries(client, url) for client, url in urls}
    assert [len(rows) for _count, rows in small.values()] == [5, 5, 5]

    _refer_youths(detective, program, 20, 5)
    for client, url in urls:
        with django_assert_max_num_queries(small[url][0]):
            rows = client.get(url).json()["results"]
        assert len(rows) == 25

    # Received through grants: each row shows only what its own referral shares.
    _count, received = _queries(provider, "/api/v1/referrals/referrals/?box=received")
    shared = {row["person_reference"]: row for row in received}
    assert len(shared) == 25
    assert all("reason" in row for row in received)  # case is shared by all of them
