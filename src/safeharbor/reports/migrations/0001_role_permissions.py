"""Roles: supervisors may also read and download the performance measures and export their
own agency's dashboard (coordinators and analysts already hold ``reports.*``, which includes
``reports.dashboard.all``: every agency, small cells hidden)."""

from django.db import migrations

from safeharbor.accounts.roles import extend_role_permissions


def forwards(apps, schema_editor):
    extend_role_permissions(
        apps,
        "supervisor",
        ["reports.dashboard.export", "reports.performance.view", "reports.performance.export"],
    )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_seed_roles")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
