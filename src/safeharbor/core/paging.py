"""Pages of a long list on a staff page.

A list that grows without bound (a referral inbox, an operation's contacts) is shown a page
at a time, so the page stays quick and nothing is cut off unseen. Several lists on one page
each have their own page parameter; a list's links keep every other parameter (filters and
the other lists' pages) as they were.

    received = paginate(request, selectors.inbox(membership), "received_page")
    {% include "staff/_pages.html" with pages=received label=_("Pages of received referrals") %}
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PER_PAGE = 25

__all__ = ["PER_PAGE", "Pages", "paginate"]


@dataclass(frozen=True)
class Pages:
    page: Page
    param: str
    query: str  # the request's other parameters, url-encoded

    @property
    def rows(self) -> list[Any]:
        return list(self.page.object_list)

    def href(self, number: int) -> str:
        return "?" + (f"{self.query}&" if self.query else "") + f"{self.param}={number}"

    @property
    def previous_href(self) -> str:
        return self.href(self.page.previous_page_number()) if self.page.has_previous() else ""

    @property
    def next_href(self) -> str:
        return self.href(self.page.next_page_number()) if self.page.has_next() else ""


def paginate(request: HttpRequest, rows: Any, param: str, per_page: int = PER_PAGE) -> Pages:
    """The page of ``rows`` (an ordered queryset or a list) that ``request.GET[param]``
    asks for; a missing, non-numeric or out-of-range number gives the first or last page."""
    page = Paginator(rows, per_page).get_page(request.GET.get(param))
    others = request.GET.copy()
    others.pop(param, None)
    return Pages(page=page, param=param, query=others.urlencode())
