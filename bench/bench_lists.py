"""Benchmark of the Timestamp page's lists in a busy car park: N open stays (500), each with its amount due
so far, next to a bare listing of the same rows by the same template engine, on SQLite and PostgreSQL,
under gunicorn, for one tablet and for four refreshing at the same instant. See bench/README.md.
Run: python bench/bench_lists.py [--quick] [--stays N] [--only sqlite|postgresql] [--rounds N]"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
from run_http import (  # noqa: E402
    POSTGRES_URL,
    BenchError,
    Gunicorn,
    postgres_reachable,
    run_json,
)
from targets import target  # noqa: E402

ROOT = BENCH.parent
POSTGRES_DB = os.environ.get("BENCH_LISTS_DB", "timetill_bench_lists")  # dropped and created again
TARGET_RATIO = 3.0
TABLETS = 4


def recreate(*, drop_only: bool = False) -> None:
    import psycopg  # noqa: PLC0415

    with psycopg.connect(f"{POSTGRES_URL}/postgres", autocommit=True, connect_timeout=3) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {POSTGRES_DB} WITH (FORCE)")
        if not drop_only:
            conn.execute(f"CREATE DATABASE {POSTGRES_DB}")


def get(port: int, path: str, cookie: str) -> tuple[float, int]:
    """One GET on a connection of its own: (seconds to the last byte, body size)."""
    t0 = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path, headers={"Cookie": cookie})
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    if response.status != 200:
        raise BenchError(f"GET {path}: {response.status} {body[:300]!r}")
    return time.perf_counter() - t0, len(body)


def at_once(port: int, path: str, cookie: str, clients: int) -> list[float]:
    """`clients` GETs leaving at the same instant (tablets whose 10-second refreshes coincide)."""
    barrier = threading.Barrier(clients)
    times: list[float] = [0.0] * clients
    errors: list[BaseException] = []

    def one(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            times[i] = get(port, path, cookie)[0]
        except BaseException as error:  # noqa: BLE001 - reported below, in the main thread
            errors.append(error)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise BenchError(f"GET {path}: {errors[0]}")
    return times


def bench_database(database: str, env: dict, stays: int, rounds: int, tmp: Path) -> dict:
    print(f"\n== {database}: a car park with {stays} open stays …", flush=True)
    data = run_json([sys.executable, str(BENCH / "lists_data.py"), str(stays)], env)
    server = Gunicorn(env, 3, tmp / f"gunicorn-lists-{database}.log")
    paths = {
        "bare": f"/bench/open-stays?site={data['site']}",
        "lists": f"/timestamp/lists/?site={data['site']}",
    }
    try:
        server.wait_ready()
        sizes = {}
        for name, path in paths.items():
            for _ in range(5):  # warm-up: every worker's imports, templates and connection
                sizes[name] = get(server.port, path, data["cookie"])[1]
        single: dict[str, list[float]] = {name: [] for name in paths}
        tablets: dict[str, list[float]] = {name: [] for name in paths}
        for _ in range(rounds):  # alternate, so that a busy moment of the machine slows both alike
            for name, path in paths.items():
                single[name].append(get(server.port, path, data["cookie"])[0])
            for name, path in paths.items():
                tablets[name] += at_once(server.port, path, data["cookie"], TABLETS)
    finally:
        server.stop()
    ms = {
        kind: {name: statistics.median(times) * 1000 for name, times in found.items()}
        for kind, found in (("single", single), ("tablets", tablets))
    }
    for kind in ms:
        print(
            f"   {kind:<8} bare {ms[kind]['bare']:7.1f} ms  lists {ms[kind]['lists']:7.1f} ms  "
            f"ratio {ms[kind]['lists'] / ms[kind]['bare']:.2f}",
            flush=True,
        )
    return {"database": database, "ms": ms, "sizes": sizes, "stopped": data["stopped"]}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer rounds")
    parser.add_argument("--stays", type=int, default=500, help="open stays")
    parser.add_argument("--rounds", type=int, help="rounds of each measure (default 30, quick 10)")
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    options = parser.parse_args(argv)
    rounds = options.rounds or (10 if options.quick else 30)
    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "TIMETILL_"))}
    base_env |= {
        "TIMETILL_BENCH": "1",
        "DJANGO_SETTINGS_MODULE": "timetill.settings",
        "PYTHONPATH": str(ROOT),
        "TIMETILL_LOG_LEVEL": "WARNING",
    }
    found = []
    try:
        with tempfile.TemporaryDirectory(prefix="timetill-bench-lists-") as tmp_name:
            tmp = Path(tmp_name)
            if options.only in (None, "sqlite"):
                env = base_env | {
                    "TIMETILL_DATA_DIR": str(tmp),
                    "TIMETILL_SQLITE_PATH": str(tmp / "lists.sqlite3"),
                }
                found.append(bench_database("SQLite", env, options.stays, rounds, tmp))
            if options.only in (None, "postgresql"):
                if postgres_reachable() is None:
                    print("\n== PostgreSQL skipped: nothing answers.")
                else:
                    recreate()
                    try:
                        env = base_env | {
                            "TIMETILL_DATA_DIR": str(tmp),
                            "DATABASE_URL": f"{POSTGRES_URL}/{POSTGRES_DB}",
                        }
                        found.append(bench_database("PostgreSQL", env, options.stays, rounds, tmp))
                    finally:
                        recreate(drop_only=True)
    except BenchError as error:
        print(f"\nBENCHMARK FAILED: {error}", file=sys.stderr)
        return 1
    stopped = found[0]["stopped"] if found else 0
    print(
        f"\n{options.stays} open stays and {stopped} stopped ones; gunicorn with 3 sync workers; "
        f"medians of {rounds} rounds ({TABLETS} tablets: {TABLETS} requests a round).\n"
    )
    print("| database | load | bare listing ms | Timestamp lists ms | ratio |")
    print("|---|---|---:|---:|---:|")
    for result in found:
        for kind, label in (("single", "one tablet"), ("tablets", f"{TABLETS} tablets at once")):
            bare, lists = result["ms"][kind]["bare"], result["ms"][kind]["lists"]
            print(f"| {result['database']} | {label} | {bare:.1f} | {lists:.1f} | {lists / bare:.2f} |")
    print()
    for result in found:
        for kind, label in (("single", "one tablet"), ("tablets", f"{TABLETS} tablets at once")):
            bare, lists = result["ms"][kind]["bare"], result["ms"][kind]["lists"]
            target(
                f"4. pending list, {result['database']}, {options.stays} open stays, {label}: "
                "lists ÷ bare listing",
                f"{lists / bare:.2f}",
                f"≤ {TARGET_RATIO:g}",
                lists / bare <= TARGET_RATIO,
                f"{lists:.1f} ms ÷ {bare:.1f} ms",
            )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
