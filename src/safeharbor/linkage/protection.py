"""Registration of this area's models with the permission engine."""

from __future__ import annotations

from safeharbor.core.permissions import STATISTICAL, register_protected

from .models import ClusterMembership, DuplicatePair, LinkageRun


def register() -> None:
    register_protected(
        LinkageRun,
        agency_field="agency",
        assigned_fields=("started_by",),
        categories={STATISTICAL: ["counts", "timings", "model_name"]},
    )
    # A membership belongs to the person record: the record's agency owns it.
    register_protected(
        ClusterMembership, parent="person", categories={STATISTICAL: ["cluster", "linked"]}
    )
    register_protected(
        DuplicatePair,
        agency_field="agency",
        assigned_fields=("decided_by",),
        categories={STATISTICAL: ["match_probability", "status"]},
        actions=("review",),
    )
