"""Where the load test's slow requests spend their time: queries and wall time per request kind.

Signs in (password, one-time code, notice) as the last caseworker and the last officer of
``var/bench-load-accounts-<database>.json`` (the locust run takes accounts from the first), then
issues each request kind of the load scenario through Django's test client against the database
``generate.py`` filled, and prints per kind: the number of SQL queries, the time spent in
them, and the median wall time. ``--sql`` prints the slowest queries of each kind.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sh_bench_load \\
        .venv/bin/python bench/load/profile_pages.py --repeat 5

The officer's kinds record real victim contacts and referrals in the benchmark database,
as the load test does.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

from generate import accounts_file

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeharbor.settings.dev")
os.environ.setdefault("SAFEHARBOR_DEBUG", "0")
os.environ.setdefault("SAFEHARBOR_LOG", "WARNING")

NAMES = ["Mara Oakhurst", "Ivy Glenrock", "Jade", "Kira Hazelton", "Sage", "Lucky", "Star"]


def _fields(html: str, form_field: str) -> dict[str, str]:
    """The text and hidden inputs with a value (CSRF token, defaults such as the date) of
    the POST form holding ``form_field``."""
    for form in re.findall(r"<form[^>]*method=\"post\"[^>]*>(.*?)</form>", html, re.S | re.I):
        if f'name="{form_field}"' not in form:
            continue
        fields = {}
        for tag in re.findall(r"<input[^>]*>", form):
            name = re.search(r'name="([^"]+)"', tag)
            value = re.search(r'value="([^"]*)"', tag)
            kind = re.search(r'type="([^"]+)"', tag)
            if name and value and (kind is None or kind.group(1) not in {"checkbox", "radio"}):
                fields[name.group(1)] = value.group(1)
        return fields
    return {}


def sign_in(client, account: dict) -> None:
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.post("/accounts/login/", {"email": account["email"], "password": account["password"]})
    # The benchmark accounts' devices may have been used in this 30-second step already.
    TOTPDevice.objects.filter(user__email=account["email"]).update(last_t=-1)
    code = f"{TOTP(bytes.fromhex(account['totp_key'])).token():06d}"
    client.post("/accounts/code/", {"code": code})
    response = client.post("/accounts/notice/", {"acknowledge": "yes"})
    if response.status_code != 302 or "/accounts/" in response.get("Location", ""):
        raise SystemExit(f"{account['email']} could not sign in.")


def measure(client, label: str, request, repeat: int, show_sql: bool) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    walls, counts, sql_ms = [], [], []
    slowest: list[tuple[float, str]] = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = request()
            walls.append((time.perf_counter() - started) * 1000)
        if response.status_code not in (200, 302):
            raise SystemExit(f"{label}: HTTP {response.status_code}")
        counts.append(len(captured.captured_queries))
        times = [float(q["time"]) * 1000 for q in captured.captured_queries]
        sql_ms.append(sum(times))
        slowest += [(float(q["time"]) * 1000, q["sql"]) for q in captured.captured_queries]
    print(
        f"{label:32s} queries {min(counts):3d}-{max(counts):3d}  "
        f"sql {statistics.median(sql_ms):6.1f} ms  wall p50 {statistics.median(walls):6.1f} ms"
    )
    if show_sql:
        for ms, sql in sorted(slowest, reverse=True)[:4]:
            print(f"    {ms:6.1f} ms  {sql[:300]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sql", action="store_true", help="print the slowest queries")
    parser.add_argument("--only", default="", help="only kinds whose label contains this")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres") or not url.rsplit("/", 1)[1].startswith("sh_bench"):
        raise SystemExit("Set DATABASE_URL to the PostgreSQL database generate.py filled.")

    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    accounts = json.loads(accounts_file().read_text())
    caseworker, officer, visitor = Client(), Client(), Client()
    sign_in(caseworker, accounts["caseworkers"][-1])
    sign_in(officer, accounts["officers"][-1])
    operation = accounts["operation"]

    kinds = {
        "people: list": lambda: caseworker.get(
            f"/staff/survivors/{random.choice(['', '?page=2', f'?page={random.randint(3, 2000)}'])}"
        ),
        "people: search name": lambda: caseworker.get(
            f"/staff/survivors/?q={random.choice(NAMES)}"
        ),
        "people: search date of birth": lambda: caseworker.get(
            f"/staff/survivors/?q={random.randint(1985, 2012)}-"
            f"{random.randint(1, 12):02d}-{random.randint(1, 28):02d}"
        ),
        "people: view record": lambda: caseworker.get(
            f"/staff/survivors/people/{random.choice(accounts['people'])}/"
        ),
        "referrals: inbox": lambda: caseworker.get("/staff/referrals/"),
        "operation: view": lambda: officer.get(f"/staff/enforcement/operations/{operation}/"),
        "contact: find person": lambda: officer.get(
            f"/staff/enforcement/operations/{operation}/contacts/new/"
            f"?q={random.choice(accounts['police_people'])}"
        ),
        "public: /": lambda: visitor.get("/"),
    }
    for label, request in kinds.items():
        if args.only in label:
            measure(caseworker, label, request, args.repeat, args.sql)
    if args.only in "contact: record referral: send":
        _record_contacts(officer, accounts, args.repeat, args.sql)
    return 0


def _record_contacts(officer, accounts: dict, repeat: int, show_sql: bool) -> None:
    """contact: record (POST), then referral: send (POST) on the form it leads to."""
    operation = accounts["operation"]
    posts: list = []
    for _ in range(repeat):
        reference = random.choice(accounts["police_people"])
        url = f"/staff/enforcement/operations/{operation}/contacts/new/?q={reference}"
        page = officer.get(url).content.decode()
        # The matches are radio buttons or a select's options.
        choice = re.search(
            r'<select[^>]*name="person".*?</select>|<input[^>]*name="person"[^>]*>', page, re.S
        )
        person = re.search(r'value="(\d+)"', choice.group(0)) if choice else None
        if person:
            posts.append((url, person.group(1), _fields(page, "role")))
    referral_forms: list[str] = []

    def record() -> object:
        url, person, fields = posts.pop()
        response = officer.post(
            url,
            {
                **fields,
                "role": "victim",
                "person": person,
                "program_info_given": "on",
                "referral_decision": "made",
                "notes": "Synthetic load-test contact.",
            },
        )
        if "/staff/referrals/new/" in response.get("Location", ""):
            referral_forms.append(response["Location"])
        return response

    measure(officer, "contact: record (POST)", record, len(posts), show_sql)

    def send() -> object:
        url = referral_forms.pop()
        page = officer.get(url).content.decode()
        fields = _fields(page, "reason")
        body = [
            *fields.items(),
            ("reason", "Synthetic load-test referral."),
            ("urgency", "routine"),
            ("to_agency", str(accounts["bench_agency"])),
            ("categories", "case"),
            ("categories", "identity"),
        ]
        return officer.post(url, urlencode(body), content_type="application/x-www-form-urlencoded")

    if referral_forms:
        measure(officer, "referral: send (GET+POST)", send, len(referral_forms), show_sql)


if __name__ == "__main__":
    sys.exit(main())
