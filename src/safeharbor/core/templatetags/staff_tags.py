"""Template helpers for staff pages: show a link only to those its page would let in."""

from __future__ import annotations

from typing import Any

from django import template

from safeharbor.core.permissions import engine

register = template.Library()


@register.filter
def allows(membership: Any, code: str) -> bool:
    """``{% if membership|allows:"enforcement.unitmember.view" %}`` — the same test as the
    page's ``requires`` gate, so a link is never shown to someone the page would refuse."""
    if membership is None or not code:
        return False
    return engine.role_allows(membership, code)
