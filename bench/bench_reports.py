"""Benchmark of the reports over 1,000,000 stays, on SQLite and on PostgreSQL: occupancy by hour over a
year and the XLSX export, next to the raw read of the same rows in the same run. See bench/README.md.

Run: python bench/bench_reports.py [--quick] [--rows N] [--only sqlite|postgresql] [--no-xlsx] [--repeat N]"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432")
# Dropped and created again by every run, dropped at the end (BENCH_REPORTS_DB names another).
POSTGRES_DB = os.environ.get("BENCH_REPORTS_DB", "timetill_bench_reports")
YEAR = 2025  # both DST nights of Europe/Paris fall inside it
CUSTOMERS = 10_000
GROUPS = ("Members", "Visitors", "Students", "Staff", "Night")
RATIO_TARGET = 3.0
# The export streams (openpyxl's write-only sheet, inline strings, rows read 2,000 at a time): its memory
# must not grow with the rows.
MEMORY_TARGET_MB = 200
REPEAT = 5
STORED = "%Y-%m-%d %H:%M:%S"  # how Django's SQLite backend stores a UTC datetime


def _median_seconds(action, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        began = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - began)
    return statistics.median(times), result


def _stays(rows: int, seed: int = 13):
    """(n, start, end) over the year in order of arrival, as a site writes them: arrivals at any hour (fewer
    at night), stays of 10 minutes to 9 hours."""
    rng = random.Random(seed)
    year_start = datetime(YEAR, 1, 1, tzinfo=UTC) - timedelta(hours=1)  # local midnight in Paris
    year_seconds = int(
        (datetime(YEAR + 1, 1, 1, tzinfo=UTC) - datetime(YEAR, 1, 1, tzinfo=UTC)).total_seconds()
    )
    offsets = []
    for _ in range(rows):
        offset = rng.randrange(year_seconds - 10 * 3600)
        if (offset // 3600) % 24 < 6 and rng.random() < 0.7:
            offset += 8 * 3600
        offsets.append(offset)
    offsets.sort()
    for n, offset in enumerate(offsets):
        start = year_start + timedelta(seconds=offset)
        yield n, start, start + timedelta(seconds=rng.randrange(600, 9 * 3600))


def _load(rows: int) -> int:
    """Fresh tables, one site, customers in groups, `rows` stopped stays over the year; the site's id."""
    from django.core.management import call_command
    from django.db import connection, transaction

    from timetill.customers.models import Customer, CustomerGroup
    from timetill.sites.models import Site

    call_command("migrate", verbosity=0)
    site = Site.objects.create(name="Bench", slug="bench", capacity=1200, time_zone="Europe/Paris")
    groups = [CustomerGroup.objects.create(name=name) for name in GROUPS]
    Customer.objects.bulk_create(
        Customer(name=f"Customer {n}", group=groups[n % len(groups)]) for n in range(CUSTOMERS)
    )
    first_customer = Customer.objects.order_by("pk").values_list("pk", flat=True).first()
    columns = (
        'code, site_id, customer_id, scanned_code, start, "end", note, started_via, stopped_via, hidden, '
        "invoiced"
    )
    began = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY timelines_timeline ({columns}) FROM STDIN") as copy:
                for n, start, end in _stays(rows):
                    copy.write_row(
                        (
                            f"TL{n:010d}",
                            site.pk,
                            first_customer + n % CUSTOMERS,
                            "",
                            start,
                            end,
                            "",
                            "scan",
                            "scan",
                            False,
                            False,
                        )
                    )
            cursor.execute("ANALYZE timelines_timeline")
        else:
            # The driver's own executemany: Django's cursor wrapper would add a few seconds per 100,000 rows.
            raw = connection.connection
            insert = f"INSERT INTO timelines_timeline ({columns}) VALUES ({', '.join(['?'] * 11)})"
            raw.executemany(
                insert,
                (
                    (
                        f"TL{n:010d}",
                        site.pk,
                        first_customer + n % CUSTOMERS,
                        "",
                        start.strftime(STORED),
                        end.strftime(STORED),
                        "",
                        "scan",
                        "scan",
                        0,
                        0,
                    )
                    for n, start, end in _stays(rows)
                ),
            )
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"  loaded {rows:,} stays in {time.perf_counter() - began:.1f} s", file=sys.stderr, flush=True)
    return site.pk


