"""Key rotation (every encrypted column and file, batches, progress, safe to interrupt),
key checks against the database, and encrypted uploads served through the permission engine."""

from __future__ import annotations

import base64
import io
from unittest import mock

import pytest
from django.core import checks
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from safeharbor.audit.models import AuditEvent
from safeharbor.core import crypto, keys
from safeharbor.core.files import (
    EncryptedFile,
    encrypted_file_attach,
    read_encrypted_file,
    store_encrypted_upload,
)
from safeharbor.core.keys import KeyCanary
from safeharbor.core.testing.models import Specimen
from tests import factories

pytestmark = pytest.mark.django_db

OLD = "old:" + base64.b64encode(b"O" * 32).decode()
NEW = "new:" + base64.b64encode(b"N" * 32).decode()
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"synthetic consent form " * 10


def raw_key_ids(model, column) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column} FROM {model._meta.db_table} WHERE {column} IS NOT NULL"  # noqa: S608
        )
        return [crypto.key_id_of_text(v) for (v,) in cursor.fetchall()]


def test_rotate_re_encrypts_every_value_in_batches_and_can_be_resumed():
    agency = factories.AgencyFactory()
    with override_settings(ENCRYPTION_KEYS=OLD):
        records = [
            Specimen.objects.create(agency=agency, name=f"Synthetic {i}", aliases=[f"A{i}"])
            for i in range(7)
        ]
        upload = store_encrypted_upload(SimpleUploadedFile("x.png", PNG), kind="property_photo")
    with override_settings(ENCRYPTION_KEYS=f"{NEW},{OLD}"):
        # Interrupted half-way: what finished is saved, the rest is left for the next run.
        real = keys.rotate_column

        def interrupted(model, fld, **kwargs):
            if model is Specimen and fld.name == "name":
                raise KeyboardInterrupt
            return real(model, fld, **kwargs)

        with mock.patch.object(keys, "rotate_column", interrupted), pytest.raises(SystemExit):
            call_command(
                "keys", "rotate", "--batch-size", "3", stdout=io.StringIO(), stderr=io.StringIO()
            )
        assert set(raw_key_ids(Specimen, "aliases")) == {"new"}  # finished before the stop
        assert set(raw_key_ids(Specimen, "name")) == {"old"}  # not reached
        assert [s.name for s in Specimen.objects.order_by("id")] == [r.name for r in records]

        out = io.StringIO()
        call_command("keys", "rotate", "--batch-size", "3", stdout=out)
        text = out.getvalue()
        assert "[" in text and "100.0%" in text  # the progress bar reached the end
        assert "re-encrypted" in text
        assert set(raw_key_ids(Specimen, "name")) == {"new"}
        assert set(raw_key_ids(Specimen, "aliases")) == {"new"}
        assert set(raw_key_ids(EncryptedFile, "original_name")) == {"new"}
        upload.refresh_from_db()
        assert upload.key_id == "new"
        assert read_encrypted_file(upload) == PNG
        assert [s.name for s in Specimen.objects.order_by("id")] == [r.name for r in records]
        assert AuditEvent.objects.filter(action="key_rotation", actor_kind="system").exists()
        # Running again finds nothing to do.
        out = io.StringIO()
        call_command("keys", "rotate", stdout=out)
        assert ", 0 re-encrypted, 0 files" in out.getvalue()
        assert "can be removed" in out.getvalue()
        assert list(KeyCanary.objects.values_list("key_id", flat=True)) == ["new"]
    # The old key is gone from the ring and everything still reads.
    with override_settings(ENCRYPTION_KEYS=NEW):
        assert Specimen.objects.filter(pk=records[0].pk).get().name == "Synthetic 0"
        assert keys.key_problems() == []


def test_rotation_covers_every_encrypted_field_class_including_core_models():
    labels = {f"{m._meta.label_lower}.{f.name}" for m, f in keys._targets()}
    assert {
        "core.breakglassaccess.reason",
        "core.breakglassaccess.review_note",
        "core.encryptedfile.original_name",
        "core_testing.specimen.name",
        "core_testing.specimennote.text",
    } <= labels


def test_status_shows_values_per_key():
    Specimen.objects.create(agency=factories.AgencyFactory(), name="Synthetic")
    out = io.StringIO()
    call_command("keys", "status", stdout=out)
    assert "core_testing.specimen.name: t2=1" in out.getvalue()


def test_generate_prints_a_usable_ring_entry():
    out = io.StringIO()
    call_command("keys", "generate", "k9", stdout=out)
    entry = out.getvalue().strip()
    assert entry.startswith("k9:")
    assert crypto.parse_key_ring(entry).current_id == "k9"


