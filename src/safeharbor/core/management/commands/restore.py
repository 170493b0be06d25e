"""``safeharbor restore FILE``: restore an encrypted backup into the configured database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from safeharbor.core.backup import BackupError, restore_database


class Command(BaseCommand):
    help = (
        "Restore a backup made by `safeharbor backup` into the configured database. Refuses a "
        "database that already has tables unless --force. Stop `serve` and `worker` first."
    )
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="the backup file")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace the contents of a database that is not empty",
        )
        parser.add_argument("--database", default="default", help="database alias")

    def handle(self, *args: Any, **options: Any) -> None:
        source = Path(options["file"])
        try:
            header = restore_database(
                source,
                alias=options["database"],
                force=options["force"],
                progress=self.stdout.write,
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored {header.description} into the configured database. "
            "Run `safeharbor migrate` if this release is newer than the backup, then "
            "`safeharbor audit verify`."
        )
