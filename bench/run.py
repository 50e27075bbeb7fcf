"""`make bench`: the pricing engine's benchmark (bench/bench_pricing.py), the reports'
(bench/bench_reports.py), the monthly invoicing run (bench/bench_invoicing.py), the HTTP benchmark of the
scan endpoint (bench/run_http.py) and the Timestamp page's lists (bench/bench_lists.py), then one table of
every target measured, with whether it is met.

Run: python bench/run.py [--quick] [--only http,lists,…]   (or BENCH_ONLY=http,lists; the names below)"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
from targets import Target, parse, table  # noqa: E402

PARTS = {
    "pricing": "bench_pricing.py",
    "reports": "bench_reports.py",
    "invoicing": "bench_invoicing.py",
    "http": "run_http.py",
    "lists": "bench_lists.py",
}


def selected(argv: list[str]) -> list[str]:
    chosen = os.environ.get("BENCH_ONLY", "")
    if "--only" in argv:
        chosen = argv[argv.index("--only") + 1]
    names = [name.strip() for name in chosen.split(",") if name.strip()] or list(PARTS)
    unknown = [name for name in names if name not in PARTS]
    if unknown:
        raise SystemExit(f"unknown part(s) {', '.join(unknown)}: choose among {', '.join(PARTS)}")
    return names


def run(script: Path, args: list[str]) -> tuple[int, list[Target]]:
    """Run one benchmark, its output passed through as it comes, its TARGET_JSON lines kept."""
    found = []
    with subprocess.Popen(
        [sys.executable, str(script), *args], stdout=subprocess.PIPE, text=True, bufsize=1
    ) as proc:
        assert proc.stdout is not None
        for line in proc.stdout:
            parsed = parse(line)
            if parsed is not None:
                found.append(parsed)
            else:
                sys.stdout.write(line)
                sys.stdout.flush()
    return proc.returncode, found


def load() -> str:
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


def main(argv: list[str]) -> int:
    quick = ["--quick"] if "--quick" in argv else []
    started = time.monotonic()
    load_at_start = load()
    failed, targets, times = [], [], {}
    for name in selected(argv):
        script = BENCH / PARTS[name]
        print(f"\n=== {name}: {script.name} {' '.join(quick)}".rstrip(), flush=True)
        t0 = time.monotonic()
        code, found = run(script, quick)
        times[name] = time.monotonic() - t0
        targets += found
        if code != 0:
            failed.append(name)
    print("\n## Targets (issue 15)\n")
    print(table(targets) if targets else "(no target measured)")
    print("\nTime per part: " + ", ".join(f"{name} {secs / 60:.1f} min" for name, secs in times.items()))
    print(f"Total: {(time.monotonic() - started) / 60:.1f} min")
    # Absolute figures are the machine's as much as the code's: say how busy it was.
    print(
        f"Load average (1, 5, 15 min) on {os.cpu_count()} cores: {load_at_start} at the start, "
        f"{load()} at the end."
    )
    missed = [t for t in targets if not t.met]
    print(f"{len(targets) - len(missed)} of {len(targets)} targets met.")
    if failed:
        print(f"\nFAILED: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
