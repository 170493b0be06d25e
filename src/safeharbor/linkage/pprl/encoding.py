"""Keyed Bloom-filter encodings of person records (cryptographic long-term keys).

One encoding per record: the record's identifying values are cut into tokens (character
bigrams of names and addresses; whole values for the date-of-birth parts, sex, phones and
postcode), each token is hashed with HMAC-SHA256 under a field's own sub-key derived from
the secret the participating agencies share, and the positions the digest gives are set in
one bit array (a "cryptographic long-term key", Schnell, Bachteler and Reiher 2011). Two
encodings of the same person share most of their set bits; the Dice coefficient of the bit
arrays stands in for the similarity of the plaintext.

Hardening (see ``docs/privacy-linkage.md`` for the attacks and the measurements):

- random hashing: every position comes from the keyed HMAC digest itself (no double hashing,
  whose structure the published attacks exploit);
- field sub-keys: the same bigram in a given name and in a street name sets unrelated bits;
- one composite filter for all fields (a CLK), not one filter per field, so a bit cannot be
  told to belong to a name or to an address;
- balancing (the array concatenated with its complement, permuted with a key-derived
  permutation: every encoding has exactly half its bits set), XOR folding and record-level
  salting (a salt from the birth year) are in the schema and were measured; each cost too
  much accuracy on records with missing fields to be the default (see the documentation).

Plain Python, numpy and the standard library: runs on an agency's own machine with no
database or settings.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

__all__ = [
    "DEFAULT_SCHEMA",
    "MIN_KEY_BYTES",
    "SCHEMA_VERSION",
    "EncodingSchema",
    "FieldSpec",
    "KeyFileError",
    "encode_records",
    "key_fingerprint",
    "read_key",
    "record_tokens",
]

MIN_KEY_BYTES = 32
# Version 2: a 1 January date of birth is encoded as its year only (version 1 encoded the day
# and month too). Encodings of different versions are never compared.
SCHEMA_VERSION = 2
BITS = 1024
MAX_K = 64
# With normalise_length, a name's bigrams set together about as many bits as this many
# bigrams at the field's k (a seven-letter name).
REFERENCE_BIGRAMS = 8


class KeyFileError(Exception):
    """The key file is missing, unreadable or too short. The message is for the agency."""


@dataclass(frozen=True)
class FieldSpec:
    """One identifying field: how it is cut into tokens and how many bits each token sets
    (its weight in the similarity)."""

    name: str
    tokens: str  # "bigrams" or "values"
    k: int
    key_domain: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "tokens": self.tokens,
            "k": self.k,
            "key_domain": self.key_domain,
        }


# Names share one key domain, so given and family names swapped on one form still agree.
DEFAULT_FIELDS = (
    FieldSpec("given_names", "bigrams", 10, "name"),
    FieldSpec("family_names", "bigrams", 10, "name"),
    FieldSpec("dob", "values", 24, "dob"),
    FieldSpec("sex", "values", 6, "sex"),
    FieldSpec("phones", "values", 18, "phone"),
    FieldSpec("address", "bigrams", 4, "address"),
    FieldSpec("city", "values", 6, "city"),
    FieldSpec("postcode", "values", 10, "postcode"),
)


@dataclass(frozen=True)
class EncodingSchema:
    """Everything that must be equal for two encodings to be comparable (written into the
    output; the platform refuses to link files whose schemas differ)."""

    version: int = SCHEMA_VERSION
    bits: int = BITS
    fields: tuple[FieldSpec, ...] = DEFAULT_FIELDS
    balanced: bool = False
    xor_fold: bool = False
    salt: str | None = None  # None or "birth_year"
    normalise_length: bool = True

    @property
    def output_bits(self) -> int:
        bits = self.bits * 2 if self.balanced else self.bits
        return bits // 2 if self.xor_fold else bits

    def as_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "bits": self.bits,
            "output_bits": self.output_bits,
            "hash": "hmac-sha256-random-hashing",
            "normalise_length": self.normalise_length,
            "fields": [f.as_dict() for f in self.fields],
            "hardening": {
                "balanced": self.balanced,
                "xor_fold": self.xor_fold,
                "salt": self.salt,
            },
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> EncodingSchema:
        hardening = data["hardening"]
        return cls(
            version=int(data["version"]),
            bits=int(data["bits"]),
            fields=tuple(
                FieldSpec(f["name"], f["tokens"], int(f["k"]), f["key_domain"])
                for f in data["fields"]
            ),
            balanced=bool(hardening["balanced"]),
            xor_fold=bool(hardening["xor_fold"]),
            salt=hardening["salt"],
            normalise_length=bool(data["normalise_length"]),
        )


DEFAULT_SCHEMA = EncodingSchema()


# --- the key -------------------------------------------------------------------------------


def read_key(path: str | Path) -> bytes:
    """The shared secret from a key file (any bytes; surrounding whitespace is ignored).

    At least 32 bytes, e.g. ``python -c "import secrets; print(secrets.token_hex(32))"``.
    """
    path = Path(path)
    try:
        key = path.read_bytes().strip()
    except FileNotFoundError:
        raise KeyFileError(f"{path}: no such key file.") from None
    except IsADirectoryError:
        raise KeyFileError(f"{path}: is a directory, not a key file.") from None
    except PermissionError:
        raise KeyFileError(f"{path}: the key file cannot be read (permission denied).") from None
    if len(key) < MIN_KEY_BYTES:
        raise KeyFileError(
            f"{path}: the key is too short ({len(key)} bytes); at least {MIN_KEY_BYTES} "
            "random bytes are needed, e.g. 64 hexadecimal characters."
        )
    return key


def _subkey(secret: bytes, purpose: str) -> bytes:
    return hmac.new(secret, b"safeharbor-pprl/v1/" + purpose.encode(), hashlib.sha256).digest()


def key_fingerprint(secret: bytes) -> str:
    """A short public check value of the key: equal for the same key, so the platform can
    refuse to link encodings made with different keys; reveals nothing about the key."""
    return _subkey(secret, "fingerprint").hex()[:16]


# --- tokens --------------------------------------------------------------------------------


def _bigrams(value: str) -> set[str]:
    padded = f"_{value}_"
    return {padded[i : i + 2] for i in range(len(padded) - 1)}


def record_tokens(record: Mapping[str, Any]) -> dict[str, set[str]]:
    """The tokens of each field of one prepared record (the columns of
    ``pipeline.prepare_records``), before hashing."""
    names = {n for n in (record.get("name_set") or []) if n}
    if record.get("given_std"):
        names.add(record["given_std"])
    families = {n for n in (record.get("family_set") or []) if n}
    tokens: dict[str, set[str]] = {
        "given_names": set().union(*(_bigrams(n) for n in names)) if names else set(),
        "family_names": set().union(*(_bigrams(n) for n in families)) if families else set(),
    }
    dob: set[str] = set()
    year, month, day = record.get("dob_year"), record.get("dob_month"), record.get("dob_day")
    if year:
        dob.add(f"y{year}")
        # 1 January is what intake forms write when only the year is known (150 in 10,000
        # synthetic records, against about 27 real birthdays): such a date says the year only,
        # so an estimated date does not disagree on a day and month nobody knew.
        if (month, day) != (1, 1):
            # Day and month as an unordered pair too: a day/month swap keeps some agreement.
            dob |= {f"m{month}", f"d{day}", f"md{min(month, day)}-{max(month, day)}"}
    tokens["dob"] = dob
    tokens["sex"] = {record["sex"]} if record.get("sex") else set()
    tokens["phones"] = set(record.get("phones") or [])
    address = record.get("address_std") or ""
    tokens["address"] = _bigrams(address.replace(" ", "")) if address else set()
    tokens["city"] = {record["city_std"]} if record.get("city_std") else set()
    tokens["postcode"] = {record["postcode"]} if record.get("postcode") else set()
    return tokens


def _salt(schema: EncodingSchema, record: Mapping[str, Any]) -> str:
    if schema.salt == "birth_year":
        return str(record.get("dob_year") or "")
    return ""


# --- encoding ------------------------------------------------------------------------------


@dataclass
class _Hasher:
    """Token -> bit positions, with the field sub-keys; caches by (field, salt, token)."""

    secret: bytes
    schema: EncodingSchema
    cache: dict[tuple[str, str, str], np.ndarray] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.keys = {
            f.name: _subkey(self.secret, f"field/{f.key_domain}") for f in self.schema.fields
        }
        if self.schema.bits & (self.schema.bits - 1) or not 64 <= self.schema.bits <= 65536:
            raise ValueError("bits must be a power of two between 64 and 65536")

    def positions(self, spec: FieldSpec, salt: str, token: str, k: int | None = None) -> np.ndarray:
        k = k or spec.k
        cached = self.cache.get((spec.name, salt, token))
        if cached is not None and len(cached) >= k:
            return cached[:k]
        message = f"{salt}\x1f{token}".encode()
        digests = b""
        counter = 0
        # Random hashing: each position is 16 bits of keyed digest (unbiased for 2**n bits).
        while len(digests) < 2 * k:
            digests += hmac.new(
                self.keys[spec.name], counter.to_bytes(2, "big") + message, hashlib.sha256
            ).digest()
            counter += 1
        values = np.frombuffer(digests[: 2 * k], dtype=">u2").astype(np.int64)
        result = values % self.schema.bits
        self.cache[(spec.name, salt, token)] = result
        return result


def _permutation(secret: bytes, size: int) -> np.ndarray:
    seed = int.from_bytes(_subkey(secret, "permutation")[:16], "big")
    return np.random.Generator(np.random.PCG64(seed)).permutation(size)


def encode_records(
    records: Iterable[Mapping[str, Any]], secret: bytes, schema: EncodingSchema = DEFAULT_SCHEMA
) -> np.ndarray:
    """Encode prepared records: a (records x output_bits/8) uint8 array of packed bits."""
    hasher = _Hasher(secret, schema)
    rows: list[np.ndarray] = []
    for record in records:
        tokens = record_tokens(record)
        salt = _salt(schema, record)
        bits = np.zeros(schema.bits, dtype=bool)
        for spec in schema.fields:
            field_tokens = tokens.get(spec.name, ())
            k = spec.k
            if schema.normalise_length and spec.tokens == "bigrams" and field_tokens:
                # Every name sets about as many bits as one of REFERENCE_BIGRAMS bigrams: a long
                # name no longer outweighs the other fields, nor tells its length.
                k = min(MAX_K, max(1, round(spec.k * REFERENCE_BIGRAMS / len(field_tokens))))
            for token in field_tokens:
                bits[hasher.positions(spec, salt, token, k)] = True
        rows.append(bits)
    matrix = np.array(rows, dtype=bool).reshape(len(rows), schema.bits)
    if schema.balanced:
        matrix = np.concatenate([matrix, ~matrix], axis=1)[:, _permutation(secret, 2 * schema.bits)]
    if schema.xor_fold:
        half = matrix.shape[1] // 2
        matrix = matrix[:, :half] ^ matrix[:, half:]
    return np.packbits(matrix, axis=1)


def to_text(packed: np.ndarray) -> list[str]:
    """Packed encodings as base64 text, one per record (the file format)."""
    return [base64.b64encode(row.tobytes()).decode("ascii") for row in packed]


def from_text(values: Iterable[str], output_bits: int) -> np.ndarray:
    """Base64 encodings back to packed rows; raises ValueError on anything else."""
    width = output_bits // 8
    out = []
    for value in values:
        raw = base64.b64decode(value, validate=True)
        if len(raw) != width:
            raise ValueError(f"an encoding has {len(raw) * 8} bits, the schema says {output_bits}")
        out.append(np.frombuffer(raw, dtype=np.uint8))
    if not out:
        return np.zeros((0, width), dtype=np.uint8)
    return np.stack(out)
