"""Roles for privacy-preserving rounds: coordinators open rounds, invite agencies (a grant
of the round's count to each) and count them; agency administrators and supervisors upload
their agency's encodings and see the rounds they were invited to."""

from django.db import migrations

from safeharbor.accounts.roles import extend_role_permissions

ROLE_PATTERNS = {
    "coordinator": [
        "linkage.privateround.view",
        "linkage.privateround.add",
        "linkage.privateround.change",
        "linkage.privateround.share",
        "linkage.privateround.count",
    ],
    "admin": ["linkage.privateround.view", "linkage.encodingupload.*"],
    "supervisor": ["linkage.privateround.view", "linkage.encodingupload.*"],
}


def forward(apps, schema_editor):
    for role, patterns in ROLE_PATTERNS.items():
        extend_role_permissions(apps, role, patterns)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_seed_roles"),
        ("linkage", "0003_pprl_rounds_and_encodings"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
