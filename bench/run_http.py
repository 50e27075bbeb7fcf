"""HTTP benchmark of the scan endpoint under gunicorn, on SQLite and on PostgreSQL, next to a bare one-row
insert of the same stack in the same run. See bench/README.md. Run: python bench/run_http.py [--quick]"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
BIN = Path(sys.executable).parent
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432")
POSTGRES_DB = "timetill_bench"  # dropped and created again by every run
CLIENTS = (16, 64)
WRK_THREADS = 2
# Measured on 2 cores (bench/README.md): 3 sync workers gave the most scans/s, 4 the fewest.
DEFAULT_WORKERS = 3
CUSTOMERS = 20_000
OPEN_SHARE = 0.5  # customers already in at the start: a steady mix of check-ins and check-outs
# One second: random picks among 20,000 codes rarely hit the same code twice within it (a few percent bounce),
# while the bounce query still runs on every scan as in production.
BOUNCE_SECONDS = 1
SCAN_TARGET_RATIO, SCAN_TARGET_P99_MS = 0.6, 50.0


class BenchError(RuntimeError):
    pass


@dataclass
class Result:
    database: str
    clients: int
    endpoint: str
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    outcomes: dict | None = None

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def postgres_reachable() -> str | None:
    """The server's version, or None if there is none to bench against."""
    try:
        import psycopg  # noqa: PLC0415 - only when PostgreSQL is benched
    except ImportError:
        return None
    try:
        with psycopg.connect(f"{POSTGRES_URL}/postgres", connect_timeout=3) as conn:
            return conn.execute("SHOW server_version").fetchone()[0]
    except psycopg.Error:
        return None


def recreate_postgres_database(*, drop_only: bool = False) -> None:
    import psycopg  # noqa: PLC0415

    with psycopg.connect(f"{POSTGRES_URL}/postgres", autocommit=True, connect_timeout=3) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {POSTGRES_DB} WITH (FORCE)")
        if not drop_only:
            conn.execute(f"CREATE DATABASE {POSTGRES_DB}")


