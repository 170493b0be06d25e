"""Harness factories for core's synthetic protected models."""

from __future__ import annotations

from safeharbor.core.testing.harness import register_factory
from safeharbor.core.testing.models import Specimen, SpecimenNote


def make_specimen(*, agency, assigned_to=None):
    return Specimen.objects.create(
        agency=agency, assigned_to=assigned_to, name="Synthetic Person", age_band="15-17"
    )


def make_note(*, agency, assigned_to=None):
    specimen = make_specimen(agency=agency, assigned_to=assigned_to)
    return SpecimenNote.objects.create(specimen=specimen, text="synthetic note", kind="contact")


register_factory(Specimen, make_specimen)
register_factory(SpecimenNote, make_note)
