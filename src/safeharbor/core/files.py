"""Encrypted uploads: signed consent forms, photos of seized property.

``store_encrypted_upload(uploaded_file, *, kind)`` checks the size and the real type (from
the file's first bytes, not its name or the browser's word), encrypts it with the key ring
(AES-256-GCM, bound to the file's own id so stored files cannot be swapped), and saves only
ciphertext to storage. The area then links the file to its record (a foreign key to
``core.EncryptedFile``) and calls ``encrypted_file_attach``; the file is served only by
``core:file`` after the permission engine allows ``view`` on that record and the file kind's
data category.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .crypto import decrypt_bytes, encrypt_bytes, get_key_ring, key_id_of_bytes
from .fields import EncryptedTextField

__all__ = [
    "FILE_KINDS",
    "EncryptedFile",
    "FileKind",
    "encrypted_file_attach",
    "read_encrypted_file",
    "register_file_kind",
    "store_encrypted_upload",
]

MB = 1024 * 1024

# Real types recognised from their first bytes: name -> (mime type, extension, test).
SIGNATURES: dict[str, tuple[str, str, Any]] = {
    "pdf": ("application/pdf", "pdf", lambda b: b.startswith(b"%PDF-")),
    "png": ("image/png", "png", lambda b: b.startswith(b"\x89PNG\r\n\x1a\n")),
    "jpeg": ("image/jpeg", "jpg", lambda b: b.startswith(b"\xff\xd8\xff")),
    "webp": ("image/webp", "webp", lambda b: b[:4] == b"RIFF" and b[8:12] == b"WEBP"),
}


@dataclass(frozen=True)
class FileKind:
    """What may be uploaded as this kind, and which data category it belongs to."""

    name: str
    types: tuple[str, ...]
    max_bytes: int
    category: str


FILE_KINDS: dict[str, FileKind] = {}


def register_file_kind(
    name: str, *, types: tuple[str, ...], max_bytes: int, category: str = "case"
) -> FileKind:
    kind = FileKind(name=name, types=types, max_bytes=max_bytes, category=category)
    FILE_KINDS[name] = kind
    return kind


register_file_kind("consent_form", types=("pdf", "png", "jpeg"), max_bytes=10 * MB)
register_file_kind("property_photo", types=("jpeg", "png", "webp"), max_bytes=10 * MB)
register_file_kind("document", types=("pdf",), max_bytes=10 * MB)


class EncryptedFile(models.Model):
    """An uploaded file, stored only as ciphertext. The original name is encrypted too."""

    key = models.UUIDField(gettext_lazy("file id"), default=uuid.uuid4, unique=True)
    kind = models.CharField(gettext_lazy("kind"), max_length=40)
    content_type = models.CharField(gettext_lazy("type"), max_length=60)
    size = models.PositiveIntegerField(gettext_lazy("size in bytes"))
    original_name = EncryptedTextField(gettext_lazy("original name"), blank=True, max_length=255)
    storage_name = models.CharField(gettext_lazy("stored as"), max_length=200, unique=True)
    key_id = models.CharField(gettext_lazy("encryption key id"), max_length=32, db_index=True)
    agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=gettext_lazy("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner_type = models.ForeignKey(
        ContentType,
        verbose_name=gettext_lazy("belongs to type"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner_id = models.BigIntegerField(gettext_lazy("belongs to id"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(gettext_lazy("uploaded"), auto_now_add=True)

    class Meta:
        app_label = "core"
        verbose_name = gettext_lazy("encrypted file")
        verbose_name_plural = gettext_lazy("encrypted files")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner_type", "owner_id"], name="core_file_owner_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}"

    @property
    def associated_data(self) -> bytes:
        return f"safeharbor-file:{self.key}".encode()

    @property
    def extension(self) -> str:
        for mime, ext, _test in SIGNATURES.values():
            if mime == self.content_type:
                return ext
        return "bin"

    def owner(self) -> models.Model | None:
        if self.owner_type_id is None or self.owner_id is None:
            return None
        model = self.owner_type.model_class()
        return model._default_manager.filter(pk=self.owner_id).first() if model else None


def _sniff(head: bytes, allowed: tuple[str, ...]) -> str | None:
    for name in allowed:
        mime, _ext, test = SIGNATURES[name]
        if test(head):
            return mime
    return None


def store_encrypted_upload(
    uploaded_file: Any,
    *,
    kind: str,
    actor: Any = None,
    agency_id: int | None = None,
    owner: models.Model | None = None,
) -> EncryptedFile:
    """Check, encrypt and store an upload; returns its ``EncryptedFile``.

    Raises ``ValidationError`` with a plain message when the file is too large, empty or
    not one of the kind's types.
    """
    from safeharbor.audit.choices import AuditAction
    from safeharbor.audit.services import audit_record

    spec = FILE_KINDS.get(kind)
    if spec is None:
        raise ValueError(f"Unknown file kind {kind!r}; register it with register_file_kind().")
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > spec.max_bytes:
        raise ValidationError(
            _("This file is too large. The limit is %(mb)d MB.") % {"mb": spec.max_bytes // MB}
        )
    chunks = []
    read = 0
    for chunk in uploaded_file.chunks() if hasattr(uploaded_file, "chunks") else [uploaded_file]:
        read += len(chunk)
        if read > spec.max_bytes:
            raise ValidationError(
                _("This file is too large. The limit is %(mb)d MB.") % {"mb": spec.max_bytes // MB}
            )
        chunks.append(chunk)
    data = b"".join(chunks)
    if not data:
        raise ValidationError(_("This file is empty."))
    mime = _sniff(data[:16], spec.types)
    if mime is None:
        allowed = ", ".join(t.upper() for t in spec.types)
        raise ValidationError(
            _("This kind of file cannot be uploaded here. Allowed: %(types)s.") % {"types": allowed}
        )
    record = EncryptedFile(
        kind=kind,
        content_type=mime,
        size=len(data),
        original_name=(getattr(uploaded_file, "name", "") or "")[:255],
        agency_id=agency_id,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    blob = encrypt_bytes(data, associated_data=record.associated_data)
    record.key_id = key_id_of_bytes(blob)
    with transaction.atomic():
        record.storage_name = default_storage.save(
            f"encrypted/{uuid.uuid4().hex}", ContentFile(blob)
        )
        if owner is not None:
            record.owner_type = ContentType.objects.get_for_model(owner)
            record.owner_id = owner.pk
        record.save()
        audit_record(
            action=AuditAction.CREATE,
            actor=actor,
            agency_id=agency_id,
            obj=record,
            fields=["content"],
            reason=kind,
        )
    return record


def encrypted_file_attach(*, file: EncryptedFile, owner: models.Model) -> None:
    """Link a stored file to the protected record whose permissions govern it."""
    EncryptedFile.objects.filter(pk=file.pk).update(
        owner_type=ContentType.objects.get_for_model(owner), owner_id=owner.pk
    )
    file.owner_type = ContentType.objects.get_for_model(owner)
    file.owner_id = owner.pk


def read_encrypted_file(file: EncryptedFile) -> bytes:
    """The plaintext; callers must have checked the permission engine."""
    with default_storage.open(file.storage_name, "rb") as handle:
        blob = handle.read()
    return decrypt_bytes(blob, associated_data=file.associated_data)


def rotate_files(*, batch_size: int = 100, using: str = "default") -> int:
    """Re-encrypt every file not under the newest key; safe to stop and run again."""
    newest = get_key_ring().current_id
    rotated = 0
    while True:
        batch = list(
            EncryptedFile.objects.using(using).exclude(key_id=newest).order_by("pk")[:batch_size]
        )
        if not batch:
            return rotated
        for file in batch:
            plain = read_encrypted_file(file)
            blob = encrypt_bytes(plain, associated_data=file.associated_data)
            old_name = file.storage_name
            new_name = default_storage.save(f"encrypted/{uuid.uuid4().hex}", ContentFile(blob))
            with transaction.atomic(using=using):
                updated = (
                    EncryptedFile.objects.using(using)
                    .filter(pk=file.pk, storage_name=old_name)
                    .update(storage_name=new_name, key_id=newest)
                )
            if updated:
                default_storage.delete(old_name)
                rotated += 1
            else:
                default_storage.delete(new_name)
