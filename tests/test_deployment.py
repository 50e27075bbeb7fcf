"""The production environment docs/deployment.md gives passes `timetill check --deploy` with no warning;
production mode refuses to start with the public development key; under gunicorn started as documented, the
app itself answers an address too long, in JSON."""

import http.client
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from timetill.middleware import MAX_API_URL_LENGTH

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


def _documented_gunicorn_flags() -> list[str]:
    """The gunicorn command of the doc's Serving section, less its address and workers (the test's own)."""
    command = re.search(r"^\.venv/bin/gunicorn (timetill\.wsgi .*)$", DOC, re.M).group(1).split()
    makefile = (ROOT / "Makefile").read_text()
    run = re.search(r"^\t\$\(BIN\)/gunicorn (timetill\.wsgi .*)$", makefile, re.M).group(1).split()
    limit = ["--limit-request-line", "8190"]
    # `make run` and the documented command both let the app answer long addresses itself.
    assert " ".join(limit) in " ".join(command) and " ".join(limit) in " ".join(run)
    flags, skip = [], {"--bind", "--workers"}
    words = iter(command[1:])
    for word in words:
        if word in skip:
            next(words)
        else:
            flags.append(word)
    return flags


@pytest.fixture
def gunicorn(tmp_path):
    """The app under a real gunicorn started as the doc says (one worker, a free port on the loopback)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = {k: v for k, v in os.environ.items() if not k.startswith(("TIMETILL_", "DATABASE_URL"))}
    server = subprocess.Popen(  # noqa: S603 - our own command
        [str(Path(sys.executable).parent / "gunicorn"), "timetill.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", *_documented_gunicorn_flags()],
        env={**base, "TIMETILL_DATA_DIR": str(tmp_path)}, cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(300):  # up to 30 s for the worker to boot
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not start")
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def _get(port: int, path: str) -> tuple[int, str, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read()
    finally:
        connection.close()


@pytest.mark.parametrize("length", [MAX_API_URL_LENGTH + 1, 6000, 8000])
def test_under_gunicorn_an_api_address_too_long_is_answered_by_the_app_in_json(gunicorn, length):
    # gunicorn's own limit (4094 bytes of request line by default) would answer an HTML 400 first.
    path = "/api/time-lines?site=" + "x" * (length - len("/api/time-lines?site="))
    status, content_type, body = _get(gunicorn, path)
    assert (status, content_type) == (414, "application/json")
    assert json.loads(body)["code"] == "uri_too_long"


def test_under_gunicorn_an_api_address_within_the_limit_is_answered_as_usual(gunicorn):
    path = "/api/time-lines?site=" + "x" * (MAX_API_URL_LENGTH - 100)
    status, content_type, body = _get(gunicorn, path)
    assert content_type.startswith("application/json")
    assert (status, json.loads(body)["code"]) == (401, "not_authenticated")