def test_a_wrong_key_for_this_database_stops_start_up():
    keys.ensure_canary()
    assert KeyCanary.objects.filter(key_id="t2").exists()
    wrong = "t2:" + base64.b64encode(b"W" * 32).decode()
    with override_settings(ENCRYPTION_KEYS=wrong):
        errors = checks.run_checks(tags=[checks.Tags.database], databases=["default"])
        assert [e.id for e in errors] == ["safeharbor.E003"]
        assert "is not the key this database was encrypted with" in errors[0].msg
        with pytest.raises(CommandError):
            call_command("keys", "rotate", stdout=io.StringIO())
        from django.core.exceptions import ImproperlyConfigured

        from safeharbor.core.checks import require_keys_match_database

        with pytest.raises(ImproperlyConfigured, match="'t2'"):
            require_keys_match_database()
    assert checks.run_checks(tags=[checks.Tags.database], databases=["default"]) == []


def test_removing_a_key_that_still_has_data_is_reported():
    keys.ensure_canary()
    with override_settings(ENCRYPTION_KEYS=NEW):
        problems = keys.key_problems()
    assert any("'t2', which is not in" in p for p in problems)


# Files ----------------------------------------------------------------------------------------


def test_upload_is_stored_only_as_ciphertext_and_reads_back():
    record = store_encrypted_upload(
        SimpleUploadedFile("signed-consent.pdf", PDF, content_type="application/pdf"),
        kind="consent_form",
    )
    with default_storage.open(record.storage_name, "rb") as handle:
        stored = handle.read()
    assert b"synthetic consent form" not in stored
    assert stored.startswith(b"SHE1")
    assert read_encrypted_file(record) == PDF
    assert record.content_type == "application/pdf" and record.size == len(PDF)
    assert EncryptedFile.objects.get(pk=record.pk).original_name == "signed-consent.pdf"


def test_uploads_are_checked_by_real_type_and_size():
    with pytest.raises(ValidationError, match="Allowed: PDF, PNG, JPEG"):
        store_encrypted_upload(
            SimpleUploadedFile("consent.pdf", b"MZ\x90\x00 not a pdf", "application/pdf"),
            kind="consent_form",
        )
    with pytest.raises(ValidationError, match="empty"):
        store_encrypted_upload(SimpleUploadedFile("e.pdf", b""), kind="consent_form")
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024))
    with pytest.raises(ValidationError, match="too large"):
        store_encrypted_upload(big, kind="consent_form")
    assert not EncryptedFile.objects.exists()


def test_stored_files_cannot_be_swapped():
    a = store_encrypted_upload(SimpleUploadedFile("a.png", PNG), kind="property_photo")
    b = store_encrypted_upload(SimpleUploadedFile("b.png", PNG + b"b"), kind="property_photo")
    EncryptedFile.objects.filter(pk=a.pk).update(storage_name=b.storage_name + "-x")
    a.storage_name = b.storage_name
    with pytest.raises(crypto.DecryptionError):
        read_encrypted_file(a)


def test_files_are_served_only_through_the_permission_engine(staff_client):
    agency = factories.AgencyFactory()
    client, _ = staff_client("supervisor", agency=agency)
    role = factories.role("supervisor")
    role.permissions = [*role.permissions, "core_testing.*"]
    role.save()
    own = Specimen.objects.create(agency=agency, name="Synthetic")
    other = Specimen.objects.create(agency=factories.AgencyFactory(), name="Synthetic")
    mine = store_encrypted_upload(SimpleUploadedFile("c.pdf", PDF), kind="consent_form")
    encrypted_file_attach(file=mine, owner=own)
    theirs = store_encrypted_upload(SimpleUploadedFile("c.pdf", PDF), kind="consent_form")
    encrypted_file_attach(file=theirs, owner=other)
    loose = store_encrypted_upload(SimpleUploadedFile("c.pdf", PDF), kind="consent_form")

    response = client.get(f"/staff/files/{mine.key}/")
    assert response.status_code == 200
    assert response.content == PDF
    assert response["Content-Type"] == "application/pdf"
    assert "c.pdf" not in response["Content-Disposition"]
    assert AuditEvent.objects.filter(action="view", object_id=str(own.pk)).exists()
    assert client.get(f"/staff/files/{theirs.key}/").status_code == 403
    assert client.get(f"/staff/files/{loose.key}/").status_code == 404

    other_client, _ = staff_client("auditor", agency=agency)
    assert other_client.get(f"/staff/files/{mine.key}/").status_code == 403
