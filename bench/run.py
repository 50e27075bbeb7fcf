"""`make bench`: the pricing engine's benchmark (bench/bench_pricing.py, when present), the reports'
(bench/bench_reports.py), the monthly invoicing run (bench/bench_invoicing.py), then the HTTP
benchmark of the scan endpoint (bench/run_http.py). Run: python bench/run.py [--quick]"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    quick = ["--quick"] if "--quick" in argv else []
    failed = []
    for script in ("bench_pricing.py", "bench_reports.py", "bench_invoicing.py", "run_http.py"):
        path = BENCH / script
        if not path.exists():
            print(f"({script} is not there: skipped)")
            continue
        print(f"\n=== {script} {' '.join(quick)}".rstrip(), flush=True)
        if subprocess.run([sys.executable, str(path), *quick], check=False).returncode != 0:
            failed.append(script)
    if failed:
        print(f"\nFAILED: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
