"""HTTP benchmark of the scan endpoint under gunicorn, on SQLite and on PostgreSQL, next to a bare one-row
insert of the same stack in the same run. See bench/README.md. Run: python bench/run_http.py [--quick]"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
sys.path.insert(0, str(BENCH))
from open_loop import OpenLoopResult, drive  # noqa: E402
from targets import target  # noqa: E402

BIN = Path(sys.executable).parent
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432")
# Dropped and created again by every run (BENCH_HTTP_DB names another: two runs on one server never meet).
POSTGRES_DB = os.environ.get("BENCH_HTTP_DB", "timetill_bench")
CLIENTS = (16, 64)
WRK_THREADS = 2
# Measured on 2 cores (bench/README.md): 3 sync workers gave the most scans/s, 4 the fewest.
DEFAULT_WORKERS = 3
CUSTOMERS = 20_000
OPEN_SHARE = 0.5  # customers already in at the start: a steady mix of check-ins and check-outs
# One second: random picks among 20,000 codes rarely hit the same code twice within it (a few percent bounce),
# while the bounce query still runs on every scan as in production.
BOUNCE_SECONDS = 1
# Issue 15's targets: throughput ratio, tail ratio (closed loop), and the open-loop p99 at a steady rate.
TARGET_RATIO, TARGET_TAIL_RATIO = 0.6, 2.0
OPEN_RATE, TARGET_OPEN_P99_MS = 50, 50.0
OPEN_TIMEOUT = 10.0  # seconds: an open-loop request unanswered by then counts at this latency
# The open loop measures the server only if the driver sends on time: beyond this lag the verdict is the
# machine's, and the report says so.
OPEN_DRIVER_LAG_MS = 10.0


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
    loop: str = "closed"  # "closed": wrk's clients; "open": requests at a steady rate (bench/open_loop.py)
    blocks: list[tuple[float, float]] = field(default_factory=list)  # closed loop: (requests/s, p99 ms) each
    lag_ms: float = 0.0  # open loop: the driver's worst delay in sending a request after its due instant
    timed_out: int = 0  # open loop: requests unanswered within OPEN_TIMEOUT (counted at that latency)

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
    def __init__(self, env: dict, workers: int, log: Path, threads: int = 1) -> None:
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
                    *(["--worker-class", "gthread", "--threads", str(threads)] if threads > 1 else []),
                    "--log-level",
                    "warning",
                    # A worker's first requests import and build what it serves: on a loaded machine that
                    # took longer than gunicorn's default 30 s, which killed the worker and failed the run.
                    "--timeout",
                    "120",
                ],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise BenchError(f"gunicorn exited with {self.proc.returncode}:\n{self.log.read_text()}")
            try:
                with urllib.request.urlopen(f"{self.url}/bench/ready", timeout=2) as response:
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
    database: str,
    env: dict,
    workers: int,
    seconds: int,
    warmup: int,
    tmp: Path,
    threads: int = 1,
    repeat: int = 3,
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
    server = Gunicorn(env, workers, tmp / f"gunicorn-{database}.log", threads)
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
            blocks: dict[str, list[dict]] = {endpoint: [] for endpoint in endpoints}
            # Short blocks of each endpoint in turn: a busy moment of the machine slows both alike.
            for block in range(repeat):
                for endpoint, (script, path) in endpoints.items():
                    prefix = f"c{clients}-{endpoint}-b{block}"
                    blocks[endpoint].append(
                        wrk(
                            server.url + path,
                            script,
                            clients,
                            seconds,
                            [str(codes), data["token"], data["site"], prefix],
                        )
                    )
            for endpoint, found in blocks.items():
                result = Result(
                    database=database,
                    clients=clients,
                    endpoint=endpoint,
                    requests=sum(b["requests"] for b in found),
                    seconds=sum(b["duration_us"] for b in found) / 1e6,
                    p50_ms=statistics.median(b["p50_us"] for b in found) / 1000,
                    p99_ms=statistics.median(b["p99_us"] for b in found) / 1000,
                    blocks=[(b["requests"] / (b["duration_us"] / 1e6), b["p99_us"] / 1000) for b in found],
                )
                results.append(result)
                print(
                    f"   {clients:>3} clients  {endpoint:<7}{result.per_second:>9,.0f}/s  "
                    f"p50 {result.p50_ms:6.1f} ms  p99 {result.p99_ms:6.1f} ms  (blocks: "
                    + ", ".join(f"{rps:,.0f}/s p99 {p99:.0f}" for rps, p99 in result.blocks)
                    + ")",
                    flush=True,
                )
        codes_list = codes.read_text().split()
        pooled: dict[str, OpenLoopResult] = {e: OpenLoopResult(sent=0) for e in endpoints}
        for block in range(repeat):
            for endpoint, (_, path) in endpoints.items():
                found = asyncio.run(
                    drive(
                        server.url + path,
                        token=data["token"],
                        site=data["site"],
                        codes=codes_list,
                        rate=OPEN_RATE,
                        seconds=seconds,
                        prefix=f"open-{endpoint}-b{block}",
                        seed=block * 2 + (endpoint == "scan"),
                        timeout=OPEN_TIMEOUT,
                    )
                )
                if found.failures:
                    raise BenchError(
                        f"open loop, {endpoint}: {len(found.failures)} of {found.sent} failed; first: "
                        f"{found.failures[0]}"
                    )
                total = pooled[endpoint]
                total.sent += found.sent
                total.latencies_ms += found.latencies_ms
                total.lag_ms = max(total.lag_ms, found.lag_ms)
                total.timed_out += found.timed_out
        for endpoint, found in pooled.items():
            result = Result(
                database=database,
                clients=OPEN_RATE,
                endpoint=endpoint,
                requests=found.sent,
                seconds=seconds * repeat,
                p50_ms=found.percentile(50),
                p99_ms=found.percentile(99),
                loop="open",
                lag_ms=found.lag_ms,
                timed_out=found.timed_out,
            )
            results.append(result)
            print(
                f"   {OPEN_RATE}/s open loop  {endpoint:<7} p50 {result.p50_ms:6.1f} ms  "
                f"p99 {result.p99_ms:6.1f} ms  (driver lag at most {found.lag_ms:.1f} ms, "
                f"{found.timed_out} unanswered within {OPEN_TIMEOUT:g} s)",
                flush=True,
            )
    finally:
        server.stop()
    for result in results:
        if result.endpoint == "scan":
            prefix = "open-scan-" if result.loop == "open" else f"c{result.clients}-scan-"
            result.outcomes = run_json([sys.executable, data_script, "outcomes", prefix], env)
    return results


def bare_of(results: list[Result], result: Result) -> Result:
    """The bare insert measured with the same database, load and loop as `result`."""
    return next(
        r
        for r in results
        if (r.database, r.clients, r.loop, r.endpoint)
        == (result.database, result.clients, result.loop, "insert")
    )


def ratio(results: list[Result], result: Result) -> float | None:
    """Scans/s ÷ bare inserts/s: the median of the ratios of the blocks run one after the other."""
    if result.endpoint != "scan" or result.loop != "closed":
        return None
    return statistics.median(s[0] / b[0] for s, b in _answered(result, bare_of(results, result)))


def tail_ratio(results: list[Result], result: Result) -> float:
    """Scan p99 ÷ bare insert p99, the median over blocks (closed loop), or of the pooled latencies (open)."""
    bare = bare_of(results, result)
    if result.loop != "closed":
        return result.p99_ms / bare.p99_ms
    return statistics.median(s[1] / b[1] for s, b in _answered(result, bare))


def _answered(result: Result, bare: Result) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """The pairs of blocks where both endpoints answered: on a machine too busy, a short block may see none
    (wrk counts answers, not requests sent); the report shows such blocks, the ratios leave them out."""
    pairs = [(s, b) for s, b in zip(result.blocks, bare.blocks, strict=True) if s[0] > 0 and b[0] > 0]
    if not pairs:
        raise BenchError(
            f"{result.database}, {result.clients} clients: no block where both endpoints answered"
        )
    return pairs


def report(results: list[Result], notes: list[str], header: list[str]) -> str:
    lines = [*header, ""]
    lines += [
        "| database | load | endpoint | requests/s | p50 ms | p99 ms | ratio scan/insert | p99 scan/insert |",
        "|---|---|---|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        q = ratio(results, r)
        name = "scan (POST /api/scans)" if r.endpoint == "scan" else "bare insert (POST /bench/insert)"
        shown = "" if q is None else f"{q:.2f}"
        tail = "" if r.endpoint != "scan" else f"{tail_ratio(results, r):.2f}"
        load = f"{r.clients} clients" if r.loop == "closed" else f"{r.clients}/s open loop"
        lines.append(
            f"| {r.database} | {load} | {name} | {r.per_second:,.0f} | {r.p50_ms:.1f} | {r.p99_ms:.1f} "
            f"| {shown} | {tail} |"
        )
    lines.append("")
    for r in results:
        if r.outcomes:
            total = sum(r.outcomes.values())
            mix = ", ".join(f"{k} {v / total:.0%}" for k, v in sorted(r.outcomes.items()))
            load = f"{r.clients} clients" if r.loop == "closed" else f"{r.clients}/s open loop"
            lines.append(f"- Scan outcomes, {r.database}, {load}: {total:,} scans: {mix}.")
    lines += [f"- {note}" for note in notes]
    return "\n".join(lines) + "\n"


def open_loop_caveat(scan: Result, bare: Result) -> str:
    """Why a missed open-loop target may say more about the machine than about the scan: the bare insert
    missed too at the same rate, or the driver itself sent late. Empty when the miss is the scan's own."""
    reasons = []
    if bare.p99_ms >= TARGET_OPEN_P99_MS:
        reasons.append(f"the bare insert missed too ({bare.p99_ms:.0f} ms)")
    lag = max(scan.lag_ms, bare.lag_ms)
    if lag > OPEN_DRIVER_LAG_MS:
        reasons.append(f"the driver sent up to {lag:.0f} ms late")
    if not reasons:
        return ""
    return "machine too busy to serve this rate: " + ", ".join(reasons)


