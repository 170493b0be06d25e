"""Benchmark: the program dashboard with 1,000,000 identifications on PostgreSQL.

Builds (or reuses) a dedicated PostgreSQL database (its name must start with ``sh_bench``)
holding N synthetic identifications of about 0.7 N synthetic people across six agencies,
written with COPY; signs an analyst in through the real sign-in steps (every agency, small
cells hidden) and requests the dashboard R times for the last twelve months and for three
years, and the performance-measures report (one open case for every second person, so about
0.35 N clients served) for the current fiscal year, printing the first (cold) and the median
and 95th-percentile times and the number of SQL queries.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sh_bench_reports \\
        .venv/bin/python bench/reports/dashboard.py --identifications 1000000 --runs 10

The data is filled once and reused; ``--rebuild`` removes the benchmark's people first.
"""

from __future__ import annotations

import argparse
import datetime
import html
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeharbor.settings.test")

BENCH_PASSWORD = "bench-password-123"  # noqa: S105 - a throwaway benchmark account
AGENCIES = [
    ("bench-police", "Bench Police Bureau", "police"),
    ("bench-welfare", "Bench Child Welfare", "child_welfare"),
    ("bench-lifeline", "Bench Lifeline Services", "victim_service_provider"),
    ("bench-harbor", "Bench Harbor House", "victim_service_provider"),
    ("bench-youth", "Bench Youth Shelter", "victim_service_provider"),
    ("bench-housing", "Bench Housing Partners", "housing_provider"),
]
BANDS = ["under_12", "12_14", "15_17", "18_24", "25_34", "35_plus", "unknown"]
SEXES = ["F", "F", "F", "M", "X", "U"]


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    if not name.startswith("sh_bench"):
        raise SystemExit("Refusing: the benchmark database name must start with sh_bench.")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin.replace("postgres://", "postgresql://"), autocommit=True) as c:
        if not c.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            c.execute(f'CREATE DATABASE "{name}"')


def _person_defaults() -> dict:
    """One row of person columns with every encrypted value encrypted once and reused (the
    dashboard never reads them; encrypting a million values would only slow the fill)."""
    from django.utils import timezone

    from safeharbor.survivors.models import Person

    values = {
        "source_record_id": "",
        "given_name": "",
        "family_name": "",
        "aliases": [],
        "dob": None,
        "estimated_age": None,
        "estimated_age_basis": "",
        "estimated_on": None,
        "gender_identity": "",
        "phones": [],
        "emails": [],
        "address": "",
        "city": "",
        "postcode": "",
        "area": "",
        "languages": [],
        "safe_contact": {},
        "abusers": [],
        "in_state_custody": False,
        "custodial_agency_id": None,
        "emancipated": False,
        "age_band_on": None,
        "county": "",
        "assigned_to_id": None,
        "created_by_id": None,
        "created_at": timezone.now(),
        "updated_at": timezone.now(),
    }
    prepared = {}
    for field in Person._meta.concrete_fields:
        if field.attname in values:
            value = values[field.attname]
            prepared[field.column] = None if value is None else field.get_prep_value(value)
    return prepared


def _sex_columns(sex: str) -> list:
    """The person's sex as stored: encrypted (identity) and, where the model has it, the
    plain statistical copy the reports count."""
    from safeharbor.survivors.models import Person

    names = {f.attname: f for f in Person._meta.concrete_fields}
    values = [names["sex"].get_prep_value(sex)]
    if "sex_statistical" in names:
        values.append(sex)
    return values


def _sex_column_names() -> list[str]:
    from safeharbor.survivors.models import Person

    names = {f.attname for f in Person._meta.concrete_fields}
    return ["sex"] + (["sex_statistical"] if "sex_statistical" in names else [])


