"""Where a scan's time goes, in one process: SQL statements per request and a cProfile of POST /api/scans
(and of the bare insert) through Django's test client, on a fresh database with the HTTP benchmark's data.
Run: TIMETILL_BENCH=1 python bench/profile_scan.py [requests] [--sql]   (DATABASE_URL selects PostgreSQL;
without it, a temporary SQLite file)"""

from __future__ import annotations

import cProfile
import json
import os
import pstats
import random
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
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def main(argv: list[str]) -> int:
    count = int(next((a for a in argv if a.isdigit()), "2000"))
    show_sql = "--sql" in argv
    codes_file = Path(tempfile.mkdtemp()) / "codes.txt"
    data = http_data.setup(20_000, 0.5, 1, codes_file)
    codes = codes_file.read_text().split()
    rng = random.Random(1)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {data['token']}")

    def post(path: str, i: int) -> None:
        body = {"site": data["site"], "code": rng.choice(codes), "client_id": f"p-{path}-{i}"}
        response = client.post(path, json.dumps(body), content_type="application/json")
        assert response.status_code == 200, (response.status_code, response.content)

    for path in ("/bench/insert", "/api/scans"):
        for i in range(50):
            post(path, -i - 1)  # warm-up: imports, caches, connection
        with CaptureQueriesContext(connection) as queries:
            for i in range(20):
                post(path, 10_000_000 + i)
        per_request = len(queries.captured_queries) / 20
        print(f"\n== {path}: {per_request:.1f} SQL statements per request")
        if show_sql:
            for sql, n in Counter(q["sql"][:160] for q in queries.captured_queries).most_common():
                print(f"  {n / 20:4.1f}×  {sql}")
        reset_queries()
        t0 = time.perf_counter()
        for i in range(count):
            post(path, -1000 - i)
        elapsed = time.perf_counter() - t0
        print(f"   {count / elapsed:,.0f} requests/s in one process ({1000 * elapsed / count:.2f} ms each)")
        profiler = cProfile.Profile()
        t0 = time.perf_counter()
        profiler.enable()
        for i in range(count):
            post(path, i)
        profiler.disable()
        elapsed = time.perf_counter() - t0
        each = 1000 * elapsed / count
        print(f"   {count / elapsed:,.0f} requests/s in one process ({each:.2f} ms each, profiled)")
        pstats.Stats(profiler).sort_stats(os.environ.get("PROFILE_SORT", "cumulative")).print_stats(
            os.environ.get("PROFILE_FILTER", ""), int(os.environ.get("PROFILE_LINES", "30"))
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(_argv))