def report_targets(results: list[Result]) -> list[str]:
    """Issue 15's targets 1 to 3, each as a TARGET_JSON line (bench/targets.py) and as a Markdown line."""
    lines = []
    scans = [r for r in results if r.endpoint == "scan"]
    for r in scans:
        bare = bare_of(results, r)
        if r.loop != "closed":
            continue
        q = ratio(results, r)
        t = target(
            f"1. throughput, {r.database}, {r.clients} clients: scans/s ÷ bare inserts/s",
            f"{q:.2f}",
            f"≥ {TARGET_RATIO}",
            q >= TARGET_RATIO,
            f"{r.per_second:,.0f} ÷ {bare.per_second:,.0f} requests/s",
        )
        lines.append(f"- {t.name}: {t.measured} ({t.goal}): {'met' if t.met else 'MISSED'}.")
    for r in scans:
        bare = bare_of(results, r)
        if r.loop != "closed":
            continue
        q = tail_ratio(results, r)
        t = target(
            f"2. tail, {r.database}, {r.clients} clients: scan p99 ÷ bare insert p99",
            f"{q:.2f}",
            f"≤ {TARGET_TAIL_RATIO:g}",
            q <= TARGET_TAIL_RATIO,
            f"{r.p99_ms:.1f} ms ÷ {bare.p99_ms:.1f} ms",
        )
        lines.append(f"- {t.name}: {t.measured} ({t.goal}): {'met' if t.met else 'MISSED'}.")
    for r in scans:
        if r.loop != "open":
            continue
        bare = bare_of(results, r)
        met = r.p99_ms < TARGET_OPEN_P99_MS
        t = target(
            f"3. a cashier's wait, {r.database}, {r.clients} scans/s open loop: scan p99",
            f"{r.p99_ms:.1f} ms",
            f"< {TARGET_OPEN_P99_MS:.0f} ms",
            met,
            f"p50 {r.p50_ms:.1f} ms; bare insert at the same rate: p50 {bare.p50_ms:.1f} ms, "
            f"p99 {bare.p99_ms:.1f} ms; {r.timed_out} of {r.requests} scans unanswered within "
            f"{OPEN_TIMEOUT:g} s; driver lag at most {max(r.lag_ms, bare.lag_ms):.0f} ms",
            caveat="" if met else open_loop_caveat(r, bare),
        )
        lines.append(
            f"- {t.name}: {t.measured} ({t.goal}): {'met' if t.met else 'MISSED'}"
            + (f" ({t.caveat})" if t.caveat else "")
            + "."
        )
    return lines


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="blocks of 3 seconds instead of 5")
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS, help="gunicorn sync workers")
    parser.add_argument("--seconds", type=int, help="seconds per measured block")
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="blocks of each endpoint, in turn (the ratios are their medians)",
    )
    parser.add_argument("--only", choices=["sqlite", "postgresql"], help="bench one database")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (gthread when > 1)")
    parser.add_argument(
        "--sqlite-queue",
        choices=["on", "off", "both"],
        default="on",
        help="SQLite's write transactions queued on a lock file (timetill/sqlite_backend), or not; "
        "both: SQLite twice, without then with",
    )
    options = parser.parse_args(argv)
    seconds = options.seconds or (3 if options.quick else 5)
    repeat = max(1, options.repeat)
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
                queues = {"on": ["1"], "off": ["0"], "both": ["0", "1"]}[options.sqlite_queue]
                for queue in queues:
                    name = (
                        "SQLite"
                        if options.sqlite_queue != "both"
                        else f"SQLite, queue {'on' if queue == '1' else 'off'}"
                    )
                    env = base_env | {
                        "TIMETILL_DATA_DIR": str(tmp),
                        "TIMETILL_SQLITE_PATH": str(tmp / f"bench-{queue}.sqlite3"),
                        "TIMETILL_SQLITE_WRITE_QUEUE": queue,
                    }
                    results += bench_database(
                        name, env, options.workers, seconds, warmup, tmp, options.threads, repeat
                    )
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
                        results += bench_database(
                            "PostgreSQL", env, options.workers, seconds, warmup, tmp, options.threads, repeat
                        )
                    finally:
                        recreate_postgres_database(drop_only=True)
    except BenchError as error:
        print(f"\nBENCHMARK FAILED: {error}", file=sys.stderr)
        return 1

    header = [
        f"# Timetill HTTP benchmark, {started:%Y-%m-%d %H:%M}",
        "",
        f"{os.cpu_count()} cores, Python {platform.python_version()}, {', '.join(versions)}; "
        f"gunicorn with {options.workers} "
        f"{'sync workers' if options.threads == 1 else f'gthread workers of {options.threads} threads'}; "
        f"wrk with {WRK_THREADS} threads on the same machine, "
        f"{repeat} blocks of {seconds} s of each endpoint in turn per row (ratios: medians of the blocks' "
        f"ratios) after a {warmup} s warm-up per endpoint; then {OPEN_RATE} requests a second, "
        f"{repeat} × {seconds} s of each, from an open-loop driver (bench/open_loop.py). "
        f"Data: {CUSTOMERS:,} customers with an EAN-13 code each, {OPEN_SHARE:.0%} of them checked in at "
        f"the start; one site (toggle policy, "
        f"bounce window {BOUNCE_SECONDS} s), one device token. Every request carries a new client id.",
    ]
    text = report(results, notes, header)
    text += "\n".join(report_targets(results)) + "\n"
    print("\n" + text)
    out_dir = BENCH / "results"
    out_dir.mkdir(exist_ok=True)
    out = out_dir / f"http-{started:%Y%m%d-%H%M%S}.md"
    out.write_text(text)
    print(f"Written to {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
