"""Roles get the housing permissions they need (existing role patterns are kept)."""

from django.db import migrations

from safeharbor.accounts.roles import extend_role_permissions

PATTERNS = {
    # Advocates and partner caseworkers: placements, their apartments and scheduling rent help.
    "caseworker": [
        "housing.housingprogram.view",
        "housing.placement.*",
        "housing.unit.view",
        "housing.unit.add",
        "housing.unit.change",
        "housing.assistancepayment.view",
        "housing.assistancepayment.add",
    ],
    # Housing staff supervisors: everything, including approving and paying rent help.
    "supervisor": ["housing.*"],
    # The city's coordinator: program details and partners, and aggregates only.
    "coordinator": ["housing.housingprogram.*", "housing.placement.aggregate"],
    "analyst": [
        "housing.housingprogram.view",
        "housing.housingprogram.export",
        "housing.placement.aggregate",
    ],
}


def extend(apps, schema_editor):
    for role, patterns in PATTERNS.items():
        extend_role_permissions(apps, role, patterns)


class Migration(migrations.Migration):
    dependencies = [
        ("housing", "0001_initial"),
        ("accounts", "0002_seed_roles"),
    ]

    operations = [migrations.RunPython(extend, migrations.RunPython.noop)]
