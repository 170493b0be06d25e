"""The custody chain and the forfeiture steps are append-only: the database refuses an
UPDATE (and on PostgreSQL a DELETE) of their rows, as it does for the fund's journal. And the
roles that work with seized property get the patterns they need."""

from django.db import migrations

from safeharbor.accounts.roles import extend_role_permissions

TABLES = ("assets_custodyevent", "assets_forfeitureevent")

SQLITE_FORWARD = [
    f"""CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
    BEGIN SELECT RAISE(ABORT, '{table} rows cannot be changed; record a correcting event'); END"""
    for table in TABLES
]
SQLITE_BACKWARD = [f"DROP TRIGGER IF EXISTS {table}_no_update" for table in TABLES]

POSTGRES_FORWARD = [
    """CREATE FUNCTION assets_refuse_change() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION '% rows cannot be changed or deleted; record a correcting event',
            TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
    END $$ LANGUAGE plpgsql""",
    *[
        f"""CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table}
        FOR EACH ROW EXECUTE FUNCTION assets_refuse_change()"""
        for table in TABLES
    ],
]
POSTGRES_BACKWARD = [
    *[f"DROP TRIGGER IF EXISTS {table}_no_change ON {table}" for table in TABLES],
    "DROP FUNCTION IF EXISTS assets_refuse_change()",
]

ROLE_PATTERNS = {
    # Police see their own agency's seizures (officers: those they seized) with the chain.
    "officer": ["assets.*.view", "assets.assetphoto.add"],
    "detective": ["assets.*.view", "assets.assetphoto.add", "assets.lienholder.add"],
    "property_officer": [
        "assets.*",
        "enforcement.operation.view",
        "enforcement.subject.view",
        "!enforcement.subject.view.identity",
    ],
    "finance": ["assets.*.view", "assets.report.view"],
    "coordinator": ["assets.*.view", "assets.report.view"],
}


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return run


def extend_roles(apps, schema_editor):
    for role, patterns in ROLE_PATTERNS.items():
        extend_role_permissions(apps, role, patterns)


class Migration(migrations.Migration):
    dependencies = [("assets", "0001_initial"), ("accounts", "0002_seed_roles")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
        migrations.RunPython(extend_roles, migrations.RunPython.noop),
    ]
