"""Walk the housing pages of the demo as every demo role: each linked page works, has one
top-level heading, and nobody without the right sees a woman's name or an address."""

from __future__ import annotations

import re
from collections import deque

import pytest
from django.test import Client

from safeharbor.accounts import demo as accounts_demo
from safeharbor.accounts.demo import ACCOUNTS, primary_accounts
from safeharbor.accounts.models import User
from safeharbor.funds import demo as funds_demo
from safeharbor.housing import demo
from safeharbor.survivors import demo as survivors_demo
from tests import factories
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db

HREF = re.compile(r'href="(/staff/housing/[^"?#]*)')
AGGREGATE_ROLES = {"coordinator", "analyst", "editor", "auditor", "finance", "property_officer"}


def _walk(client: Client) -> dict[str, str]:
    seen: dict[str, str] = {}
    queue = deque(["/staff/housing/"])
    while queue and len(seen) < 60:
        url = queue.popleft()
        if url in seen:
            continue
        response = client.get(url)
        if url == "/staff/housing/" and response.status_code == 403:
            return {}  # no housing area for this role
        assert response.status_code == 200, f"{url} answered {response.status_code}"
        body = (
            b"".join(response.streaming_content) if response.streaming else response.content
        ).decode()
        seen[url] = body
        if response["Content-Type"].startswith("text/html"):
            assert body.count("<h1") == 1, url
            queue.extend(link for link in HREF.findall(body) if link not in seen)
    return seen


def test_every_housing_page_works_for_every_demo_role_and_hides_identities():
    accounts_demo.load()
    survivors_demo.load()
    funds_demo.load()
    demo.load()
    names = {f"{w.given} {w.family}" for w in demo.WOMEN}
    addresses = {w.address for w in demo.WOMEN}
    join = next(a for a in ACCOUNTS if a.email.startswith("join-caseworker"))
    for account in [*primary_accounts(), join]:
        user = User.objects.get(email__iexact=account.email)
        user.set_password(factories.PASSWORD)
        user.save(update_fields=["password"])
        client = Client()
        sign_in(client, user)
        pages = _walk(client)
        text = " ".join(pages.values())
        if account.role in AGGREGATE_ROLES:
            assert not any(n in text for n in names | addresses), account.role
        if account.role in {"coordinator", "analyst"}:
            assert any(url.endswith("outcomes.csv") for url in pages), account.role
        if account is join:
            # JOIN's caseworker works with four of the women; she sees their placements and
            # apartments, never the two LifeWorks works with alone.
            placements = [u for u in pages if re.fullmatch(r"/staff/housing/placements/\d+/", u)]
            assert len(placements) == 4
            shown = {a for a in addresses if a in text}
            assert len(shown) == 4
