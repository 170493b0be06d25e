"""Import: all or nothing, every bad row reported, the same from the command line and UI."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from safeharbor.survivors.models import Identification, Person
from safeharbor.survivors.selectors import PersonFilters, people_list
from tests import factories

pytestmark = pytest.mark.django_db

HEADER = (
    "record_id,given_name,family_name,alias,dob,sex,phone,address,city,postcode,"
    "identification_status,identification_date\n"
)
GOOD = HEADER + (
    "X-1,Mara,Quarrydale,Mouse;M,2009-02-03,F,503-555-0111,12 Fennel St,Portland,97206,"
    "suspected,2026-01-10\n"
    "X-2,Opal,Rowanford,,,U,,,,,,\n"
)
BAD = GOOD + "X-3,Bad,Date,,2009-02-30,F,,,,,,\nX-1,Again,Dup,,,Q,,,,,,\n"


def test_command_imports_every_row_with_identifications(home, tmp_path, worker):
    path = tmp_path / "people.csv"
    path.write_text(GOOD)
    call_command("import", "survivors", str(path), "--agency", home.slug)
    assert Person.objects.filter(agency=home).count() == 2
    mara = Person.objects.get(source_record_id="X-1")
    assert mara.aliases == ["Mouse", "M"] and mara.dob.isoformat() == "2009-02-03"
    ident = Identification.objects.get(person=mara)
    assert ident.status == "suspected" and ident.juvenile_at_identification is True
    supervisor = factories.membership(factories.UserFactory(), home, "supervisor")
    found = people_list(membership=supervisor, filters=PersonFilters(q="Mouse"))
    assert list(found) == [mara]


def test_command_reports_every_bad_row_and_imports_nothing(home, tmp_path, capsys):
    path = tmp_path / "people.csv"
    path.write_text(BAD)
    with pytest.raises(CommandError, match="3 problem"):
        call_command("import", "survivors", str(path), "--agency", home.slug)
    err = capsys.readouterr().err
    assert f"{path}:4: dob:" in err
    assert f"{path}:5: record_id:" in err and f"{path}:5: sex:" in err
    assert Person.objects.count() == 0


def test_dry_run_and_second_import_of_the_same_records(home, tmp_path, capsys):
    path = tmp_path / "people.csv"
    path.write_text(GOOD)
    call_command("import", "survivors", str(path), "--agency", home.slug, "--dry-run")
    assert "2 people would be imported" in capsys.readouterr().out
    assert Person.objects.count() == 0
    call_command("import", "survivors", str(path), "--agency", home.slug)
    with pytest.raises(CommandError):
        call_command("import", "survivors", str(path), "--agency", home.slug)
    assert Person.objects.count() == 2


def test_import_page_lists_problems_then_imports(staff_client, home):
    client, _user = staff_client("caseworker", agency=home)
    bad = SimpleUploadedFile("p.csv", BAD.encode(), content_type="text/csv")
    response = client.post("/staff/survivors/import/", {"file": bad})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Nothing was imported" in text and "2009-02-30" not in text
    assert Person.objects.count() == 0
    good = SimpleUploadedFile("p.csv", GOOD.encode(), content_type="text/csv")
    response = client.post("/staff/survivors/import/", {"file": good})
    assert response.status_code == 200 and "Imported 2 people" in response.content.decode()
    assert Person.objects.filter(agency=home).count() == 2
