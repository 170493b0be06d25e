"""Administration: invitations, roles, tokens. And the password rules."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.utils import timezone

from safeharbor.accounts import services
from safeharbor.accounts.models import ApiToken, Membership, Role, User

pytestmark = pytest.mark.django_db


def test_every_role_is_seeded():
    assert set(Role.objects.values_list("slug", flat=True)) == {
        "coordinator",
        "caseworker",
        "supervisor",
        "officer",
        "detective",
        "property_officer",
        "finance",
        "analyst",
        "editor",
        "auditor",
        "admin",
    }


def test_admin_invites_a_person_who_sets_a_password_through_the_link(
    staff_client, agency, django_capture_on_commit_callbacks
):
    admin_client, _ = staff_client("admin")
    role = Role.objects.get(slug="caseworker")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/staff/account/admin/users/invite/",
            {
                "full_name": "New Advocate",
                "email": "New.Advocate@staff.example",
                "agency": agency.pk,
                "role": role.pk,
                "scope": "",
            },
        )
    assert response.status_code == 302
    user = User.objects.get(email="new.advocate@staff.example")
    assert not user.has_usable_password()
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/set-password/\S+/", mail.outbox[0].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    client = Client()
    weak = client.post("/" + path, {"password1": "password", "password2": "password"})
    assert weak.status_code == 200
    assert "too common" in weak.content.decode()
    ok = client.post(
        "/" + path, {"password1": "lantern-meadow-42", "password2": "lantern-meadow-42"}
    )
    assert ok.status_code == 302
    user.refresh_from_db()
    assert user.check_password("lantern-meadow-42")
    # The link works once.
    again = client.get("/" + path)
    assert again.status_code == 400


def test_non_admin_cannot_reach_administration(staff_client):
    client, _ = staff_client("caseworker")
    assert client.get("/staff/account/admin/users/").status_code == 403


def test_banned_password_list_is_enforced(tmp_path, make_staff):
    banned = tmp_path / "banned.txt"
    banned.write_text("portland-harbor-1\n")
    user = make_staff("caseworker")
    with override_settings(BANNED_PASSWORDS_FILE=str(banned)):
        with pytest.raises(Exception, match="banned"):
            services.password_change(user=user, new_password="Portland-Harbor-1")
        services.password_change(user=user, new_password="another-long-phrase-7")


def test_api_needs_a_verified_session_or_a_token(staff_client, make_staff):
    client, user = staff_client("caseworker")
    me = client.get("/api/v1/accounts/me/")
    assert me.status_code == 200 and me.json()["role"] == "caseworker"

    admin = make_staff("admin")
    target = Membership.objects.get(user=user)
    issued = services.api_token_create(
        actor=admin,
        membership=target,
        name="case system",
        expires_at=timezone.now() + timedelta(days=30),
    )
    assert issued.secret not in ApiToken.objects.values_list("key_hash", flat=True)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {issued.secret}"}
    response = Client().get("/api/v1/accounts/me/", **auth)
    assert response.status_code == 200 and response.json()["agency"] == target.agency.slug

    services.api_token_revoke(actor=admin, token=issued.token)
    assert Client().get("/api/v1/accounts/me/", **auth).status_code == 401


def test_expired_token_is_refused(make_staff):
    admin = make_staff("admin")
    user = make_staff("analyst")
    issued = services.api_token_create(
        actor=admin,
        membership=user.memberships.get(),
        name="x",
        expires_at=timezone.now() + timedelta(days=1),
    )
    ApiToken.objects.filter(pk=issued.token.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    response = Client().get("/api/v1/accounts/me/", HTTP_AUTHORIZATION=f"Bearer {issued.secret}")
    assert response.status_code == 401


def test_only_admins_create_tokens(make_staff):
    caseworker = make_staff("caseworker")
    with pytest.raises(services.PermissionDenied):
        services.api_token_create(
            actor=caseworker,
            membership=caseworker.memberships.get(),
            name="x",
            expires_at=timezone.now() + timedelta(days=1),
        )


def test_home_shows_only_areas_the_role_may_use(staff_client):
    admin_client, _ = staff_client("admin")
    assert "Administration" in admin_client.get("/staff/").content.decode()
    analyst_client, _ = staff_client("analyst")
    assert "Administration" not in analyst_client.get("/staff/").content.decode()


def test_notifications_reach_the_inbox(staff_client):
    client, user = staff_client("caseworker")
    services.notify(user_id=user.pk, title="A referral is waiting", link="/staff/")
    assert "A referral is waiting" in client.get("/staff/").content.decode()
    note = user.notifications.get()
    client.post(f"/staff/notifications/{note.pk}/read/")
    note.refresh_from_db()
    assert note.read_at is not None


def test_password_reset_mails_a_link_only_for_real_accounts(
    make_staff, django_capture_on_commit_callbacks
):
    user = make_staff("caseworker")
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        unknown = client.post("/accounts/password-reset/", {"email": "nobody@staff.example"})
        known = client.post("/accounts/password-reset/", {"email": user.email})
    # The page reads the same either way; only the real account gets mail.
    assert unknown.content == known.content
    assert [m.to for m in mail.outbox] == [[user.email]]
    path = "/" + re.search(r"https?://[^/]+/(\S+/)", mail.outbox[0].body).group(1)
    response = client.post(
        path, {"password1": "quiet-river-stone-8", "password2": "quiet-river-stone-8"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("quiet-river-stone-8")


def test_create_admin_sets_up_a_new_deployment():
    from django.core.management import call_command

    out = io.StringIO()
    call_command(
        "create_admin",
        email="Chief@City.example",
        name="Robin Chief",
        agency="metro-city",
        agency_name="Metro City Program Office",
        stdout=out,
    )
    user = User.objects.get(email="chief@city.example")
    assert user.memberships.get().role.slug == "admin"
    assert "/accounts/set-password/" in out.getvalue()
    with pytest.raises(Exception, match="already exists"):
        call_command("create_admin", email="chief@city.example", name="X", agency="metro-city")
