"""Fast synthetic data for the load test: 100,000 people on PostgreSQL, staff accounts.

Fills a dedicated PostgreSQL database (its name must start with ``sh_bench``; never a test or
a real database) with:

* ``bench-agency`` (a victim-service provider): N synthetic people (encrypted identity, every
  blind-index term, an identification for a third, an open case for a fifth);
* ``bench-police`` (a police agency): P people of its own with a written consent naming
  ``bench-agency``, a tenth of them shared with ``bench-agency`` by a consent-backed grant
  (so the permission engine's "own agency or granted" path has rows to find), and one open
  operation to record contacts in;
* staff accounts with a confirmed one-time-code device: caseworkers (agency scope) in
  ``bench-agency`` and officers in ``bench-police``. Their e-mail, password and TOTP key go to
  ``var/bench-load-accounts-<database>.json`` (synthetic, throwaway, never committed) for the
  locustfile.

Rows are written with ``bulk_create`` in large batches inside one transaction per batch, with
the identity fields encrypted and the index terms computed exactly as the services do; a
re-run tops the people up to N instead of starting again.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sh_bench_load \\
        .venv/bin/python bench/load/generate.py --persons 100000
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeharbor.settings.dev")


def accounts_file() -> Path:
    """One accounts file per database (its TOTP keys are that database's), named after it."""
    database = os.environ.get("DATABASE_URL", "").rsplit("/", 1)[-1] or "default"
    return ROOT / "var" / f"bench-load-accounts-{database}.json"


PASSWORD = "bench-load-password-123"  # noqa: S105 - throwaway synthetic benchmark accounts
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
    "Uma",
    "Vera",
    "Wren",
    "Xia",
    "Yara",
    "Zoe",
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
    "Sallowmere",
    "Thornbury",
    "Umberlea",
    "Vinewood",
    "Willowby",
    "Yarrowfield",
]
ALIASES = ["Lucky", "Star", "Peach", "Sunny", "Blue", "Kitten", "Ace", "Honey", "Jinx"]


