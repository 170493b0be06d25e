"""An index for the reports area's aggregates over identifications (issue 12).

Dashboards group identifications by date, agency and status and count distinct people among
juvenile ones; with this index PostgreSQL answers from the index alone (the extra columns
are INCLUDEd). Created with SQL so the model's state is unchanged.
"""

from django.db import migrations

INDEX = "survivors_ident_report_idx"


def create_index(apps, schema_editor):
    table = "survivors_identification"
    columns = "identified_on, agency_id, status"
    if schema_editor.connection.vendor == "postgresql":
        sql = (
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON {table} ({columns}) "
            "INCLUDE (juvenile_at_identification, person_id)"
        )
    else:
        sql = (
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON {table} "
            f"({columns}, juvenile_at_identification, person_id)"
        )
    schema_editor.execute(sql)


def drop_index(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("survivors", "0003_consent_signed_form")]

    operations = [migrations.RunPython(create_index, drop_index)]
