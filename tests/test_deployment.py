"""The production environment docs/deployment.md gives passes `timetill check --deploy` with no warning;
production mode refuses to start with the public development key."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "deployment.md").read_text()


def _documented_environment() -> dict[str, str]:
    """The variables of the doc's production example (its ```sh block that exports TIMETILL_PRODUCTION)."""
    block = next(b for b in re.findall(r"```sh\n(.*?)```", DOC, re.S) if "TIMETILL_PRODUCTION=1" in b)
    return dict(re.findall(r"^export (\w+)=(\S+)", block, re.M))


def _timetill(args: list[str], env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("TIMETILL_", "DATABASE_URL"))}
    return subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "-m", "timetill.cli", *args],
        env={**base, "TIMETILL_DATA_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=ROOT,
    )


def test_the_documented_production_environment_passes_the_deploy_check(tmp_path):
    env = _documented_environment()
    assert env["TIMETILL_PRODUCTION"] == "1"
    env["TIMETILL_SECRET_KEY"] = secrets.token_urlsafe(50)  # the doc says how to make one; never a real one
    result = _timetill(["check", "--deploy", "--fail-level", "WARNING"], env, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_development_settings_do_warn(tmp_path):
    result = _timetill(["check", "--deploy"], {}, tmp_path)
    assert "security.W004" in result.stdout + result.stderr  # HSTS: off unless in production or HTTPS


@pytest.mark.parametrize("key", [None, "dev-only-not-secret-change-me-in-production", "short"])
def test_production_refuses_to_start_without_a_key_of_its_own(tmp_path, key):
    env = {**_documented_environment()}
    env.pop("TIMETILL_SECRET_KEY", None)
    if key is not None:
        env["TIMETILL_SECRET_KEY"] = key
    result = _timetill(["check"], env, tmp_path)
    assert result.returncode != 0
    assert "TIMETILL_SECRET_KEY" in result.stderr
