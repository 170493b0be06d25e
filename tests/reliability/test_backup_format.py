"""The encrypted backup format: what it refuses, and that it streams in bounded memory."""

from __future__ import annotations

import base64
import io
import os
import struct
import tracemalloc

import pytest

from safeharbor.core.backup import (
    BackupFormatError,
    BackupIntegrityError,
    BackupKeyError,
    key_fingerprint,
    open_backup,
    parse_backup_key,
    seal_stream,
)

KEY = b"k" * 32
OTHER_KEY = b"o" * 32
CHUNK = 4096


def seal(data: bytes, *, key: bytes = KEY, chunk_size: int = CHUNK) -> bytes:
    out = io.BytesIO()
    size = seal_stream(io.BytesIO(data), out, engine="sqlite", key=key, chunk_size=chunk_size)
    assert size == len(data)
    return out.getvalue()


def unseal(blob: bytes, *, key: bytes = KEY) -> bytes:
    _header, chunks = open_backup(io.BytesIO(blob), key=key)
    return b"".join(chunks)


def records(blob: bytes) -> tuple[bytes, list[bytes]]:
    """Split a sealed file into its prefix (magic, version, header) and its sealed parts."""
    (length,) = struct.unpack(">I", blob[9:13])
    prefix, rest = blob[: 13 + length], blob[13 + length :]
    parts = []
    while rest:
        (size,) = struct.unpack(">I", rest[:4])
        parts.append(rest[: 4 + size])
        rest = rest[4 + size :]
    return prefix, parts


@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 5 * CHUNK, 5 * CHUNK + 7])
def test_round_trip_of_any_size(size):
    data = os.urandom(size)
    blob = seal(data)
    assert size < 16 or data not in blob  # the plaintext does not appear in the file
    assert unseal(blob) == data


def test_the_same_data_seals_differently_each_time():
    data = b"synthetic row " * 100
    assert seal(data) != seal(data)


def test_the_header_names_engine_and_key_but_not_the_key_itself():
    blob = seal(b"x" * 10)
    header, _chunks = open_backup(io.BytesIO(blob), key=KEY)
    assert header.engine == "sqlite"
    assert header.key_fingerprint == key_fingerprint(KEY)
    assert base64.b64encode(KEY) not in blob and KEY not in blob


def test_a_wrong_key_is_refused_before_any_data_is_read():
    blob = seal(b"secret synthetic data")
    with pytest.raises(BackupKeyError, match="sealed with a different backup key"):
        open_backup(io.BytesIO(blob), key=OTHER_KEY)


def test_a_changed_byte_in_any_part_is_refused():
    blob = bytearray(seal(os.urandom(3 * CHUNK)))
    prefix, parts = records(bytes(blob))
    position = len(prefix) + len(parts[0]) + 4 + 10  # inside the second part's ciphertext
    blob[position] ^= 0x01
    with pytest.raises(BackupIntegrityError, match="part 2 does not authenticate"):
        unseal(bytes(blob))


def test_a_changed_header_is_refused():
    blob = seal(os.urandom(CHUNK))
    tampered = blob.replace(b'"engine": "sqlite"', b'"engine": "sqlitf"', 1)
    assert tampered != blob
    with pytest.raises(BackupIntegrityError):
        unseal(tampered)


@pytest.mark.parametrize(
    "mangle",
    [
        pytest.param(lambda prefix, parts: prefix + b"".join(parts[:-1]), id="last part dropped"),
        pytest.param(lambda prefix, parts: prefix + b"".join(parts)[:-5], id="cut short"),
        pytest.param(lambda prefix, parts: prefix + b"".join(parts) + parts[-1], id="appended"),
        pytest.param(
            lambda prefix, parts: prefix + parts[1] + parts[0] + b"".join(parts[2:]),
            id="reordered",
        ),
        pytest.param(lambda prefix, parts: prefix, id="header only"),
    ],
)
def test_truncated_reordered_or_extended_files_are_refused(mangle):
    prefix, parts = records(seal(os.urandom(4 * CHUNK)))
    assert len(parts) == 4
    with pytest.raises(BackupIntegrityError):
        unseal(mangle(prefix, parts))


def test_other_files_and_future_versions_are_refused_clearly():
    with pytest.raises(BackupFormatError, match="not a SafeHarbor backup"):
        unseal(b"SQLite format 3\x00" + b"\x00" * 100)
    blob = bytearray(seal(b"data"))
    blob[8] = 2
    with pytest.raises(BackupFormatError, match="format version 2"):
        unseal(bytes(blob))


def test_backup_key_setting_is_checked():
    with pytest.raises(BackupKeyError, match="SAFEHARBOR_BACKUP_KEY is not set"):
        parse_backup_key("")
    with pytest.raises(BackupKeyError, match="not valid base64"):
        parse_backup_key("not base64!")
    with pytest.raises(BackupKeyError, match="16 bytes"):
        parse_backup_key(base64.b64encode(b"x" * 16).decode())
    assert parse_backup_key(base64.b64encode(KEY).decode()) == KEY


class PatternReader(io.RawIOBase):
    """A large synthetic "database" produced on the fly, never held in memory."""

    def __init__(self, size: int) -> None:
        self.remaining = size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        count = min(len(buffer), self.remaining)
        buffer[:count] = b"\xa5" * count
        self.remaining -= count
        return count


class CountingSink(io.RawIOBase):
    def __init__(self) -> None:
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.size += len(data)
        return len(data)


def test_sealing_streams_in_bounded_memory():
    """64 MiB are sealed while Python never holds more than a few chunks at once."""
    size = 64 * 1024 * 1024
    sink = CountingSink()
    tracemalloc.start()
    try:
        sealed = seal_stream(
            io.BufferedReader(PatternReader(size)), sink, engine="postgresql", key=KEY
        )
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert sealed == size
    assert sink.size > size  # every byte went out, plus header and tags
    assert peak < 8 * 1024 * 1024, f"peak {peak} bytes"
