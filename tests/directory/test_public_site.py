"""The public site: every page in both languages, trace-free (no cookies, no other hosts,
no referrer), quick exit, resources search and the events pages and calendar feeds."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import icalendar
import pytest
from django.test import Client
from django.utils import timezone

from safeharbor.audit.choices import ActorKind
from safeharbor.directory.choices import EventStatus
from safeharbor.directory.models import Service
from safeharbor.directory.services import event_create

pytestmark = pytest.mark.django_db

PAGES = [
    "",
    "services/",
    "law-enforcement/",
    "legislative-priorities/",
    "get-help/",
    "resources/",
    "resources/?q=line&need=crisis&language=en&age=30&availability=24h",
    "events/",
    "safety/",
]


def all_public_urls() -> list[str]:
    urls = []
    for prefix in ("/", "/es/"):
        urls += [prefix + page for page in PAGES]
    return urls


@pytest.fixture
def public_event():
    return event_create(
        actor=ActorKind.SYSTEM,
        title="Community forum on youth safety",
        starts_at=timezone.localtime() + timedelta(days=10),
        ends_at=timezone.localtime() + timedelta(days=10, hours=2),
        place="Community hall",
        is_public=True,
        translations={"es": {"title": "Foro comunitario sobre la seguridad de los jóvenes"}},
    )


def test_every_public_page_is_trace_free_in_both_languages(demo_directory, public_event):
    service = Service.objects.first()
    urls = [
        *all_public_urls(),
        f"/resources/{service.pk}/",
        f"/es/resources/{service.pk}/",
        f"/events/{public_event.pk}/",
        f"/es/events/{public_event.pk}/",
        "/events.ics",
        f"/events/{public_event.pk}.ics",
    ]
    client = Client()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Set-Cookie" not in response.headers, url
        assert not response.cookies, url
        assert response["Referrer-Policy"] == "no-referrer", url
        assert "default-src 'self'" in response["Content-Security-Policy"], url
        if response["Content-Type"].startswith("text/html"):
            html = response.content.decode()
            # nothing from other hosts: every script, style and image is our own
            for src in re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="([^"]+)"', html):
                assert src.startswith("/"), (url, src)
            assert 'name="csrfmiddlewaretoken"' not in html, url
    assert not client.cookies


def test_pages_carry_the_right_lang_and_quick_exit(demo_directory):
    english = Client().get("/get-help/").content.decode()
    spanish = Client().get("/es/get-help/").content.decode()
    assert '<html lang="en">' in english and '<html lang="es">' in spanish
    for html in (english, spanish):
        exit_link = re.search(r'<a [^>]*id="quick-exit"[^>]*>', html).group(0)
        assert 'href="/exit"' in exit_link and 'rel="nofollow noreferrer"' in exit_link
        assert 'href="#quick-exit"' in html  # the skip link to it
    assert "Exit this page" in english and "Salir de esta página" in spanish
    assert 'href="/es/get-help/"' in english and 'hreflang="es"' in english
    assert 'href="/get-help/"' in spanish


def test_language_comes_from_the_prefix_not_the_browser():
    response = Client(HTTP_ACCEPT_LANGUAGE="es").get("/safety/")
    assert '<html lang="en">' in response.content.decode()
    assert not response.cookies


def test_quick_exit_ends_the_session_and_goes_to_a_neutral_site(settings, staff_client):
    settings.QUICK_EXIT_URL = "https://neutral.example/"
    client, _user = staff_client("editor")
    assert client.get("/staff/").status_code == 200
    response = client.get("/exit")
    assert response.status_code == 302 and response["Location"] == "https://neutral.example/"
    assert response["Referrer-Policy"] == "no-referrer"
    assert client.get("/staff/").status_code == 302  # signed out


def test_quick_exit_sets_no_cookie_for_a_visitor_without_one():
    response = Client().get("/exit")
    assert response.status_code == 302 and not response.cookies


def test_get_help_lists_hotlines_first(demo_directory):
    html = Client().get("/get-help/").content.decode()
    hotline = html.index("1-888-373-7888")
    assert hotline < html.index("503-710-1513")
    assert html.index("1-800-640-5311") < html.index("503-710-1513")
    assert 'href="tel:+18883737888"' in html and 'href="tel:+18006405311"' in html


def test_resources_filter_by_need_age_and_24_hours(demo_directory):
    client = Client()
    housing = client.get("/resources/?need=housing").content.decode()
    assert "Housing pilot for adult trafficking victims" in housing
    assert "Sexual Assault Resource Center hotline" not in housing
    child = client.get("/resources/?need=housing&age=15").content.decode()
    assert "Housing pilot for adult trafficking victims" not in child
    assert "0 services found" in child
    round_the_clock = client.get("/resources/?availability=24h").content.decode()
    assert "2 services found" in round_the_clock
    assert "Gateway Center</a>" not in round_the_clock
    searched = client.get("/resources/?q=counseling").content.decode()
    assert "New Options for Women" in searched


def test_resources_in_spanish_show_spanish_content(demo_directory):
    html = Client().get("/es/resources/?need=housing").content.decode()
    assert "Programa piloto de vivienda para adultos víctimas de trata" in html
    assert "Vivienda" in html


def test_bad_filter_value_is_explained_not_an_error(demo_directory):
    response = Client().get("/resources/?age=-4")
    assert response.status_code == 200
    assert "usa-error-message" in response.content.decode()


def test_confidential_location_shows_no_address(demo_directory):
    service = Service.objects.get(name_en="Housing pilot for adult trafficking victims")
    html = Client().get(f"/resources/{service.pk}/").content.decode()
    assert "The address is kept private for safety" in html


def test_events_page_and_detail(public_event):
    hidden = event_create(
        actor=ActorKind.SYSTEM,
        title="Internal planning meeting",
        starts_at=timezone.localtime() + timedelta(days=3),
    )
    html = Client().get("/events/").content.decode()
    assert "Community forum on youth safety" in html
    assert "Internal planning meeting" not in html
    assert Client().get(f"/events/{hidden.pk}/").status_code == 404
    spanish = Client().get(f"/es/events/{public_event.pk}/").content.decode()
    assert "Foro comunitario sobre la seguridad de los jóvenes" in spanish


def test_cancelled_event_says_so(public_event):
    from safeharbor.directory.services import event_cancel

    event_cancel(actor=ActorKind.SYSTEM, event=public_event)
    html = Client().get(f"/events/{public_event.pk}/").content.decode()
    assert "This event has been cancelled." in html


def test_ics_feed_has_public_events_with_time_zones():
    event_create(
        actor=ActorKind.SYSTEM,
        title="Hearing on SB 425",
        starts_at=datetime(2027, 3, 4, 18, 0),
        ends_at=datetime(2027, 3, 4, 20, 0),
        is_public=True,
        place="Salem",
        status=EventStatus.POSTPONED,
    )
    event_create(
        actor=ActorKind.SYSTEM,
        title="Awareness day",
        starts_at=datetime(2027, 1, 11),
        all_day=True,
        is_public=True,
    )
    event_create(actor=ActorKind.SYSTEM, title="Not public", starts_at=datetime(2027, 1, 1, 9))
    response = Client().get("/events.ics")
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"Hearing on SB 425", "Awareness day"}
    hearing = events["Hearing on SB 425"]
    assert hearing.decoded("dtstart").isoformat() == "2027-03-04T18:00:00-08:00"
    assert hearing["dtstart"].params["TZID"] == "America/Los_Angeles"
    assert str(hearing["status"]) == "TENTATIVE"
    assert str(hearing["location"]) == "Salem"
    day = events["Awareness day"]
    assert day.decoded("dtstart").isoformat() == "2027-01-11"
    assert day.decoded("dtend").isoformat() == "2027-01-12"
    assert calendar.walk("VTIMEZONE")


def test_single_event_ics_in_spanish(public_event):
    response = Client().get(f"/events/{public_event.pk}.ics?lang=es")
    calendar = icalendar.Calendar.from_ical(response.content)
    (event,) = calendar.walk("VEVENT")
    assert str(event["summary"]) == "Foro comunitario sobre la seguridad de los jóvenes"
    assert str(event["url"]).endswith(f"/es/events/{public_event.pk}/")


def test_private_event_has_no_ics():
    event = event_create(actor=ActorKind.SYSTEM, title="Private", starts_at=datetime(2027, 1, 1, 9))
    assert Client().get(f"/events/{event.pk}.ics").status_code == 404
