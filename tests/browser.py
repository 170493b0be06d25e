"""Shared by the browser tests: headless Debian Chromium and axe-core.

Under CI (CI=true) browser tests always run; elsewhere a module calls ``require_chromium()``
to skip when /usr/bin/chromium is missing. The one ``browser`` fixture lives in conftest.py:
Playwright's sync API allows one instance per process, so every module shares it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"
IN_CI = os.environ.get("CI", "").lower() == "true"

AXE_OPTIONS = """{
  runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
  rules: {"target-size": {enabled: true}}
}"""

LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def require_chromium() -> None:
    """Skip the calling module outside CI when Debian's chromium is not installed."""
    if not IN_CI and not CHROMIUM.exists():
        pytest.skip(
            "Debian's chromium is not installed (/usr/bin/chromium)", allow_module_level=True
        )
    # Playwright's sync API keeps an event loop in this thread; the ORM calls the tests make
    # are ordinary synchronous ones.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def axe_violations(page) -> list[str]:
    """axe-core's WCAG 2.2 AA findings on the page, one line each."""
    page.evaluate(AXE.read_text())
    result = page.evaluate(f"async () => await axe.run(document, {AXE_OPTIONS})")
    assert result["passes"], "axe ran no checks"
    return [
        f"{v['id']}: {v['help']} ({', '.join(str(n['target']) for n in v['nodes'][:3])})"
        for v in result["violations"]
    ]
