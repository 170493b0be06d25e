"""Blind indexes: normalisation, phonetic matching, per-agency keys, truncation."""

from __future__ import annotations

import datetime

import pytest
from django.db.models import Count
from django.test import override_settings

from safeharbor.core import blind_index as bi
from safeharbor.core.testing.models import Specimen, SpecimenIndexTerm
from tests.factories import AgencyFactory


def test_normalise_folds_case_strips_accents_and_collapses_spaces():
    assert bi.normalise("  José   O'Brien-Núñez ") == "jose obrien nunez"
    assert bi.normalise("ÅSA\tStraße") == "asa strasse"
    assert bi.normalise("") == ""


def test_name_terms_hold_the_full_name_and_a_phonetic_code_per_part():
    assert bi.name_index_terms("Katie Smyth") == ["n:katie smyth", "p:KT", "p:SM0"]
    assert set(bi.name_index_terms("Katy Smith")[1:]) == {"p:KT", "p:SM0"}
    assert bi.name_index_terms("   ") == []


def test_indexes_are_truncated_hex_and_deterministic():
    one = bi.blind_index("katy smith", agency_id=1, purpose="name")
    assert one == bi.blind_index("katy smith", agency_id=1, purpose="name")
    assert len(one) == bi.INDEX_HEX_CHARS == 8
    int(one, 16)


def test_indexes_differ_per_agency_and_purpose_so_they_cannot_be_joined():
    a = bi.index_for_dob(datetime.date(2009, 4, 17), agency_id=1)
    b = bi.index_for_dob(datetime.date(2009, 4, 17), agency_id=2)
    assert a != b
    assert bi.blind_index("2009-04-17", agency_id=1, purpose="name") != a
    assert bi.index_terms_for_name("Katy Smith", agency_id=1) != bi.index_terms_for_name(
        "Katy Smith", agency_id=2
    )


def test_indexes_change_with_the_root_key():
    before = bi.index_for_phone("503-555-0147", agency_id=1)
    with override_settings(BLIND_INDEX_KEY="b3RoZXItYmxpbmQtaW5kZXgta2V5LW90aGVyLWtleS0x"):
        assert bi.index_for_phone("503-555-0147", agency_id=1) != before


def test_phone_numbers_match_in_any_notation():
    forms = ["(503) 555-0147", "503.555.0147", "+1 503 555 0147", "5035550147"]
    assert len({bi.index_for_phone(f, agency_id=3) for f in forms}) == 1
    assert bi.index_for_phone("", agency_id=3) is None
    assert bi.index_for_dob(None, agency_id=3) is None


def test_an_agency_is_required():
    with pytest.raises(ValueError, match="agency"):
        bi.blind_index("x", agency_id=0, purpose="name")
    with pytest.raises(ValueError, match="purpose"):
        bi.blind_index("x", agency_id=1, purpose="Not OK!")


def _index(specimen: Specimen) -> None:
    agency_id = specimen.agency_id
    terms = [("name", t) for t in bi.index_terms_for_name(specimen.name, agency_id=agency_id)]
    for alias in specimen.aliases:
        terms += [("name", t) for t in bi.index_terms_for_name(alias, agency_id=agency_id)]
    if specimen.date_of_birth:
        terms.append(("dob", bi.index_for_dob(specimen.date_of_birth, agency_id=agency_id)))
    SpecimenIndexTerm.objects.bulk_create(
        SpecimenIndexTerm(specimen=specimen, kind=k, term=t) for k, t in terms
    )


@pytest.mark.django_db
def test_staff_searching_katie_smyth_find_katy_smith_without_decrypting_the_table(
    django_assert_max_num_queries,
):
    agency = AgencyFactory()
    other = AgencyFactory()
    katy = Specimen.objects.create(agency=agency, name="Katy Smith", aliases=["K. Smith"])
    Specimen.objects.create(agency=agency, name="Jordan Rivera")
    elsewhere = Specimen.objects.create(agency=other, name="Katy Smith")
    for specimen in Specimen.objects.all():
        _index(specimen)

    query_terms = bi.index_terms_for_name("Katie Smyth", agency_id=agency.pk)
    with django_assert_max_num_queries(1):
        hits = list(
            SpecimenIndexTerm.objects.filter(kind="name", term__in=query_terms)
            .values("specimen_id")
            .annotate(shared=Count("id"))
            .filter(shared__gte=2)
            .values_list("specimen_id", flat=True)
        )
    assert hits == [katy.pk]
    assert elsewhere.pk not in hits
