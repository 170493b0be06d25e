"""Roles that work with linkage: coordinators start runs and, with analysts, see counts
(``linkage.*.view`` is seeded already); supervisors review possible duplicates inside their
own agency."""

from django.db import migrations

from safeharbor.accounts.roles import extend_role_permissions

ROLE_PATTERNS = {
    "coordinator": ["linkage.linkagerun.view", "linkage.linkagerun.add"],
    "analyst": ["linkage.linkagerun.view"],
    "supervisor": ["linkage.duplicatepair.view", "linkage.duplicatepair.review"],
}


def forward(apps, schema_editor):
    for role, patterns in ROLE_PATTERNS.items():
        extend_role_permissions(apps, role, patterns)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_seed_roles"),
        ("linkage", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
