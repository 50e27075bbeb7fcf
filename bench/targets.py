"""The benchmarks' targets, one line each on stdout, so that bench/run.py can gather them in one table.

A benchmark calls `target(...)` for each target it measures; the line starts with `TARGET_JSON ` and carries
what was measured and whether it met the target. `table()` lays such targets out as Markdown.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

PREFIX = "TARGET_JSON "


@dataclass(frozen=True)
class Target:
    name: str  # what is measured, e.g. "1. throughput, SQLite, 64 clients: scans/s ÷ bare inserts/s"
    measured: str  # the figure, as shown, e.g. "0.64"
    goal: str  # the target, e.g. "≥ 0.6"
    met: bool
    detail: str = ""  # the figures behind the ratio
    # A missed target whose figure says more about the machine than about the code (the yardstick missed
    # too): the verdict stands, and the table says why it may change on a quiet machine.
    caveat: str = ""


def target(name: str, measured: str, goal: str, met: bool, detail: str = "", *, caveat: str = "") -> Target:
    found = Target(name, measured, goal, met, detail, caveat)
    print(PREFIX + json.dumps(asdict(found), ensure_ascii=False), flush=True)
    return found


def parse(line: str) -> Target | None:
    if not line.startswith(PREFIX):
        return None
    return Target(**json.loads(line.removeprefix(PREFIX)))


def table(targets: list[Target]) -> str:
    lines = ["| target | measured | goal | met | figures |", "|---|---:|---|---|---|"]
    for t in targets:
        lines.append(
            f"| {t.name} | {t.measured} | {t.goal} | {'met' if t.met else '**MISSED**'}"
            f"{f' ({t.caveat})' if t.caveat else ''} | {t.detail} |"
        )
    return "\n".join(lines)
