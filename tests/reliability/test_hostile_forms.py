"""Hostile input for the forms that exist: sign-in, password reset, invitation (sending and
accepting), and the administration forms for agencies and programs.

Generated input (odd Unicode, huge fields, NUL bytes, HTML and template syntax, bytes that
are not UTF-8) must never cause a server error, must write nothing when it is invalid, and
must come back HTML-escaped whenever the page shows it again.
"""

from __future__ import annotations

from urllib.parse import quote_from_bytes, urlencode

import pytest
from django.core import mail
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeharbor.accounts.models import Agency, Membership, Program, Role, User

HTML_PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg/onload=alert(1)>",
    "</textarea><b>bold</b>",
    "{{ settings.SECRET_KEY }}{% debug %}",
    "javascript:alert(1)",
]

hostile_text = st.one_of(
    st.text(max_size=120),
    st.sampled_from(HTML_PAYLOADS),
    st.tuples(st.sampled_from(HTML_PAYLOADS), st.text(max_size=20)).map("".join),
    st.tuples(
        st.sampled_from(["A", "é", "<", "\u202e", "\U0001f600", "'"]), st.integers(5000, 60000)
    ).map(lambda pair: pair[0] * pair[1]),
    st.text(max_size=30).map(lambda s: s + "\x00" + s),
)
# Raw form bodies: arbitrary bytes, percent-encoded, so the server sees invalid UTF-8.
raw_bytes = st.binary(min_size=1, max_size=200)

FUZZ = settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "agencies": Agency.objects.count(),
        "programs": Program.objects.count(),
        "memberships": Membership.objects.count(),
        "mail": len(mail.outbox),
    }


def assert_safe_page(response, *values: str) -> str:
    assert response.status_code < 500, response.status_code
    body = response.content.decode("utf-8", errors="replace")
    for value in values:
        # Short fragments such as "<" or "<p>" occur in any page's own markup; an echoed
        # value of some length that still reads as raw markup means escaping failed.
        if any(mark in value for mark in "<>\"'") and 8 <= len(value) < 2000:
            assert value not in body, f"unescaped: {value!r}"
    assert "<script>alert(1)</script>" not in body
    return body


def post_raw(client: Client, url: str, body: bytes):
    return client.generic("POST", url, data=body, content_type="application/x-www-form-urlencoded")


# --- sign-in and password reset (anyone can reach these) -----------------------------------


@pytest.mark.django_db
@FUZZ
@given(email=hostile_text, password=hostile_text)
def test_sign_in_refuses_hostile_input_calmly(email, password):
    client = Client()
    before = counts()
    response = client.post("/accounts/login/", {"email": email, "password": password})
    assert_safe_page(response, email)
    assert response.status_code != 302  # nobody was signed in
    assert "_auth_user_id" not in client.session
    assert counts() == before


@pytest.mark.django_db
@FUZZ
@given(body=raw_bytes, field=st.sampled_from(["email", "password", "code"]))
def test_sign_in_and_reset_survive_bytes_that_are_not_utf8(body, field):
    client = Client()
    before = counts()
    payload = f"{field}={quote_from_bytes(body)}&email=%FF%FE%C0%AF".encode()
    assert_safe_page(post_raw(client, "/accounts/login/", payload))
    assert_safe_page(post_raw(client, "/accounts/password-reset/", payload))
    assert counts() == before


@pytest.mark.django_db
@FUZZ
@given(email=hostile_text)
def test_password_reset_sends_nothing_for_hostile_addresses(email):
    before = counts()
    response = Client().post("/accounts/password-reset/", {"email": email})
    assert_safe_page(response, email)
    assert counts() == before


def test_reflected_email_is_escaped(db):
    payload = '"><script>alert(1)</script>@example.org'
    response = Client().post("/accounts/login/", {"email": payload, "password": "x"})
    body = assert_safe_page(response, payload)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body or "&quot;&gt;" in body


@pytest.mark.django_db
@FUZZ
@given(uid=hostile_text.filter(lambda s: "/" not in s and s.strip()), token=st.text(max_size=60))
def test_invitation_links_with_hostile_tokens_are_refused(uid, token):
    before = counts()
    url = "/accounts/set-password/{}/{}/".format(
        quote_from_bytes(uid.encode("utf-8", "surrogatepass")[:300], safe=""),
        quote_from_bytes(token.encode("utf-8", "surrogatepass") or b"x", safe=""),
    )
    client = Client()
    assert_safe_page(client.get(url))
    assert_safe_page(client.post(url, {"password1": "a-Long-passphrase-42", "password2": "x"}))
    assert counts() == before


# --- administration forms ---------------------------------------------------------------------


@pytest.fixture
def admin_client(staff_client):
    client, user = staff_client("admin")
    return client, user.memberships.get().agency


@pytest.mark.django_db
def test_invitation_form_refuses_hostile_input_and_writes_nothing(admin_client):
    client, agency = admin_client
    role = Role.objects.get(slug="caseworker")

    @FUZZ
    @given(name=hostile_text, email=hostile_text, scope=hostile_text)
    def check(name, email, scope):
        before = counts()
        response = client.post(
            "/staff/account/admin/users/invite/",
            {
                "full_name": name,
                "email": email,
                "agency": agency.pk,
                "role": role.pk,
                "scope": scope,
            },
        )
        assert_safe_page(response, name, email, scope)
        if response.status_code != 302:
            assert counts() == before

    check()


@pytest.mark.django_db
def test_agency_and_program_forms_refuse_hostile_input(admin_client):
    client, agency = admin_client

    @FUZZ
    @given(name=hostile_text, slug=hostile_text, kind=hostile_text, description=hostile_text)
    def check(name, slug, kind, description):
        before = counts()
        response = client.post(
            "/staff/account/admin/agencies/new/", {"name": name, "slug": slug, "kind": kind}
        )
        assert_safe_page(response, name, slug, kind)
        if response.status_code != 302:
            assert counts() == before
        response = client.post(
            "/staff/account/admin/programs/new/",
            {
                "agency": agency.pk,
                "name": name,
                "slug": slug,
                "kind": kind,
                "description": description,
            },
        )
        assert_safe_page(response, name, slug, kind, description)
        if response.status_code != 302:
            assert counts() == before

    check()


@pytest.mark.django_db
def test_html_saved_through_an_admin_form_is_escaped_wherever_it_is_shown(admin_client):
    client, _agency = admin_client
    name = "<script>alert(1)</script> Harbor <b>House</b>"
    response = client.post(
        "/staff/account/admin/agencies/new/",
        {"name": name, "slug": "html-harbor", "kind": "other", "is_active": "on"},
    )
    assert response.status_code == 302, response.content[:2000]
    assert Agency.objects.get(slug="html-harbor").name == name  # stored as typed
    listing = client.get("/staff/account/admin/agencies/")
    body = assert_safe_page(listing, name)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Harbor &lt;b&gt;House&lt;/b&gt;" in body


@pytest.mark.django_db
def test_huge_bodies_are_refused_before_they_are_read(admin_client):
    client, _agency = admin_client
    before = counts()
    body = urlencode({"name": "x" * (11 * 1024 * 1024), "slug": "huge", "kind": "other"})
    response = post_raw(client, "/staff/account/admin/agencies/new/", body.encode())
    assert response.status_code == 400  # DATA_UPLOAD_MAX_MEMORY_SIZE, not a crash
    assert counts() == before
