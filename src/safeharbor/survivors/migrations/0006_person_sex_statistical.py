"""The sex as statistics count it: a plain copy of the (encrypted) sex in the statistical
category, so reports count it in the database instead of decrypting every person's identity.

Existing records are filled by decrypting each sex once, here, in batches: one pass over the
table, one UPDATE per value and batch, the same on SQLite and PostgreSQL.
"""

from django.db import migrations, models

BATCH = 1000
CODES = {"F", "M", "X", "U"}


def fill_sex_statistical(apps, schema_editor):
    Person = apps.get_model("survivors", "Person")
    db = schema_editor.connection.alias
    people = Person.objects.using(db).order_by("pk").only("pk", "sex")
    last = 0
    while True:
        batch = list(people.filter(pk__gt=last)[:BATCH])
        if not batch:
            break
        by_value: dict[str, list[int]] = {}
        for person in batch:
            value = person.sex if person.sex in CODES else "U"
            if value != "U":  # "U" is the new column's default already
                by_value.setdefault(value, []).append(person.pk)
        for value, ids in by_value.items():
            Person.objects.using(db).filter(pk__in=ids).update(sex_statistical=value)
        last = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [("survivors", "0005_merge_report_and_list_indexes")]

    operations = [
        migrations.AddField(
            model_name="person",
            name="sex_statistical",
            field=models.CharField(
                choices=[
                    ("F", "Female"),
                    ("M", "Male"),
                    ("X", "X (non-binary or another sex)"),
                    ("U", "Unknown or not given"),
                ],
                default="U",
                editable=False,
                help_text="Copied from the sex on every save, for counting without identity.",
                max_length=1,
                verbose_name="sex, as counted in statistics",
            ),
        ),
        migrations.RunPython(fill_sex_statistical, migrations.RunPython.noop),
    ]
