"""The roles seeded at install, as data. Permission codes are ``<app>.<model>.<action>``;
``*`` matches anything. Later areas extend roles from their own data migrations with
``extend_role_permissions``.

Names are stored in English and marked here, so ``Role.display_name`` shows each reader the
name in their own language (an administrator's own wording is shown as written)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_noop

ROLE_DEFINITIONS: dict[str, dict[str, Any]] = {
    "coordinator": {
        "name": gettext_noop("Program coordinator"),
        "description": "Partners, programs, funding allocations, legislative priorities, "
        "public content and reports. Sees aggregates, not survivor identities.",
        "scope": "agency",
        "permissions": [
            "accounts.agency.view",
            "accounts.program.*",
            "funds.*.view",
            "funds.allocation.*",
            "legislation.*",
            "directory.*",
            "reports.*",
            "linkage.*.view",
            "housing.program.*",
        ],
    },
    "caseworker": {
        "name": gettext_noop("Caseworker or advocate"),
        "description": "Survivors, screenings, cases, services, referrals, consent and "
        "housing placements, for records assigned to them.",
        "scope": "assigned",
        "permissions": [
            "survivors.*",
            "referrals.*",
            "housing.placement.*",
            "housing.unit.view",
            "housing.program.view",
            "reports.dashboard.view",
        ],
    },
    "supervisor": {
        "name": gettext_noop("Supervisor"),
        "description": "Everything a caseworker does, across the agency, plus assignment, "
        "approvals and review of emergency access.",
        "scope": "agency",
        "permissions": [
            "survivors.*",
            "referrals.*",
            "housing.*",
            "reports.dashboard.view",
            "accounts.membership.view",
            "audit.breakglass.review",
        ],
    },
    "officer": {
        "name": gettext_noop("Police officer"),
        "description": "Operations, contacts and referrals to survivor programs.",
        "scope": "assigned",
        "permissions": [
            "enforcement.*",
            "referrals.*",
            "survivors.person.view",
            "survivors.person.add",
            "assets.seizedasset.view",
            "assets.seizedasset.add",
        ],
    },
    "detective": {
        "name": gettext_noop("Detective"),
        "description": "Operations, contacts, investigations, seized property and referrals.",
        "scope": "agency",
        "permissions": [
            "enforcement.*",
            "referrals.*",
            "survivors.*",
            "assets.seizedasset.view",
            "assets.seizedasset.add",
            "assets.custodyevent.*",
        ],
    },
    "property_officer": {
        "name": gettext_noop("Property and evidence officer"),
        "description": "Custody chain, forfeiture and disposition of seized property.",
        "scope": "agency",
        "permissions": ["assets.*", "enforcement.investigation.view"],
    },
    "finance": {
        "name": gettext_noop("Finance officer"),
        "description": "The restricted fund: journal, allocations and payments.",
        "scope": "agency",
        "permissions": ["funds.*", "assets.seizedasset.view", "housing.assistance.view"],
    },
    "analyst": {
        "name": gettext_noop("Analyst"),
        "description": "Dashboards, performance reports and unduplicated counts; "
        "non-identifying aggregates only.",
        "scope": "agency",
        "permissions": ["reports.*", "linkage.*.view"],
    },
    "editor": {
        "name": gettext_noop("Public content editor"),
        "description": "Public pages, resources, hotlines and events.",
        "scope": "agency",
        "permissions": ["directory.*", "legislation.*"],
    },
    "auditor": {
        "name": gettext_noop("Auditor"),
        "description": "The audit trail and its verification; sees ids, not names.",
        "scope": "agency",
        "permissions": ["audit.*"],
    },
    "admin": {
        "name": gettext_noop("Administrator"),
        "description": "Users, agencies, programs, memberships, unlocking and API tokens.",
        "scope": "agency",
        "permissions": ["accounts.*"],
    },
}


def seed_roles(apps: Any, schema_editor: Any) -> None:
    """Data migration step: create the roles above (existing ones are left as edited)."""
    role_model = apps.get_model("accounts", "Role")
    for slug, spec in ROLE_DEFINITIONS.items():
        role_model.objects.get_or_create(
            slug=slug,
            defaults={
                "name": spec["name"],
                "description": spec["description"],
                "permissions": spec["permissions"],
                "default_scope": spec["scope"],
            },
        )


def extend_role_permissions(apps: Any, role_slug: str, patterns: list[str]) -> None:
    """For an area's data migration: add permission patterns to a role if not there yet."""
    role_model = apps.get_model("accounts", "Role")
    role = role_model.objects.filter(slug=role_slug).first()
    if role is None:
        return
    missing = [p for p in patterns if p not in role.permissions]
    if missing:
        role.permissions = [*role.permissions, *missing]
        role.save(update_fields=["permissions"])
