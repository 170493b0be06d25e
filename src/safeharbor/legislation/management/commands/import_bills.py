"""``safeharbor import_bills FILE [--jurisdiction OCD_ID]``: import Open States / OCD bill
JSON as the system actor and print what changed. Exits non-zero, having written nothing, when
the file is malformed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeharbor.audit.choices import ActorKind
from safeharbor.legislation.importer import ImportRefused, import_bills


class Command(BaseCommand):
    help = "Import Open States / Open Civic Data bill JSON (idempotent by session and bill)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--jurisdiction",
            default="",
            help="OCD jurisdiction id for bills that do not name one.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            raw = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error}") from error
        try:
            report = import_bills(
                actor=ActorKind.SYSTEM, raw=raw, default_jurisdiction=options["jurisdiction"]
            )
        except ImportRefused as error:
            raise CommandError(f"Nothing imported. {error.field}: {error.reason}") from error
        for bill in report.bills:
            detail = f" ({', '.join(bill.changes)})" if bill.changes else ""
            self.stdout.write(f"{bill.session} {bill.identifier}: {bill.outcome}{detail}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.created} created, {report.updated} updated, "
                f"{report.unchanged} unchanged; {report.notifications} notifications."
            )
        )
