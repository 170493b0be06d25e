"""Hostile input to every importer, to uploads and to CSV exports.

* Importers — survivors CSV (``safeharbor import survivors``, the page and the API share the
  parser and service) and legislation bill JSON (``safeharbor import_bills``): arbitrary
  text, wrong encodings, huge fields, formulas and HTML in cells never crash them; a bad file
  writes nothing; what a good file stores comes back exactly (no cell is executed or
  "cleaned" on the way in).
* Uploads (``core.files``): over the size limit, empty, or not of the kind's types
  (HTML, SVG, scripts, executables, a PDF name on other bytes) are refused and nothing is
  stored; a hostile original name (path traversal, control characters, HTML) never reaches
  the storage path or the download's file name.
* CSV exports: every CSV the platform writes for a download goes through
  ``core.csv_export`` or applies its rule; a formula-like value stored by a user comes out
  of the audit export inert, and so do formula-like ids and sources in the clusters files of
  ``link-file`` and ``link-encodings``. (Each area's download views: ``test_csv_downloads.py``.)
"""

from __future__ import annotations

import ast
import csv
import io
import json
from pathlib import Path

import pytest
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeharbor.core import csv_export
from safeharbor.core.files import FILE_KINDS, MB, EncryptedFile, store_encrypted_upload
from safeharbor.legislation import importer as bills
from safeharbor.survivors.importer import COLUMNS, MAX_LENGTH, parse_survivor_csv
from safeharbor.survivors.models import Person
from safeharbor.survivors.services import survivors_import
from tests import factories

SRC = Path(__file__).resolve().parents[2] / "src" / "safeharbor"
HOSTILE = [
    '=HYPERLINK("http://example.invalid","x")',
    "+SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1)",
    "\t=1+1",
    "\r=1+1",
    "\uff1d1+1",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "../../../etc/passwd",
    "Robert'); DROP TABLE survivors_person;--",
    "\u202e\u0000nul",
    "A" * 5000,
]
cell_text = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=300))


# Survivors CSV importer ---------------------------------------------------------------------


def _csv(rows: list[list[str]], header: tuple[str, ...] = COLUMNS) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=2000))
def test_survivor_csv_parser_takes_any_text_without_crashing(text):
    result = parse_survivor_csv(text)
    assert isinstance(result.rows, list) and isinstance(result.errors, list)
    if not text.strip():
        assert not result.rows


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(cell_text, min_size=len(COLUMNS), max_size=len(COLUMNS)), max_size=6))
def test_survivor_csv_rows_are_either_refused_with_a_reason_or_kept_within_limits(rows):
    result = parse_survivor_csv(_csv(rows))
    for error in result.errors:
        assert error.line >= 1 and str(error.reason)
    for row in result.rows:
        for column, limit in MAX_LENGTH.items():
            value = getattr(row, column, None)
            if isinstance(value, str):
                assert len(value) <= limit, column
    # Every line is accounted for: a row either parsed or has at least one error.
    bad_lines = {e.line for e in result.errors}
    assert len(result.rows) + len(bad_lines - {1}) >= len(rows) or not rows


@pytest.mark.django_db
def test_survivor_import_stores_formulas_and_html_verbatim_and_a_bad_file_writes_nothing():
    agency = factories.AgencyFactory()
    good = _csv(
        [
            ["ext-1", '=HYPERLINK("x")', "<b>Family</b>", "@alias", "2001-02-03", "F", *[""] * 6],
            ["ext-2", "+cmd", "-minus", "", "", "U", "", "", "", "", "", ""],
        ]
    )
    outcome = survivors_import(membership=None, agency=agency, stream=good)
    assert outcome.ok and outcome.created == 2
    person = Person.objects.get(agency=agency, source_record_id="ext-1")
    assert person.given_name == '=HYPERLINK("x")'  # stored as given, shown escaped
    assert person.family_name == "<b>Family</b>"
    assert person.aliases == ["@alias"]
    huge = _csv([["ext-3", "A" * 10_000, "", "", "", "", "", "", "", "", "", ""]])
    outcome = survivors_import(membership=None, agency=agency, stream=huge)
    assert not outcome.ok and any(e.column == "given_name" for e in outcome.errors)
    assert Person.objects.filter(agency=agency).count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    "raw",
    [
        "record_id,given_name\nä-1,Zoë\n".encode("latin-1"),  # not UTF-8
        "record_id,given_name\nx-1,Ana\n".encode("utf-16"),
        b"\x00\x01\x02\xff\xfe binary",
    ],
    ids=["latin-1", "utf-16", "binary"],
)
def test_survivor_import_command_refuses_wrong_encodings_and_writes_nothing(tmp_path, raw):
    agency = factories.AgencyFactory()
    path = tmp_path / "people.csv"
    path.write_bytes(raw)
    with pytest.raises(CommandError):
        call_command("import", "survivors", str(path), agency=agency.slug, stdout=io.StringIO())
    assert not Person.objects.filter(agency=agency).exists()