def _fill_cases(persons: list, today: datetime.date, rng: random.Random) -> None:
    """One case for every second person, opened in the last two years, a few closed."""
    from django.db import connection
    from django.utils import timezone

    from safeharbor.survivors.models import Case

    fields = {f.attname: f for f in Case._meta.concrete_fields}
    empty = fields["needs"].get_prep_value("")
    now = timezone.now()
    columns = [
        "person_id",
        "agency_id",
        "opened_on",
        "status",
        "needs",
        "goals",
        "safety_plan",
        "close_reason",
        "close_note",
        "closed_on",
        "created_at",
        "updated_at",
    ]
    print(f"  COPY {len(persons) // 2:,} cases...", flush=True)
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY survivors_case ({', '.join(columns)}) FROM STDIN") as copy:
            for person_id, agency_id in persons[::2]:
                opened = today - datetime.timedelta(days=rng.randint(0, 2 * 365))
                closed = rng.random() < 0.2
                copy.write_row(
                    [
                        person_id,
                        agency_id,
                        opened,
                        "closed" if closed else "open",
                        empty,
                        empty,
                        empty,
                        "goals_met" if closed else "",
                        empty,
                        opened + datetime.timedelta(days=30) if closed else None,
                        now,
                        now,
                    ]
                )
        cursor.execute("VACUUM ANALYZE survivors_case")


def fill(identifications: int, rebuild: bool):
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from safeharbor.accounts.models import Agency, Membership, Role, User
    from safeharbor.survivors.models import Case, Identification, Person

    call_command("migrate", verbosity=0)
    agencies = []
    for slug, name, kind in AGENCIES:
        agency, _ = Agency.objects.get_or_create(slug=slug, defaults={"name": name, "kind": kind})
        agencies.append(agency)
    city, _ = Agency.objects.get_or_create(
        slug="bench-city", defaults={"name": "Bench City", "kind": "city"}
    )
    user = User.objects.filter(email="bench-analyst@bench.example").first()
    if user is None:
        user = User.objects.create_user(
            email="bench-analyst@bench.example", password=BENCH_PASSWORD, full_name="A"
        )
    Membership.objects.get_or_create(user=user, agency=city, role=Role.objects.get(slug="analyst"))
    agency_ids = [a.pk for a in agencies]
    if rebuild:
        Case.objects.filter(agency_id__in=agency_ids).delete()
        Identification.objects.filter(agency_id__in=agency_ids).delete()
        Person.objects.filter(agency_id__in=agency_ids).delete()
    have = Identification.objects.filter(agency_id__in=agency_ids).count()
    if have >= identifications:
        return user
    rng = random.Random(12)
    today = timezone.localdate()
    started = time.perf_counter()
    people = int((identifications - have) * 0.7)
    defaults = _person_defaults()
    columns = ["agency_id", "reference", "age_band", *_sex_column_names(), *defaults]
    sexes = {sex: _sex_columns(sex) for sex in set(SEXES)}
    base = Person.objects.count()
    print(f"  COPY {people:,} people...", flush=True)
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f"COPY survivors_person ({', '.join(columns)}) FROM STDIN") as copy:
            fixed = list(defaults.values())
            for i in range(people):
                copy.write_row(
                    [
                        rng.choice(agency_ids),
                        f"SB-{base + i:09d}",
                        rng.choice(BANDS),
                        *sexes[rng.choice(SEXES)],
                        *fixed,
                    ]
                )
        cursor.execute(
            "SELECT id, agency_id FROM survivors_person WHERE reference LIKE 'SB-%%' "
            "ORDER BY id DESC LIMIT %s",
            [people],
        )
        persons = cursor.fetchall()
    print(f"  people done ({time.perf_counter() - started:.0f} s)", flush=True)
    _fill_cases(persons, today, rng)
    to_make = identifications - have
    now = timezone.now()
    id_columns = [
        "person_id",
        "agency_id",
        "identified_on",
        "status",
        "basis",
        "trafficking_type",
        "juvenile_at_identification",
        "created_at",
        "updated_at",
    ]
    statuses = ["suspected"] * 50 + ["confirmed"] * 35 + ["ruled_out"] * 15
    bases = ["screening", "disclosure", "investigation", "referral"]
    kinds = ["sex", "sex", "sex", "labor", "both", "unknown"]
    print(f"  COPY {to_make:,} identifications...", flush=True)
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(
            f"COPY survivors_identification ({', '.join(id_columns)}) FROM STDIN"
        ) as copy:
            for i in range(to_make):
                # Every person once, then some of them a second time (another identification).
                person_id, agency_id = persons[i] if i < len(persons) else rng.choice(persons)
                copy.write_row(
                    [
                        person_id,
                        agency_id,
                        today - datetime.timedelta(days=rng.randint(0, 3 * 365)),
                        rng.choice(statuses),
                        rng.choice(bases),
                        rng.choice(kinds),
                        rng.random() < 0.4,
                        now,
                        now,
                    ]
                )
        print(f"  identifications done ({time.perf_counter() - started:.0f} s)", flush=True)
        # As autovacuum would have by now: statistics and the visibility map (index-only scans).
        cursor.execute("VACUUM ANALYZE survivors_person")
        cursor.execute("VACUUM ANALYZE survivors_identification")
    print(f"  filled in {time.perf_counter() - started:.0f} s", flush=True)
    return user


