"""``safeharbor load-demo``: load every area's Portland demo data (safe to run again)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from safeharbor.core.registry import demo_loaders


class Command(BaseCommand):
    help = "Load the Portland demo data of every area. Running it again changes nothing."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("Demo data can only be loaded in demo mode (not in production).")
        for loader in demo_loaders():
            self.stdout.write(f"Loading demo data: {loader.name}")
            loader.load()
