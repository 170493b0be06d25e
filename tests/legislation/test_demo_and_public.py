"""Portland 2011 demo content and the public "Legislative priorities" page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from safeharbor.directory.models import Event
from safeharbor.legislation import demo
from safeharbor.legislation.choices import BillStatus
from safeharbor.legislation.models import AgendaItem, Bill, Priority, Proposal, Statute
from safeharbor.legislation.selectors import agenda_lines, summarize


@pytest.fixture
def portland_2011(db):
    demo.load()


@pytest.fixture(autouse=True)
def _default_language_after():
    # A request to a Spanish page leaves Spanish active in this thread; later tests expect
    # the default language.
    yield
    translation.deactivate()


def test_demo_loads_the_2011_agenda_once(portland_2011):
    demo.load()  # again: nothing doubles
    assert sorted(Bill.objects.values_list("identifier", flat=True)) == [
        "HB 2714",
        "SB 425",
        "SB 430",
    ]
    assert all(summarize(b).status == BillStatus.SIGNED for b in Bill.objects.all())
    priority = Priority.objects.get()
    assert "100 and 130 juveniles" in priority.issue_en
    assert Proposal.objects.count() == 5
    assert set(Statute.objects.values_list("citation", flat=True)) == {
        "ORS 167.007",
        "ORS 167.017",
        "ORS 181.594",
        "ORS 163.325",
    }
    ceremony = Event.objects.get()
    assert ceremony.local_start.date().isoformat() == "2011-07-20"
    assert ceremony.local_start.strftime("%A") == "Wednesday"
    assert ceremony.is_public
    assert list(
        AgendaItem.objects.filter(event=ceremony).values_list("bill__identifier", flat=True)
    ) == ["SB 425", "SB 430", "HB 2714"]
    assert agenda_lines(ceremony.pk)[0] == "SB 425 — Signed by the Governor"
    with translation.override("es"):
        assert agenda_lines(ceremony.pk)[2] == "HB 2714 — Firmado por el Gobernador"


def test_public_page_in_english_sets_no_cookies(portland_2011):
    response = Client().get("/legislative-priorities/")
    assert response.status_code == 200
    assert not response.cookies
    page = response.content.decode()
    assert "<h1>Legislative priorities</h1>" in page
    assert "between 100 and 130 juveniles" in page
    assert "induces, aids or facilitates" in page
    assert "ORS 163.325" in page
    for identifier in ("SB 425", "SB 430", "HB 2714"):
        assert identifier in page
    assert "Signed by the Governor" in page
    assert "Wednesday, July 20, 2011" in page
    # Internal parts of a position never reach the public page.
    assert "Part of the City's 2011 agenda on trafficking." not in page


def test_public_page_in_spanish(portland_2011):
    response = Client().get("/es/legislative-priorities/")
    assert response.status_code == 200
    assert not response.cookies
    page = response.content.decode()
    assert "<h1>Prioridades legislativas</h1>" in page
    assert "<h3>El problema</h3>" in page
    assert "<td>Firmado por el Gobernador</td>" in page  # the status, from the actions
    assert "miércoles, 20 de julio de 2011" in page.lower()
    assert "entre 100 y 130 menores" in page
    assert "Reducir la trata con fines sexuales" in page
    assert "Firmado por el Gobernador" in page
    assert "Obligar a la prostitución" in page


def test_unpublished_priorities_stay_off_the_public_page(portland_2011):
    Priority.objects.update(is_public=False)
    page = Client().get("/legislative-priorities/").content.decode()
    assert "between 100 and 130 juveniles" not in page
    assert "has not published legislative priorities yet" in page


def test_ceremony_is_in_the_public_calendar(portland_2011):
    try:
        url = reverse("events-ics")
    except NoReverseMatch:
        pytest.skip("the directory's /events.ics feed is not in this build")
    body = Client().get(url).content.decode().replace("\r\n ", "")
    assert "DTSTART;VALUE=DATE:20110720" in body
    assert "Senate Bills 425 and 430" in body
    assert "On the agenda:\\n- SB 425 — Signed by the Governor\\n- SB 430" in body
    ceremony = Event.objects.get()
    page = Client().get(f"/events/{ceremony.pk}/").content.decode()
    assert "<li>HB 2714 — Signed by the Governor</li>" in page


def test_one_canonical_address_and_the_old_one_moved_for_good(portland_2011):
    assert reverse("public:legislative-priorities") == "/legislative-priorities/"
    with translation.override("es"):
        assert reverse("public:legislative-priorities") == "/es/legislative-priorities/"
    for old, new in [
        ("/priorities/", "/legislative-priorities/"),
        ("/es/priorities/", "/es/legislative-priorities/"),
    ]:
        response = Client().get(old)
        assert response.status_code == 301 and response["Location"] == new
        assert not response.cookies
    home = Client().get("/es/").content.decode()
    assert 'href="/es/legislative-priorities/"' in home and 'href="/es/priorities/"' not in home
    page = Client().get("/es/priorities/", follow=True)
    assert "entre 100 y 130 menores" in page.content.decode()
