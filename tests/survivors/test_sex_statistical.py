"""The sex as statistics count it: a plain copy of the encrypted sex in the statistical
category, kept in step on every save and filled for existing records by migration 0006."""

from __future__ import annotations

import importlib

from django.apps import apps
from django.db import connection

from safeharbor.core.permissions import spec_for
from safeharbor.survivors import services
from safeharbor.survivors.models import Person

migration = importlib.import_module("safeharbor.survivors.migrations.0006_person_sex_statistical")


def test_the_copy_follows_the_sex_and_is_statistical_not_identity(worker, make_person):
    person = make_person(worker, sex="M")
    assert Person.objects.values_list("sex_statistical", flat=True).get(pk=person.pk) == "M"
    services.person_update(membership=worker, person=person, values={"sex": "X"})
    assert Person.objects.values_list("sex_statistical", flat=True).get(pk=person.pk) == "X"
    spec = spec_for(Person)
    assert "sex_statistical" in spec.categories["statistical"]
    assert "sex" in spec.categories["identity"]
    assert "sex_statistical" not in spec.categories["identity"]


def test_the_migration_fills_existing_records_from_the_encrypted_sex(worker, make_person):
    female = make_person(worker, sex="F")
    unknown = make_person(worker, given_name="Ines")
    Person.objects.update(sex_statistical="U")  # as the new column starts out

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection
    migration.fill_sex_statistical(apps, editor)
    values = dict(Person.objects.values_list("pk", "sex_statistical"))
    assert values == {female.pk: "F", unknown.pk: "U"}