def signed_in_client(user):
    from django.test import Client
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    device.last_t = -1
    device.save(update_fields=["last_t"])
    client = Client()
    client.post("/accounts/login/", {"email": user.email, "password": BENCH_PASSWORD})
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    client.post("/accounts/code/", {"code": f"{totp.token():06d}"})
    client.post("/accounts/notice/", {"acknowledge": "yes"})
    return client


def measure(client, url: str, runs: int) -> tuple[float, float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    queries = 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        queries = len(ctx.captured_queries)
    first = times[0]
    rest = sorted(times[1:] or times)
    p95 = rest[min(len(rest) - 1, round(0.95 * (len(rest) - 1)))]
    return first, statistics.median(rest), p95, queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--identifications", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database named sh_bench_...")
    ensure_database(url)
    import django

    django.setup()
    from django.conf import settings
    from django.utils import timezone

    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    print(f"Filling {args.identifications:,} identifications (reused if already there)...")
    user = fill(args.identifications, args.rebuild)
    client = signed_in_client(user)
    today = timezone.localdate()
    three_years = (today - datetime.timedelta(days=3 * 365)).isoformat()
    fiscal_year = today.year + (1 if today.month >= 10 else 0)
    pages = [
        ("dashboard, last 12 months, all agencies", "/staff/reports/"),
        (
            "dashboard, 3 years, all agencies",
            f"/staff/reports/?start={three_years}&end={today.isoformat()}",
        ),
        (
            f"performance measures, fiscal year {fiscal_year}, all agencies",
            f"/staff/reports/performance/?fiscal_year={fiscal_year}",
        ),
    ]
    print(f"\n{args.identifications:,} identifications, {args.runs} runs each (PostgreSQL)")
    print(f"load average: {os.getloadavg()}\n")
    print("| request | first ms | median ms | p95 ms | queries |\n|---|---:|---:|---:|---:|")
    for label, page_url in pages:
        first, median, p95, queries = measure(client, page_url, args.runs)
        print(f"| {label}: page | {first:.0f} | {median:.0f} | {p95:.0f} | {queries} |", flush=True)
        # The charts the page shows as images, fetched one after another (a browser fetches
        # them alongside each other once the page is there).
        page = client.get(page_url).content.decode()
        charts = [
            html.unescape(src)
            for src in re.findall(r'class="report-chart" src="([^"]+)"', page)
            if not src.startswith("data:")  # the performance report draws its charts inline
        ]
        if not charts:
            continue
        chart_times = [measure(client, src, max(2, args.runs // 3)) for src in charts]
        slowest = max(chart_times, key=lambda t: t[1])
        print(
            f"| {label}: slowest of {len(charts)} charts | {slowest[0]:.0f} | {slowest[1]:.0f} "
            f"| {slowest[2]:.0f} | {slowest[3]} |",
            flush=True,
        )
    print(f"\nload average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
