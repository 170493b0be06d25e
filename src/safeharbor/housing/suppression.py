"""Small-cell suppression for housing aggregates.

A minimal local helper: the reports area's shared ``safeharbor.reports.suppression`` had not
landed when this was written. Counts from 1 to 10 are shown as "fewer than 11" (HUD's
comparable-database and many funders' rule); zero is shown, since it reveals no one.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

SMALL_CELL_MAX = 10


def is_small(count: int | None) -> bool:
    return count is not None and 0 < count <= SMALL_CELL_MAX


def suppress(count: int) -> int | str:
    """``count``, or "fewer than 11" when it is from 1 to 10."""
    return _("fewer than %(n)d") % {"n": SMALL_CELL_MAX + 1} if is_small(count) else count