@pytest.mark.django_db
def test_survivor_import_page_escapes_hostile_cells_in_its_error_report(staff_client):
    agency = factories.AgencyFactory()
    client, _user = staff_client("supervisor", agency=agency)
    payload = _csv([["<script>alert(1)</script>", "x" * 200, "", "", "not-a-date"] + [""] * 7])
    upload = SimpleUploadedFile("../../people.csv", payload.encode(), content_type="text/csv")
    response = client.post("/staff/survivors/import/", {"file": upload})
    assert response.status_code in {200, 302, 400}
    assert b"<script>alert(1)</script>" not in response.content
    assert not Person.objects.filter(agency=agency).exists()


# Legislation bill importer ------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | cell_text,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    *["identifier", "title", "session", "jurisdiction", "actions"],
                    *["sponsorships", "versions", "classification", "date", "description"],
                    *["results", "name", "x"],
                ]
            ),
            children,
            max_size=6,
        )
    ),
    max_leaves=25,
)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.binary(max_size=500), json_values.map(lambda v: json.dumps(v).encode())))
def test_bill_importer_refuses_any_malformed_file_with_a_reason(raw):
    try:
        parsed = bills.check_file(raw, default_jurisdiction="ocd-jurisdiction/country:us")
    except bills.ImportRefused as refused:
        assert refused.field and str(refused.reason)
    else:
        assert isinstance(parsed, list)


@pytest.mark.django_db
def test_bill_import_command_refuses_wrong_encodings_and_writes_nothing(tmp_path):
    from safeharbor.legislation.models import Bill

    before = Bill.objects.count()
    for index, raw in enumerate(
        [
            '{"identifier": "HB 1", "title": "Zoë"}'.encode("utf-16"),
            '[{"identifier": "=cmd", "title": "\u00e9"}]'.encode("latin-1"),
            b"\xff\xfe\x00garbage",
        ]
    ):
        path = tmp_path / f"bills-{index}.json"
        path.write_bytes(raw)
        with pytest.raises(CommandError, match="Nothing imported"):
            call_command("import_bills", str(path), stdout=io.StringIO())
    assert Bill.objects.count() == before


# Uploads --------------------------------------------------------------------------------------

PDF = b"%PDF-1.4\n%synthetic\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NOT_ALLOWED = {
    "html": b"<!DOCTYPE html><html><script>alert(1)</script></html>",
    "svg": b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    "script": b"#!/bin/sh\nrm -rf /\n",
    "exe": b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00",
    "zip": b"PK\x03\x04\x14\x00\x00\x00\x08\x00",
    "text": b"just some text that claims to be a pdf",
}


@pytest.mark.django_db
@pytest.mark.parametrize("kind", sorted(NOT_ALLOWED))
def test_uploads_of_a_type_the_kind_does_not_take_are_refused(kind):
    upload = SimpleUploadedFile("consent.pdf", NOT_ALLOWED[kind], content_type="application/pdf")
    with pytest.raises(ValidationError, match="cannot be uploaded"):
        store_encrypted_upload(upload, kind="consent_form")
    assert not EncryptedFile.objects.exists()


