"""Install the default screening instrument (see ``instruments/default.py``)."""

from django.db import migrations


def install_default_instrument(apps, schema_editor):
    from safeharbor.survivors.instruments import default

    instrument_model = apps.get_model("survivors", "ScreeningInstrument")
    instrument_model.objects.get_or_create(
        slug=default.SLUG,
        version=default.VERSION,
        defaults={"name": default.NAME, "definition": default.DEFINITION, "is_active": True},
    )


class Migration(migrations.Migration):
    dependencies = [("survivors", "0001_initial")]

    operations = [migrations.RunPython(install_default_instrument, migrations.RunPython.noop)]
