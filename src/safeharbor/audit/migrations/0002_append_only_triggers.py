"""Audit events become append-only: triggers reject UPDATE and DELETE (see audit/guard.py;
the same triggers are re-created after every migrate)."""

from django.db import migrations


def install(apps, schema_editor):
    from safeharbor.audit.guard import install as install_guard

    install_guard(schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
