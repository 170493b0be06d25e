"""Encrypted identity fields: round trips, the key ring, clear errors, no plaintext stored."""

from __future__ import annotations

import base64
import datetime
import io

import pytest
from django.core import checks
from django.core.exceptions import FieldError
from django.db import connection
from django.test import override_settings

from safeharbor.core import crypto
from safeharbor.core.fields import EncryptedTextField, encrypted_fields
from safeharbor.core.testing.models import Specimen
from tests.factories import AgencyFactory

KEY_A = base64.b64encode(b"A" * 32).decode()
KEY_B = base64.b64encode(b"B" * 32).decode()
KEY_C = base64.b64encode(b"C" * 32).decode()


def raw_column(obj, column: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column} FROM {obj._meta.db_table} WHERE id = %s",  # noqa: S608
            [obj.pk],
        )
        return cursor.fetchone()[0]


def test_bytes_round_trip_names_the_newest_key():
    with override_settings(ENCRYPTION_KEYS=f"new:{KEY_B},old:{KEY_A}"):
        blob = crypto.encrypt_bytes(b"consent form")
        assert crypto.key_id_of_bytes(blob) == "new"
        assert b"consent form" not in blob
        assert crypto.decrypt_bytes(blob) == b"consent form"


def test_same_plaintext_encrypts_differently_each_time():
    assert crypto.encrypt_text("Jordan") != crypto.encrypt_text("Jordan")


def test_old_key_still_reads_after_a_new_key_is_added_first():
    with override_settings(ENCRYPTION_KEYS=f"old:{KEY_A}"):
        token = crypto.encrypt_text("Riley Example")
    with override_settings(ENCRYPTION_KEYS=f"new:{KEY_B},old:{KEY_A}"):
        assert crypto.decrypt_text(token) == "Riley Example"
        assert crypto.key_id_of_text(crypto.encrypt_text("x")) == "new"


def test_value_under_a_key_missing_from_the_ring_fails_clearly():
    with override_settings(ENCRYPTION_KEYS=f"old:{KEY_A}"):
        token = crypto.encrypt_text("Riley Example")
    with (
        override_settings(ENCRYPTION_KEYS=f"new:{KEY_B}"),
        pytest.raises(crypto.DecryptionError, match="key 'old', which is not in"),
    ):
        crypto.decrypt_text(token)


def test_wrong_key_bytes_under_the_same_id_fail_clearly():
    with override_settings(ENCRYPTION_KEYS=f"k1:{KEY_A}"):
        token = crypto.encrypt_text("Riley Example")
    with (
        override_settings(ENCRYPTION_KEYS=f"k1:{KEY_C}"),
        pytest.raises(crypto.DecryptionError, match="is not the one it was encrypted with"),
    ):
        crypto.decrypt_text(token)


def test_tampered_ciphertext_is_refused():
    token = crypto.encrypt_text("Riley Example")
    tampered = token[:-3] + ("A" if token[-3] != "A" else "B") + token[-2:]
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt_text(tampered)


@pytest.mark.parametrize(
    ("ring", "message"),
    [
        ("", "is not set"),
        ("k1", "must look like 'keyid:base64key'"),
        ("k1:not base64!", "not valid base64"),
        (f"k1:{base64.b64encode(b'short').decode()}", "AES-256 needs exactly 32"),
        (f"k1:{KEY_A},k1:{KEY_B}", "appears twice"),
    ],
)
def test_missing_or_malformed_ring_stops_start_up(ring, message):
    with override_settings(ENCRYPTION_KEYS=ring):
        with pytest.raises(crypto.KeyRingError, match=message):
            crypto.get_key_ring()
        errors = checks.run_checks(tags=[checks.Tags.security])
        ids = [e.id for e in errors]
        assert "safeharbor.E001" in ids
        assert any(message in e.msg for e in errors)


def test_missing_blind_index_key_stops_start_up():
    with override_settings(BLIND_INDEX_KEY=""):
        errors = checks.run_checks(tags=[checks.Tags.security])
    assert "safeharbor.E002" in [e.id for e in errors]


def test_the_check_command_fails_without_keys():
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    with override_settings(ENCRYPTION_KEYS=""), pytest.raises(SystemCheckError):
        call_command("check", stdout=io.StringIO(), stderr=io.StringIO())


@pytest.mark.django_db
def test_fields_round_trip_and_the_column_holds_only_ciphertext():
    agency = AgencyFactory()
    specimen = Specimen.objects.create(
        agency=agency,
        name="Katy Smith",
        date_of_birth=datetime.date(2009, 4, 17),
        aliases=["KS", "Kat"],
        phone="503-555-0147",
    )
    fresh = Specimen.objects.get(pk=specimen.pk)
    assert fresh.name == "Katy Smith"
    assert fresh.date_of_birth == datetime.date(2009, 4, 17)
    assert fresh.aliases == ["KS", "Kat"]
    assert fresh.phone == "503-555-0147"
    for column, plain in [
        ("name", "Katy Smith"),
        ("date_of_birth", "2009-04-17"),
        ("aliases", "Kat"),
        ("phone", "555-0147"),
    ]:
        raw = raw_column(specimen, column)
        assert raw.startswith("e1:t2:"), raw
        assert plain not in raw


@pytest.mark.django_db
def test_null_and_date_strings_are_handled():
    agency = AgencyFactory()
    specimen = Specimen.objects.create(agency=agency, name="A", date_of_birth="2010-01-02")
    assert Specimen.objects.get(pk=specimen.pk).date_of_birth == datetime.date(2010, 1, 2)
    Specimen.objects.filter(pk=specimen.pk).update(date_of_birth=None)
    assert Specimen.objects.get(pk=specimen.pk).date_of_birth is None
    assert Specimen.objects.filter(date_of_birth__isnull=True).count() == 1


@pytest.mark.django_db
def test_filtering_on_an_encrypted_column_is_refused():
    with pytest.raises(FieldError, match="Unsupported lookup"):
        list(Specimen.objects.filter(name="Katy Smith"))
    with pytest.raises(FieldError):
        list(Specimen.objects.filter(name__icontains="katy"))


@pytest.mark.django_db
def test_reading_with_a_wrong_key_raises_a_clear_error():
    agency = AgencyFactory()
    with override_settings(ENCRYPTION_KEYS=f"k1:{KEY_A}"):
        specimen = Specimen.objects.create(agency=agency, name="Riley Example")
    with (
        override_settings(ENCRYPTION_KEYS=f"k1:{KEY_C}"),
        pytest.raises(crypto.DecryptionError, match="key 'k1'"),
    ):
        Specimen.objects.get(pk=specimen.pk)


def test_an_encrypted_field_cannot_be_unique_or_indexed():
    with pytest.raises(TypeError, match="blind index"):
        EncryptedTextField(unique=True)


def test_every_encrypted_field_is_discovered_through_the_field_classes():
    found = {(m._meta.label_lower, f.name) for m, f in encrypted_fields()}
    assert {
        ("core_testing.specimen", "name"),
        ("core_testing.specimen", "date_of_birth"),
        ("core_testing.specimen", "aliases"),
        ("core_testing.specimen", "phone"),
    } <= found


def test_form_fields_match_the_plain_type():
    from django import forms

    assert isinstance(Specimen._meta.get_field("date_of_birth").formfield(), forms.DateField)
    assert isinstance(Specimen._meta.get_field("name").formfield(), forms.CharField)
    assert Specimen._meta.get_field("name").formfield().max_length == 200
