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


@checks.register(checks.Tags.database)
def check_keys_match_database(
    app_configs: Any = None, databases: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """With a database (migrate, ``check --database``, serve, worker): every key that has
    encrypted data here must be in the ring and be the right key."""
    from django.db import DatabaseError

    from .keys import key_problems

    errors: list[checks.CheckMessage] = []
    for alias in databases or []:
        try:
            problems = key_problems(alias)
        except DatabaseError:
            continue  # no database yet: nothing encrypted to check against
        errors += [checks.Critical(p, id="safeharbor.E003") for p in problems]
    return errors


def require_keys_match_database(using: str = "default") -> None:
    """For long-running commands: stop with a clear message when the keys are wrong."""
    from .keys import key_problems

    problems = key_problems(using)
    if problems:
        raise ImproperlyConfigured(" ".join(problems))
