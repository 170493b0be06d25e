"""``ProtectedQuerySet``: the list side of the permission engine."""

from __future__ import annotations

from typing import Any

from django.db import models

from .registry import spec_for


class ProtectedQuerySet(models.QuerySet):
    """Use as ``objects = ProtectedQuerySet.as_manager()`` on a protected model."""

    def visible_to(self, subject: Any, action: str = "view") -> ProtectedQuerySet:
        """Only the records ``subject`` (a Membership, SYSTEM or None) may ``action``."""
        from .engine import visible_q

        q = visible_q(subject, spec_for(self.model), action)
        if q is None:
            return self.none()
        return self.filter(q)
