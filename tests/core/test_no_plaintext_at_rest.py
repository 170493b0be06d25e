"""The database as stored on disk (the raw SQLite file, a pg_dump of PostgreSQL) holds no
plaintext of an encrypted value; the unencrypted control column shows the search would find it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap

import pytest
from django.db import connection

from safeharbor.core.testing.models import Specimen
from tests.factories import AgencyFactory

SECRET_NAME = "Quinnelle Zarathustra-Okafor"
SECRET_ALIAS = "Zephyrine Vantablack"
SECRET_PHONE = "971-555-0199"
SECRET_DOB = "2008-11-23"
CONTROL = "control-marker-visible-in-plain-column"


def _assert_no_plaintext(blob: bytes) -> None:
    assert CONTROL.encode() in blob, "the control value should be stored in plain text"
    for secret in (SECRET_NAME, "Quinnelle", "Zarathustra", SECRET_ALIAS, SECRET_PHONE, SECRET_DOB):
        for encoding in ("utf-8", "utf-16-le"):
            assert secret.encode(encoding) not in blob, f"{secret!r} found in plain text"
            assert secret.lower().encode(encoding) not in blob.lower()


SCRIPT = textwrap.dedent(
    f"""
    import datetime, django
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    call_command("migrate", verbosity=0)
    from safeharbor.accounts.models import Agency
    from safeharbor.core.testing.models import Specimen
    agency = Agency.objects.create(name="Raw File Agency", slug="raw-file", kind="other")
    Specimen.objects.create(
        agency=agency, name={SECRET_NAME!r}, aliases=[{SECRET_ALIAS!r}], phone={SECRET_PHONE!r},
        date_of_birth=datetime.date.fromisoformat({SECRET_DOB!r}), case_notes={CONTROL!r},
    )
    assert Specimen.objects.get().name == {SECRET_NAME!r}
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    """
)


def test_raw_sqlite_file_holds_no_plaintext(tmp_path):
    """A real file database (not the in-memory test default), written by a separate process."""
    path = tmp_path / "at-rest.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "safeharbor.settings.test",
        "DATABASE_URL": f"sqlite:///{path}",
    }
    subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, check=True, timeout=300, capture_output=True
    )
    blob = b"".join(
        p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("at-rest.sqlite3")
    )
    _assert_no_plaintext(blob)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_pg_dump_holds_no_plaintext():
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump applies to PostgreSQL; the SQLite file is checked above")
    pg_dump = shutil.which("pg_dump")
    assert pg_dump, "pg_dump must be installed to test PostgreSQL at rest (postgresql-client)"
    import datetime

    agency = AgencyFactory()
    Specimen.objects.create(
        agency=agency,
        name=SECRET_NAME,
        aliases=[SECRET_ALIAS],
        phone=SECRET_PHONE,
        date_of_birth=datetime.date.fromisoformat(SECRET_DOB),
        case_notes=CONTROL,
    )
    settings_dict = connection.settings_dict
    env = {**os.environ}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    command = [pg_dump, "--data-only", "--no-owner", "-d", settings_dict["NAME"]]
    if settings_dict.get("HOST"):
        command += ["-h", settings_dict["HOST"]]
    if settings_dict.get("PORT"):
        command += ["-p", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        command += ["-U", settings_dict["USER"]]
    dump = subprocess.run(command, env=env, check=True, capture_output=True, timeout=300).stdout
    _assert_no_plaintext(dump)
