"""An agency whose records are on the platform takes part offline: its supervisor downloads
the agency's own records in the columns 'safeharbor encode' reads (through the engine,
consent-filtered for a VAWA-covered agency, audited, formula cells neutralised), encodes
them with the shared key on the agency's computer and uploads the encodings."""

from __future__ import annotations

import csv
import datetime
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from safeharbor.audit.models import AuditEvent
from safeharbor.linkage.pprl import encode_command, services
from safeharbor.linkage.pprl.encoding import key_fingerprint
from safeharbor.linkage.pprl.models import EncodingUpload
from safeharbor.linkage.pprl.selectors import EXPORT_COLUMNS
from safeharbor.survivors.services import person_create
from tests import factories

from .helpers import KEY, write_key

pytestmark = pytest.mark.django_db
EXPORT = "/staff/linkage/private/export/"


def _person(agency, given, family, **values):
    return person_create(
        membership=None,
        agency=agency,
        values={"given_name": given, "family_name": family, **values},
    )


def _download(client) -> tuple[str, list[dict[str, str]]]:
    response = client.get(f"{EXPORT}records.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return body, list(csv.DictReader(io.StringIO(body)))


@pytest.fixture
def agencies():
    return {
        "city": factories.AgencyFactory(name="City Program Office", slug="city"),
        "dhs": factories.AgencyFactory(name="Child Welfare", slug="child-welfare"),
        "shelter": factories.AgencyFactory(
            name="Harbor Light Services", slug="harbor-light", vawa_covered=True
        ),
    }


def test_a_platform_agency_exports_encodes_offline_and_uploads(tmp_path, agencies, staff_client):
    dob = datetime.date(2008, 3, 14)
    kate = _person(
        agencies["dhs"],
        "Katherine",
        "Orlowen",
        dob=dob,
        sex="F",
        aliases=["Kat Orlo", "Star"],
        phones=["503-555-0101", "971-555-0142"],
        city="Portland",
        postcode="97214",
    )
    _person(agencies["dhs"], "=HYPERLINK(1)", "Tenfeld")
    _person(agencies["shelter"], "Ximena", "Brakvold")  # another agency's: never exported
    coordinator = factories.membership(factories.UserFactory(), agencies["city"], "coordinator")
    round_ = services.round_create(
        membership=coordinator,
        title="Young people, 2026",
        key_fingerprint=key_fingerprint(KEY.encode()),
        invited=[agencies["dhs"], agencies["shelter"]],
    )
    client, _user = staff_client("supervisor", agency=agencies["dhs"])
    assert "download them for encoding" in client.get("/staff/linkage/private/").content.decode()
    page = client.get(EXPORT).content.decode()
    assert "--vawa" not in page and "safeharbor encode child-welfare-records" in page

    body, rows = _download(client)
    assert list(rows[0]) == EXPORT_COLUMNS  # no consent column for an agency not under VAWA
    assert {r["family_name"] for r in rows} == {"Orlowen", "Tenfeld"}
    assert "Brakvold" not in body
    row = next(r for r in rows if r["family_name"] == "Orlowen")
    assert row["record_id"] == kate.reference
    assert row["alias"] == "Kat Orlo;Star" and row["phone"] == "503-555-0101;971-555-0142"
    assert row["dob"] == "2008-03-14" and row["sex"] == "F" and row["postcode"] == "97214"
    # A cell a spreadsheet would run as a formula is made inert.
    assert "'=HYPERLINK(1)" in {r["given_name"] for r in rows}
    event = AuditEvent.objects.get(action="export", object_type="survivors.person")
    assert event.object_id == "2" and "given_name" in event.fields
    assert "Orlowen" not in str(event.reason) + str(event.fields)

    # Offline: the agency encodes the file with the shared key, then uploads the encodings.
    exported = tmp_path / "child-welfare-records-for-encoding.csv"
    exported.write_text(body, encoding="utf-8")
    out = tmp_path / "encodings.json"
    status = encode_command.main(
        [str(exported), "--key-file", str(write_key(tmp_path / "k.key")), "--out", str(out)]
    )
    assert status == 0
    uploaded = client.post(
        f"/staff/linkage/private/{round_.pk}/upload/",
        {"file": SimpleUploadedFile("encodings.json", out.read_bytes())},
    )
    assert uploaded.status_code == 302
    assert EncodingUpload.objects.get(agency=agencies["dhs"]).records == 2


def test_a_vawa_agency_exports_names_only_of_people_whose_consent_covers_it(
    tmp_path, agencies, staff_client
):
    from safeharbor.survivors.choices import ConsentPurpose, DataCategory
    from safeharbor.survivors.models import Consent

    consented = _person(agencies["shelter"], "Marisol", "Tenfeldt")
    without = _person(agencies["shelter"], "Dario", "Quillen")
    expired = _person(agencies["shelter"], "Wren", "Halvorsk")
    today = timezone.localdate()
    for person, expires in ((consented, 300), (expired, -1)):
        Consent.objects.create(
            person=person,
            agency=agencies["shelter"],
            categories=[DataCategory.STATISTICAL],
            purpose=ConsentPurpose.STATISTICS,
            signed_on=today - datetime.timedelta(days=30),
            expires_on=today + datetime.timedelta(days=expires),
        )
    client, _user = staff_client("supervisor", agency=agencies["shelter"])
    assert "--vawa" in client.get(EXPORT).content.decode()
    body, rows = _download(client)
    assert list(rows[0]) == [*EXPORT_COLUMNS, "consent"]
    by_id = {r["record_id"]: r for r in rows}
    assert by_id[consented.reference]["family_name"] == "Tenfeldt"
    assert by_id[consented.reference]["consent"] == "yes"
    for person in (without, expired):
        assert set(by_id[person.reference].values()) == {person.reference, "", "no"}
    for name in ("Dario", "Quillen", "Wren", "Halvorsk"):
        assert name not in body
    exported = tmp_path / "records.csv"
    exported.write_text(body, encoding="utf-8")
    assert (
        encode_command.main(
            [
                str(exported),
                "--key-file",
                str(write_key(tmp_path / "k.key")),
                "--out",
                str(tmp_path / "e.json"),
                "--vawa",
            ]
        )
        == 0
    )
    document = json.loads((tmp_path / "e.json").read_text())
    assert (document["records"], document["totals_only"]) == (1, 2)


@pytest.mark.parametrize("role", ["caseworker", "admin", "analyst"])
def test_only_roles_that_upload_and_read_records_may_export(role, agencies, staff_client):
    _person(agencies["dhs"], "Katherine", "Orlowen")
    client, _user = staff_client(role, agency=agencies["dhs"])
    assert client.get(EXPORT).status_code == 403
    assert client.get(f"{EXPORT}records.csv").status_code == 403
    assert not AuditEvent.objects.filter(action="export").exists()
    assert (
        "download them for encoding" not in client.get("/staff/linkage/private/").content.decode()
    )
