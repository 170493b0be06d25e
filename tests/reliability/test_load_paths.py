"""What the load test's fixes change for a person using the pages (issue 13, load)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from safeharbor.accounts import services as account_services
from safeharbor.accounts.models import Notification
from safeharbor.survivors import services as survivor_services
from tests import factories

pytestmark = pytest.mark.django_db
PERSON_LINK = re.compile(r'href="/staff/survivors/people/(\d+)/"')


def _session_writes(queries) -> int:
    return sum(1 for q in queries if q["sql"].startswith("UPDATE") and "django_session" in q["sql"])


def test_a_staff_page_writes_the_session_at_most_once_a_minute(staff_client):
    client, _user = staff_client("caseworker")
    session = client.session
    recent = timezone.now().timestamp() - 10
    session[account_services.SESSION_LAST] = recent
    session.save()
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/staff/").status_code == 200
    assert _session_writes(queries.captured_queries) == 0
    assert client.session[account_services.SESSION_LAST] == recent
    # A minute later the activity is recorded again, so the idle limit counts from it.
    session = client.session
    session[account_services.SESSION_LAST] = timezone.now().timestamp() - 61
    session.save()
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/staff/").status_code == 200
    assert _session_writes(queries.captured_queries) == 1
    assert client.session[account_services.SESSION_LAST] > timezone.now().timestamp() - 5


def test_notify_many_posts_one_notification_to_each_user_once():
    users = [factories.UserFactory() for _ in range(3)]
    ids = [u.pk for u in users] + [users[0].pk]
    with CaptureQueriesContext(connection) as queries:
        assert account_services.notify_many(user_ids=ids, title="Referral R-1") == 3
    assert len(queries.captured_queries) == 1
    assert sorted(Notification.objects.values_list("user_id", flat=True)) == sorted(
        u.pk for u in users
    )


def test_search_pages_hold_every_match_once_and_only_the_engines_rows(staff_client):
    """A search reads its matches' ids once and pages them; its terms are computed for every
    agency, and the permission engine's rows still decide who is shown."""
    agency, other = factories.AgencyFactory(), factories.AgencyFactory()
    client, user = staff_client("caseworker", agency=agency)
    membership = user.memberships.get(agency=agency)
    outsider = factories.membership(factories.UserFactory(), other, "caseworker")
    created = {
        survivor_services.person_create(
            membership=membership, values={"given_name": "Ivy", "family_name": f"Glenrock{i}"}
        ).pk
        for i in range(30)
    }
    hidden = survivor_services.person_create(
        membership=outsider, values={"given_name": "Ivy", "family_name": "Glenrock"}
    )
    pages = [
        client.get("/staff/survivors/", {"q": "Ivy", "page": n}).content.decode() for n in (1, 2)
    ]
    assert "30 people match" in pages[0]
    shown = [{int(pk) for pk in PERSON_LINK.findall(page)} for page in pages]
    assert len(shown[0]) == 25 and len(shown[1]) == 5
    assert shown[0] | shown[1] == created
    assert hidden.pk not in shown[0] | shown[1]


def test_a_search_with_more_matches_than_listed_gives_the_same_people(monkeypatch):
    """Past MAX_LISTED_MATCHES the search falls back to a subquery: same people either way."""
    from safeharbor.survivors import selectors

    agency = factories.AgencyFactory()
    membership = factories.membership(factories.UserFactory(), agency, "caseworker")
    for i in range(4):
        survivor_services.person_create(
            membership=membership, values={"given_name": "Sage", "family_name": f"Lark{i}"}
        )
    survivor_services.person_create(
        membership=membership, values={"given_name": "Opal", "family_name": "Fern"}
    )

    def found() -> set[int]:
        filters = selectors.PersonFilters(q="Sage")
        return set(selectors.people_list(membership=membership, filters=filters))

    listed = found()
    monkeypatch.setattr(selectors, "MAX_LISTED_MATCHES", 2)
    assert found() == listed and len(listed) == 4
