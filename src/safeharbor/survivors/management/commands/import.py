"""``safeharbor import survivors FILE.csv --agency SLUG [--dry-run]``.

Checks every row first; if any row is bad, prints each problem (line, column, reason),
imports nothing and exits with status 1. Runs as the system actor (audited as such).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeharbor.accounts.models import Agency
from safeharbor.survivors.services import survivors_import

KINDS = ("survivors",)


class Command(BaseCommand):
    help = "Import records from another system's CSV file (all rows or none)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=KINDS, help="What the file holds.")
        parser.add_argument("file", type=Path, help="The CSV file (UTF-8, header row).")
        parser.add_argument("--agency", required=True, help="Short name of the owning agency.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report; import nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        agency = Agency.objects.filter(slug=options["agency"], is_active=True).first()
        if agency is None:
            raise CommandError(f"No active agency with the short name {options['agency']!r}.")
        path: Path = options["file"]
        try:
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise CommandError(f"{path}: no such file.") from None
        except UnicodeDecodeError:
            raise CommandError(f"{path}: not UTF-8 text. Save it as UTF-8 CSV.") from None
        outcome = survivors_import(
            membership=None, agency=agency, stream=text, dry_run=options["dry_run"]
        )
        if not outcome.ok:
            for error in outcome.errors:
                self.stderr.write(f"{path}:{error.line}: {error.column or '-'}: {error.reason}")
            raise CommandError(f"{len(outcome.errors)} problem(s); nothing was imported.")
        if outcome.dry_run:
            self.stdout.write(f"The file is good: {outcome.rows} people would be imported.")
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Imported {outcome.created} people and {outcome.identifications} "
                    f"identifications into {agency.slug}."
                )
            )
