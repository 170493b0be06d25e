"""Placements get ``income_change`` (up, same, down or not known): the coarse, statistical
copy of the incomes that outcome counts read, filled in here for existing placements from
the income at start and the latest one (at exit once exited, else the yearly assessment).
The amounts stay case data."""

from django.db import migrations, models


def backfill(apps, schema_editor):
    Placement = apps.get_model("housing", "Placement")
    changed = []
    for placement in Placement.objects.order_by("pk").iterator(chunk_size=500):
        later = placement.income_exit if placement.exit_on is not None else placement.income_annual
        start = placement.income_start
        if start is None or later is None:
            value = ""
        elif later > start:
            value = "up"
        elif later < start:
            value = "down"
        else:
            value = "same"
        if value != placement.income_change:
            placement.income_change = value
            changed.append(placement)
        if len(changed) >= 500:
            Placement.objects.bulk_update(changed, ["income_change"])
            changed = []
    if changed:
        Placement.objects.bulk_update(changed, ["income_change"])


class Migration(migrations.Migration):
    dependencies = [
        ("housing", "0002_roles"),
    ]

    operations = [
        migrations.AddField(
            model_name="placement",
            name="income_change",
            field=models.CharField(
                blank=True,
                choices=[
                    ("up", "Went up"),
                    ("same", "Stayed the same"),
                    ("down", "Went down"),
                    ("", "Not known"),
                ],
                default="",
                max_length=4,
                verbose_name="change in income",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
