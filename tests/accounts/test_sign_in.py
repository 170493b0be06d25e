"""Sign-in as a staff member experiences it: password, code, notice, lockout, sessions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice

from safeharbor.accounts import services
from safeharbor.accounts.models import User
from safeharbor.audit.models import AuditEvent
from tests import factories
from tests.conftest import current_code, sign_in

pytestmark = pytest.mark.django_db

GENERIC = "did not work"


def post_login(client, email, password):
    return client.post("/accounts/login/", {"email": email, "password": password})


def test_staff_pages_send_a_visitor_to_sign_in():
    response = Client().get("/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=%2Fstaff%2F")


def test_full_sign_in_lands_on_home_with_agency_and_role(staff_client):
    agency = factories.AgencyFactory(name="Riverside Shelter")
    client, user = staff_client("caseworker", agency=agency)
    page = client.get("/staff/").content.decode()
    assert "Riverside Shelter" in page
    assert "Caseworker or advocate" in page
    assert AuditEvent.objects.filter(action="login", actor_id=user.pk, outcome="success").exists()


def test_unknown_email_and_wrong_password_get_the_same_message(make_staff):
    user = make_staff("caseworker")
    client = Client()
    unknown = post_login(client, "nobody@staff.example", "whatever-123").content.decode()
    wrong = post_login(client, user.email, "not-the-password").content.decode()
    assert GENERIC in unknown and GENERIC in wrong
    assert "nobody@staff.example" not in AuditEvent.objects.values_list("object_id", flat=True)
    assert AuditEvent.objects.filter(action="login_failed", reason="unknown_email").exists()


def test_password_step_alone_reaches_only_the_code_step(make_staff):
    user = make_staff("caseworker")
    factories.totp_device(user)
    client = Client()
    assert post_login(client, user.email, factories.PASSWORD)["Location"] == "/accounts/code/"
    assert client.get("/staff/")["Location"] == "/accounts/code/"
    assert client.get("/api/v1/accounts/me/").status_code == 401


def test_account_without_authenticator_is_sent_to_enrolment(make_staff):
    user = make_staff("caseworker")
    client = Client()
    assert post_login(client, user.email, factories.PASSWORD)["Location"] == "/accounts/enrol/"
    page = client.get("/accounts/enrol/").content.decode()
    assert "<svg" in page  # the QR code


def test_five_failures_lock_the_account_until_an_admin_unlocks_it(make_staff, staff_client):
    user = make_staff("caseworker")
    client = Client()
    for _ in range(5):
        post_login(client, user.email, "wrong-password-x")
    user.refresh_from_db()
    assert user.is_locked
    # Even the right password is refused now, with the same generic message.
    response = post_login(client, user.email, factories.PASSWORD)
    assert GENERIC in response.content.decode()
    # Locks do not expire by themselves.
    User.objects.filter(pk=user.pk).update(locked_at=timezone.now() - timedelta(days=2))
    assert GENERIC in post_login(client, user.email, factories.PASSWORD).content.decode()

    admin_client, _admin = staff_client("admin")
    response = admin_client.post(f"/staff/account/admin/users/{user.pk}/unlock/")
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.is_locked
    assert post_login(Client(), user.email, factories.PASSWORD).status_code == 302


def test_failures_spread_beyond_fifteen_minutes_do_not_lock(make_staff):
    user = make_staff("caseworker")
    client = Client()
    for _ in range(4):
        post_login(client, user.email, "wrong-password-x")
    User.objects.filter(pk=user.pk).update(
        first_failed_login_at=timezone.now() - timedelta(minutes=16)
    )
    post_login(client, user.email, "wrong-password-x")
    user.refresh_from_db()
    assert not user.is_locked
    assert user.failed_login_count == 1


def test_a_code_is_accepted_only_once(make_staff):
    user = make_staff("caseworker")
    device = factories.totp_device(user)
    first, second = Client(), Client()
    post_login(first, user.email, factories.PASSWORD)
    post_login(second, user.email, factories.PASSWORD)
    code = current_code(device)
    assert first.post("/accounts/code/", {"code": code})["Location"] == "/accounts/notice/"
    replay = second.post("/accounts/code/", {"code": code})
    assert replay.status_code == 200
    assert "did not work" in replay.content.decode()


def test_backup_code_works_once(make_staff):
    user = make_staff("caseworker")
    factories.totp_device(user)
    codes = services._issue_backup_codes(user)
    client = Client()
    post_login(client, user.email, factories.PASSWORD)
    assert client.post("/accounts/code/", {"code": codes[0]})["Location"] == "/accounts/notice/"
    other = Client()
    post_login(other, user.email, factories.PASSWORD)
    assert other.post("/accounts/code/", {"code": codes[0]}).status_code == 200
    assert StaticDevice.objects.get(user=user).token_set.count() == len(codes) - 1


def test_notice_must_be_accepted_before_any_staff_page(make_staff):
    user = make_staff("caseworker")
    client = Client()
    sign_in(client, user, acknowledge=False)
    assert client.get("/staff/")["Location"] == "/accounts/notice/"
    client.post("/accounts/notice/", {"acknowledge": "yes"})
    assert client.get("/staff/").status_code == 200


def test_idle_session_ends_after_thirty_minutes(staff_client):
    client, _user = staff_client("caseworker")
    session = client.session
    session[services.SESSION_LAST] = (timezone.now() - timedelta(minutes=31)).timestamp()
    session.save()
    response = client.get("/staff/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert AuditEvent.objects.filter(action="logout", reason="idle_timeout").exists()


def test_session_ends_after_twelve_hours_even_when_active(staff_client):
    client, _user = staff_client("caseworker")
    session = client.session
    session[services.SESSION_STARTED] = (
        timezone.now() - timedelta(hours=12, minutes=1)
    ).timestamp()
    session.save()
    assert client.get("/staff/").status_code == 302


def test_sign_out_ends_every_session_of_the_user(make_staff):
    user = make_staff("caseworker")
    phone, laptop = Client(), Client()
    sign_in(phone, user)
    sign_in(laptop, user)
    assert laptop.get("/staff/").status_code == 200
    phone.post("/accounts/logout/")
    assert laptop.get("/staff/").status_code == 302


def test_disabling_an_account_ends_its_sessions(staff_client):
    client, user = staff_client("caseworker")
    admin_client, _admin = staff_client("admin")
    admin_client.post(f"/staff/account/admin/users/{user.pk}/disable/")
    assert client.get("/staff/").status_code == 302
    assert post_login(Client(), user.email, factories.PASSWORD).status_code == 200


def test_accounts_unused_for_ninety_days_are_disabled(make_staff):
    stale = make_staff("caseworker")
    fresh = make_staff("caseworker")
    User.objects.filter(pk=stale.pk).update(last_seen_at=timezone.now() - timedelta(days=91))
    User.objects.filter(pk=fresh.pk).update(last_seen_at=timezone.now() - timedelta(days=10))
    assert services.disable_inactive_accounts() == "1 inactive account(s) disabled"
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert not stale.is_active and fresh.is_active