def ensure_database(url: str) -> None:
    """Create the benchmark database if missing; refuse any name not starting sh_bench."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    if not name.startswith("sh_bench"):
        raise SystemExit("Refusing: the benchmark database name must start with sh_bench.")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin.replace("postgres://", "postgresql://"), autocommit=True) as c:
        if not c.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            c.execute(f'CREATE DATABASE "{name}"')


def _person(agency, user, rng: random.Random, today: datetime.date, refs: set[str]):
    from safeharbor.survivors import derive
    from safeharbor.survivors.models import Person

    ref = derive.new_reference()
    while ref in refs:
        ref = derive.new_reference()
    refs.add(ref)
    dob = today - datetime.timedelta(days=rng.randint(12 * 365, 45 * 365))
    return Person(
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


def fill_people(agency, user, total: int, *, seed: int, batch: int = 5000) -> list:
    """Top ``agency`` up to ``total`` people (with index terms, identifications, cases)."""
    from django.db import transaction
    from django.utils import timezone

    from safeharbor.survivors.models import Case, Identification, Person, PersonIndexEntry
    from safeharbor.survivors.services.persons import person_index_entries

    have = Person.objects.filter(agency=agency).count()
    rng = random.Random(seed + have)
    today = timezone.localdate()
    refs = set(Person.objects.values_list("reference", flat=True))
    started = time.perf_counter()
    made: list = []
    while have < total:
        rows = [_person(agency, user, rng, today, refs) for _ in range(min(batch, total - have))]
        with transaction.atomic():
            created = Person.objects.bulk_create(rows, batch_size=1000)
            PersonIndexEntry.objects.bulk_create(
                [e for p in created for e in person_index_entries(p)], batch_size=5000
            )
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
        made += created
        have += len(rows)
        rate = have / max(time.perf_counter() - started, 1e-9)
        print(f"  {agency.slug}: {have:>7} people ({rate:,.0f}/s)", flush=True)
    return made


def _staff(email: str, agency, role_slug: str, *, scope: str = "agency") -> dict:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from safeharbor.accounts.models import Membership, Role, User

    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=PASSWORD, full_name="Bench Staff")
    Membership.objects.get_or_create(
        user=user,
        agency=agency,
        defaults={"role": Role.objects.get(slug=role_slug), "scope": scope},
    )
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    return {"email": email, "password": PASSWORD, "totp_key": device.key, "role": role_slug}


def fill(persons: int, police_persons: int, caseworkers: int, officers: int) -> dict:
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from safeharbor.accounts.models import Agency, Program
    from safeharbor.core.permissions.models import AccessGrant
    from safeharbor.enforcement.models import Operation
    from safeharbor.survivors.models import Consent, Person

    call_command("migrate", verbosity=0)
    agency, _ = Agency.objects.get_or_create(
        slug="bench-agency", defaults={"name": "Bench Agency", "kind": "victim_service_provider"}
    )
    police, _ = Agency.objects.get_or_create(
        slug="bench-police", defaults={"name": "Bench Police", "kind": "police"}
    )
    # The police agency's designated survivor program (victim contacts name it).
    program, _ = Program.objects.get_or_create(
        slug="bench-survivor-program",
        defaults={"agency": agency, "name": "Bench Survivor Program", "kind": "survivor_services"},
    )
    if police.designated_program_id != program.pk:
        police.designated_program = program
        police.save(update_fields=["designated_program"])
    accounts = {
        "caseworkers": [
            _staff(f"bench-caseworker-{i}@bench.example", agency, "caseworker")
            for i in range(caseworkers)
        ],
        "officers": [
            _staff(f"bench-officer-{i}@bench.example", police, "officer") for i in range(officers)
        ],
    }
    lead = _user("bench-caseworker-0@bench.example")
    officer = _user("bench-officer-0@bench.example")
    fill_people(agency, lead, persons, seed=7)
    fresh = fill_people(police, officer, police_persons, seed=11)
    today = timezone.localdate()
    now = timezone.now()
    if fresh:
        with transaction.atomic():
            consents = Consent.objects.bulk_create(
                Consent(
                    person=p,
                    agency=police,
                    categories=["case", "identity", "statistical"],
                    purpose="referral",
                    signed_on=today - datetime.timedelta(days=5),
                    expires_on=today + datetime.timedelta(days=85),
                )
                for p in fresh
            )
            through = Consent.recipient_agencies.through
            through.objects.bulk_create(
                through(consent_id=c.pk, agency_id=agency.pk) for c in consents
            )
            person_type = ContentType.objects.get_for_model(Person)
            AccessGrant.objects.bulk_create(
                AccessGrant(
                    grantee_agency=agency,
                    content_type=person_type,
                    object_id=c.person_id,
                    categories=["case", "statistical"],
                    actions=" view ",
                    starts_at=now - datetime.timedelta(days=5),
                    ends_at=now + datetime.timedelta(days=85),
                    source_type="survivors.consent",
                    source_id=str(c.pk),
                )
                for c in consents[::10]
            )
    Operation.objects.get_or_create(
        agency=police,
        name="Bench outreach operation",
        defaults={
            "kind": "outreach",
            "started_on": today,
            "status": "underway",
            "lead": officer,
            "created_by": officer,
        },
    )
    with connection.cursor() as cursor:
        # As autovacuum would have by now: statistics and the visibility map.
        cursor.execute("VACUUM ANALYZE")
    accounts["police_people"] = list(
        Person.objects.filter(agency=police)
        .order_by("pk")
        .values_list("reference", flat=True)[:500]
    )
    accounts["operation"] = Operation.objects.get(agency=police).pk
    accounts["bench_agency"] = agency.pk
    sample = list(
        Person.objects.filter(agency=agency).order_by("?").values_list("pk", flat=True)[:2000]
    )
    accounts["people"] = sample
    accounts_file().parent.mkdir(parents=True, exist_ok=True)
    accounts_file().write_text(json.dumps(accounts, indent=1))
    return accounts


def _user(email: str):
    from safeharbor.accounts.models import User

    return User.objects.get(email=email)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--police-persons", type=int, default=2_000)
    parser.add_argument("--caseworkers", type=int, default=45)
    parser.add_argument("--officers", type=int, default=15)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database named sh_bench_...")
    ensure_database(url)
    import django

    django.setup()
    started = time.perf_counter()
    accounts = fill(args.persons, args.police_persons, args.caseworkers, args.officers)
    print(
        f"Ready in {time.perf_counter() - started:.0f} s: {args.persons} people, "
        f"{len(accounts['caseworkers'])} caseworkers, {len(accounts['officers'])} officers; "
        f"accounts in {accounts_file().relative_to(ROOT)}"
    )


if __name__ == "__main__":
    main()
