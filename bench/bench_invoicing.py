"""The monthly invoicing run over a large daycare (5,000 children × 22 days of stays = 110,000 time lines), on
SQLite and on PostgreSQL, next to the raw read of those rows (a cursor over start and end) in the same run.

Run: python bench/bench_invoicing.py [--quick] [--sqlite-only]. Figures: medians, and the drafting time as a
ratio to the raw read; the peak memory of the run (tracemalloc, in a second refresh run of its own)."""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432")
BENCH_DB = os.environ.get("BENCH_INVOICING_DB", "timetill_bench_invoicing")


def _child(children: int, database_url: str | None) -> dict:
    """Set up the data and measure, in a process of its own (one Django settings per database)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "timetill.settings", "TIMETILL_LOG_LEVEL": "ERROR"}
    with tempfile.TemporaryDirectory() as tmp:
        if database_url:
            env["DATABASE_URL"] = database_url
        else:
            env.pop("DATABASE_URL", None)
            env["TIMETILL_SQLITE_PATH"] = str(Path(tmp) / "bench.sqlite3")
        env["TIMETILL_DATA_DIR"] = tmp
        out = subprocess.run(
            [sys.executable, __file__, "--measure", str(children)],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def _measure(children: int) -> dict:
    import tracemalloc
    from datetime import UTC, date, datetime, timedelta
    from decimal import Decimal

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from timetill.catalog import examples
    from timetill.catalog.models import Package, PackageItem, Product, VatRate
    from timetill.customers.models import Customer
    from timetill.invoicing.models import Enrolment, Family, FamilyChild, Payer
    from timetill.invoicing.month import parse_month
    from timetill.invoicing.run import run_month
    from timetill.sites.models import Site
    from timetill.timelines.actors import Actor
    from timetill.timelines.models import TimeLine, Via

    call_command("migrate", verbosity=0)
    rng = random.Random(7)
    site = Site.objects.create(name="Big daycare", slug="big", time_zone="Europe/Paris", max_stay_minutes=660)
    vat = VatRate.objects.order_by("-rate").first()
    fee = Product.objects.create(
        internal_name="Fee", short_name="Fee", kind="simple", vat_rate=vat, price=Decimal("440")
    )
    extra = Product.objects.create(
        internal_name="Extra Hours 8-16",
        short_name="Extra Hours",
        kind="daily_time",
        vat_rate=vat,
        tariff={**examples.EXTRA_HOURS, "vat_rate": str(vat.rate)},
    )
    package = Package.objects.create(name="Package 8-16", proration="planned_days")
    PackageItem.objects.bulk_create(
        [
            PackageItem(package=package, product=fee, position=0),
            PackageItem(package=package, product=extra, position=1),
        ]
    )
    kids = Customer.objects.bulk_create(
        [Customer(name=f"Child {i:05d}") for i in range(children)], batch_size=2000
    )
    families = Family.objects.bulk_create(
        [Family(site=site, name=f"Family {i:05d}") for i in range(children)]
    )
    Payer.objects.bulk_create(
        [Payer(family=f, name=f"Parent of {f.name}") for f in families], batch_size=2000
    )
    FamilyChild.objects.bulk_create(
        [FamilyChild(family=f, customer=k) for f, k in zip(families, kids, strict=True)], batch_size=2000
    )
    now = datetime.now(UTC)
    Enrolment.objects.bulk_create(
        [Enrolment(customer=k, package=package, start=date(2026, 9, 1), created_at=now) for k in kids],
        batch_size=2000,
    )
    october = [date(2026, 10, d) for d in range(1, 32) if date(2026, 10, d).weekday() < 5][:22]
    paris_offset = timedelta(hours=2)  # October 2026 before the 25th is UTC+2, after it UTC+1
    lines = []
    for kid in kids:
        for day in october:
            offset = paris_offset if day < date(2026, 10, 25) else timedelta(hours=1)
            arrive = datetime(day.year, day.month, day.day, 7, 40, tzinfo=UTC) + timedelta(
                minutes=rng.randint(0, 35)
            )
            leave = datetime(day.year, day.month, day.day, 15, 50, tzinfo=UTC) + timedelta(
                minutes=rng.randint(0, 50)
            )
            lines.append(
                TimeLine(
                    site=site,
                    customer=kid,
                    start=arrive - offset,
                    end=leave - offset,
                    started_via=Via.SCAN,
                    stopped_via=Via.SCAN,
                )
            )
    TimeLine.objects.bulk_create(lines, batch_size=5000)
    del lines
    rows = TimeLine.objects.count()

    def raw_read() -> float:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute('SELECT "start", "end" FROM timelines_timeline WHERE site_id = %s', [site.pk])
            got = cursor.fetchall()
        assert len(got) == rows
        return time.perf_counter() - started

    reads = [raw_read() for _ in range(5)]
    month = parse_month("2026-11")
    at = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
    runs = []
    summary = None
    for _ in range(2 if children > 1000 else 3):
        started = time.perf_counter()
        summary = run_month(site_id=site.pk, month=month, actor=Actor.operator(), at=at)
        runs.append(time.perf_counter() - started)
    tracemalloc.start()
    run_month(site_id=site.pk, month=month, actor=Actor.operator(), at=at)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "vendor": connection.vendor,
        "children": children,
        "time_lines": rows,
        "raw_read_s": statistics.median(reads),
        "run_s": statistics.median(runs),
        "runs_s": runs,
        "ratio": statistics.median(runs) / statistics.median(reads),
        "peak_mib": peak / 2**20,
        "invoices": summary.invoices,
        "total": str(summary.total),
    }


def _postgres_url() -> str | None:
    try:
        import psycopg
    except ImportError:
        return None
    try:
        with psycopg.connect(f"{POSTGRES_URL}/postgres", connect_timeout=3, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}"')
            conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
    except psycopg.Error as error:
        print(f"(PostgreSQL unreachable at {POSTGRES_URL}: {error}; skipped)")
        return None
    return f"{POSTGRES_URL}/{BENCH_DB}"


def _drop_postgres() -> None:
    import psycopg

    with psycopg.connect(f"{POSTGRES_URL}/postgres", connect_timeout=3, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')


def main(argv: list[str]) -> int:
    if argv[:1] == ["--measure"]:
        print(json.dumps(_measure(int(argv[1]))))
        return 0
    children = 500 if "--quick" in argv else 5000
    results = [_child(children, None)]
    if "--sqlite-only" not in argv:
        url = _postgres_url()
        if url:
            try:
                results.append(_child(children, url))
            finally:
                _drop_postgres()
    print(f"Monthly run, {children} children × 22 days of stays (medians):")
    print(f"{'database':<12}{'time lines':>12}{'raw read':>11}{'run':>10}{'run / read':>12}{'peak':>10}")
    for r in results:
        print(
            f"{r['vendor']:<12}{r['time_lines']:>12,}{r['raw_read_s']:>10.3f}s{r['run_s']:>9.2f}s"
            f"{r['ratio']:>11.1f}x{r['peak_mib']:>7.0f} MiB"
        )
        runs = ", ".join(f"{s:.2f}s" for s in r["runs_s"])
        print(f"  {r['invoices']} draft invoices, total {r['total']}; runs {runs}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
