"""Analysts and coordinators may run aggregate (row-free) counts of any protected model."""

from django.db import migrations

from safeharbor.accounts.roles import extend_role_permissions


def forwards(apps, schema_editor):
    for role in ("analyst", "coordinator"):
        extend_role_permissions(apps, role, ["*.aggregate"])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_access_grants_break_glass"),
        ("accounts", "0002_seed_roles"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
