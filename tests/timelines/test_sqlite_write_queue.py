"""SQLite's write queue (timetill/sqlite_backend): gunicorn's worker processes on one database file queue
their write transactions on its lock file. Real processes, real HTTP, a real file: simultaneous scans lose
nothing and duplicate nothing, and a transaction waits while another holds the queue."""

import fcntl
import http.client
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's own write queue: run in the SQLite pass"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """gunicorn, 3 worker processes, on a fresh SQLite file: a toggle site without bounce window, 5 cards."""
    tmp = tmp_path_factory.mktemp("write-queue")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "TIMETILL_"))}
    env |= {
        "DJANGO_SETTINGS_MODULE": "timetill.settings",
        "PYTHONPATH": str(ROOT),
        "TIMETILL_DATA_DIR": str(tmp),
        "TIMETILL_SQLITE_PATH": str(tmp / "desk.sqlite3"),
        "TIMETILL_LOG_LEVEL": "WARNING",
    }
    codes = tmp / "codes.txt"
    # The HTTP benchmark's scene, small: 5 customers, none in, a toggle site with no bounce window.
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "http_data.py"), "setup", "5", "0", "0", str(codes)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(done.stdout.strip().splitlines()[-1])
    port = _free_port()
    proc = subprocess.Popen(
        [str(BIN / "gunicorn"), "timetill.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "3"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        for _ in range(150):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        yield {
            "port": port,
            "token": data["token"],
            "site": data["site"],
            "codes": codes.read_text().split(),
            "db": tmp / "desk.sqlite3",
        }
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def post_scan(server, code: str, client_id: str | None = None) -> tuple[int, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", server["port"], timeout=60)
    try:
        body = {"site": server["site"], "code": code} | ({"client_id": client_id} if client_id else {})
        conn.request(
            "POST",
            "/api/scans",
            body=json.dumps(body),
            headers={"Authorization": f"Bearer {server['token']}", "Content-Type": "application/json"},
        )
        response = conn.getresponse()
        return response.status, json.loads(response.read())
    finally:
        conn.close()


def fire(server, scans: list[tuple[str, str | None]]) -> list[tuple[int, dict]]:
    """Every scan at once, each from a thread of its own (they reach the 3 worker processes together)."""
    barrier = threading.Barrier(len(scans), timeout=30)
    answers: list = [None] * len(scans)

    def one(i: int) -> None:
        barrier.wait()
        answers[i] = post_scan(server, *scans[i])

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(scans))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return answers


def rows(server, sql: str, *params) -> list[tuple]:
    with sqlite3.connect(server["db"], timeout=30) as db:
        return db.execute(sql, params).fetchall()


def test_simultaneous_scans_from_three_processes_lose_nothing_and_duplicate_nothing(server):
    one_card = server["codes"][0]
    others = server["codes"][1:]
    scans = [(one_card, f"same-{i}") for i in range(30)] + [(others[i % 4], f"other-{i}") for i in range(12)]
    scans += [(one_card, "retried")] * 4  # one scan's retries, all at once: one scan

    answers = fire(server, scans)

    assert [status for status, _ in answers] == [200] * len(scans), [a for s, a in answers if s != 200][:3]
    card = Counter(
        body["outcome"] for (_, body), (_, cid) in zip(answers, scans, strict=True) if cid.startswith("same-")
    )
    retried = {
        json.dumps(body, sort_keys=True)
        for (_, body), (_, cid) in zip(answers, scans, strict=True)
        if cid == "retried"
    }
    assert len(retried) == 1  # the retries got one answer, the same
    card[json.loads(retried.pop())["outcome"]] += 1
    # Each scan of the card in turn started a stay or stopped the open one (or, received before the stay it
    # found began, only showed it): never two stays open at once.
    assert set(card) <= {"started", "stopped", "shown"}
    assert card["started"] - card["stopped"] in (0, 1)
    [(lines, still_open)] = rows(
        server,
        "SELECT COUNT(*), SUM(tl.`end` IS NULL) FROM timelines_timeline tl JOIN customers_code c "
        "ON c.customer_id = tl.customer_id WHERE c.value = ?",
        one_card,
    )
    assert lines == card["started"]
    assert still_open == card["started"] - card["stopped"]
    # Every scan kept, once (the retries of one client id are one row), with the outcome it answered.
    assert rows(server, "SELECT COUNT(*) FROM timelines_scan WHERE client_id = 'retried'") == [(1,)]
    assert rows(
        server,
        "SELECT COUNT(*) FROM timelines_scan WHERE client_id LIKE 'same-%' OR client_id LIKE 'other-%'",
    ) == [(42,)]
    # Every check-out has its audit entry.
    stops = rows(server, "SELECT COUNT(*) FROM timelines_scan WHERE outcome = 'stopped'")[0][0]
    assert rows(server, "SELECT COUNT(*) FROM timelines_auditentry WHERE action = 'stop'") == [(stops,)]


def test_a_write_waits_while_another_holds_the_queue_then_goes_through(server):
    lock = os.open(f"{server['db']}.write-lock", os.O_RDWR)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)  # as a worker's open write transaction holds it
        answer: list = []
        scanner = threading.Thread(
            target=lambda: answer.append(post_scan(server, server["codes"][1], "queued"))
        )
        scanner.start()
        scanner.join(timeout=2)
        # The scan cannot write while the queue is held: nothing answered, nothing written.
        assert scanner.is_alive() and not answer
        assert rows(server, "SELECT COUNT(*) FROM timelines_scan WHERE client_id = 'queued'") == [(0,)]
        fcntl.flock(lock, fcntl.LOCK_UN)
        scanner.join(timeout=60)
        assert answer and answer[0][0] == 200
        assert rows(server, "SELECT COUNT(*) FROM timelines_scan WHERE client_id = 'queued'") == [(1,)]
        # The scan's transaction is over: the queue is free again.
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        fcntl.flock(lock, fcntl.LOCK_UN)
    finally:
        os.close(lock)