def _raw_read(site_id: int, period) -> int:
    """The baseline: the same rows' (start, end) pairs, as they are, through a plain cursor."""
    from django.db import connection

    count = 0
    with connection.cursor() as cursor:
        cursor.execute(
            'SELECT start, "end" FROM timelines_timeline WHERE site_id = %s AND start >= %s AND start < %s',
            [site_id, period.start, period.end],
        )
        while chunk := cursor.fetchmany(20_000):
            count += len(chunk)
    return count


def child(database: str, rows: int, xlsx: bool, repeat: int) -> dict:
    """Runs inside a process whose settings point at the bench database."""
    import django

    django.setup()
    from timetill.reports.occupancy import occupancy
    from timetill.reports.periods import Period
    from timetill.sites.models import Site

    site_id = _load(rows)
    site = Site.objects.get(pk=site_id)
    period = Period(first=date(YEAR, 1, 1), last=date(YEAR, 12, 31), tz=site.tz)
    at = datetime(YEAR + 1, 2, 1, tzinfo=UTC)
    _raw_read(site_id, period)  # warm the cache for both
    raw, count = _median_seconds(lambda: _raw_read(site_id, period), repeat)
    report_seconds, report = _median_seconds(
        lambda: occupancy(site=site, period=period, bucket="hour", at=at), repeat
    )
    result = {
        "database": database,
        "rows": count,
        "raw_read_s": round(raw, 3),
        "occupancy_by_hour_s": round(report_seconds, 3),
        "ratio": round(report_seconds / raw, 2),
        "slices": len(report.slices),
        "peak": report.summary.peak,
        "rate": str(report.summary.rate),
    }
    if xlsx:
        # In a process of its own, so that its peak memory is the export's, not the data generation's.
        command = [sys.executable, __file__, "--child-xlsx", database]
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
        sys.stderr.write(done.stderr)
        if done.returncode != 0:
            raise SystemExit(f"the {database} XLSX export failed")
        result.update(json.loads(done.stdout.strip().splitlines()[-1]))
    return result


