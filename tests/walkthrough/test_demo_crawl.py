"""Walk the demo as each of its people would: every staff page a link leads to works,
people who see only aggregates never meet a survivor's name, and those who chose Spanish
meet no English word the catalogue lacks.

The crawl starts at the staff home page of each demo account (one per role) and follows every
link inside /staff/ it is shown, the way a curious new colleague would. Pages that differ only
by a record's id count as one kind of page, and two of each kind are visited. New areas are
covered as soon as their pages are linked, with no change here.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.test import Client

from safeharbor.accounts.demo import primary_accounts
from safeharbor.accounts.models import User
from safeharbor.core.registry import demo_loaders
from tests import factories
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db

# Roles that work with aggregates, content, money or property: never a survivor's identity.
AGGREGATE_ROLES = {"coordinator", "analyst", "editor", "auditor", "finance", "property_officer"}
# Accounts that chose Spanish for their staff pages: their crawl fails on any word shown in
# English because the catalogue lacks it. The other roles keep English, so both are walked.
SPANISH_ROLES = {"caseworker", "supervisor", "detective", "coordinator", "analyst", "admin"}
PER_KIND = 2  # pages visited per kind of page (same path with other ids)
MAX_PAGES = 250  # per account; a crawl that reaches this has found a link loop
SKIP = ("/accounts/logout", "/exit")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)


class _Page(HTMLParser):
    """Links, headings and visible text of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.h1 = 0
        self.text: list[str] = []
        self._skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)
        elif tag == "h1":
            self.h1 += 1
        elif tag in ("script", "style"):
            self._skip_depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip_depth:
            self._skip_depth -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            self.text.append(data)


def _kind(url: str) -> str:
    """A page's kind: its path with every number replaced, and its query's parameter names."""
    parts = urlsplit(url)
    keys = sorted({pair.split("=", 1)[0] for pair in parts.query.split("&") if pair})
    path = _UUID.sub("U", parts.path)
    return re.sub(r"\d+", "N", path) + ("?" + "&".join(keys) if keys else "")


@dataclass(frozen=True)
class Visited:
    text: str  # visible text of a page, or the body of a download
    html: bool


def crawl(client: Client) -> dict[str, Visited]:
    """Every staff page reachable by links from the home page, with what it showed.

    Fails on the first page that does not answer 200 (or a redirect within the site), or that
    does not have exactly one top-level heading.
    """
    seen_kinds: dict[str, int] = {}
    visited: dict[str, Visited] = {}
    queue: deque[tuple[str, str]] = deque([("/staff/", "(start)")])
    while queue and len(visited) < MAX_PAGES:
        url, came_from = queue.popleft()
        if url in visited:
            continue
        kind = _kind(url)
        if seen_kinds.get(kind, 0) >= PER_KIND:
            continue
        seen_kinds[kind] = seen_kinds.get(kind, 0) + 1
        response = client.get(url)
        if response.status_code in (301, 302):
            target = response["Location"]
            assert target.startswith("/") and not target.startswith("/accounts/login"), (
                f"{url} (linked from {came_from}) redirects to {target}"
            )
            visited[url] = Visited("", html=False)
            queue.append((target, url))
            continue
        assert response.status_code == 200, (
            f"{url} (linked from {came_from}) answered {response.status_code}"
        )
        content_type = response.get("Content-Type", "")
        if not content_type.startswith("text/html"):
            body = b"".join(response.streaming_content) if response.streaming else response.content
            visited[url] = Visited(body.decode(errors="replace"), html=False)
            continue
        page = _Page()
        page.feed(response.content.decode())
        assert page.h1 == 1, f"{url} has {page.h1} top-level headings (h1); it should have one"
        visited[url] = Visited(" ".join(page.text), html=True)
        for href in page.links:
            link = urldefrag(href)[0]
            if link.startswith("/staff/") and not link.startswith(SKIP):
                queue.append((link, url))
    assert len(visited) < MAX_PAGES, "the crawl did not end: a link loop?"
    return visited


@pytest.fixture
def demo(db):
    for loader in demo_loaders():
        loader.load()


def _survivor_names() -> set[str]:
    from safeharbor.survivors.models import Person

    names = set()
    for person in Person.objects.all():
        full = f"{person.given_name} {person.family_name}".strip()
        if person.given_name and person.family_name:
            names.add(full)
        if person.family_name and len(person.family_name) >= 5:
            names.add(person.family_name)
    return names


def test_every_linked_staff_page_works_for_every_demo_role(demo, spanish_lookups):
    names = _survivor_names()
    assert names, "the demo has survivors"
    failures = []
    for account in primary_accounts():
        user = User.objects.get(email__iexact=account.email)
        user.set_password(factories.PASSWORD)  # the test signs in with the factories' password
        user.preferred_language = "es" if account.role in SPANISH_ROLES else "en"
        user.save(update_fields=["password", "preferred_language"])
        client = Client()
        sign_in(client, user)
        pages = crawl(client)
        if account.role in SPANISH_ROLES:
            assert any("Está trabajando como" in seen.text for seen in pages.values()), account.role
        for word in sorted(spanish_lookups):
            failures.append(f"{account.role} sees {word!r} in English (Spanish missing)")
        spanish_lookups.clear()
        assert len(pages) >= 2, f"{account.role} reached only {list(pages)}"
        if account.role == "caseworker":
            # The control: the names are looked for the way pages show them.
            assert any(name in seen.text for seen in pages.values() for name in names)
        if account.role in AGGREGATE_ROLES:
            for url, seen in pages.items():
                leaked = sorted(name for name in names if name in seen.text)
                if leaked:
                    failures.append(f"{account.role} sees {leaked} on {url}")
    assert not failures, failures
