"""``safeharbor backup FILE``: an encrypted backup of the configured database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from safeharbor.core.backup import BackupError, backup_database, database_engine


class Command(BaseCommand):
    help = (
        "Write an encrypted backup of the configured database to FILE (SQLite: online backup; "
        "PostgreSQL: pg_dump). Needs SAFEHARBOR_BACKUP_KEY. See docs/operations.md."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="where to write the backup (a new file)")
        parser.add_argument("--database", default="default", help="database alias")

    def handle(self, *args: Any, **options: Any) -> None:
        target = Path(options["file"])
        try:
            engine = database_engine(options["database"])
            size = backup_database(target, alias=options["database"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        written = target.stat().st_size
        self.stdout.write(
            f"Backed up the {engine} database to {target}: {size} bytes of dump, "
            f"{written} bytes encrypted."
        )