def _peak_kb() -> int:
    """This process's peak resident memory in kB. Linux's VmHWM, not getrusage: a process keeps the
    ru_maxrss of the one that forked it across exec, which would report the data generation's."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def child_xlsx() -> dict:
    """The XLSX export of every time line of the bench site, as the background job writes it (write_xlsx over
    the report's rows), after a read of the same rows alone: what openpyxl costs on top of the query."""
    import django

    django.setup()
    from timetill.reports.exports import write_xlsx
    from timetill.reports.timelines import TimeLineFilters, rows, time_lines
    from timetill.sites.models import Site

    site = Site.objects.get(slug="bench")
    filters = TimeLineFilters(site=site, period=None)
    at = datetime(YEAR + 1, 2, 1, tzinfo=UTC)
    before = _peak_kb()
    began = time.perf_counter()
    read = sum(1 for _row in rows(time_lines(filters, at=at)))
    read_seconds = time.perf_counter() - began
    with tempfile.TemporaryFile() as out:
        began = time.perf_counter()
        written = write_xlsx(rows(time_lines(filters, at=at)), out)
        seconds = time.perf_counter() - began
        size = out.seek(0, os.SEEK_END)
    peak = _peak_kb()
    assert read == written
    return {
        "xlsx_rows": written,
        "xlsx_read_s": round(read_seconds, 1),
        "xlsx_s": round(seconds, 1),
        "xlsx_mb": round(size / 1e6, 1),
        "xlsx_start_rss_mb": round(before / 1024, 1),
        "xlsx_peak_rss_mb": round(peak / 1024, 1),
    }


def _postgres() -> bool:
    try:
        import psycopg
    except ImportError:
        return False
    try:
        with psycopg.connect(f"{POSTGRES_URL}/postgres", connect_timeout=3, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {POSTGRES_DB} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {POSTGRES_DB}")
        return True
    except psycopg.Error as error:
        print(f"  PostgreSQL unreachable ({error}): skipped", file=sys.stderr)
        return False


def _drop_postgres() -> None:
    import psycopg

    with psycopg.connect(f"{POSTGRES_URL}/postgres", connect_timeout=3, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {POSTGRES_DB} WITH (FORCE)")


def run(database: str, rows: int, xlsx: bool, repeat: int) -> dict | None:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="timetill.settings")
    with tempfile.TemporaryDirectory() as folder:
        if database == "sqlite":
            env.pop("DATABASE_URL", None)
            env["TIMETILL_SQLITE_PATH"] = str(Path(folder) / "bench.sqlite3")
        else:
            if not _postgres():
                return None
            env["DATABASE_URL"] = f"{POSTGRES_URL}/{POSTGRES_DB}"
        env["TIMETILL_DATA_DIR"] = folder
        command = [
            sys.executable,
            __file__,
            "--child",
            database,
            "--rows",
            str(rows),
            "--repeat",
            str(repeat),
        ]
        if not xlsx:
            command.append("--no-xlsx")
        try:
            done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
        finally:
            if database == "postgresql":
                _drop_postgres()
    sys.stderr.write(done.stderr)
    if done.returncode != 0:
        raise SystemExit(f"the {database} run failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true", help="100,000 stays, 3 runs each")
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    parser.add_argument("--no-xlsx", dest="xlsx", action="store_false")
    parser.add_argument("--repeat", type=int, default=REPEAT)
    parser.add_argument("--child", choices=("sqlite", "postgresql"), help=argparse.SUPPRESS)
    parser.add_argument("--child-xlsx", choices=("sqlite", "postgresql"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_xlsx:
        sys.path.insert(0, str(ROOT))
        print(json.dumps(child_xlsx()))
        return 0
    if args.quick:
        args.rows, args.repeat = min(args.rows, 100_000), 3
    if args.child:
        sys.path.insert(0, str(ROOT))
        print(json.dumps(child(args.child, args.rows, args.xlsx, args.repeat)))
        return 0
    sys.path.insert(0, str(ROOT / "bench"))
    from targets import target  # the line bench/run.py gathers into its table of targets

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    failed = False
    for database in ("sqlite", "postgresql"):
        if args.only and database != args.only:
            continue
        print(f"--- {database}: {args.rows:,} stays over {YEAR}", flush=True)
        result = run(database, args.rows, args.xlsx, args.repeat)
        if result is None:
            continue
        met = result["ratio"] <= RATIO_TARGET
        print(
            f"  raw read of {result['rows']:,} (start, end) pairs: {result['raw_read_s']:.3f} s (median of "
            f"{args.repeat})\n"
            f"  occupancy by hour over the year ({result['slices']:,} hours, peak {result['peak']}, rate "
            f"{result['rate']}): {result['occupancy_by_hour_s']:.3f} s (median of {args.repeat})\n"
            f"  TARGET occupancy by hour <= {RATIO_TARGET:.0f} x the raw read: {result['ratio']:.2f} x, "
            f"{'met' if met else 'NOT MET'}"
        )
        if "xlsx_rows" in result:
            rate = result["xlsx_rows"] / result["xlsx_s"] if result["xlsx_s"] else 0
            bounded = result["xlsx_peak_rss_mb"] <= MEMORY_TARGET_MB
            print(
                f"  XLSX export of {result['xlsx_rows']:,} time lines: {result['xlsx_s']:.1f} s "
                f"({rate:,.0f} lines/s; reading the same rows alone {result['xlsx_read_s']:.1f} s = "
                f"{result['xlsx_read_s'] / result['xlsx_s']:.0%} of it), {result['xlsx_mb']:.1f} MB\n"
                f"  TARGET the export's process peak memory <= {MEMORY_TARGET_MB} MB whatever the rows: "
                f"{result['xlsx_peak_rss_mb']:.0f} MB (from {result['xlsx_start_rss_mb']:.0f} MB at start), "
                f"{'met' if bounded else 'NOT MET'}"
            )
            failed |= not bounded
            target(
                f"reports, {database}: the XLSX export's peak memory",
                f"{result['xlsx_peak_rss_mb']:.0f} MB",
                f"≤ {MEMORY_TARGET_MB} MB",
                bounded,
                f"{result['xlsx_rows']:,} lines in {result['xlsx_s']:.0f} s",
            )
        target(
            f"reports, {database}: occupancy by hour over a year ÷ the raw read",
            f"{result['ratio']:.2f}",
            f"≤ {RATIO_TARGET:.0f}",
            met,
            f"{result['occupancy_by_hour_s']:.2f} s ÷ {result['raw_read_s']:.2f} s, {result['rows']:,} stays",
        )
        failed |= not met
    if failed:
        print("FAILED: a target is not met", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
