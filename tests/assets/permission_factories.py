"""Harness factories for the seized-property models (synthetic data): each record belongs,
through its asset, to the given agency and is assigned (as seizing officer) to
``assigned_to``."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

from django.utils import timezone

from safeharbor.assets.models import (
    AssetPhoto,
    CustodyEvent,
    Disposition,
    ForfeitureEvent,
    Lienholder,
    SeizedAsset,
)
from safeharbor.core.files import EncryptedFile
from safeharbor.core.testing.harness import register_factory
from safeharbor.enforcement.models import Investigation, Subject
from tests import factories

_numbers = itertools.count(1)
DAY = datetime.date(2026, 3, 1)


def make_asset(*, agency, assigned_to=None):
    n = next(_numbers)
    subject = Subject.objects.create(agency=agency, reference=f"SUB-A{n:07d}", kind="buyer")
    investigation = _investigation(agency)
    return SeizedAsset.objects.create(
        agency=agency,
        reference=f"H-{n:05d}",
        investigation=investigation,
        subject=subject,
        kind="phone",
        description="Harness phone",
        seized_at=timezone.now(),
        seized_by=assigned_to or factories.UserFactory(),
        created_by=assigned_to,
    )


def _investigation(agency):
    return Investigation.objects.create(
        agency=agency,
        case_number=f"H-{next(_numbers)}",
        title="Harness investigation",
        opened_on=DAY,
        lead_detective=factories.UserFactory(),
    )


def make_lien(*, agency, assigned_to=None):
    return Lienholder.objects.create(
        asset=make_asset(agency=agency, assigned_to=assigned_to), name="Harness Credit Union"
    )


def make_custody(*, agency, assigned_to=None):
    return CustodyEvent.objects.create(
        asset=make_asset(agency=agency, assigned_to=assigned_to),
        sequence=1,
        occurred_at=timezone.now(),
        from_custodian="Officer",
        to_custodian="Evidence room",
        location="Shelf",
        reason="Harness",
    )


def make_step(*, agency, assigned_to=None):
    return ForfeitureEvent.objects.create(
        asset=make_asset(agency=agency, assigned_to=assigned_to),
        sequence=1,
        from_state="seized",
        to_state="notice_sent",
        occurred_on=DAY,
    )


def make_disposition(*, agency, assigned_to=None):
    return Disposition.objects.create(
        asset=make_asset(agency=agency, assigned_to=assigned_to),
        method="destroyed",
        disposed_on=DAY,
        gross_proceeds=Decimal("0.00"),
    )


def make_photo(*, agency, assigned_to=None):
    n = next(_numbers)
    stored = EncryptedFile.objects.create(
        kind="property_photo",
        content_type="image/png",
        size=1,
        storage_name=f"encrypted/harness-{n}",
        key_id="harness",
        agency=agency,
    )
    return AssetPhoto.objects.create(
        asset=make_asset(agency=agency, assigned_to=assigned_to), file=stored
    )


register_factory(SeizedAsset, make_asset)
register_factory(Lienholder, make_lien)
register_factory(CustodyEvent, make_custody)
register_factory(ForfeitureEvent, make_step)
register_factory(Disposition, make_disposition)
register_factory(AssetPhoto, make_photo)
