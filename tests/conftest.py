"""Shared fixtures: staff users with a role, and clients already past every sign-in step."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import trans_real
from django_otp.oath import TOTP

from safeharbor.accounts import services as account_services
from safeharbor.audit.guard import allow_reset_in_flush

from . import factories

# The permission matrix (tests/reliability) prints its totals at the end of every run.
from .reliability.matrix_summary import (  # noqa: F401
    pytest_runtest_logreport,
    pytest_terminal_summary,
)

# Audit events are append-only (database triggers); only the suite's own database reset
# between transactional tests may empty them.
allow_reset_in_flush()


def current_code(device) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def sign_in(client: Client, user, *, acknowledge: bool = True) -> None:
    """Go through password, code and notice like a person would."""
    device = factories.totp_device(user) if not hasattr(user, "_test_device") else user._test_device
    user._test_device = device
    response = client.post(
        "/accounts/login/", {"email": user.email, "password": factories.PASSWORD}
    )
    assert response.status_code == 302, response.content[:500]
    device.refresh_from_db()
    device.last_t = -1  # tests may sign in several times within one 30-second step
    device.save(update_fields=["last_t"])
    response = client.post("/accounts/code/", {"code": current_code(device)})
    assert response.status_code == 302, response.content[:500]
    if acknowledge:
        response = client.post("/accounts/notice/", {"acknowledge": "yes"})
        assert response.status_code == 302


@pytest.fixture(autouse=True)
def _default_language_for_each_test():
    """A request leaves its page's language active on the thread (Django does not reset it),
    so a test fetching a Spanish page would turn the next test's words into Spanish."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache_for_each_test():
    """Figures one test computed and cached (the public statistics) must not be what the
    next test, with other records, is shown."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def agency(db):
    return factories.AgencyFactory()


@pytest.fixture
def make_staff(db):
    """make_staff("caseworker", agency=...) -> a user with that role."""

    def make(role_slug: str, agency=None, **extra):
        user = factories.UserFactory()
        factories.membership(user, agency or factories.AgencyFactory(), role_slug, **extra)
        return user

    return make


@pytest.fixture
def staff_client(db, make_staff):
    """staff_client("admin") -> (client, user), signed in with MFA and the notice accepted."""

    def make(role_slug: str, agency=None, **extra):
        user = make_staff(role_slug, agency=agency, **extra)
        client = Client()
        sign_in(client, user)
        return client, user

    return make


@pytest.fixture
def session_keys():
    return account_services


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium, one per test process (see tests/browser.py)."""
    from playwright.sync_api import sync_playwright

    from .browser import CHROMIUM, LAUNCH_ARGS

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def spanish_lookups(monkeypatch):
    """Every message looked up in Spanish that the Spanish catalogue does not have."""
    missing: set[str] = set()
    original_gettext = trans_real.DjangoTranslation.gettext
    original_ngettext = trans_real.DjangoTranslation.ngettext

    def gettext(self, message):
        if self.language() == "es" and message and message not in self._catalog:
            missing.add(message.replace("\x04", " | "))
        return original_gettext(self, message)

    def ngettext(self, msgid1, msgid2, n):
        if self.language() == "es" and (msgid1, 0) not in self._catalog:
            missing.add(msgid1)
        return original_ngettext(self, msgid1, msgid2, n)

    monkeypatch.setattr(trans_real.DjangoTranslation, "gettext", gettext)
    monkeypatch.setattr(trans_real.DjangoTranslation, "ngettext", ngettext)
    return missing
