"""Staff forms sent by a real browser: sign-in (password, code, notice) and sign-out in headless
Chromium against the live server, with the site's own headers.

Django's test client sends no Origin header, so only a browser shows what its referrer policy
does to a form: under "no-referrer" Chromium sends "Origin: null" with every POST and the
CSRF check refused them all (the first thing any staff member does, signing in, failed).
"""

from __future__ import annotations

import pytest
from django.test import Client

from safeharbor.accounts.models import User
from tests import factories
from tests.browser import require_chromium
from tests.conftest import current_code
from tests.walkthrough.test_staff_accessibility import restore_migration_data

require_chromium()

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _staff_user() -> tuple[User, object]:
    restore_migration_data()
    user = factories.UserFactory(full_name="Rowan Testwood")
    factories.membership(user, factories.AgencyFactory(), "caseworker")
    return user, factories.totp_device(user)


def test_a_person_signs_in_and_out_through_the_forms_in_a_browser(browser, live_server):
    user, device = _staff_user()
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    posts: list[tuple[str, str | None]] = []
    page.on(
        "request",
        lambda request: (
            posts.append((request.url, request.header_value("origin")))
            if request.method == "POST"
            else None
        ),
    )
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=email]", user.email)
        page.fill("input[name=password]", factories.PASSWORD)
        page.press("input[name=password]", "Enter")
        page.wait_for_url("**/accounts/code/")

        page.fill("input[name=code]", current_code(device))
        page.press("input[name=code]", "Enter")
        page.wait_for_url("**/accounts/notice/")

        page.get_by_role("button", name="I understand and agree").click()
        page.wait_for_url("**/staff/")
        assert page.get_by_role("button", name="Sign out").is_visible()

        page.get_by_role("button", name="Sign out").click()
        page.wait_for_url("**/accounts/login/")
        assert "You are signed out." in page.content()
    finally:
        context.close()

    # Each form went to this site with this site as its origin (not "null").
    assert len(posts) == 4, posts
    assert {origin for _, origin in posts} == {live_server.url}


def test_staff_pages_send_their_address_to_this_site_only_and_public_pages_to_no_one(db):
    staff = Client().get("/accounts/login/")
    assert staff["Referrer-Policy"] == "same-origin"
    assert '<meta name="referrer" content="same-origin">' in staff.content.decode()
    public = Client().get("/")
    assert public["Referrer-Policy"] == "no-referrer"
    assert '<meta name="referrer" content="no-referrer">' in public.content.decode()


def test_a_form_sent_without_its_security_token_changes_nothing_and_says_what_to_do(db):
    user, _ = _staff_user()
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/accounts/login/", {"email": user.email, "password": factories.PASSWORD}
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert "Please send that again" in html
    assert "Nothing was saved." in html
    assert 'href="/accounts/login/"' in html
    assert "sh_session" not in response.cookies
