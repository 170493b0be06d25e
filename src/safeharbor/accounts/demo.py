"""Portland demo: agencies, programs and one account per role, all synthetic.

Idempotent: running it again changes nothing that exists. Demo accounts get a known password
and an authenticator already set up, so ``safeharbor otp EMAIL`` can give a code."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from .choices import AgencyKind, ProgramKind
from .models import Agency, Membership, Program, Role, User

DEMO_DOMAIN = "demo.safeharbor.example"

AGENCIES = [
    ("city-of-portland", "City of Portland — Program Office", AgencyKind.CITY, False),
    (
        "portland-police",
        "Portland Police Bureau — Human Trafficking Unit",
        AgencyKind.POLICE,
        False,
    ),
    (
        "oregon-dhs",
        "Oregon Department of Human Services — Child Welfare",
        AgencyKind.CHILD_WELFARE,
        False,
    ),
    ("lifeworks-nw", "LifeWorks NW", AgencyKind.VICTIM_SERVICE_PROVIDER, True),
    (
        "gateway-center",
        "Gateway Center for Domestic Violence Services",
        AgencyKind.VICTIM_SERVICE_PROVIDER,
        True,
    ),
    ("join", "JOIN", AgencyKind.HOUSING_PROVIDER, False),
]

PROGRAMS = [
    (
        "new-options-for-women",
        "New Options for Women",
        "lifeworks-nw",
        ProgramKind.SURVIVOR_SERVICES,
        "Advocacy, counseling and long-term support for women and girls leaving exploitation.",
    ),
    (
        "gateway-intake",
        "Gateway Center intake",
        "gateway-center",
        ProgramKind.INTAKE,
        "One place to start for anyone facing emotional, physical or sexual abuse.",
    ),
    (
        "survivor-housing-pilot",
        "Survivor housing pilot",
        "join",
        ProgramKind.HOUSING,
        "Adult survivors move into apartments with the lease in their own name, with rent help "
        "and an advocate. Run with LifeWorks NW and the City.",
    ),
    (
        "human-trafficking-unit",
        "Human Trafficking Unit",
        "portland-police",
        ProgramKind.ENFORCEMENT,
        "Four officers and six detectives: missions, investigations and building trust.",
    ),
    (
        "dhs-csec-response",
        "Child welfare CSEC response",
        "oregon-dhs",
        ProgramKind.CHILD_WELFARE,
        "Child welfare response for young people who are exploited or at risk.",
    ),
]


@dataclass(frozen=True)
class DemoAccount:
    role: str
    email: str
    password: str
    agency: str
    full_name: str


def _account(role: str, agency: str, name: str, local: str | None = None) -> DemoAccount:
    local = local or role.replace("_", "-")
    return DemoAccount(
        role=role,
        email=f"{local}@{DEMO_DOMAIN}",
        password=f"harbor-{local}-demo",
        agency=agency,
        full_name=name,
    )


# One account per role first (what `safeharbor demo-accounts` lists), then the rest of the
# police unit's roster and caseworkers at the other agencies.
ACCOUNTS: list[DemoAccount] = [
    _account("coordinator", "city-of-portland", "Casey Coordinator"),
    _account("caseworker", "lifeworks-nw", "Avery Advocate"),
    _account("supervisor", "lifeworks-nw", "Sam Supervisor"),
    _account("officer", "portland-police", "Officer Riley One", "officer"),
    _account("detective", "portland-police", "Detective Jordan One", "detective"),
    _account("property_officer", "portland-police", "Parker Property"),
    _account("finance", "city-of-portland", "Frankie Finance"),
    _account("analyst", "city-of-portland", "Alex Analyst"),
    _account("editor", "city-of-portland", "Emery Editor"),
    _account("auditor", "city-of-portland", "Aubrey Auditor"),
    _account("admin", "city-of-portland", "Adrian Admin"),
    *[
        _account("officer", "portland-police", f"Officer {n}", f"officer{i}")
        for i, n in [(2, "Quinn Two"), (3, "Rowan Three"), (4, "Morgan Four")]
    ],
    *[
        _account("detective", "portland-police", f"Detective {n}", f"detective{i}")
        for i, n in [
            (2, "Taylor Two"),
            (3, "Jamie Three"),
            (4, "Drew Four"),
            (5, "Kai Five"),
            (6, "Reese Six"),
        ]
    ],
    _account("caseworker", "oregon-dhs", "Dana Caseworker", "dhs-caseworker"),
    _account("supervisor", "oregon-dhs", "Lee Supervisor", "dhs-supervisor"),
    _account("caseworker", "gateway-center", "Gale Advocate", "gateway-advocate"),
    _account("caseworker", "join", "Harper Housing", "join-caseworker"),
]


def primary_accounts() -> list[DemoAccount]:
    """One account per role, in role order."""
    seen: set[str] = set()
    result = []
    for account in ACCOUNTS:
        if account.role not in seen:
            seen.add(account.role)
            result.append(account)
    return result


@transaction.atomic
def load() -> None:
    agencies = {}
    for slug, name, kind, vawa in AGENCIES:
        agencies[slug], _ = Agency.objects.get_or_create(
            slug=slug, defaults={"name": name, "kind": kind, "vawa_covered": vawa}
        )
    for slug, name, agency, kind, description in PROGRAMS:
        Program.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "agency": agencies[agency],
                "kind": kind,
                "description": description,
            },
        )
    police = agencies["portland-police"]
    if police.designated_program_id is None:
        police.designated_program = Program.objects.get(slug="new-options-for-women")
        police.save(update_fields=["designated_program"])
    roles = {role.slug: role for role in Role.objects.all()}
    for account in ACCOUNTS:
        user = User.objects.filter(email__iexact=account.email).first()
        if user is None:
            user = User.objects.create_user(
                email=account.email, password=account.password, full_name=account.full_name
            )
        Membership.objects.get_or_create(
            user=user, agency=agencies[account.agency], role=roles[account.role]
        )
        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            TOTPDevice.objects.create(user=user, name="Demo authenticator", confirmed=True)
