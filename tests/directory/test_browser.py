"""Browser tests: axe-core on every public page in both languages and on the main staff
pages (target-size rule on), and the quick exit used with the keyboard only.

Headless Debian Chromium driven by Playwright against pytest-django's live server. Under CI
(CI=true) these run; elsewhere they skip only when /usr/bin/chromium is missing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from safeharbor.audit.choices import ActorKind
from safeharbor.directory.models import Service
from safeharbor.directory.services import event_create
from tests.browser import axe_violations, require_chromium

require_chromium()

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def neutral_url(live_server, settings) -> str:
    """The quick exit's destination, pointed at this server so nothing leaves the machine."""
    settings.QUICK_EXIT_URL = f"{live_server.url}/healthz?left=1"
    return settings.QUICK_EXIT_URL


@pytest.fixture
def page(browser):
    # axe is injected by the test runner, so the page's own CSP must not block it.
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def public_content(demo_directory):
    event = event_create(
        actor=ActorKind.SYSTEM,
        title="Community forum on youth safety",
        starts_at=timezone.localtime() + timedelta(days=7),
        ends_at=timezone.localtime() + timedelta(days=7, hours=2),
        place="Community hall",
        is_public=True,
        translations={"es": {"title": "Foro comunitario sobre la seguridad de los jóvenes"}},
    )
    return {"service": Service.objects.get(name_en="Gateway Center"), "event": event}


def test_public_pages_have_no_axe_violations_in_either_language(page, live_server, public_content):
    service, event = public_content["service"], public_content["event"]
    paths = [
        "",
        "services/",
        "law-enforcement/",
        "legislative-priorities/",
        "get-help/",
        "resources/",
        "resources/?need=crisis&availability=24h",
        f"resources/{service.pk}/",
        "events/",
        f"events/{event.pk}/",
        "safety/",
    ]
    failures = {}
    for prefix in ("/", "/es/"):
        for path in paths:
            url = f"{live_server.url}{prefix}{path}"
            response = page.goto(url)
            assert response.status == 200, url
            violations = axe_violations(page)
            if violations:
                failures[prefix + path] = violations
    assert not failures, failures


def test_staff_login_and_home_have_no_axe_violations(page, live_server, make_staff):
    from django.apps import apps
    from django.test import Client

    from safeharbor.accounts.roles import seed_roles
    from tests.conftest import sign_in

    seed_roles(apps, None)  # a transactional test starts from an empty database

    page.goto(f"{live_server.url}/accounts/login/")
    assert not axe_violations(page), "login page"

    user = make_staff("editor")
    client = Client()
    sign_in(client, user)
    session = client.cookies["sh_session"].value
    page.context.add_cookies([{"name": "sh_session", "value": session, "url": live_server.url}])
    for path in ("/staff/", "/staff/directory/"):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200 and "/accounts/" not in page.url, path
        assert not axe_violations(page), path


def test_quick_exit_by_pressing_shift_three_times(page, live_server, neutral_url):
    page.goto(f"{live_server.url}/es/")
    page.goto(f"{live_server.url}/es/get-help/")
    with page.expect_navigation(url=neutral_url):
        for _ in range(3):
            page.keyboard.press("Shift")
    assert page.url == neutral_url
    # The exit replaced the help page in history: Back goes to the page before it.
    page.go_back()
    assert page.url == f"{live_server.url}/es/"


def test_typing_capitals_does_not_trigger_the_exit(page, live_server, neutral_url):
    page.goto(f"{live_server.url}/resources/")
    page.focus("#id_q")
    for letter in "ABCD":  # capitals hold Shift down; that is typing, not an exit
        page.keyboard.press(f"Shift+{letter}")
    page.wait_for_timeout(300)
    assert page.input_value("#id_q") == "ABCD"
    assert page.url.startswith(live_server.url)


def test_quick_exit_with_the_keyboard_via_the_skip_link(page, live_server, neutral_url):
    page.goto(f"{live_server.url}/")
    page.keyboard.press("Tab")  # skip to main content
    page.keyboard.press("Tab")  # skip to the exit button
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#quick-exit"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "quick-exit"
    with page.expect_navigation(url=neutral_url):
        page.keyboard.press("Enter")


def test_quick_exit_works_without_javascript(browser, live_server, neutral_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/safety/")
        page.click("#quick-exit")
        page.wait_for_url(neutral_url)
    finally:
        context.close()
