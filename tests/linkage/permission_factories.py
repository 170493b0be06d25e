"""Harness factories for the linkage area's protected models (synthetic)."""

from __future__ import annotations

from safeharbor.core.testing.harness import register_factory
from safeharbor.linkage.models import ClusterMembership, DuplicatePair, LinkageRun
from safeharbor.survivors.derive import new_reference
from safeharbor.survivors.models import Person


def _person(agency, assigned_to=None):
    return Person.objects.create(
        agency=agency, reference=new_reference(), given_name="Synth", assigned_to=assigned_to
    )


def make_run(*, agency, assigned_to=None):
    return LinkageRun.objects.create(agency=agency, started_by=assigned_to, threshold=0.7)


def make_membership(*, agency, assigned_to=None):
    person = _person(agency, assigned_to)
    return ClusterMembership.objects.create(
        run=make_run(agency=agency), person=person, cluster=person.pk
    )


def make_pair(*, agency, assigned_to=None):
    a, b = sorted([_person(agency), _person(agency)], key=lambda p: p.pk)
    return DuplicatePair.objects.create(
        agency=agency, person_a=a, person_b=b, match_probability=0.8, decided_by=assigned_to
    )


register_factory(LinkageRun, make_run)
register_factory(ClusterMembership, make_membership)
register_factory(DuplicatePair, make_pair)
