"""Who may see which report, over which agencies, and whether small cells are hidden.

- ``reports.dashboard.view``: the dashboard. Roles that also have ``reports.dashboard.all``
  (the coordinator and analysts) see every agency, or one they choose; everyone else sees
  their own agency only.
- Small cells are hidden for anyone outside the agencies that own the records: shown in
  full only when the report covers the reader's own agency alone and their membership
  reaches the whole agency (a caseworker, who sees only assigned records, gets the
  suppressed figures too).
- ``reports.performance.view``: the performance-measures report, on the same terms.
- ``reports.dashboard.export``/``reports.performance.export``: CSV and PDF downloads.
"""

from __future__ import annotations

import datetime
from typing import Any

from safeharbor.core.permissions import role_allows

from .registry import ReportScope

__all__ = ["allowed", "report_scope", "sees_all_agencies"]


def allowed(membership: Any, code: str) -> bool:
    return (
        membership is not None
        and getattr(membership, "is_active", True)
        and role_allows(membership, code)
    )


def sees_all_agencies(membership: Any) -> bool:
    return allowed(membership, "reports.dashboard.all")


def report_scope(
    membership: Any,
    *,
    start: datetime.date,
    end: datetime.date,
    agency_id: int | None = None,
) -> ReportScope:
    """The scope a reader gets for the period and the agency they asked for."""
    if sees_all_agencies(membership):
        agency_ids = (agency_id,) if agency_id else None
    else:
        agency_ids = (membership.agency_id,)
    whole_agency = membership.effective_scope == "agency"
    suppress = not (agency_ids == (membership.agency_id,) and whole_agency)
    return ReportScope(
        start=start, end=end, agency_ids=agency_ids, suppress=suppress, membership=membership
    )
