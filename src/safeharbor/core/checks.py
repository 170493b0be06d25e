"""Start-up checks: the encryption key ring and the blind-index key must be present and
well-formed, or nothing starts (``manage.py check``, ``migrate``, ``runserver`` and the
``serve``/``worker`` commands all run them)."""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.core.exceptions import ImproperlyConfigured


@checks.register(checks.Tags.security)
def check_encryption_keys(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    from .blind_index import root_key
    from .crypto import get_key_ring

    errors: list[checks.CheckMessage] = []
    try:
        get_key_ring()
    except ImproperlyConfigured as exc:
        errors.append(
            checks.Critical(
                str(exc),
                hint="Set SAFEHARBOR_ENCRYPTION_KEYS; see docs/security.md.",
                id="safeharbor.E001",
            )
        )
    try:
        root_key()
    except ImproperlyConfigured as exc:
        errors.append(
            checks.Critical(
                str(exc),
                hint="Set SAFEHARBOR_BLIND_INDEX_KEY; see docs/security.md.",
                id="safeharbor.E002",
            )
        )
    return errors
