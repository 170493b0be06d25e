"""The dependency audit tells "no known vulnerability" apart from "nothing was checked"."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "ops" / "check_dependencies.py"
_spec = importlib.util.spec_from_file_location("check_dependencies", SCRIPT)
assert _spec is not None and _spec.loader is not None
audit = importlib.util.module_from_spec(_spec)
sys.modules["check_dependencies"] = audit  # dataclasses look their module up
_spec.loader.exec_module(audit)


def pip_audit_json(*dependencies: dict) -> str:
    return json.dumps({"dependencies": list(dependencies), "fixes": []})


def test_a_known_vulnerability_fails_and_names_the_fix(capsys):
    result = audit.interpret(
        1,
        pip_audit_json(
            {
                "name": "django",
                "version": "5.2.0",
                "vulns": [{"id": "PYSEC-2099-1", "fix_versions": ["5.2.1"], "aliases": []}],
            },
            {"name": "whitenoise", "version": "6.12.0", "vulns": []},
        ),
        "",
    )
    assert audit.report(result, Path("requirements.lock")) == 1
    err = capsys.readouterr().err
    assert "django 5.2.0: PYSEC-2099-1 (fixed in: 5.2.1)" in err


def test_clean_dependencies_pass(capsys):
    result = audit.interpret(
        0, pip_audit_json({"name": "django", "version": "5.2.19", "vulns": []}), ""
    )
    assert audit.report(result, Path("requirements.lock")) == 0
    assert "no known vulnerabilities in 1 pinned packages" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("stdout", "stderr"),
    [
        pytest.param("", "requests.exceptions.ConnectionError: Max retries exceeded", id="offline"),
        pytest.param(
            pip_audit_json(
                {
                    "name": "django",
                    "skip_reason": "Dependency not found on PyPI and could not be audited: "
                    "django (5.2.19)",
                }
            ),
            "",
            id="service answers for nothing",
        ),
    ],
)
def test_an_unreachable_service_warns_instead_of_claiming_a_clean_bill(stdout, stderr, capsys):
    result = audit.interpret(0, stdout, stderr)
    assert result.unreachable
    assert audit.report(result, Path("requirements.lock")) == 0
    assert "NOT checked" in capsys.readouterr().err


def test_an_unexplained_failure_fails():
    result = audit.interpret(2, "", "pip-audit: error: unrecognized arguments")
    assert audit.report(result, Path("requirements.lock")) == 1
