"""The staff header and the page a person sees when their role does not reach a page."""

from __future__ import annotations

import re


def test_the_header_marks_the_area_the_page_belongs_to(staff_client):
    client, _ = staff_client("caseworker")
    html = client.get("/staff/survivors/").content.decode()
    pattern = r'<a class="usa-nav-link usa-current" aria-current="\w+" href="([^"]+)"'
    current = re.findall(pattern, html)
    assert current == ["/staff/survivors/"]
    home = client.get("/staff/").content.decode()
    assert re.findall(r'usa-current" aria-current="page" href="([^"]+)"', home) == ["/staff/"]


def test_a_page_outside_the_role_says_why_and_where_to_go(staff_client):
    client, user = staff_client("editor")
    response = client.get("/staff/survivors/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "This page is not open to your role" in html
    membership = user.memberships.get()
    assert membership.role.display_name in html
    assert membership.agency.name in html
    assert 'href="/staff/account/"' in html
    # the staff header is there, with only the areas this role may open
    assert 'href="/staff/survivors/"' not in html


def test_a_missing_record_is_shown_inside_the_staff_pages(staff_client):
    client, _ = staff_client("caseworker")
    response = client.get("/staff/survivors/999999/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "We could not find that page or record" in html
    assert "Sign out" in html  # the staff header, not the public site's
    assert "Exit this page" not in html
    public = client.get("/no-such-page/")
    assert public.status_code == 404
    assert "Exit this page" in public.content.decode()
