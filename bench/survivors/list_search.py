"""Benchmark: the survivors list and search pages with 100,000 people on PostgreSQL.

Builds (or reuses) a dedicated PostgreSQL database — never a test or real database — with N
synthetic people in one agency (encrypted identity, blind-index terms, an identification
for a third, an open case for a fifth), signs a supervisor in through the real sign-in steps,
then requests each page R times and prints the median and 95th percentile time and the
number of SQL queries per request.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sh_bench_survivors \\
        .venv/bin/python bench/survivors/list_search.py --persons 100000 --runs 30

The database is created if missing and filled once; ``--rebuild`` drops its people first.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeharbor.settings.test")

GIVEN = [
    "Ariana",
    "Bree",
    "Cami",
    "Dani",
    "Elin",
    "Fern",
    "Gia",
    "Hana",
    "Ivy",
    "Jade",
    "Kira",
    "Lena",
    "Mara",
    "Nia",
    "Opal",
    "Pia",
    "Quinn",
    "Rae",
    "Sage",
    "Tala",
]
FAMILY = [
    "Alderbrook",
    "Birchfield",
    "Cedarlane",
    "Dunmore",
    "Elmstead",
    "Fairhollow",
    "Glenrock",
    "Hazelton",
    "Ironwood",
    "Juniperlee",
    "Kestrelton",
    "Larchmont",
    "Maplewick",
    "Northcote",
    "Oakhurst",
    "Pinecrest",
    "Quarrydale",
    "Rowanford",
]
BENCH_PASSWORD = "bench-password-123"  # noqa: S105 - a throwaway benchmark account
ALIASES = ["Lucky", "Star", "Peach", "Sunny", "Blue", "Kitten", "Ace", "Honey", "Jinx"]


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    if not name.startswith("sh_bench"):
        raise SystemExit("Refusing: the benchmark database name must start with sh_bench.")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin.replace("postgres://", "postgresql://"), autocommit=True) as c:
        if not c.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            c.execute(f'CREATE DATABASE "{name}"')


def fill(persons: int, rebuild: bool) -> tuple:
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from safeharbor.accounts.models import Agency, Membership, Role, User
    from safeharbor.survivors import derive
    from safeharbor.survivors.models import Case, Identification, Person, PersonIndexEntry
    from safeharbor.survivors.services.persons import person_index_entries

    call_command("migrate", verbosity=0)
    agency, _ = Agency.objects.get_or_create(
        slug="bench-agency", defaults={"name": "Bench Agency", "kind": "victim_service_provider"}
    )
    user = User.objects.filter(email="bench-supervisor@bench.example").first()
    if user is None:
        user = User.objects.create_user(
            email="bench-supervisor@bench.example", password=BENCH_PASSWORD, full_name="B"
        )
    Membership.objects.get_or_create(
        user=user, agency=agency, role=Role.objects.get(slug="supervisor")
    )
    if rebuild:
        Person.objects.filter(agency=agency).delete()
    have = Person.objects.filter(agency=agency).count()
    rng = random.Random(7)
    today = timezone.localdate()
    refs = set(Person.objects.values_list("reference", flat=True))
    started = time.perf_counter()
    batch = 2000
    while have < persons:
        size = min(batch, persons - have)
        rows = []
        for _ in range(size):
            ref = derive.new_reference()
            while ref in refs:
                ref = derive.new_reference()
            refs.add(ref)
            dob = today - datetime.timedelta(days=rng.randint(12 * 365, 45 * 365))
            rows.append(
                Person(
                    agency=agency,
                    reference=ref,
                    given_name=rng.choice(GIVEN),
                    family_name=rng.choice(FAMILY),
                    aliases=[rng.choice(ALIASES)] if rng.random() < 0.4 else [],
                    dob=dob,
                    sex="F",
                    phones=[f"503-{rng.randint(200, 999)}-{rng.randint(0, 9999):04d}"],
                    age_band=derive.age_band(derive.age_on(today, dob=dob)),
                    age_band_on=today,
                    assigned_to=user,
                )
            )
        with transaction.atomic():
            created = Person.objects.bulk_create(rows)
            entries = [e for p in created for e in person_index_entries(p)]
            PersonIndexEntry.objects.bulk_create(entries, batch_size=5000)
            Identification.objects.bulk_create(
                Identification(
                    person=p,
                    agency=agency,
                    identified_on=today,
                    status="suspected",
                    basis="screening",
                )
                for p in created[::3]
            )
            Case.objects.bulk_create(
                Case(person=p, agency=agency, opened_on=today, assigned_to=user)
                for p in created[::5]
            )
        have += size
        print(f"  {have:>7} people ({time.perf_counter() - started:.0f} s)", flush=True)
    from django.db import connection

    with connection.cursor() as cursor:
        # As autovacuum would have by now: statistics, and the visibility map that lets
        # PostgreSQL answer counts and page ids from the index alone.
        cursor.execute("VACUUM ANALYZE")
    sample = Person.objects.filter(agency=agency).order_by("pk")[persons // 2]
    return user, sample


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


def measure(client, url: str, runs: int) -> tuple[float, float, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    queries = 0
    status = 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        queries = len(ctx.captured_queries)
        status = response.status_code
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95, queries, status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database named sh_bench_...")
    ensure_database(url)
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    print(f"Filling {args.persons} people (reused if already there)...")
    user, sample = fill(args.persons, args.rebuild)
    client = signed_in_client(user)
    pages = [
        ("list, first page", "/staff/survivors/"),
        ("list, page 200", "/staff/survivors/?page=200"),
        ("list, juveniles with open case", "/staff/survivors/?age_band=15_17&open_case=yes"),
        (
            "search: name (two parts)",
            f"/staff/survivors/?q={sample.given_name}+{sample.family_name}",
        ),
        ("search: alias", "/staff/survivors/?q=Jinx"),
        ("search: date of birth", f"/staff/survivors/?q={sample.dob.isoformat()}"),
        ("search: phone", f"/staff/survivors/?q={sample.phones[0]}"),
        ("search: reference", f"/staff/survivors/?q={sample.reference}"),
        ("API list", "/api/v1/survivors/people/"),
        ("API search: name", f"/api/v1/survivors/people/?q={sample.family_name}"),
    ]
    client.get(pages[0][1])  # warm caches
    print(f"\n{args.persons} people, {args.runs} runs each (PostgreSQL)\n")
    print("| page | median ms | p95 ms | queries |\n|---|---:|---:|---:|")
    for label, page_url in pages:
        median, p95, queries, status = measure(client, page_url, args.runs)
        if status != 200:
            raise SystemExit(f"{page_url} answered {status}")
        print(f"| {label} | {median:.1f} | {p95:.1f} | {queries} |", flush=True)


if __name__ == "__main__":
    main()
