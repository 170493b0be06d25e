"""``safeharbor serve``: the production WSGI server (gunicorn), static files by WhiteNoise."""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand

# Idle keep-alive connections are closed by the server after this many seconds. It must be
# longer than any client's or proxy's own idle time (browsers keep ~60 s at most, nginx's
# upstream keepalive_timeout is 60 s, cloud load balancers 60 s): a server that closes
# first races a client that is just reusing the connection, and that request is reset.
KEEPALIVE_SECONDS = 75
# Database connections are kept by each thread between requests for this long: opening a
# PostgreSQL connection per request costs more than most pages' queries.
DB_CONN_MAX_AGE = 60


def default_workers() -> int:
    """Worker processes: one per core plus one (so a process waiting on the GIL or on the
    database does not leave a core idle), at least 2."""
    return max(2, (os.cpu_count() or 1) + 1)


class Command(BaseCommand):
    help = "Serve SafeHarbor with gunicorn on the address in --bind (default 127.0.0.1:$PORT)."

    def add_arguments(self, parser: Any) -> None:
        port = os.environ.get("PORT", "8000")
        parser.add_argument(
            "--bind", default=os.environ.get("SAFEHARBOR_BIND", f"127.0.0.1:{port}")
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("WEB_CONCURRENCY", default_workers())),
            help="worker processes (default: cores + 1, or $WEB_CONCURRENCY)",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=int(os.environ.get("SAFEHARBOR_THREADS", "4")),
            help="threads per worker (default 4, or $SAFEHARBOR_THREADS)",
        )
        parser.add_argument(
            "--keep-alive",
            type=int,
            default=int(os.environ.get("SAFEHARBOR_KEEPALIVE", KEEPALIVE_SECONDS)),
            help=f"seconds an idle connection is kept (default {KEEPALIVE_SECONDS})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from django.db import connections

        from safeharbor.core.checks import require_keys_match_database

        require_keys_match_database()  # a wrong encryption key stops start-up here
        # Persistent database connections, unless SAFEHARBOR_DB_CONN_MAX_AGE says otherwise.
        if "SAFEHARBOR_DB_CONN_MAX_AGE" not in os.environ:
            for alias in connections:
                connections.settings[alias]["CONN_MAX_AGE"] = DB_CONN_MAX_AGE
                connections.settings[alias]["CONN_HEALTH_CHECKS"] = True
        connections.close_all()  # workers open their own after the fork
        from gunicorn.app.base import BaseApplication

        from safeharbor.wsgi import application

        class Server(BaseApplication):  # type: ignore[misc]
            def load_config(self) -> None:
                self.cfg.set("bind", options["bind"])
                self.cfg.set("workers", options["workers"])
                self.cfg.set("threads", options["threads"])
                self.cfg.set("keepalive", options["keep_alive"])
                self.cfg.set("accesslog", "-")
                self.cfg.set("timeout", 120)
                self.cfg.set(
                    "forwarded_allow_ips", os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
                )

            def load(self) -> Any:
                return application

        self.stdout.write(f"SafeHarbor is serving at http://{options['bind']}/")
        Server().run()
