"""The seized-property models under the platform's permission engine. Everything reaches its
agency through the asset; under the ``assigned`` scope an officer reaches what they seized
or recorded.

``ForfeiturePolicy`` is one row of settings per agency, not a record: the role decides
(``assets.forfeiturepolicy.change``), always for the member's own agency."""

from __future__ import annotations

from safeharbor.core.permissions import CASE, STATISTICAL, register_protected

from .models import (
    _CASE_FIELDS,
    _STATISTICAL_FIELDS,
    AssetPhoto,
    CustodyEvent,
    Disposition,
    ForfeitureEvent,
    Lienholder,
    SeizedAsset,
)


def register() -> None:
    register_protected(
        SeizedAsset,
        assigned_fields=("seized_by", "created_by"),
        categories={CASE: _CASE_FIELDS, STATISTICAL: _STATISTICAL_FIELDS},
    )
    for model in (Lienholder, CustodyEvent, ForfeitureEvent, Disposition, AssetPhoto):
        register_protected(model, parent="asset")
