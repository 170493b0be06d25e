"""The key ring and AES-256-GCM encryption of identity values and files.

Keys come from ``settings.ENCRYPTION_KEYS`` as ``"keyid:base64key,keyid:base64key"``, newest
first. New values are always encrypted under the newest key; older keys stay in the ring only
so existing values can be read until ``safeharbor keys rotate`` has re-encrypted them.

Two formats carry the key id inside the ciphertext:

- bytes (files): ``b"SHE1"`` + one byte key-id length + key id + 12-byte nonce + ciphertext
  and tag (``encrypt_bytes`` / ``decrypt_bytes``);
- text (database columns): ``"e1:<keyid>:<base64url(nonce + ciphertext and tag)>"``
  (``encrypt_text`` / ``decrypt_text``).

A missing or malformed ring raises ``KeyRingError`` (and the ``core`` system check reports it
at start-up); a value under a key that is not in the ring, or under a key whose bytes differ,
raises ``DecryptionError`` naming the key id. Nothing ever falls back to plaintext.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

__all__ = [
    "TEXT_PREFIX",
    "DecryptionError",
    "KeyRing",
    "KeyRingError",
    "decrypt_bytes",
    "decrypt_text",
    "encrypt_bytes",
    "encrypt_text",
    "get_key_ring",
    "key_id_of_bytes",
    "key_id_of_text",
]

BYTES_MAGIC = b"SHE1"
TEXT_PREFIX = "e1:"
NONCE_SIZE = 12
KEY_SIZE = 32
KEY_ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
SETTING_NAME = "SAFEHARBOR_ENCRYPTION_KEYS"


class KeyRingError(ImproperlyConfigured):
    """The key ring in the environment is missing or malformed."""


class DecryptionError(Exception):
    """A stored value cannot be decrypted with the keys in the ring."""


@dataclass(frozen=True)
class KeyRing:
    """Keys by id, and the id of the newest one (used for every new encryption)."""

    keys: dict[str, bytes]
    current_id: str

    @property
    def ids(self) -> list[str]:
        return list(self.keys)

    def key(self, key_id: str) -> bytes:
        try:
            return self.keys[key_id]
        except KeyError:
            raise DecryptionError(
                f"This value was encrypted with key '{key_id}', which is not in "
                f"{SETTING_NAME} (the ring has: {', '.join(self.keys)}). Add that key back to "
                "the ring, after the newest one, to read it."
            ) from None


def parse_key_ring(raw: str) -> KeyRing:
    """Parse ``"id:base64,id:base64"``; raises ``KeyRingError`` with what is wrong."""
    raw = (raw or "").strip()
    if not raw:
        raise KeyRingError(
            f"{SETTING_NAME} is not set. SafeHarbor needs at least one 256-bit key to read and "
            "write identity fields, e.g. k1:<base64 of 32 random bytes>. See docs/security.md."
        )
    keys: dict[str, bytes] = {}
    for position, entry in enumerate(part.strip() for part in raw.split(",")):
        if not entry:
            continue
        key_id, sep, encoded = entry.partition(":")
        key_id = key_id.strip()
        if not sep or not KEY_ID_PATTERN.match(key_id):
            raise KeyRingError(
                f"{SETTING_NAME} entry {position + 1} must look like 'keyid:base64key' with a "
                "key id of letters, digits, '-' or '_'."
            )
        try:
            material = base64.b64decode(encoded.strip(), validate=True)
        except (binascii.Error, ValueError):
            raise KeyRingError(f"{SETTING_NAME}: the key '{key_id}' is not valid base64.") from None
        if len(material) != KEY_SIZE:
            raise KeyRingError(
                f"{SETTING_NAME}: the key '{key_id}' is {len(material)} bytes; AES-256 needs "
                f"exactly {KEY_SIZE}."
            )
        if key_id in keys:
            raise KeyRingError(f"{SETTING_NAME}: the key id '{key_id}' appears twice.")
        keys[key_id] = material
    if not keys:
        raise KeyRingError(f"{SETTING_NAME} holds no keys.")
    return KeyRing(keys=keys, current_id=next(iter(keys)))


@lru_cache(maxsize=8)
def _cached_ring(raw: str) -> KeyRing:
    return parse_key_ring(raw)


def get_key_ring() -> KeyRing:
    """The ring from settings (cached per value, so ``override_settings`` just works)."""
    return _cached_ring(getattr(settings, "ENCRYPTION_KEYS", "") or "")


def encrypt_bytes(plaintext: bytes, *, associated_data: bytes | None = None) -> bytes:
    """Encrypt under the newest key; the result names that key."""
    ring = get_key_ring()
    key_id = ring.current_id.encode()
    nonce = os.urandom(NONCE_SIZE)
    sealed = AESGCM(ring.keys[ring.current_id]).encrypt(nonce, plaintext, associated_data)
    return BYTES_MAGIC + bytes([len(key_id)]) + key_id + nonce + sealed


def _split_bytes(blob: bytes) -> tuple[str, bytes]:
    if not blob.startswith(BYTES_MAGIC) or len(blob) < len(BYTES_MAGIC) + 2:
        raise DecryptionError("This is not SafeHarbor ciphertext (the header is missing).")
    length = blob[len(BYTES_MAGIC)]
    start = len(BYTES_MAGIC) + 1
    key_id = blob[start : start + length].decode("ascii", errors="replace")
    return key_id, blob[start + length :]


def key_id_of_bytes(blob: bytes) -> str:
    return _split_bytes(blob)[0]


def _open(key_id: str, body: bytes, associated_data: bytes | None) -> bytes:
    key = get_key_ring().key(key_id)
    if len(body) < NONCE_SIZE + 16:
        raise DecryptionError("The ciphertext is truncated.")
    try:
        return AESGCM(key).decrypt(body[:NONCE_SIZE], body[NONCE_SIZE:], associated_data)
    except InvalidTag:
        raise DecryptionError(
            f"A value encrypted with key '{key_id}' could not be decrypted: the key '{key_id}' "
            f"in {SETTING_NAME} is not the one it was encrypted with, or the value was altered."
        ) from None


def decrypt_bytes(blob: bytes, *, associated_data: bytes | None = None) -> bytes:
    key_id, body = _split_bytes(bytes(blob))
    return _open(key_id, body, associated_data)


def encrypt_text(
    plaintext: str, *, associated_data: bytes | None = None, key_id: str | None = None
) -> str:
    """Encrypt a string into the text form stored in database columns (under the newest
    key, or ``key_id`` for the key checks)."""
    ring = get_key_ring()
    key_id = key_id or ring.current_id
    nonce = os.urandom(NONCE_SIZE)
    sealed = AESGCM(ring.key(key_id)).encrypt(nonce, plaintext.encode("utf-8"), associated_data)
    body = base64.urlsafe_b64encode(nonce + sealed).decode("ascii").rstrip("=")
    return f"{TEXT_PREFIX}{key_id}:{body}"


def is_ciphertext_text(value: object) -> bool:
    return isinstance(value, str) and value.startswith(TEXT_PREFIX) and value.count(":") >= 2


def key_id_of_text(token: str) -> str:
    if not is_ciphertext_text(token):
        raise DecryptionError(
            "A stored value is not SafeHarbor ciphertext; encrypted columns never hold plaintext."
        )
    return token[len(TEXT_PREFIX) :].split(":", 1)[0]


def decrypt_text(token: str, *, associated_data: bytes | None = None) -> str:
    key_id = key_id_of_text(token)
    encoded = token[len(TEXT_PREFIX) + len(key_id) + 1 :]
    try:
        body = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
    except (binascii.Error, ValueError):
        raise DecryptionError("A stored encrypted value is damaged (bad base64).") from None
    return _open(key_id, body, associated_data).decode("utf-8")


def generate_key() -> str:
    """A fresh base64 key, for operators building a ring (``safeharbor keys generate``)."""
    return base64.b64encode(os.urandom(KEY_SIZE)).decode("ascii")
