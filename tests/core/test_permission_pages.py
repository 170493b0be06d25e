"""A page of records gets from the engine exactly what each record gets on its own, in a
number of queries that does not grow with the page (API lists)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework import serializers

from safeharbor.core import permissions as perms
from safeharbor.core.protected_views import CategoryFilteredSerializerMixin
from safeharbor.core.testing.models import Specimen, SpecimenNote
from tests import factories

from .test_permissions import make_role, member, specimen

pytestmark = pytest.mark.django_db


class SpecimenSerializer(CategoryFilteredSerializerMixin, serializers.ModelSerializer):
    class Meta:
        model = Specimen
        fields = ["id", "name", "case_notes", "age_band"]


def _shared_page(owner, partner, n):
    rows = []
    for i in range(n):
        record = specimen(owner.agency)
        # Alternate what is shared, so a mix-up between rows would show.
        cats = ["case", "statistical"] if i % 2 else ["identity", "statistical"]
        perms.grant_create(
            subject=owner,
            obj=record,
            grantee_agency=partner,
            categories=cats,
            ends_at=timezone.now() + timedelta(days=5),
        )
        rows.append(record)
    return rows


def test_a_page_sees_per_record_what_each_record_sees():
    owner_agency, partner = factories.AgencyFactory(), factories.AgencyFactory()
    owner = member(owner_agency, make_role("sharer", ["core_testing.*"], "agency"))
    receiver = member(partner, make_role("receiver", ["core_testing.*"], "assigned"))
    caseworker = member(partner, make_role("receiver", ["core_testing.*"], "assigned"))
    shared = _shared_page(owner, partner, 4)
    mine = specimen(partner, receiver.user)
    colleague = specimen(partner, caseworker.user)  # own agency, outside the scope
    elsewhere = specimen(owner_agency)  # never shared
    glass = specimen(partner)
    perms.break_glass_open(membership=receiver, obj=glass, reason="Synthetic urgent need here")
    notes = [SpecimenNote.objects.create(specimen=r, text="n") for r in [*shared, mine, glass]]
    records = [*shared, mine, colleague, elsewhere, glass]

    for subject in (receiver, caseworker, owner, perms.SYSTEM, None):
        page = perms.visible_categories_many(subject, records)
        assert page == {r.pk: perms.visible_categories(subject, r) for r in records}
        note_page = perms.visible_categories_many(subject, notes)
        assert note_page == {n.pk: perms.visible_categories(subject, n) for n in notes}
    page = perms.visible_categories_many(receiver, records)
    assert page[shared[0].pk] == {"identity", "statistical"}
    assert page[shared[1].pk] == {"case", "statistical"}
    assert page[mine.pk] == page[glass.pk] == {"identity", "case", "statistical"}
    assert page[colleague.pk] == page[elsewhere.pk] == frozenset()


def test_a_listed_page_costs_the_same_queries_whatever_its_length(
    django_assert_max_num_queries,
):
    owner_agency, partner = factories.AgencyFactory(), factories.AgencyFactory()
    owner = member(owner_agency, make_role("sharer", ["core_testing.*"], "agency"))
    receiver = member(partner, make_role("receiver", ["core_testing.*"], "agency"))
    receiver.user, receiver.agency, receiver.role  # noqa: B018 (loaded, as on a request)
    small, large = _shared_page(owner, partner, 5), _shared_page(owner, partner, 25)
    notes = [SpecimenNote.objects.create(specimen=r, text="n") for r in large]

    def render(rows):
        return SpecimenSerializer(rows, many=True, context={"membership": receiver}).data

    with django_assert_max_num_queries(1):  # the grants of the whole page, once
        small_data = render(small)
    with django_assert_max_num_queries(1):
        large_data = render(large)
    assert [sorted(row) for row in small_data[:2]] == [
        ["age_band", "id", "name"],
        ["age_band", "case_notes", "id"],
    ]
    assert len(large_data) == 25
    with django_assert_max_num_queries(2):  # the notes' parents, then the grants
        perms.visible_categories_many(receiver, notes)
