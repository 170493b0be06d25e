"""Key checks against the database, and rotation of every encrypted value to the newest key.

``KeyCanary`` holds, for each key that has encrypted data here, a known text encrypted under
it. At start-up (``migrate``, ``check --database``, ``serve``, ``worker``) each canary of a
key in the ring must decrypt: a key with the right id but the wrong bytes stops start-up
instead of failing later on every read.

``rotate_all`` re-encrypts every encrypted column of every model (found through the field
classes, so areas added later are covered with no registration) and every encrypted file,
in batches that each commit on their own, with compare-and-swap updates: it can be stopped
at any point and run again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connections, models, transaction
from django.utils.translation import gettext_lazy as _

from .crypto import DecryptionError, decrypt_text, encrypt_text, get_key_ring, key_id_of_text

CANARY_TEXT = "safeharbor-key-check-v1"


class KeyCanary(models.Model):
    """A known text encrypted under one key, to prove at start-up that the key is right."""

    key_id = models.CharField(_("key id"), max_length=32, unique=True)
    token = models.TextField(_("encrypted check value"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        app_label = "core"
        verbose_name = _("key check value")
        verbose_name_plural = _("key check values")
        ordering = ["key_id"]

    def __str__(self) -> str:
        return self.key_id


def _table_exists(using: str) -> bool:
    connection = connections[using]
    with connection.cursor() as cursor:
        return KeyCanary._meta.db_table in connection.introspection.table_names(cursor)


def ensure_canary(using: str = "default") -> None:
    """Record a check value for the newest key (after migrate, and after rotation)."""
    if not _table_exists(using):
        return
    ring = get_key_ring()
    KeyCanary.objects.using(using).get_or_create(
        key_id=ring.current_id,
        defaults={"token": encrypt_text(CANARY_TEXT, key_id=ring.current_id)},
    )


def key_problems(using: str = "default") -> list[str]:
    """What is wrong between the ring and this database (empty when all is well)."""
    try:
        ring = get_key_ring()
    except ImproperlyConfigured as exc:
        return [str(exc)]
    if not _table_exists(using):
        return []
    problems = []
    for canary in KeyCanary.objects.using(using).all():
        if canary.key_id not in ring.keys:
            problems.append(
                f"This database has data encrypted with key '{canary.key_id}', which is not in "
                "SAFEHARBOR_ENCRYPTION_KEYS. Put it back in the ring (after the newest key) and "
                "run 'safeharbor keys rotate' before removing it."
            )
            continue
        try:
            ok = decrypt_text(canary.token) == CANARY_TEXT
        except DecryptionError:
            ok = False
        if not ok:
            problems.append(
                f"The key '{canary.key_id}' in SAFEHARBOR_ENCRYPTION_KEYS is not the key this "
                "database was encrypted with. Check the value; nothing can be read with it."
            )
    return problems


def on_post_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    if getattr(sender, "label", None) == "core":
        ensure_canary(using)


# Rotation -------------------------------------------------------------------------------------


@dataclass
class RotationResult:
    scanned: int = 0
    rotated: int = 0
    files_rotated: int = 0
    columns: list[str] = field(default_factory=list)
    remaining_old: int = 0


Progress = Callable[[int, int, str], None]


def _targets() -> list[tuple[type[models.Model], models.Field]]:
    from .fields import encrypted_fields

    return sorted(encrypted_fields(), key=lambda mf: (mf[0]._meta.db_table, mf[1].column))


def count_rows(using: str = "default") -> int:
    connection = connections[using]
    qn = connection.ops.quote_name
    total = 0
    with connection.cursor() as cursor:
        for model, fld in _targets():
            cursor.execute(
                f"SELECT COUNT(*) FROM {qn(model._meta.db_table)} "  # noqa: S608 # nosec B608 - table/column names from model metadata, quoted
                f"WHERE {qn(fld.column)} IS NOT NULL"
            )
            total += cursor.fetchone()[0]
    return total


def key_usage(using: str = "default") -> dict[str, dict[str, int]]:
    """For each encrypted column, how many values are under each key id."""
    connection = connections[using]
    qn = connection.ops.quote_name
    usage: dict[str, dict[str, int]] = {}
    with connection.cursor() as cursor:
        for model, fld in _targets():
            label = f"{model._meta.label_lower}.{fld.name}"
            counts: dict[str, int] = {}
            cursor.execute(
                f"SELECT {qn(fld.column)} FROM {qn(model._meta.db_table)} "  # noqa: S608 # nosec B608 - names from model metadata, quoted
                f"WHERE {qn(fld.column)} IS NOT NULL"
            )
            for (token,) in cursor.fetchall():
                kid = key_id_of_text(token)
                counts[kid] = counts.get(kid, 0) + 1
            usage[label] = counts
    return usage


def rotate_column(
    model: type[models.Model],
    fld: models.Field,
    *,
    batch_size: int = 500,
    using: str = "default",
    on_batch: Callable[[int], None] | None = None,
) -> tuple[int, int]:
    """Re-encrypt one column under the newest key; returns (scanned, rotated)."""
    connection = connections[using]
    qn = connection.ops.quote_name
    table, column, pk = (qn(model._meta.db_table), qn(fld.column), qn(model._meta.pk.column))
    newest = get_key_ring().current_id
    last_pk: Any = None
    scanned = rotated = 0
    while True:
        with transaction.atomic(using=using), connection.cursor() as cursor:
            where = f"{column} IS NOT NULL" + (f" AND {pk} > %s" if last_pk is not None else "")
            cursor.execute(
                f"SELECT {pk}, {column} FROM {table} WHERE {where} "  # noqa: S608 # nosec B608 - quoted names; values are parameters
                f"ORDER BY {pk} LIMIT %s",
                ([last_pk] if last_pk is not None else []) + [batch_size],
            )
            rows = cursor.fetchall()
            if not rows:
                return scanned, rotated
            for row_pk, token in rows:
                if key_id_of_text(token) != newest:
                    fresh = encrypt_text(decrypt_text(token))
                    # Compare-and-swap: a value changed meanwhile is already under the newest key.
                    cursor.execute(
                        f"UPDATE {table} SET {column} = %s "  # noqa: S608 # nosec B608 - quoted names; values are parameters
                        f"WHERE {pk} = %s AND {column} = %s",
                        [fresh, row_pk, token],
                    )
                    rotated += cursor.rowcount
            scanned += len(rows)
            last_pk = rows[-1][0]
        if on_batch is not None:
            on_batch(len(rows))


def rotate_all(
    *, batch_size: int = 500, using: str = "default", progress: Progress | None = None
) -> RotationResult:
    """Rotate every encrypted column and file, auditing each finished column."""
    from safeharbor.audit.choices import AuditAction
    from safeharbor.audit.services import audit_record

    from .actors import SYSTEM
    from .files import rotate_files

    ensure_canary(using)
    result = RotationResult()
    total = count_rows(using)
    done = 0
    newest = get_key_ring().current_id
    for model, fld in _targets():
        label = f"{model._meta.label_lower}.{fld.name}"

        def on_batch(count: int, label: str = label) -> None:
            nonlocal done
            done += count
            if progress is not None:
                progress(done, total, label)

        scanned, rotated = rotate_column(
            model, fld, batch_size=batch_size, using=using, on_batch=on_batch
        )
        result.scanned += scanned
        result.rotated += rotated
        result.columns.append(label)
        if rotated:
            audit_record(
                action=AuditAction.KEY_ROTATION,
                actor=SYSTEM,
                object_type=model._meta.label_lower,
                object_id=rotated,
                fields=[fld.name],
                reason=f"rotated_to_{newest}"[:60],
            )
    result.files_rotated = rotate_files(batch_size=batch_size, using=using)
    if result.files_rotated:
        audit_record(
            action=AuditAction.KEY_ROTATION,
            actor=SYSTEM,
            object_type="core.encryptedfile",
            object_id=result.files_rotated,
            reason=f"rotated_to_{newest}"[:60],
        )
    usage = key_usage(using)
    result.remaining_old = sum(n for c in usage.values() for k, n in c.items() if k != newest)
    from .files import EncryptedFile

    result.remaining_old += EncryptedFile.objects.using(using).exclude(key_id=newest).count()
    if result.remaining_old == 0:
        # Nothing is under an older key any more: it may leave the ring.
        KeyCanary.objects.using(using).exclude(key_id=newest).delete()
    return result
