"""The system actor: who background jobs (linkage, reports, backup) act as.

It is not a user and has no membership; the permission engine lets it through, and every
audit event it causes is recorded with the actor kind ``system``.
"""

from __future__ import annotations


class SystemActor:
    """The one system actor. Compare with ``is SYSTEM``."""

    _instance: SystemActor | None = None
    is_authenticated = False
    pk = None

    def __new__(cls) -> SystemActor:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "SYSTEM"

    def __str__(self) -> str:
        return "system"


SYSTEM = SystemActor()
