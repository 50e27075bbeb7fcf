"""The monthly invoicing run over a large daycare (5,000 children × 22 days of stays = 110,000 time lines), on
SQLite and on PostgreSQL, next to the raw read of those rows (a cursor over start and end) in the same run.

Run: python bench/bench_invoicing.py [--quick] [--sqlite-only] [--profile [--postgres]]. Figures: the first
run (drafting every invoice) and the median of two refreshes, each as a ratio to the raw read (median of
five); the pricing engine alone over the same stays (the floor: the compiled tariff the run uses, and the
reference quote); the peak memory of a first run (tracemalloc, in a run of its own). --profile prints
cProfile's view of a first run instead."""

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


def _child(children: int, database_url: str | None, mode: str = "--measure") -> dict:
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
            [sys.executable, __file__, mode, str(children)],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def _setup(children: int):  # noqa: ANN202
    """The daycare: one package (a fee and a Daily Time product), a family per child, 22 days of stays."""
    from datetime import UTC, date, datetime, timedelta
    from decimal import Decimal

    import django

    django.setup()
    from django.core.management import call_command

    from timetill.catalog import examples
    from timetill.catalog.models import Package, PackageItem, Product, VatRate
    from timetill.customers.models import Customer
    from timetill.invoicing.models import Enrolment, Family, FamilyChild, Payer
    from timetill.sites.models import Site
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
    return site, extra, TimeLine.objects.count()


def _profile(children: int) -> dict:
    """Where a first run's time goes: cProfile's top functions by own and by cumulative time (stderr)."""
    import cProfile
    import io
    import pstats
    from datetime import UTC, datetime

    site, _extra, rows = _setup(children)
    from timetill.invoicing.month import parse_month
    from timetill.invoicing.run import run_month
    from timetill.timelines.actors import Actor

    at = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
    profiler = cProfile.Profile()
    profiler.enable()
    run_month(site_id=site.pk, month=parse_month("2026-11"), actor=Actor.operator(), at=at)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(40)
    stats.sort_stats("cumulative").print_stats(60)
    return {"time_lines": rows, "profile": out.getvalue()}


def _measure(children: int) -> dict:
    import tracemalloc
    from datetime import UTC, datetime

    site, extra, rows = _setup(children)
    from django.db import connection

    from timetill.catalog.tariffs import tariff_at
    from timetill.invoicing.models import Invoice
    from timetill.invoicing.month import parse_month
    from timetill.invoicing.run import run_month
    from timetill.invoicing.stays import read_stays
    from timetill.pricing import compile_tariff
    from timetill.timelines.actors import Actor

    def raw_read() -> float:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute('SELECT "start", "end" FROM timelines_timeline WHERE site_id = %s', [site.pk])
            got = cursor.fetchall()
        assert len(got) == rows
        return time.perf_counter() - started

    def engine_alone(compiled: bool) -> float:
        """The floor: the pricing engine over each child's stays (read as integers first, not timed), as
        the run prices them (a compiled tariff, the quote in the compact form the run stores) or by
        quote_micros()."""
        stays = read_stays(site_id=site.pk, start=datetime(2026, 9, 30, tzinfo=UTC), end=at)
        tariff = tariff_at(extra.tariff, currency=site.currency, time_zone=site.time_zone)
        periods = [[(start, end) for _id, start, end in child_stays] for child_stays in stays.values()]
        started = time.perf_counter()
        if compiled:
            fast = compile_tariff(tariff)
            for pairs in periods:
                fast.explain_compact(pairs)
        else:
            for pairs in periods:
                tariff.quote_micros(pairs).to_dict()
        return time.perf_counter() - started

    reads = [raw_read() for _ in range(5)]
    month = parse_month("2026-11")
    at = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
    engine = statistics.median(engine_alone(True) for _ in range(3))
    reference = statistics.median(engine_alone(False) for _ in range(3))
    # The first run drafts every invoice; the next ones refresh drafts that come out the same.
    started = time.perf_counter()
    summary = run_month(site_id=site.pk, month=month, actor=Actor.operator(), at=at)
    draft = time.perf_counter() - started
    refreshes = []
    for _ in range(2):
        started = time.perf_counter()
        run_month(site_id=site.pk, month=month, actor=Actor.operator(), at=at)
        refreshes.append(time.perf_counter() - started)
    # The peak memory of a first run: the drafts deleted (by the database's own cascade), then drafted again.
    Invoice.objects.filter(site=site, state=Invoice.State.DRAFT).delete()
    tracemalloc.start()
    run_month(site_id=site.pk, month=month, actor=Actor.operator(), at=at)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    read = statistics.median(reads)
    return {
        "vendor": connection.vendor,
        "children": children,
        "time_lines": rows,
        "raw_read_s": read,
        "engine_s": engine,
        "reference_s": reference,
        "reference_ratio": reference / read,
        "draft_s": draft,
        "refresh_s": statistics.median(refreshes),
        "draft_ratio": draft / read,
        "refresh_ratio": statistics.median(refreshes) / read,
        "engine_ratio": engine / read,
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
    if argv[:1] == ["--profile-child"]:
        print(json.dumps(_profile(int(argv[1]))))
        return 0
    children = 500 if "--quick" in argv else 5000
    if "--profile" in argv:
        # A first run profiled on SQLite (or on PostgreSQL with --postgres): what to make faster.
        url = _postgres_url() if "--postgres" in argv else None
        try:
            print(_child(children, url, "--profile-child")["profile"])
        finally:
            if url:
                _drop_postgres()
        return 0
    results = [_child(children, None)]
    if "--sqlite-only" not in argv:
        url = _postgres_url()
        if url:
            try:
                results.append(_child(children, url))
            finally:
                _drop_postgres()
    load = os.getloadavg()
    print(
        f"Monthly run, {children} children × 22 days of stays (times; ratios to the raw read, same run), "
        f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}:"
    )
    head = ("database", "time lines", "raw read", "engine", "reference", "draft", "refresh", "peak")
    print(
        f"{head[0]:<12}{head[1]:>12}{head[2]:>11}{head[3]:>16}{head[4]:>16}{head[5]:>16}{head[6]:>16}"
        f"{head[7]:>10}"
    )
    for r in results:
        print(
            f"{r['vendor']:<12}{r['time_lines']:>12,}{r['raw_read_s']:>10.3f}s"
            f"{r['engine_s']:>8.2f}s{r['engine_ratio']:>7.1f}x"
            f"{r['reference_s']:>8.2f}s{r['reference_ratio']:>7.1f}x"
            f"{r['draft_s']:>8.2f}s{r['draft_ratio']:>7.1f}x"
            f"{r['refresh_s']:>8.2f}s{r['refresh_ratio']:>7.1f}x"
            f"{r['peak_mib']:>6.0f} MiB"
        )
        print(f"  {r['invoices']} draft invoices, total {r['total']}")
    print(
        "engine: the compiled tariff the run prices with, alone over the same stays (the floor of any draft);"
        " reference: Tariff.quote_micros() and Quote.to_dict() over the same (target: draft ≤ 3x)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
