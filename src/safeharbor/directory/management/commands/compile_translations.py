"""Compiles every ``.po`` catalogue under LOCALE_PATHS to ``.mo`` with polib (pure Python),
so a fresh machine without GNU gettext can build the translations.

    safeharbor compile_translations          # write the .mo files
    safeharbor compile_translations --check  # fail if a .mo is missing or out of date
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def catalogues() -> list[Path]:
    found: list[Path] = []
    for base in settings.LOCALE_PATHS:
        found += sorted(Path(base).glob("*/LC_MESSAGES/*.po"))
    return found


def compile_po(po_path: Path, mo_path: Path) -> None:
    catalogue = polib.pofile(str(po_path))
    catalogue.metadata_is_fuzzy = False
    # Fuzzy entries are guesses; leave them out, as msgfmt does.
    for entry in [e for e in catalogue if "fuzzy" in e.flags]:
        catalogue.remove(entry)
    catalogue.save_as_mofile(str(mo_path))


class Command(BaseCommand):
    help = "Compile translation catalogues (.po -> .mo) without GNU gettext."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--check", action="store_true", help="Only check they are current.")

    def handle(self, *args: Any, check: bool = False, **options: Any) -> None:
        stale = []
        for po_path in catalogues():
            mo_path = po_path.with_suffix(".mo")
            if check:
                with tempfile.TemporaryDirectory() as tmp:
                    fresh = Path(tmp) / "fresh.mo"
                    compile_po(po_path, fresh)
                    if not mo_path.exists() or mo_path.read_bytes() != fresh.read_bytes():
                        stale.append(str(mo_path))
                continue
            compile_po(po_path, mo_path)
            self.stdout.write(f"compiled {po_path}")
        if stale:
            raise CommandError(
                "Out of date, run `safeharbor compile_translations`: " + ", ".join(stale)
            )
