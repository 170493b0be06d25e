"""``safeharbor link run``: link every agency's person records now (consent-aware), with a
progress bar, then print the run's summary and the unique-people counts with their interval,
e.g. "Unique young people suspected or confirmed, 2026: 112 (between 101 and 130)".

``--engine spark`` runs the comparisons on Splink's Spark backend (a local Spark), as
``safeharbor link-file --engine spark`` does; the default is DuckDB in this process.

Counts follow the small-cell rule (figures from 1 to 10 read "fewer than 11"): whoever runs
the command is not the owner of every agency's records.
"""

from __future__ import annotations

import time
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from safeharbor.linkage import pipeline, selectors, services
from safeharbor.linkage.counts import format_count


class TerminalProgress:
    """Phase and percentage: one redrawn line on a terminal, a line per phase otherwise."""

    def __init__(self, stream: TextIO, width: int = 30) -> None:
        self.stream = stream
        self.width = width
        self.tty = hasattr(stream, "isatty") and stream.isatty()
        self.started = time.perf_counter()
        self.spans = {name: (start, end) for name, start, end in services.PHASES}
        self.last = ""
        self.done = False

    def __call__(self, phase: str, fraction: float) -> None:
        if phase not in self.spans:
            return
        start, end = self.spans[phase]
        percent = int(start + (end - start) * max(0.0, min(1.0, fraction)))
        self.done = percent >= 100
        label = str(services.PHASE_LABELS[phase])
        elapsed = time.perf_counter() - self.started
        if self.tty:
            filled = round(percent / 100 * self.width)
            bar = "#" * filled + "-" * (self.width - filled)
            self.stream.write(f"\r[{bar}] {percent:3d}% {label:<36} {elapsed:6.1f}s")
            self.stream.flush()
        elif phase != self.last:
            self.stream.write(f"{percent:3d}% {label} ({elapsed:.1f}s)\n")
            self.stream.flush()
        self.last = phase

    def close(self) -> None:
        elapsed = time.perf_counter() - self.started
        if self.tty:
            self.stream.write("\n")
        elif self.done:
            done = _("Done")  # outside the f-string, where makemessages finds it
            self.stream.write(f"100% {done} ({elapsed:.1f}s)\n")
        self.stream.flush()


class Command(BaseCommand):
    help = "Record linkage over the database: 'run' links every agency's person records now."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["run"])
        parser.add_argument(
            "--retrain", action="store_true", help="train a new model instead of the saved one"
        )
        parser.add_argument(
            "--agency",
            metavar="SLUG",
            help="the agency the run is recorded under (default: the city's program office)",
        )
        parser.add_argument(
            "--year",
            type=int,
            action="append",
            default=[],
            help="also print the count for this year (may be given more than once)",
        )
        parser.add_argument(
            "--engine",
            choices=("duckdb", "spark"),
            default="duckdb",
            help="where Splink compares the records: duckdb in this process (default) or "
            "spark, a local Spark (needs the spark extra and Java 17+), as in link-file",
        )
        parser.add_argument("--quiet", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        from safeharbor.accounts.choices import AgencyKind
        from safeharbor.accounts.models import Agency

        if options["engine"] == "spark" and (reason := pipeline.spark_unavailable()):
            raise CommandError(reason)
        agencies = Agency.objects.filter(is_active=True)
        if options["agency"]:
            agency = agencies.filter(slug=options["agency"]).first()
            if agency is None:
                raise CommandError(f"No active agency with the short name {options['agency']!r}.")
        else:
            agency = agencies.filter(kind=AgencyKind.CITY).order_by("pk").first()
            if agency is None:
                raise CommandError("No city agency to record the run under; give --agency.")
        run = services.linkage_run_create(
            membership=None, agency=agency, retrain=options["retrain"]
        )
        bar = None if options["quiet"] else TerminalProgress(self.stderr._out)
        try:
            run = services.linkage_run_execute(
                run_id=run.pk, progress=bar, engine=options["engine"]
            )
        except Exception as exc:
            raise CommandError(f"The linkage run failed: {type(exc).__name__}: {exc}") from exc
        finally:
            if bar is not None:
                bar.close()
        counts = run.counts
        self.stdout.write(
            f"Linkage run #{run.pk}: {counts['records']} records, "
            f"{counts['linked_records']} linked, "
            f"{counts['excluded_no_consent']} without consent to statistical linkage "
            f"(counted, not linked); {counts['known_links']} known links from referrals, "
            f"{counts['new_review_pairs']} new pairs for review."
        )
        self.stdout.write(f"Model: {run.model_name}")
        self.stdout.write(f"Engine: {'Spark' if options['engine'] == 'spark' else 'DuckDB'}")
        timings = ", ".join(f"{k} {v:.2f}s" for k, v in run.timings.items())
        self.stdout.write(f"Time per phase: {timings}")
        filters = selectors.default_filters()
        filters += [selectors.CountFilter.year(y) for y in options["year"]]
        for count_filter in filters:
            self.stdout.write(
                format_count(
                    count_filter.label(),
                    selectors.unique_count(count_filter, run=run),
                    suppress_small_cells=True,
                )
            )
