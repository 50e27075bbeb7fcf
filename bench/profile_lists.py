"""Where the Timestamp page's lists spend their time, in one process: SQL statements per render and a
cProfile of GET /timestamp/lists/ (and of the bare listing) through Django's test client, on a fresh
database with the pending-list benchmark's data (bench/lists_data.py).
Run: python bench/profile_lists.py [renders] [--profile]   (DATABASE_URL selects PostgreSQL; without it,
a temporary SQLite file)"""

from __future__ import annotations

import cProfile
import os
import pstats
import statistics
import sys
import tempfile
import time
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
import lists_data  # noqa: E402  (sets Django up)
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def main(argv: list[str]) -> int:
    count = int(next((a for a in argv if a.isdigit()), "20"))
    data = lists_data.setup(500)
    client = Client()
    client.cookies.load(data["cookie"])
    paths = {
        "bare": f"/bench/open-stays?site={data['site']}",
        "lists": f"/timestamp/lists/?site={data['site']}",
    }

    def get(path: str) -> None:
        response = client.get(path)
        assert response.status_code == 200, (response.status_code, response.content[:300])

    for name, path in paths.items():
        get(path)
        with CaptureQueriesContext(connection) as queries:
            get(path)
        print(f"== {name}: {len(queries.captured_queries)} SQL statements")
    times = {name: [] for name in paths}
    for _ in range(count):
        for name, path in paths.items():
            t0 = time.process_time()
            get(path)
            times[name].append(time.process_time() - t0)
    median = {name: statistics.median(found) * 1000 for name, found in times.items()}
    for name in paths:
        print(f"   {name}: {median[name]:.1f} ms of CPU per render (median of {count})")
    print(f"   ratio lists/bare: {median['lists'] / median['bare']:.2f}")
    if "--profile" in argv:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(count):
            get(paths["lists"])
        profiler.disable()
        stats = pstats.Stats(profiler).sort_stats(os.environ.get("PROFILE_SORT", "cumulative"))
        stats.print_stats(os.environ.get("PROFILE_FILTER", ""), int(os.environ.get("PROFILE_LINES", "40")))
    return 0


if __name__ == "__main__":
    sys.exit(main(_argv))
