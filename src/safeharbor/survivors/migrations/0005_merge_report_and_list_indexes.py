"""Joins two migrations made at the same time: the reports' identification index and the
person list index (neither changes the other's tables)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("survivors", "0004_identification_report_index"),
        ("survivors", "0004_person_list_index"),
    ]

    operations: list = []
