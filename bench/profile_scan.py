"""Where a scan's time goes, in one process: SQL statements per request and a cProfile of POST /api/scans
(and of the bare insert) through Django's test client, on a fresh database with the HTTP benchmark's data.
Run: python bench/profile_scan.py [requests] [--sql] [--profile]   (DATABASE_URL selects PostgreSQL;
without it, a temporary SQLite file). On PostgreSQL it also reads the server process's CPU time per request
(/proc), and PROFILE_SESSION_SQL runs a statement on each new connection (an experiment: e.g.
`SET session_replication_role = replica` runs the scan without its foreign keys' checks)."""

from __future__ import annotations

import cProfile
import json
import os
import pstats
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["TIMETILL_BENCH"] = "1"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "timetill.settings")
if not os.environ.get("DATABASE_URL"):
    _tmp = tempfile.mkdtemp(prefix="timetill-profile-")
    os.environ["TIMETILL_DATA_DIR"] = _tmp
    os.environ["TIMETILL_SQLITE_PATH"] = str(Path(_tmp) / "profile.sqlite3")

sys.argv, _argv = sys.argv[:1], sys.argv[1:]
import http_data  # noqa: E402  (sets Django up)
from django.db import connection, reset_queries  # noqa: E402
from django.db.backends.signals import connection_created  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

if os.environ.get("PROFILE_SESSION_SQL"):

    def _session(sender, connection, **kwargs):  # noqa: ANN001, ANN003
        with connection.cursor() as cursor:
            cursor.execute(os.environ["PROFILE_SESSION_SQL"])

    connection_created.connect(_session)


def server_cpu() -> float:
    """CPU seconds used so far by the PostgreSQL server process of this connection (0 on SQLite): on a
    machine of 2 cores the server's work and the workers' share the same CPUs."""
    if connection.vendor != "postgresql":
        return 0.0
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def main(argv: list[str]) -> int:
    count = int(next((a for a in argv if a.isdigit()), "1000"))
    show_sql, profile = "--sql" in argv, "--profile" in argv
    codes_file = Path(tempfile.mkdtemp()) / "codes.txt"
    data = http_data.setup(20_000, 0.5, 1, codes_file)
    codes = codes_file.read_text().split()
    rng = random.Random(1)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {data['token']}")
    sent = Counter()

    def post(path: str) -> None:
        sent[path] += 1
        body = {"site": data["site"], "code": rng.choice(codes), "client_id": f"p-{path}-{sent[path]}"}
        response = client.post(path, json.dumps(body), content_type="application/json")
        assert response.status_code == 200, (response.status_code, response.content)

    paths = ("/bench/insert", "/api/scans")
    for path in paths:
        for _ in range(50):
            post(path)  # warm-up: imports, caches, connection
        with CaptureQueriesContext(connection) as queries:
            for _ in range(20):
                post(path)
        print(f"== {path}: {len(queries.captured_queries) / 20:.1f} SQL statements per request")
        if show_sql:
            for sql, n in Counter(q["sql"][:150] for q in queries.captured_queries).most_common(12):
                print(f"  {n / 20:4.1f}×  {sql}")
    reset_queries()

    # Alternate short batches of both, and keep this process's CPU time (not wall time): a busy machine
    # slows both alike. With SQLite the database's work is in this process too; PostgreSQL's is not.
    batch, cpu = 100, {path: [] for path in paths}
    server = {path: 0.0 for path in paths}  # PostgreSQL: the server process's CPU seconds, all batches
    for _ in range(max(1, count // batch)):
        for path in paths:
            s0 = server_cpu()
            t0 = time.process_time()
            for _ in range(batch):
                post(path)
            cpu[path].append((time.process_time() - t0) / batch)
            server[path] += server_cpu() - s0
    median = {path: statistics.median(times) * 1000 for path, times in cpu.items()}
    for path in paths:
        print(f"   {path}: {median[path]:.2f} ms of CPU per request (median of {len(cpu[path])} batches)")
    print(f"   in-process ratio scan/insert: {median['/bench/insert'] / median['/api/scans']:.2f}")
    if connection.vendor == "postgresql":
        served = {path: server[path] * 1000 / (batch * len(cpu[path])) for path in paths}
        for path in paths:
            print(f"   {path}: {served[path]:.2f} ms of the PostgreSQL server's CPU per request (mean)")
        both = {path: median[path] + served[path] for path in paths}
        joint = both["/bench/insert"] / both["/api/scans"]
        print(f"   ratio scan/insert, this process and the server: {joint:.2f}")

    if profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(count):
            post("/api/scans")
        profiler.disable()
        stats = pstats.Stats(profiler).sort_stats(os.environ.get("PROFILE_SORT", "cumulative"))
        stats.print_stats(os.environ.get("PROFILE_FILTER", ""), int(os.environ.get("PROFILE_LINES", "30")))
    return 0


if __name__ == "__main__":
    sys.exit(main(_argv))
