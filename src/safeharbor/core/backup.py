"""Encrypted backups of the whole database, and restoring them.

A backup is the database's own dump (SQLite: a copy made with the online backup API;
PostgreSQL: ``pg_dump --format=custom``) sealed with AES-256-GCM under the backup key
(``settings.BACKUP_KEY``, base64 of 32 bytes, kept apart from the field-encryption keys).

File format, version 1::

    b"SHBACKUP" | version (1 byte) | header length (4 bytes, big-endian) | header (JSON)
    then one record per chunk: sealed length (4 bytes, big-endian) | ciphertext + 16-byte tag

The header says which engine made the dump, when, the fingerprint of the key it was sealed
with and a random salt. Each file gets its own key, derived from the backup key and the salt
with HKDF-SHA256, so nonces (a chunk counter and a last-chunk flag) never repeat under one
key. Every chunk authenticates the whole header as associated data, so a changed header,
a changed, reordered, dropped or added chunk, a truncated file or bytes after the last chunk
are all refused. Chunks are sealed and opened one at a time, so a large database never sits
in memory.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import hmac
import json
import os
import shutil
import sqlite3
import struct
import subprocess  # pg_dump and pg_restore, with fixed argument lists  # nosec B404
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections

__all__ = [
    "BackupError",
    "BackupFormatError",
    "BackupHeader",
    "BackupIntegrityError",
    "BackupKeyError",
    "backup_database",
    "database_engine",
    "existing_tables",
    "key_fingerprint",
    "open_backup",
    "parse_backup_key",
    "restore_database",
    "seal_stream",
]

MAGIC = b"SHBACKUP"
FORMAT_VERSION = 1
CHUNK_SIZE = 1024 * 1024
KEY_SIZE = 32
SALT_SIZE = 32
TAG_SIZE = 16
MAX_HEADER = 64 * 1024
SETTING_NAME = "SAFEHARBOR_BACKUP_KEY"
SQLITE = "sqlite"
BACKUP_STEP_PAGES = 1024
SQLITE_LOCK_WAIT_SECONDS = 60.0
POSTGRESQL = "postgresql"
_PREFIX = struct.Struct(">8sBI")
_LENGTH = struct.Struct(">I")


class BackupError(Exception):
    """A backup could not be made or restored; the message says why and what to do."""


class BackupKeyError(BackupError, ImproperlyConfigured):
    """The backup key is missing, malformed, or not the key the file was sealed with."""


class BackupFormatError(BackupError):
    """The file is not a SafeHarbor backup, or of a version this release cannot read."""


class BackupIntegrityError(BackupError):
    """The file was altered, truncated or extended after it was written."""


@dataclass(frozen=True)
class BackupHeader:
    """What a backup file says about itself (authenticated, never secret)."""

    engine: str
    created_at: str
    key_fingerprint: str
    salt: bytes
    chunk_size: int
    raw: bytes

    @property
    def description(self) -> str:
        return f"a {self.engine} backup made {self.created_at}"


def parse_backup_key(raw: str | None = None) -> bytes:
    """The 32-byte backup key from settings (or ``raw``), or a clear ``BackupKeyError``."""
    value = (getattr(settings, "BACKUP_KEY", "") if raw is None else raw) or ""
    value = value.strip()
    if not value:
        raise BackupKeyError(
            f"{SETTING_NAME} is not set. Backups are encrypted with their own 256-bit key: "
            "generate one with `python -c 'import base64, os; "
            "print(base64.b64encode(os.urandom(32)).decode())'`, keep it apart from the "
            "database and the other keys, and see docs/operations.md."
        )
    try:
        key = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise BackupKeyError(f"{SETTING_NAME} is not valid base64.") from None
    if len(key) != KEY_SIZE:
        raise BackupKeyError(
            f"{SETTING_NAME} is {len(key)} bytes once decoded; AES-256 needs exactly {KEY_SIZE}."
        )
    return key


def key_fingerprint(key: bytes) -> str:
    """A short, one-way name for a key, stored in the header to tell keys apart."""
    return hmac.new(key, b"safeharbor backup key fingerprint", hashlib.sha256).hexdigest()[:16]


def _file_key(key: bytes, salt: bytes) -> AESGCM:
    derived = HKDF(
        algorithm=hashes.SHA256(), length=KEY_SIZE, salt=salt, info=b"safeharbor backup v1"
    ).derive(key)
    return AESGCM(derived)


def _nonce(counter: int, *, last: bool) -> bytes:
    return struct.pack(">QB3x", counter, 1 if last else 0)


def _read_exactly(source: IO[bytes], size: int) -> bytes:
    parts = []
    remaining = size
    while remaining:
        part = source.read(remaining)
        if not part:
            break
        parts.append(part)
        remaining -= len(part)
    return b"".join(parts)


def _read_full_chunks(source: IO[bytes], chunk_size: int) -> Iterator[bytes]:
    while True:
        chunk = _read_exactly(source, chunk_size)
        if not chunk:
            return
        yield chunk


def seal_stream(
    source: IO[bytes],
    target: BinaryIO,
    *,
    engine: str,
    key: bytes,
    chunk_size: int = CHUNK_SIZE,
) -> int:
    """Encrypt everything ``source`` yields into ``target``; returns the plaintext size."""
    salt = os.urandom(SALT_SIZE)
    header = json.dumps(
        {
            "format": "safeharbor-backup",
            "engine": engine,
            "created_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "key_fingerprint": key_fingerprint(key),
            "salt": base64.b64encode(salt).decode("ascii"),
            "chunk_size": chunk_size,
            "cipher": "AES-256-GCM, HKDF-SHA256 file key, chunked",
        },
        sort_keys=True,
    ).encode("utf-8")
    prefix = _PREFIX.pack(MAGIC, FORMAT_VERSION, len(header)) + header
    target.write(prefix)
    cipher = _file_key(key, salt)
    total = 0
    counter = 0
    chunks = _read_full_chunks(source, chunk_size)
    current = next(chunks, b"")
    while True:
        following = next(chunks, None)
        last = following is None
        sealed = cipher.encrypt(_nonce(counter, last=last), current, prefix)
        target.write(_LENGTH.pack(len(sealed)))
        target.write(sealed)
        total += len(current)
        counter += 1
        if last:
            return total
        current = following


def _read_header(source: IO[bytes]) -> tuple[BackupHeader, bytes]:
    fixed = _read_exactly(source, _PREFIX.size)
    if len(fixed) < _PREFIX.size or not fixed.startswith(MAGIC):
        raise BackupFormatError(
            "This file is not a SafeHarbor backup (it does not start with the backup header)."
        )
    _magic, version, length = _PREFIX.unpack(fixed)
    if version != FORMAT_VERSION:
        raise BackupFormatError(
            f"This backup is format version {version}; this release of SafeHarbor reads "
            f"version {FORMAT_VERSION} only. Restore it with the release that made it."
        )
    if length > MAX_HEADER:
        raise BackupFormatError("The backup header is damaged (it claims an impossible size).")
    raw = _read_exactly(source, length)
    try:
        fields = json.loads(raw.decode("utf-8"))
        header = BackupHeader(
            engine=str(fields["engine"]),
            created_at=str(fields["created_at"]),
            key_fingerprint=str(fields["key_fingerprint"]),
            salt=base64.b64decode(fields["salt"], validate=True),
            chunk_size=int(fields["chunk_size"]),
            raw=raw,
        )
    except (UnicodeDecodeError, ValueError, KeyError, TypeError, binascii.Error):
        raise BackupFormatError("The backup header is damaged and cannot be read.") from None
    return header, fixed + raw


def open_backup(source: IO[bytes], *, key: bytes) -> tuple[BackupHeader, Iterator[bytes]]:
    """Check the header and the key, and return an iterator of authenticated plaintext chunks.

    The iterator raises ``BackupIntegrityError`` at the first chunk that fails its tag, when
    the file ends before the last chunk, or when anything follows the last chunk.
    """
    header, prefix = _read_header(source)
    if not hmac.compare_digest(header.key_fingerprint, key_fingerprint(key)):
        raise BackupKeyError(
            f"This backup was sealed with a different backup key (fingerprint "
            f"{header.key_fingerprint}; the configured {SETTING_NAME} has fingerprint "
            f"{key_fingerprint(key)}). Set {SETTING_NAME} to the key in force when the "
            "backup was made."
        )
    cipher = _file_key(key, header.salt)
    limit = header.chunk_size + TAG_SIZE

    def chunks() -> Iterator[bytes]:
        counter = 0
        pending = _read_record(source, limit)
        if pending is None:
            raise BackupIntegrityError(
                "The backup is truncated: it holds a header but no data. It cannot be restored."
            )
        while True:
            following = _read_record(source, limit)
            last = following is None
            try:
                plain = cipher.decrypt(_nonce(counter, last=last), pending, prefix)
            except InvalidTag:
                if last:
                    raise BackupIntegrityError(
                        "The backup is truncated or was altered: its last part does not "
                        "authenticate. It cannot be restored."
                    ) from None
                raise BackupIntegrityError(
                    f"The backup was altered or damaged: part {counter + 1} does not "
                    "authenticate. It cannot be restored."
                ) from None
            yield plain
            if last:
                return
            counter += 1
            pending = following

    return header, chunks()


def _read_record(source: IO[bytes], limit: int) -> bytes | None:
    length_bytes = _read_exactly(source, _LENGTH.size)
    if not length_bytes:
        return None
    if len(length_bytes) < _LENGTH.size:
        raise BackupIntegrityError("The backup is truncated in the middle of a part.")
    (length,) = _LENGTH.unpack(length_bytes)
    if length < TAG_SIZE or length > limit:
        raise BackupIntegrityError("The backup was altered or damaged: a part has a bad length.")
    sealed = _read_exactly(source, length)
    if len(sealed) < length:
        raise BackupIntegrityError("The backup is truncated in the middle of a part.")
    return sealed


# --- the configured database ---------------------------------------------------------------


def database_engine(alias: str = "default") -> str:
    vendor = connections[alias].vendor
    if vendor not in (SQLITE, POSTGRESQL):
        raise BackupError(f"Backups support SQLite and PostgreSQL; this database is {vendor}.")
    return vendor


def existing_tables(alias: str = "default") -> list[str]:
    connection = connections[alias]
    with connection.cursor() as cursor:
        return sorted(connection.introspection.table_names(cursor))


def _pg_environment(alias: str) -> dict[str, str]:
    """libpq's environment for the configured database (no password on a command line)."""
    params = connections[alias].get_connection_params()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    names = {
        "host": "PGHOST",
        "port": "PGPORT",
        "user": "PGUSER",
        "password": "PGPASSWORD",  # nosec B105 - the name of libpq's variable, not a password
        "dbname": "PGDATABASE",
        "sslmode": "PGSSLMODE",
        "sslrootcert": "PGSSLROOTCERT",
        "sslcert": "PGSSLCERT",
        "sslkey": "PGSSLKEY",
    }
    for param, variable in names.items():
        value = params.get(param)
        if value not in (None, ""):
            env[variable] = str(value)
    if "PGDATABASE" not in env:
        env["PGDATABASE"] = str(connections[alias].settings_dict["NAME"])
    return env


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} was not found on PATH. Install the PostgreSQL client tools "
            "(Debian: apt-get install postgresql-client) of the server's major version or newer."
        )
    return path


