"""What a visit to the public statistics page costs, counting and from the cache.

Renders ``/statistics/`` through Django's test client against the database in DATABASE_URL
(for example the one ``bench/load/generate.py`` filled): after one warm-up render (imports,
the chart renderer), once with an empty cache (the render counts through one statistical
read), then ``--repeat`` times with the counts cached.
Prints per kind the median wall time, the SQL queries and the audit events written, and the
load average. Everything it writes (the audit event of the read) is rolled back.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sh_bench_load \\
        nice .venv/bin/python bench/reports/public_page.py --repeat 20
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeharbor.settings.dev")
os.environ.setdefault("SAFEHARBOR_DEBUG", "0")
os.environ.setdefault("SAFEHARBOR_LOG", "WARNING")


def render(client, path: str) -> tuple[float, int, int, float]:
    """One render: (wall ms, SQL queries, audit events written, SQL ms)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from safeharbor.audit.models import AuditEvent

    before = AuditEvent.objects.count()
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        response = client.get(path)
        wall = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, response.status_code
    sql = sum(float(q["time"]) for q in queries.captured_queries) * 1000
    return wall, len(queries), AuditEvent.objects.count() - before, sql


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="cached renders to time")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.db import transaction
    from django.test import Client

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    with transaction.atomic():
        render(client, "/statistics/")  # warm up: imports, the chart renderer
        cache.clear()
        counting = [render(client, "/statistics/")]
        cached = [render(client, "/statistics/") for _ in range(args.repeat)]
        transaction.set_rollback(True)
    for kind, runs in (("counting (empty cache)", counting), ("cached", cached)):
        print(
            f"{kind:24s} wall p50 {statistics.median(r[0] for r in runs):7.1f} ms"
            f"  queries {max(r[1] for r in runs):3d}"
            f" ({statistics.median(r[3] for r in runs):.1f} ms)"
            f"  audit events {sum(r[2] for r in runs)}"
            f"  ({len(runs)} renders)"
        )
    print("load average:", " ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
