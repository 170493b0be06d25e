"""Roles: finance officers and property and evidence officers read the program dashboard,
where they are shown the seized-property and fund sections (``DashboardSection.shown_to``),
not the counts of people. Finance officers choose any agency, since the fund's proceeds come
from property other agencies seized; property officers see their own agency."""

from django.db import migrations

from safeharbor.accounts.roles import extend_role_permissions


def forwards(apps, schema_editor):
    extend_role_permissions(
        apps,
        "finance",
        ["reports.dashboard.view", "reports.dashboard.all", "reports.dashboard.export"],
    )
    extend_role_permissions(
        apps, "property_officer", ["reports.dashboard.view", "reports.dashboard.export"]
    )


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_role_permissions"), ("accounts", "0002_seed_roles")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