@pytest.mark.django_db
def test_uploads_over_the_limit_or_empty_are_refused_and_nothing_is_stored():
    limit = FILE_KINDS["document"].max_bytes
    assert limit == 10 * MB
    too_big = SimpleUploadedFile("big.pdf", PDF + b"0" * (limit - len(PDF) + 1))
    with pytest.raises(ValidationError, match="too large"):
        store_encrypted_upload(too_big, kind="document")

    class Lying(SimpleUploadedFile):
        """Claims a small size but streams more than the limit."""

    liar = Lying("small.pdf", PDF + b"0" * (limit + 10))
    liar.size = 100
    with pytest.raises(ValidationError, match="too large"):
        store_encrypted_upload(liar, kind="document")
    with pytest.raises(ValidationError, match="empty"):
        store_encrypted_upload(SimpleUploadedFile("empty.pdf", b""), kind="document")
    assert not EncryptedFile.objects.exists()
    exactly = SimpleUploadedFile("edge.pdf", PDF + b"0" * (limit - len(PDF)))
    assert store_encrypted_upload(exactly, kind="document").size == limit


upload_names = st.one_of(
    st.sampled_from(
        [
            "../../../etc/passwd",
            "..\\..\\windows\\system32\\config",
            "/absolute/path.pdf",
            "name\x00.pdf",
            'quote".pdf; filename="evil.exe',
            "<img src=x onerror=alert(1)>.pdf",
            "\r\nSet-Cookie: x=1",
            "%2e%2e%2fsecret.pdf",
            "A" * 1000 + ".pdf",
        ]
    ),
    st.text(min_size=1, max_size=300),
)


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=upload_names)
def test_hostile_upload_names_never_reach_the_storage_path_or_the_download_name(name):
    upload = SimpleUploadedFile("placeholder.pdf", PDF)
    try:
        upload.name = name  # Django keeps only the last path part; the service must not rely on it
    except SuspiciousFileOperation:
        return  # a name with no file part ("/", ".."): Django refuses it before any service
    stored = store_encrypted_upload(upload, kind="document")
    assert stored.storage_name.startswith("encrypted/")
    assert set(stored.storage_name.removeprefix("encrypted/")) <= set("0123456789abcdef")
    assert stored.original_name == (upload.name or "")[:255]  # kept encrypted, never a path


def test_the_download_name_is_built_from_the_kind_and_id_only():
    source = (SRC / "core" / "views.py").read_text()
    tree = ast.parse(source)
    download = next(
        n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == "encrypted_file"
    )
    body = ast.get_source_segment(source, download) or ""
    assert 'filename="{file.kind}-{file.pk}.{file.extension}"' in body
    assert "original_name" not in body


# CSV exports ----------------------------------------------------------------------------------

# Writers of CSV files that are not downloads of users' data, and why.
NOT_DOWNLOADS = {
    "core/csv_export.py": "the shared writer itself",
    "core/management/commands/demo_accounts.py": "prints the demo's sign-in table",
    "linkage/synthetic.py": "writes invented benchmark records",
}


def _csv_writers() -> dict[str, str]:
    found = {}
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if "csv.writer" in text or "csv.DictWriter" in text:
            found[str(path.relative_to(SRC))] = text
    return found


def test_every_csv_download_goes_through_the_shared_neutralising_writer():
    unsafe = []
    for relative, text in sorted(_csv_writers().items()):
        if relative in NOT_DOWNLOADS:
            continue
        if "neutralise" not in text:
            unsafe.append(relative)
    assert not unsafe, (
        "These modules write CSV without core.csv_export (csv_response/write_csv/neutralise): "
        + ", ".join(unsafe)
    )
    views_with_csv = [
        str(p.relative_to(SRC))
        for p in SRC.rglob("*views*.py")
        if "text/csv" in p.read_text(encoding="utf-8") or "csv_response" in p.read_text()
    ]
    assert views_with_csv, "no CSV export view found: the scan is broken"