def run_json(args: list[str], env: dict) -> dict:
    done = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BenchError(f"{' '.join(args[:3])} failed:\n{done.stdout}\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


class Gunicorn:
    def __init__(self, env: dict, workers: int, log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        with log.open("w") as out:
            self.proc = subprocess.Popen(
                [
                    str(BIN / "gunicorn"),
                    "timetill.wsgi",
                    "--bind",
                    f"127.0.0.1:{self.port}",
                    "--workers",
                    str(workers),
                    "--log-level",
                    "warning",
                ],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise BenchError(f"gunicorn exited with {self.proc.returncode}:\n{self.log.read_text()}")
            try:
                with urllib.request.urlopen(f"{self.url}/api/openapi.json", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        raise BenchError(f"gunicorn did not answer within {timeout:.0f} s:\n{self.log.read_text()}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # graceful: the master stops its workers
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def wrk(url: str, script: str, clients: int, seconds: int, lua_args: list[str]) -> dict:
    args = [
        "wrk",
        f"-t{WRK_THREADS}",
        f"-c{clients}",
        f"-d{seconds}s",
        "--timeout",
        "5s",
        "-s",
        str(BENCH / script),
        url,
        "--",
        *lua_args,
    ]
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith("WRK_JSON ")]
    if done.returncode != 0 or not lines:
        raise BenchError(f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    stats = json.loads(lines[-1].removeprefix("WRK_JSON "))
    failures = {
        k: stats[k] for k in ("non2xx", "connect", "read", "write", "timeout", "http_errors") if stats[k]
    }
    if failures:
        raise BenchError(
            f"{script} with {clients} clients: {stats['requests']} requests, failures {failures}; "
            f"first bad response: {stats['sample'] or '(none kept)'}"
        )
    return stats


def bench_database(
    database: str, env: dict, workers: int, seconds: int, warmup: int, tmp: Path
) -> list[Result]:
    codes = tmp / "codes.txt"
    print(f"\n== {database}: migrating and creating {CUSTOMERS:,} customers …", flush=True)
    t0 = time.monotonic()
    data_script = str(BENCH / "http_data.py")
    data = run_json(
        [
            sys.executable,
            data_script,
            "setup",
            str(CUSTOMERS),
            str(OPEN_SHARE),
            str(BOUNCE_SECONDS),
            str(codes),
        ],
        env,
    )
    print(
        f"   {data['customers']:,} customers, {data['open']:,} checked in, in {time.monotonic() - t0:.1f} s"
    )
    server = Gunicorn(env, workers, tmp / f"gunicorn-{database}.log")
    results: list[Result] = []
    try:
        server.wait_ready()
        endpoints = {"insert": ("insert.lua", "/bench/insert"), "scan": ("scan.lua", "/api/scans")}
        for endpoint, (script, path) in endpoints.items():
            wrk(
                server.url + path,
                script,
                16,
                warmup,
                [str(codes), data["token"], data["site"], f"warm-{endpoint}"],
            )
        for clients in CLIENTS:
            for endpoint, (script, path) in endpoints.items():
                prefix = f"c{clients}-{endpoint}"
                stats = wrk(
                    server.url + path,
                    script,
                    clients,
                    seconds,
                    [str(codes), data["token"], data["site"], prefix],
                )
                result = Result(
                    database=database,
                    clients=clients,
                    endpoint=endpoint,
                    requests=stats["requests"],
                    seconds=stats["duration_us"] / 1e6,
                    p50_ms=stats["p50_us"] / 1000,
                    p99_ms=stats["p99_us"] / 1000,
                )
                results.append(result)
                print(
                    f"   {clients:>3} clients  {endpoint:<7}{result.per_second:>9,.0f}/s  "
                    f"p50 {result.p50_ms:6.1f} ms  p99 {result.p99_ms:6.1f} ms",
                    flush=True,
                )
    finally:
        server.stop()
    for result in results:
        if result.endpoint == "scan":
            result.outcomes = run_json(
                [sys.executable, data_script, "outcomes", f"c{result.clients}-scan-"], env
            )
    return results


def ratio(results: list[Result], result: Result) -> float | None:
    if result.endpoint != "scan":
        return None
    bare = next(
        r
        for r in results
        if (r.database, r.clients, r.endpoint) == (result.database, result.clients, "insert")
    )
    return result.per_second / bare.per_second


def report(results: list[Result], notes: list[str], header: list[str]) -> str:
    lines = [*header, ""]
    lines += [
        "| database | clients | endpoint | requests/s | p50 ms | p99 ms | ratio scan/insert |",
        "|---|---:|---|---:|---:|---:|---:|",
    ]
    for r in results:
        q = ratio(results, r)
        name = "scan (POST /api/scans)" if r.endpoint == "scan" else "bare insert (POST /bench/insert)"
        shown = "" if q is None else f"{q:.2f}"
        lines.append(
            f"| {r.database} | {r.clients} | {name} | {r.per_second:,.0f} | {r.p50_ms:.1f} | {r.p99_ms:.1f} "
            f"| {shown} |"
        )
    lines.append("")
    for r in results:
        if r.outcomes:
            total = sum(r.outcomes.values())
            mix = ", ".join(f"{k} {v / total:.0%}" for k, v in sorted(r.outcomes.items()))
            lines.append(f"- Scan outcomes, {r.database}, {r.clients} clients: {total:,} scans: {mix}.")
    for r in results:
        if r.endpoint == "scan" and r.clients == max(CLIENTS):
            q = ratio(results, r)
            ok = q >= SCAN_TARGET_RATIO and r.p99_ms < SCAN_TARGET_P99_MS
            lines.append(
                f"- Target at {r.clients} clients, {r.database} (ratio ≥ {SCAN_TARGET_RATIO}, p99 < "
                f"{SCAN_TARGET_P99_MS:.0f} ms): ratio {q:.2f}, p99 {r.p99_ms:.1f} ms: "
                f"{'met' if ok else 'MISSED'}."
            )
    lines += [f"- {note}" for note in notes]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="5-second runs instead of 15")
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS, help="gunicorn sync workers")
    parser.add_argument("--seconds", type=int, help="seconds per measured run")
    parser.add_argument("--only", choices=["sqlite", "postgresql"], help="bench one database")
    options = parser.parse_args(argv)
    seconds = options.seconds or (5 if options.quick else 15)
    warmup = 2 if options.quick else 3
    if shutil.which("wrk") is None:
        print(
            "wrk is not installed (Debian: apt-get install wrk): the HTTP benchmark cannot run.",
            file=sys.stderr,
        )
        return 1

    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "TIMETILL_"))}
    base_env |= {
        "TIMETILL_BENCH": "1",
        "DJANGO_SETTINGS_MODULE": "timetill.settings",
        "PYTHONPATH": str(ROOT),
        "TIMETILL_LOG_LEVEL": "WARNING",
    }
    started = datetime.now()
    results: list[Result] = []
    notes: list[str] = []
    versions = [f"SQLite {sqlite3.sqlite_version}"]
    try:
        with tempfile.TemporaryDirectory(prefix="timetill-bench-") as tmp_name:
            tmp = Path(tmp_name)
            if options.only in (None, "sqlite"):
                env = base_env | {
                    "TIMETILL_DATA_DIR": str(tmp),
                    "TIMETILL_SQLITE_PATH": str(tmp / "bench.sqlite3"),
                }
                results += bench_database("SQLite", env, options.workers, seconds, warmup, tmp)
            if options.only in (None, "postgresql"):
                version = postgres_reachable()
                if version is None:
                    note = f"PostgreSQL skipped: nothing answers at {POSTGRES_URL.rsplit('@', 1)[-1]}."
                    print(f"\n== {note}")
                    notes.append(note)
                else:
                    versions.append(f"PostgreSQL {version}")
                    recreate_postgres_database()
                    try:
                        env = base_env | {
                            "TIMETILL_DATA_DIR": str(tmp),
                            "DATABASE_URL": f"{POSTGRES_URL}/{POSTGRES_DB}",
                        }
                        results += bench_database("PostgreSQL", env, options.workers, seconds, warmup, tmp)
                    finally:
                        recreate_postgres_database(drop_only=True)
    except BenchError as error:
        print(f"\nBENCHMARK FAILED: {error}", file=sys.stderr)
        return 1

    header = [
        f"# Timetill HTTP benchmark, {started:%Y-%m-%d %H:%M}",
        "",
        f"{os.cpu_count()} cores, Python {platform.python_version()}, {', '.join(versions)}; "
        f"gunicorn with {options.workers} sync workers; wrk with {WRK_THREADS} threads on the same machine, "
        f"{seconds} s per row after a {warmup} s warm-up per endpoint. Data: {CUSTOMERS:,} customers with "
        f"an EAN-13 code each, {OPEN_SHARE:.0%} of them checked in at the start; one site (toggle policy, "
        f"bounce window {BOUNCE_SECONDS} s), one device token. Every request carries a new client id.",
    ]
    text = report(results, notes, header)
    print("\n" + text)
    out_dir = BENCH / "results"
    out_dir.mkdir(exist_ok=True)
    out = out_dir / f"http-{started:%Y%m%d-%H%M%S}.md"
    out.write_text(text)
    print(f"Written to {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
