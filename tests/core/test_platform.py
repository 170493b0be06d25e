"""Platform shell: health, demo commands, production settings, public pages, jobs."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError
from django.test import Client, override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeharbor.core import jobs
from safeharbor.core.models import Job

pytestmark = pytest.mark.django_db


def test_healthz_reports_the_database():
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_healthz_is_503_when_the_database_is_unreachable():
    with mock.patch(
        "safeharbor.core.views.connection.cursor", side_effect=OperationalError("down")
    ):
        response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_demo_loads_idempotently_and_lists_one_login_per_role():
    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())
    out = io.StringIO()
    call_command("demo_accounts", stdout=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [r["role"] for r in rows] == [
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
    ]
    coordinator = rows[0]
    assert coordinator["agency"] == "city-of-portland"

    code = io.StringIO()
    call_command("otp", coordinator["email"], stdout=code)
    client = Client()
    client.post(
        "/accounts/login/", {"email": coordinator["email"], "password": coordinator["password"]}
    )
    assert client.post("/accounts/code/", {"code": code.getvalue().strip()}).status_code == 302
    client.post("/accounts/notice/", {"acknowledge": "yes"})
    page = client.get("/staff/").content.decode()
    assert "City of Portland" in page and "Program coordinator" in page


def test_police_unit_roster_has_four_officers_and_six_detectives():
    call_command("load_demo", stdout=io.StringIO())
    from safeharbor.accounts.models import Membership

    police = Membership.objects.filter(agency__slug="portland-police")
    assert police.filter(role__slug="officer").count() == 4
    assert police.filter(role__slug="detective").count() == 6


def test_otp_waits_for_a_fresh_step_after_a_code_was_used():
    call_command("load_demo", stdout=io.StringIO())
    device = TOTPDevice.objects.get(user__email="coordinator@demo.safeharbor.example")
    from django_otp.oath import TOTP

    now_t = TOTP(device.bin_key).t()
    device.last_t = now_t
    device.save(update_fields=["last_t"])
    with mock.patch("time.sleep") as sleep:
        sleep.side_effect = lambda _s: TOTPDevice.objects.filter(pk=device.pk).update(
            last_t=now_t - 1
        )
        with mock.patch.object(TOTP, "t", side_effect=[now_t, now_t + 1, now_t + 1]):
            out = io.StringIO()
            call_command("otp", device.user.email, stdout=out)
    assert sleep.called
    assert len(out.getvalue().strip()) == 6


@override_settings(DEMO_MODE=False)
def test_demo_commands_refuse_outside_demo_mode():
    with pytest.raises(CommandError):
        call_command("demo_accounts", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("otp", "coordinator@demo.safeharbor.example", stdout=io.StringIO())


PROD_ENV = {
    "DJANGO_SETTINGS_MODULE": "safeharbor.settings.production",
    "SAFEHARBOR_SECRET_KEY": "x9" * 20 + "-production-like-secret-for-checks-only-Qw7",
    "SAFEHARBOR_ALLOWED_HOSTS": "safeharbor.example.gov",
    "DATABASE_URL": "sqlite:////tmp/safeharbor-deploy-check.sqlite3",
    "SAFEHARBOR_ENCRYPTION_KEYS": "p1:dGVzdC1rZXktb25lLXRlc3Qta2V5LW9uZS10ZXN0LTE=",
    "SAFEHARBOR_BLIND_INDEX_KEY": "dGVzdC1ibGluZC1pbmRleC1rZXktdGVzdC1ibGluZC0x",
    "SAFEHARBOR_BACKUP_KEY": "dGVzdC1iYWNrdXAta2V5LXRlc3QtYmFja3VwLWtleTE=",
}


def _run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SAFEHARBOR_", "DJANGO_"))}
    base.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "safeharbor.cli", *args],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_the_deploy_check_with_no_warnings():
    result = _run_cli("check", "--deploy", "--fail-level", "WARNING", env=PROD_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_its_secret_key():
    env = {k: v for k, v in PROD_ENV.items() if k != "SAFEHARBOR_SECRET_KEY"}
    result = _run_cli("check", env=env)
    assert result.returncode != 0
    assert "SAFEHARBOR_SECRET_KEY must be set" in result.stderr


def test_public_home_and_quick_exit():
    client = Client()
    page = client.get("/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "1-888-373-7888" in html and 'href="/exit"' in html
    assert "Content-Security-Policy" in page.headers
    client.session["x"] = 1
    response = client.get("/exit")
    assert response.status_code == 302 and response["Location"].startswith("https://")
    assert "cookies" in response["Clear-Site-Data"]


def test_job_progress_is_shown_to_the_person_who_started_it(staff_client):
    client, user = staff_client("analyst")
    job = jobs.job_create(kind="Unduplicated count", created_by_id=user.pk)
    jobs.job_start(job_id=job.pk, phase="Comparing records")
    jobs.job_progress(job_id=job.pk, percent=40)
    page = client.get(f"/staff/jobs/{job.pk}/").content.decode()
    assert 'value="40"' in page and "Comparing records" in page and "hx-get" in page
    jobs.job_finish(job_id=job.pk, summary="112 unique people")
    fragment = client.get(f"/staff/jobs/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "112 unique people" in fragment and "hx-get" not in fragment
    assert Job.objects.get(pk=job.pk).percent == 100
    other, _ = staff_client("analyst")
    assert other.get(f"/staff/jobs/{job.pk}/").status_code == 404


def test_worker_once_runs_the_periodic_checks():
    from datetime import timedelta

    from django.utils import timezone

    from safeharbor.accounts.models import User
    from tests import factories

    stale = factories.UserFactory()
    User.objects.filter(pk=stale.pk).update(last_seen_at=timezone.now() - timedelta(days=120))
    out = io.StringIO()
    call_command("worker", "--once", "--checks-only", stdout=out)
    assert "disable-inactive-accounts: 1 inactive account(s) disabled" in out.getvalue()
    stale.refresh_from_db()
    assert not stale.is_active


def test_api_refuses_nul_characters_with_a_clear_400(staff_client):
    client, _user = staff_client("caseworker")
    response = client.post(
        "/api/v1/survivors/consents/", data='{"note": "a\\u0000b"}', content_type="application/json"
    )
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]
