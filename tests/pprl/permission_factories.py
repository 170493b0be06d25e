"""Harness factories for the privacy-preserving rounds and encoding uploads (synthetic: the
encodings are random bits)."""

from __future__ import annotations

import numpy as np

from safeharbor.core.testing.harness import register_factory
from safeharbor.linkage.pprl.encoding import DEFAULT_SCHEMA
from safeharbor.linkage.pprl.models import EncodingUpload, PrivateRound


def make_round(*, agency, assigned_to=None):
    return PrivateRound.objects.create(
        agency=agency,
        created_by=assigned_to,
        title="Harness round",
        key_fingerprint="0123456789abcdef",
        threshold=0.76,
        lower_threshold=0.68,
    )


def make_upload(*, agency, assigned_to=None):
    rng = np.random.Generator(np.random.PCG64(5))
    packed = np.packbits(rng.random((3, DEFAULT_SCHEMA.output_bits)) < 0.3, axis=1)
    return EncodingUpload.objects.create(
        round=make_round(agency=agency),
        agency=agency,
        uploaded_by=assigned_to,
        source_label="harness",
        key_fingerprint="0123456789abcdef",
        schema=DEFAULT_SCHEMA.as_dict(),
        records=3,
        encodings=EncodingUpload.pack(packed),
    )


register_factory(PrivateRound, make_round)
register_factory(EncodingUpload, make_upload)
