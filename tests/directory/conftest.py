"""Directory fixtures: the Portland demo directory on top of the three demo programs."""

from __future__ import annotations

import pytest

from safeharbor.accounts.models import Agency
from safeharbor.directory import demo
from tests import factories

DEMO_PROGRAMS = ["new-options-for-women", "gateway-intake", "survivor-housing-pilot"]


@pytest.fixture
def demo_directory(db):
    """The directory demo as `safeharbor demo` loads it, with the programs it links to."""
    for slug in DEMO_PROGRAMS:
        factories.ProgramFactory(slug=slug, name=slug.replace("-", " ").title())
    Agency.objects.get_or_create(
        slug="lifeworks-nw", defaults={"name": "LifeWorks NW", "kind": "victim_service_provider"}
    )
    demo.load()
