"""Runs every registered periodic check, each independently."""

from __future__ import annotations

import logging
from collections.abc import Iterator

from .registry import registry

logger = logging.getLogger("safeharbor.periodic")


def run_periodic_checks() -> Iterator[str]:
    """Run each check; one that fails is logged and does not stop the others."""
    for name, check in sorted(registry.periodic.items()):
        try:
            result = check.run()
        except Exception:
            logger.exception("periodic check %s failed", name)
            yield f"{name}: failed (see log)"
        else:
            yield f"{name}: {result or 'done'}"
