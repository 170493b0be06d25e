"""Password rules beyond Django's: an operator-supplied banned list."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@lru_cache(maxsize=4)
def _banned(path: str) -> frozenset[str]:
    if not path:
        return frozenset()
    lines = Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
    return frozenset(line.strip().casefold() for line in lines if line.strip())


class BannedPasswordValidator:
    """Rejects passwords on the list in ``SAFEHARBOR_BANNED_PASSWORDS_FILE``."""

    def validate(self, password: str, user: object = None) -> None:
        if password.strip().casefold() in _banned(settings.BANNED_PASSWORDS_FILE):
            raise ValidationError(
                _("This password is on this organisation's list of banned passwords."),
                code="password_banned",
            )

    def get_help_text(self) -> str:
        return _("Your password cannot be one your organisation has banned.")