def _private_temp_dir(near: Path) -> Path:
    return Path(tempfile.mkdtemp(prefix=".safeharbor-backup-", dir=near))


def backup_database(target: Path, *, alias: str = "default", key: bytes | None = None) -> int:
    """Write an encrypted backup of the configured database to ``target`` (a new file).

    The file appears only when complete (written beside it, then renamed) and is readable
    by its owner only. Returns the size of the dump before encryption.
    """
    key = parse_backup_key() if key is None else key
    engine = database_engine(alias)
    target = target.resolve()
    if target.exists():
        raise BackupError(f"{target} already exists; choose a new file name for the backup.")
    if not target.parent.is_dir():
        raise BackupError(f"The folder {target.parent} does not exist.")
    partial = target.with_name(f".{target.name}.partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            if engine == SQLITE:
                size = _backup_sqlite(handle, alias=alias, key=key, work_dir=target.parent)
            else:
                size = _backup_postgresql(handle, alias=alias, key=key)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return size


def _lock_watch() -> Callable[[int, int, int], None]:
    """A progress callback that gives up when the database stays locked too long.

    Python's backup loop otherwise retries a locked database forever.
    """
    started = time.monotonic()
    limit = SQLITE_LOCK_WAIT_SECONDS

    def watch(status: int, remaining: int, total: int) -> None:
        busy = status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
        if busy and time.monotonic() - started > limit:
            raise BackupError(
                f"The SQLite database stayed locked by another connection for over {limit:.0f} "
                "seconds; try again when it is quieter, or stop the writer."
            )

    return watch


def _backup_sqlite(handle: BinaryIO, *, alias: str, key: bytes, work_dir: Path) -> int:
    connection = connections[alias]
    connection.ensure_connection()
    temp_dir = _private_temp_dir(work_dir)
    copy_path = temp_dir / "copy.sqlite3"
    try:
        copy = sqlite3.connect(copy_path)
        try:
            # The online backup API copies a consistent snapshot while others keep writing.
            connection.connection.backup(copy, pages=BACKUP_STEP_PAGES, progress=_lock_watch())
        finally:
            copy.close()
        with open(copy_path, "rb") as plain:
            return seal_stream(plain, handle, engine=SQLITE, key=key)
    finally:
        shutil.rmtree(temp_dir, ignore_errors=True)


def _backup_postgresql(handle: BinaryIO, *, alias: str, key: bytes) -> int:
    pg_dump = _pg_tool("pg_dump")
    process = subprocess.Popen(  # fixed arguments, no shell  # noqa: S603  # nosec B603
        [pg_dump, "--format=custom", "--compress=6", "--no-password"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_pg_environment(alias),
    )
    assert process.stdout is not None and process.stderr is not None
    try:
        size = seal_stream(process.stdout, handle, engine=POSTGRESQL, key=key)
    finally:
        process.stdout.close()
        errors = process.stderr.read().decode("utf-8", errors="replace").strip()
        process.stderr.close()
        code = process.wait()
    if code != 0:
        raise BackupError(f"pg_dump failed (exit {code}): {errors or 'no message'}")
    return size


def restore_database(
    source_path: Path,
    *,
    alias: str = "default",
    key: bytes | None = None,
    force: bool = False,
    progress: Callable[[str], Any] | None = None,
) -> BackupHeader:
    """Restore the backup at ``source_path`` into the configured database.

    Reads the whole file once to authenticate every part before the database is touched,
    then restores. Refuses a database that already has tables unless ``force``.
    """
    key = parse_backup_key() if key is None else key
    say = progress or (lambda _message: None)
    engine = database_engine(alias)
    if not source_path.is_file():
        raise BackupError(f"{source_path} does not exist or is not a file.")
    tables = existing_tables(alias)
    if tables and not force:
        name = connections[alias].settings_dict["NAME"] or "(in memory)"
        raise BackupError(
            f"The configured database {name} is not empty: it has {len(tables)} tables "
            f"(for example {', '.join(tables[:3])}). Restore into an empty database, or add "
            "--force to replace everything in it with the backup."
        )
    with open(source_path, "rb") as handle:
        header, chunks = open_backup(handle, key=key)
        if header.engine != engine:
            raise BackupError(
                f"This is {header.description}, but the configured database is {engine}. "
                f"Restore it into a {header.engine} database."
            )
        size = sum(len(chunk) for chunk in chunks)
    say(f"Verified {header.description} ({size} bytes before encryption).")
    if engine == SQLITE:
        _restore_sqlite(source_path, alias=alias, key=key)
    else:
        _restore_postgresql(source_path, alias=alias, key=key, replace=bool(tables))
    connections[alias].close()
    return header


def _restore_sqlite(source_path: Path, *, alias: str, key: bytes) -> None:
    connection = connections[alias]
    name = str(connection.settings_dict["NAME"])
    near = Path(name).resolve().parent if name and ":memory:" not in name else None
    temp_dir = Path(tempfile.mkdtemp(prefix=".safeharbor-restore-", dir=near))
    copy_path = temp_dir / "restore.sqlite3"
    try:
        fd = os.open(copy_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as plain, open(source_path, "rb") as handle:
            _header, chunks = open_backup(handle, key=key)
            for chunk in chunks:
                plain.write(chunk)
        copy = sqlite3.connect(copy_path)
        try:
            result = copy.execute("PRAGMA integrity_check").fetchone()
            if not result or result[0] != "ok":
                raise BackupIntegrityError(
                    f"The SQLite database inside the backup fails its integrity check: {result}"
                )
            connection.ensure_connection()
            # The backup API replaces every page of the configured database in one step.
            copy.backup(connection.connection, progress=_lock_watch())
        finally:
            copy.close()
    finally:
        shutil.rmtree(temp_dir, ignore_errors=True)


def _restore_postgresql(source_path: Path, *, alias: str, key: bytes, replace: bool) -> None:
    pg_restore = _pg_tool("pg_restore")
    connections[alias].close()
    env = _pg_environment(alias)
    arguments = [
        pg_restore,
        "--no-password",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        f"--dbname={env['PGDATABASE']}",
    ]
    if replace:
        arguments += ["--clean", "--if-exists"]
    process = subprocess.Popen(  # fixed arguments, no shell  # noqa: S603  # nosec B603
        arguments,
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert process.stdin is not None and process.stderr is not None
    failure: BaseException | None = None
    try:
        with open(source_path, "rb") as handle:
            _header, chunks = open_backup(handle, key=key)
            for chunk in chunks:
                process.stdin.write(chunk)
    except BrokenPipeError:
        pass  # pg_restore stopped early; its exit code and message say why
    except BaseException as exc:
        # Stop feeding pg_restore: an unfinished archive makes it roll the transaction back.
        failure = exc
        process.kill()
    finally:
        with contextlib.suppress(BrokenPipeError):
            process.stdin.close()
        errors = process.stderr.read().decode("utf-8", errors="replace").strip()
        process.stderr.close()
        code = process.wait()
    if failure is not None:
        raise failure
    if code != 0:
        raise BackupError(
            f"pg_restore failed (exit {code}) and changed nothing: {errors or 'no message'}"
        )
