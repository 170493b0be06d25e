"""axe-core (WCAG 2.2 AA rules, target size on) on every kind of staff page in the demo.

The pages come from the same crawl as test_demo_crawl: each demo account follows the links it
is shown, and every kind of page (same path with other ids) is checked once in headless
Chromium, signed in as the first account that reached it. New areas' pages are checked as soon
as they are linked.
"""

from __future__ import annotations

import pytest
from django.test import Client

from safeharbor.accounts.demo import primary_accounts
from safeharbor.accounts.models import User
from safeharbor.core.registry import demo_loaders
from tests import factories
from tests.browser import axe_violations, require_chromium
from tests.conftest import sign_in
from tests.walkthrough.test_demo_crawl import _kind, crawl

require_chromium()

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# The migrations' data steps that put rows in a new database (the schema steps are not run).
DATA_STEPS = {"seed_roles", "install_default_instrument"}


def restore_migration_data() -> None:
    """The rows the migrations put in a new database (roles with every area's additions, the
    default screening instrument): a transactional test starts from a flushed database."""
    from django.apps import apps
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations.special import RunPython

    loader = MigrationLoader(None, ignore_no_migrations=True)
    plan: list[tuple[str, str]] = []
    for leaf in loader.graph.leaf_nodes():
        plan.extend(node for node in loader.graph.forwards_plan(leaf) if node not in plan)
    for node in plan:
        for operation in loader.graph.nodes[node].operations:
            if not isinstance(operation, RunPython):
                continue
            names = operation.code.__code__.co_names
            if operation.code.__name__ in DATA_STEPS or "extend_role_permissions" in names:
                operation.code(apps, None)


def test_staff_pages_have_no_axe_violations(browser, live_server):
    restore_migration_data()
    for loader in demo_loaders():
        loader.load()

    checked: set[str] = set()
    failures: dict[str, list[str]] = {}
    for account in primary_accounts():
        user = User.objects.get(email__iexact=account.email)
        user.set_password(factories.PASSWORD)
        user.save(update_fields=["password"])
        client = Client()
        sign_in(client, user)
        pages = [url for url, seen in crawl(client).items() if seen.html]
        context = browser.new_context(bypass_csp=True)  # axe is injected by the test
        cookie = client.cookies["sh_session"].value
        context.add_cookies([{"name": "sh_session", "value": cookie, "url": live_server.url}])
        # The live server shares one SQLite connection between its request threads: pages
        # that load their charts as images would make concurrent database requests that can
        # block each other. axe checks an image's text alternative, not its pixels, so images
        # outside the static files are not fetched.
        context.route(
            lambda url: "/static/" not in url and url.startswith(live_server.url),
            lambda route: (
                route.abort() if route.request.resource_type != "document" else route.continue_()
            ),
        )
        page = context.new_page()
        try:
            for url in pages:
                kind = _kind(url)
                if kind in checked:
                    continue
                response = page.goto(f"{live_server.url}{url}")
                checked.add(kind)
                assert response is not None and response.status == 200, url
                violations = axe_violations(page)
                if violations:
                    failures[f"{account.role} {url}"] = violations
        finally:
            context.close()
    assert len(checked) >= 40, f"only {len(checked)} kinds of page were checked"
    assert not failures, "\n".join(f"{page}: {found}" for page, found in failures.items())
