"""The encodings file: a versioned JSON document, and its strict validation.

The same validation guards ``safeharbor link-encodings`` and the platform's upload: anything
that is not exactly this document (an extra key anywhere, a value of the wrong type, an
encoding of the wrong length or, for balanced encodings, not exactly half its bits set) is
refused. That is what keeps plaintext (a CSV, a list of names, a stray "name" key) out of the
platform: there is no place in the document where a name fits.

Layout::

    {
      "format": "safeharbor-pprl-encodings",
      "format_version": 1,
      "schema": {... EncodingSchema.as_dict() ...},
      "key_fingerprint": "16 hex characters",
      "source": "agency_a",
      "created": "2026-11-29T03:00:00+00:00",
      "records": 2,
      "totals_only": 1,
      "encodings": [{"id": "A0000001", "clk": "<base64>"}, ...]
    }
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from .encoding import DEFAULT_SCHEMA, SCHEMA_VERSION, EncodingSchema, from_text, to_text

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "MAX_RECORDS",
    "DocumentError",
    "Encodings",
    "build_document",
    "parse_document",
]

FORMAT = "safeharbor-pprl-encodings"
FORMAT_VERSION = 1
MAX_RECORDS = 2_000_000
ID_PATTERN = re.compile(r"[A-Za-z0-9._:/-]{1,64}")
SOURCE_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._-]{0,79}")
FINGERPRINT_PATTERN = re.compile(r"[0-9a-f]{16}")
TOP_KEYS = {
    "format",
    "format_version",
    "schema",
    "key_fingerprint",
    "source",
    "created",
    "records",
    "totals_only",
    "encodings",
}
# The schemas the platform links: the default, and the measured alternatives.
SUPPORTED_FIELDS = {f.name: f for f in DEFAULT_SCHEMA.fields}


class DocumentError(ValueError):
    """Not an encodings document of a supported schema; the message says what is wrong."""


@dataclass
class Encodings:
    """A validated encodings document: packed bit rows, record ids and the counts."""

    schema: EncodingSchema
    key_fingerprint: str
    source: str
    created: datetime.datetime
    ids: list[str]
    packed: np.ndarray
    totals_only: int

    @property
    def records(self) -> int:
        return len(self.ids)


def build_document(
    *,
    schema: EncodingSchema,
    key_fingerprint: str,
    source: str,
    ids: list[str],
    packed: np.ndarray,
    totals_only: int,
    created: datetime.datetime | None = None,
) -> dict[str, Any]:
    """The JSON-serialisable document for encoded records."""
    created = created or datetime.datetime.now(datetime.UTC)
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema": schema.as_dict(),
        "key_fingerprint": key_fingerprint,
        "source": source,
        "created": created.isoformat(timespec="seconds"),
        "records": len(ids),
        "totals_only": totals_only,
        "encodings": [
            {"id": rid, "clk": clk} for rid, clk in zip(ids, to_text(packed), strict=True)
        ],
    }


def _exact_keys(value: Any, keys: set[str], where: str) -> None:
    if not isinstance(value, dict):
        raise DocumentError(f"{where} must be an object.")
    extra, missing = set(value) - keys, keys - set(value)
    if extra:
        raise DocumentError(
            f"{where} has keys the schema does not allow: {', '.join(sorted(extra))}."
        )
    if missing:
        raise DocumentError(f"{where} is missing: {', '.join(sorted(missing))}.")


def _int(value: Any, where: str, *, low: int = 0, high: int = MAX_RECORDS) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise DocumentError(f"{where} must be a whole number from {low} to {high}.")
    return value


def _schema(value: Any) -> EncodingSchema:
    _exact_keys(
        value,
        {"version", "bits", "output_bits", "hash", "normalise_length", "fields", "hardening"},
        "schema",
    )
    if not isinstance(value["normalise_length"], bool):
        raise DocumentError("schema.normalise_length is true or false.")
    if value["hash"] != "hmac-sha256-random-hashing":
        raise DocumentError("schema: unsupported hash.")
    if value["version"] != SCHEMA_VERSION:
        raise DocumentError(
            f"schema: made by another version of the encoder (this platform's schema is "
            f"version {SCHEMA_VERSION}); encode again with the current 'safeharbor encode'."
        )
    bits = _int(value["bits"], "schema.bits", low=64, high=65536)
    if bits & (bits - 1):
        raise DocumentError("schema.bits must be a power of two.")
    _exact_keys(value["hardening"], {"balanced", "xor_fold", "salt"}, "schema.hardening")
    hardening = value["hardening"]
    if not isinstance(hardening["balanced"], bool) or not isinstance(hardening["xor_fold"], bool):
        raise DocumentError("schema.hardening: balanced and xor_fold are true or false.")
    if hardening["salt"] not in (None, "birth_year"):
        raise DocumentError("schema.hardening.salt must be null or 'birth_year'.")
    fields = value["fields"]
    if not isinstance(fields, list) or not fields:
        raise DocumentError("schema.fields must be a non-empty list.")
    seen = set()
    for i, spec in enumerate(fields):
        _exact_keys(spec, {"name", "tokens", "k", "key_domain"}, f"schema.fields[{i}]")
        known = SUPPORTED_FIELDS.get(spec["name"])
        if known is None or spec["name"] in seen:
            raise DocumentError(f"schema.fields[{i}]: unknown or repeated field.")
        if spec["tokens"] != known.tokens or spec["key_domain"] != known.key_domain:
            raise DocumentError(f"schema.fields[{i}]: tokens or key domain differ from v1.")
        _int(spec["k"], f"schema.fields[{i}].k", low=1, high=64)
        seen.add(spec["name"])
    schema = EncodingSchema.from_dict(value)
    if value["output_bits"] != schema.output_bits:
        raise DocumentError("schema.output_bits does not follow from bits and hardening.")
    return schema


def parse_document(data: Any) -> Encodings:
    """Validate a decoded JSON document (or its text/bytes) and return the encodings.

    Raises ``DocumentError`` for anything that is not exactly the document described above.
    """
    if isinstance(data, bytes | str):
        try:
            data = json.loads(data)
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise DocumentError(
                "not an encodings file: it is not JSON. Upload the file "
                "'safeharbor encode' wrote, never the spreadsheet itself."
            ) from None
    _exact_keys(data, TOP_KEYS, "the document")
    if data["format"] != FORMAT or data["format_version"] != FORMAT_VERSION:
        raise DocumentError(f"not a {FORMAT} version {FORMAT_VERSION} document.")
    schema = _schema(data["schema"])
    fingerprint = data["key_fingerprint"]
    if not isinstance(fingerprint, str) or not FINGERPRINT_PATTERN.fullmatch(fingerprint):
        raise DocumentError("key_fingerprint must be 16 lower-case hexadecimal characters.")
    source = data["source"]
    if not isinstance(source, str) or not SOURCE_PATTERN.fullmatch(source):
        raise DocumentError(
            "source must be 1 to 80 letters, digits, spaces, dots, dashes or underscores."
        )
    try:
        created = datetime.datetime.fromisoformat(data["created"])
    except (TypeError, ValueError):
        raise DocumentError("created must be an ISO 8601 date and time.") from None
    if created.tzinfo is None:
        raise DocumentError("created must carry its time zone.")
    records = _int(data["records"], "records")
    totals_only = _int(data["totals_only"], "totals_only")
    encodings = data["encodings"]
    if not isinstance(encodings, list) or len(encodings) != records:
        raise DocumentError("encodings must be a list of exactly 'records' entries.")
    ids: list[str] = []
    clks: list[str] = []
    for i, entry in enumerate(encodings):
        if not isinstance(entry, dict) or set(entry) != {"id", "clk"}:
            raise DocumentError(f"encodings[{i}] must have exactly the keys id and clk.")
        rid, clk = entry["id"], entry["clk"]
        if not isinstance(rid, str) or not ID_PATTERN.fullmatch(rid):
            raise DocumentError(
                f"encodings[{i}].id must be 1 to 64 letters, digits or . _ : / - characters."
            )
        if not isinstance(clk, str):
            raise DocumentError(f"encodings[{i}].clk must be base64 text.")
        ids.append(rid)
        clks.append(clk)
    if len(set(ids)) != len(ids):
        raise DocumentError("encodings: every id must be unique.")
    try:
        packed = from_text(clks, schema.output_bits)
    except ValueError as exc:
        raise DocumentError(f"encodings: not valid encodings ({exc}).") from None
    if schema.balanced and not schema.xor_fold and records:
        weights = np.bitwise_count(packed).sum(axis=1)
        if not np.all(weights == schema.output_bits // 2):
            raise DocumentError(
                "encodings: a balanced encoding must have exactly half its bits set."
            )
    return Encodings(
        schema=schema,
        key_fingerprint=fingerprint,
        source=source,
        created=created,
        ids=ids,
        packed=packed,
        totals_only=totals_only,
    )
