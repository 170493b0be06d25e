"""Portland demo for privacy-preserving linkage: the City's coordinator has opened a round
with LifeWorks NW (a VAWA-covered victim-service provider that keeps its names off the
platform) and Oregon DHS child welfare. Nobody has uploaded yet: a newcomer encodes the two
synthetic files offline with the public demo key and uploads them as each agency's supervisor
(walk-through: ``docs/privacy-linkage.md``, "Demo").

The files are in ``demo/`` beside this module: ``lifeworks-nw.csv`` and ``oregon-dhs.csv``
(invented people; ``person_id`` is the invented truth, ignored by the encoder) and
``PUBLIC-DEMO-ONLY.key``, a key everyone can read, so never for real records (the encoder
says so when it sees it). Idempotent: the round is opened once, recognised by its title.
"""

from __future__ import annotations

from django.db import transaction

from safeharbor.accounts.models import Agency, Membership

from .encode_command import DEMO_KEY_FILE
from .encoding import key_fingerprint, read_key

__all__ = ["DEMO_DIR", "DEMO_KEY_FILE", "ROUND_TITLE", "demo_key_fingerprint", "load"]

DEMO_DIR = DEMO_KEY_FILE.parent
ROUND_TITLE = "Demo: young people served by LifeWorks NW and Oregon DHS"
COORDINATOR = "coordinator@demo.safeharbor.example"
INVITED = ("lifeworks-nw", "oregon-dhs")


def demo_key_fingerprint() -> str:
    """The check value of the public demo key (what ``safeharbor encode`` prints with it)."""
    return key_fingerprint(read_key(DEMO_KEY_FILE))


@transaction.atomic
def load() -> None:
    from . import services
    from .models import PrivateRound

    coordinator = (
        Membership.objects.select_related("user", "agency", "role")
        .filter(user__email__iexact=COORDINATOR, is_active=True)
        .first()
    )
    invited = list(Agency.objects.filter(slug__in=INVITED, is_active=True).order_by("slug"))
    if coordinator is None or len(invited) != len(INVITED):
        return  # the accounts demo has not run
    if PrivateRound.objects.filter(title=ROUND_TITLE, agency=coordinator.agency).exists():
        return
    services.round_create(
        membership=coordinator,
        title=ROUND_TITLE,
        key_fingerprint=demo_key_fingerprint(),
        invited=invited,
    )
