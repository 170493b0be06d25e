"""Keyed blind indexes: search encrypted values without decrypting the table.

A blind index is a truncated HMAC-SHA256 of a normalised value under a key derived from
``settings.BLIND_INDEX_KEY`` for one agency and one purpose. The same value in two agencies
gives unrelated indexes, so one agency's indexes cannot be joined with another's (VAWA: not
even hashes leave a provider). Indexes are truncated to ``INDEX_BITS`` bits, so distinct values
sometimes share an index: a search returns candidates, which the application confirms after
decrypting just those rows.

Names are indexed as the normalised full name plus a phonetic code (Metaphone) of each name
part, so "Katie Smyth" finds "Katy Smith". Dates of birth and phone numbers are exact.
Store the terms an area computes in its own indexed columns or a term table; search by
computing the same terms for the query.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import hashlib
import hmac
import re
import unicodedata
from functools import lru_cache

import jellyfish
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

__all__ = [
    "INDEX_BITS",
    "blind_index",
    "index_for_dob",
    "index_for_phone",
    "index_terms_for_name",
    "name_index_terms",
    "normalise",
]

INDEX_BITS = 32
INDEX_HEX_CHARS = INDEX_BITS // 4
SETTING_NAME = "SAFEHARBOR_BLIND_INDEX_KEY"
PURPOSE_PATTERN = re.compile(r"^[a-z0-9_.-]{1,40}$")

_NOT_WORD = re.compile(r"[^\w]+", re.UNICODE)
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Case-folded, accents stripped, punctuation dropped, spaces collapsed.

    ``normalise("  José  O'Brien-Núñez ")`` is ``"jose obrien nunez"``: apostrophes join
    (O'Brien), hyphens and other punctuation separate.
    """
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    folded = stripped.casefold().replace("'", "").replace("’", "")
    words = _NOT_WORD.sub(" ", folded).replace("_", " ")
    return _SPACES.sub(" ", words).strip()


def _phonetic(word: str) -> str:
    if word.isdigit():
        return word
    return jellyfish.metaphone(word) or word


def name_index_terms(text: str) -> list[str]:
    """The plain terms a name is indexed by: ``"n:<full normalised>"`` and ``"p:<code>"``
    for each name part (de-duplicated, in order). Empty for an empty name."""
    norm = normalise(text)
    if not norm:
        return []
    terms = [f"n:{norm}"]
    for part in norm.split(" "):
        term = f"p:{_phonetic(part)}"
        if term not in terms:
            terms.append(term)
    return terms


@lru_cache(maxsize=8)
def _root_key(raw: str) -> bytes:
    if not raw:
        raise ImproperlyConfigured(
            f"{SETTING_NAME} is not set. Blind indexes for search need a random root key "
            "(base64 of at least 32 bytes). See docs/security.md."
        )
    try:
        key = base64.b64decode(raw.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise ImproperlyConfigured(f"{SETTING_NAME} is not valid base64.") from None
    if len(key) < 32:
        raise ImproperlyConfigured(f"{SETTING_NAME} must decode to at least 32 bytes.")
    return key


def root_key() -> bytes:
    return _root_key(getattr(settings, "BLIND_INDEX_KEY", "") or "")


@lru_cache(maxsize=4096)
def _derived_key(root: bytes, agency_id: int, purpose: str) -> bytes:
    # HKDF-Expand with a single block: enough for one 32-byte HMAC key per agency and purpose.
    info = f"safeharbor/blind-index/v1/agency={agency_id}/purpose={purpose}".encode()
    return hmac.new(root, info + b"\x01", hashlib.sha256).digest()


def agency_key(*, agency_id: int, purpose: str) -> bytes:
    if not isinstance(agency_id, int) or isinstance(agency_id, bool) or agency_id <= 0:
        raise ValueError("A blind index needs the owning agency's id.")
    if not PURPOSE_PATTERN.match(purpose):
        raise ValueError(f"Blind index purpose {purpose!r} must be short, lower-case words.")
    return _derived_key(root_key(), agency_id, purpose)


def blind_index(value: str, *, agency_id: int, purpose: str) -> str:
    """The truncated keyed hash of an already-normalised value, as lower-case hex."""
    key = agency_key(agency_id=agency_id, purpose=purpose)
    digest = hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()
    return digest[:INDEX_HEX_CHARS]


def index_terms_for_name(text: str, *, agency_id: int, purpose: str = "name") -> list[str]:
    """Blind indexes of a name's terms (see ``name_index_terms``), for storing or searching.

    A record matches a query when they share terms; the more shared, the closer.
    """
    return [blind_index(t, agency_id=agency_id, purpose=purpose) for t in name_index_terms(text)]


def index_for_dob(value: datetime.date | None, *, agency_id: int) -> str | None:
    """Exact index of a date of birth, or None when unknown."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        value = value.date()
    return blind_index(value.isoformat(), agency_id=agency_id, purpose="dob")


def normalise_phone(text: str) -> str:
    """Digits only; a leading North American country code 1 on 11 digits is dropped."""
    digits = "".join(ch for ch in (text or "") if ch.isdigit())
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    return digits


def index_for_phone(text: str | None, *, agency_id: int) -> str | None:
    """Exact index of a phone number in any common notation, or None when it has no digits."""
    digits = normalise_phone(text or "")
    if not digits:
        return None
    return blind_index(digits, agency_id=agency_id, purpose="phone")