@pytest.mark.django_db
@pytest.mark.parametrize("hostile", HOSTILE[:7], ids=[repr(h[:6]) for h in HOSTILE[:7]])
def test_audit_csv_export_neutralises_formula_cells(staff_client, hostile):
    from safeharbor.audit.services import audit_record

    client, user = staff_client("auditor")
    audit_record(action="view", actor=user, object_type="demo.thing", object_id=1, reason=hostile)
    response = client.get("/staff/audit/export.csv")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    cells = [cell for row in csv.reader(io.StringIO(body)) for cell in row]
    assert cells, body[:200]
    for cell in cells:
        assert not cell.startswith(csv_export.FORMULA_STARTS), cell
    assert any(cell == "'" + hostile[:60] or cell.startswith("'" + hostile[:5]) for cell in cells)


def _cluster_cells(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["record_id", "source", "cluster_id"]
    return rows[1:]


def test_link_file_output_neutralises_formula_ids_and_sources(tmp_path):
    """record_id and source come from the agencies' files; the clusters file is opened in a
    spreadsheet. A quote in a source name must not break the SQL the pipeline builds."""
    from safeharbor.linkage import filemode
    from tests.linkage.test_pipeline import ROWS, write_rows

    # (An id with a carriage return is refused by the reader with a clear error instead.)
    hostile_ids = [h for h in HOSTILE[:7] if "\r" not in h] + [f"x{i}" for i in range(7)]
    sources = ["=cmd|' /C calc'!A0", "o'brien'); drop table t; --", "+police", "@dhs"]
    rows = [(hostile_ids[i], sources[i % len(sources)], *row[2:]) for i, row in enumerate(ROWS)]
    source = write_rows(tmp_path / "people.csv", rows)
    out = tmp_path / "clusters.csv"
    assert filemode.main([str(source), "--out", str(out), "--quiet"]) == 0
    cells = _cluster_cells(out)
    assert len(cells) == len(rows)
    for record_id, source_name, cluster in cells:
        assert not record_id.startswith(csv_export.FORMULA_STARTS), record_id
        assert not source_name.startswith(csv_export.FORMULA_STARTS), source_name
        assert cluster.isdigit()
    written = {(r, s) for r, s, _ in cells}
    for record_id, source_name, *_ in rows:
        assert (csv_export.neutralise(record_id), csv_export.neutralise(source_name)) in written


def test_link_encodings_output_neutralises_formula_ids(tmp_path):
    """The encodings format allows ids such as ``-2-3``, which a spreadsheet computes."""
    from safeharbor.linkage.pprl import encode_command, link_command
    from tests.pprl.helpers import AGENCY_A, AGENCY_B, write_key, write_rows

    key = write_key(tmp_path / "shared.key")
    documents = []
    for name, people in (("a", AGENCY_A), ("b", AGENCY_B)):
        rows = [(f"-{i}-{name}", *row[1:]) for i, row in enumerate(people)]
        source = write_rows(tmp_path / f"{name}.csv", rows)
        out = tmp_path / f"{name}.json"
        args = [str(source), "--key-file", str(key), "--out", str(out), "--source", name]
        assert encode_command.main(args) == 0
        documents.append(str(out))
    out = tmp_path / "clusters.csv"
    assert link_command.main([*documents, "--out", str(out)]) == 0
    cells = _cluster_cells(out)
    assert cells and all(r.startswith("'-") for r, _, _ in cells), cells
    assert not any(c.startswith(csv_export.FORMULA_STARTS) for row in cells for c in row)


# Text fields shown back on pages ---------------------------------------------------------------

HTML_NAMES = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "</title><svg onload=x>",
]


@pytest.mark.django_db
@pytest.mark.parametrize("hostile", HTML_NAMES, ids=["script", "attribute", "svg"])
def test_html_typed_into_a_person_record_is_shown_escaped(staff_client, hostile):
    agency = factories.AgencyFactory()
    client, _user = staff_client("supervisor", agency=agency)
    response = client.post(
        "/staff/survivors/people/new/",
        {"given_name": hostile, "family_name": "=cmd|' /C calc'!A0", "sex": "U"},
    )
    assert response.status_code == 302, response.content[:500]
    person = Person.objects.get(agency=agency)
    assert person.given_name == hostile  # stored as typed
    for url in (f"/staff/survivors/people/{person.pk}/", f"/staff/survivors/?q={person.reference}"):
        page = client.get(url).content.decode()
        assert hostile not in page, url
        assert "&lt;" in page
