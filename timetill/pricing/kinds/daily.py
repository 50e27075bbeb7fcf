"""Daily Time (daycare extra time): early and late presence outside the included hours of each weekday,
a tolerance on each side, and a flat price for a day of attendance on a weekday that is not included."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, ClassVar

from ..engine import Env, Priced
from ..fields import WEEKDAYS, Amount, Choice, Context, Duration, Obj, Prop, TimeOfDay
from ..localtime import offset_pieces, wall_to_utc, weekday
from ..quote import CHARGE, Line
from ..spans import DAY, describe_duration
from ..text import Text as Message
from ..text import gettext_noop, text
from .common import DEDUCTED, ROUNDINGS, THRESHOLD, count_units

EARLY, INSIDE, LATE, OUTSIDE = "early", "in", "late", "day"

WINDOW_FIELD = Obj(
    (
        Prop("from", TimeOfDay("Start of the included hours (local time)."), required=True),
        Prop(
            "to", TimeOfDay("End of the included hours (local time).", allow_end_of_day=True), required=True
        ),
    ),
    description="The hours included in the fee on this weekday.",
)

PROPS = (
    Prop(
        "included",
        Obj(
            tuple(Prop(day, WINDOW_FIELD) for day in WEEKDAYS),
            description="Included hours per weekday; a weekday left out (or null) is not included.",
        ),
        required=True,
    ),
    Prop("unit", Duration("The billing unit (1m, 15m, 30m, 1h…).", maximum=DAY), required=True),
    Prop(
        "rounding",
        Choice(ROUNDINGS, "How a started unit counts: up (it counts), nearest, down."),
        default="up",
    ),
    Prop(
        "early_per_unit",
        Amount("Price of a unit of early arrival (before the included hours)."),
        required=True,
    ),
    Prop(
        "late_per_unit",
        Amount("Price of a unit of late departure (after the included hours)."),
        required=True,
    ),
    Prop(
        "tolerance",
        Duration("Tolerance, applied to early and to late time separately.", positive=False, maximum=DAY),
        default=0,
    ),
    Prop(
        "tolerance_mode",
        Choice(
            (DEDUCTED, THRESHOLD),
            "deducted: the tolerance is never charged; threshold: early (or late) "
            "time up to the tolerance is free, beyond it all of it is charged.",
        ),
        default=DEDUCTED,
    ),
    Prop("unplanned_day", Amount("Flat price of a day of attendance on a weekday that is not included.")),
)


# What a Daily Time line charges for, named in its label.
EARLY_ARRIVAL: Message = text(gettext_noop("early arrival"))
LATE_DEPARTURE: Message = text(gettext_noop("late departure"))
# The labels' messages (compiled.py writes the same lines without building them).
UNPLANNED_MESSAGE = gettext_noop("{date_day}: attendance on a day not included")
CHARGE_MESSAGE = gettext_noop("{date_day}: {what}, {spent_length}")
TOLERANCE_MESSAGE = gettext_noop("{label} ({tolerance_length} tolerance)")
NO_EXTRA_MESSAGE = gettext_noop("{date_day}: no extra time")


@dataclass(frozen=True, slots=True)
class Window:
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class DailyRules:
    """Included windows indexed by weekday (Monday = 0); presence per local day is the union of the stays."""

    kind: ClassVar[str] = "daily"
    per_stay: ClassVar[bool] = False

    included: tuple[Window | None, ...]
    unit: int
    early: int
    late: int
    rounding: str = "up"
    tolerance: int = 0
    tolerance_mode: str = DEDUCTED
    unplanned_day: int | None = None

    def values(self) -> dict[str, Any]:
        return {
            "included": {
                WEEKDAYS[d]: {"from": w.start, "to": w.end}
                for d, w in enumerate(self.included)
                if w is not None
            },
            "unit": self.unit,
            "rounding": self.rounding,
            "early_per_unit": self.early,
            "late_per_unit": self.late,
            "tolerance": self.tolerance,
            "tolerance_mode": self.tolerance_mode,
            "unplanned_day": self.unplanned_day,
        }

    def billable(self, length: int) -> int:
        if self.tolerance_mode == DEDUCTED:
            return max(0, length - self.tolerance)
        return length if length > self.tolerance else 0

    def price(self, stays: list[tuple[int, int]], env: Env) -> Priced:
        assert env.tz is not None
        presence = union(stays)
        if not presence:
            return Priced((), 0)
        included = self.included

        def occurrences(day: int) -> list[tuple[int, int, tuple[int, str]]]:
            base = day * DAY
            window = included[weekday(day)]
            if window is None:
                return [(base, base + DAY, (day, OUTSIDE))]
            parts = [
                (base, base + window.start, (day, EARLY)),
                (base + window.start, base + window.end, (day, INSIDE)),
                (base + window.end, base + DAY, (day, LATE)),
            ]
            return [p for p in parts if p[0] < p[1]]

        pieces = wall_to_utc(offset_pieces(env.tz, presence[0][0], presence[-1][1]), occurrences)
        # Sweep the day parts and the presence together: both are sorted and disjoint.
        seen: dict[tuple[int, str], list[int]] = {}  # part -> [time present, first instant, last instant]
        days: list[int] = []
        j = 0
        for a, b, key in pieces:
            while j < len(presence) and presence[j][1] <= a:
                j += 1
            k = j
            while k < len(presence) and presence[k][0] < b:
                x, y = max(a, presence[k][0]), min(b, presence[k][1])
                if x < y:
                    got = seen.get(key)
                    if got is None:
                        seen[key] = [y - x, x, y]
                        if not days or days[-1] != key[0]:
                            days.append(key[0])
                    else:
                        got[0] += y - x
                        got[2] = y
                k += 1
        lines: list[Line] = []
        total = 0
        unit_label = describe_duration(self.unit)
        for day in sorted(set(days)):
            name = day_name(day)
            outside = seen.get((day, OUTSIDE))
            if outside is not None:
                price = self.unplanned_day or 0
                lines.append(
                    env.line(
                        "unplanned_day",
                        CHARGE,
                        text(UNPLANNED_MESSAGE, date_day=name),
                        outside[1],
                        outside[2],
                        1,
                        "day",
                        price,
                        "day",
                        price,
                    )
                )
                total += price
                continue
            before = len(lines)
            for part, price, what in (
                (EARLY, self.early, EARLY_ARRIVAL),
                (LATE, self.late, LATE_DEPARTURE),
            ):
                got = seen.get((day, part))
                if got is None:
                    continue
                units = count_units(self.billable(got[0]), self.unit, self.rounding)
                if units == 0:
                    continue
                label = text(
                    CHARGE_MESSAGE,
                    date_day=name,
                    what=what,
                    spent_length=describe_duration(got[0]),
                )
                if self.tolerance:
                    label = text(
                        TOLERANCE_MESSAGE,
                        label=label,
                        tolerance_length=describe_duration(self.tolerance),
                    )
                amount = units * price
                lines.append(
                    env.line(
                        part, CHARGE, label, got[1], got[2], units, unit_label, price, unit_label, amount
                    )
                )
                total += amount
            if len(lines) == before:
                first = min(v[1] for k, v in seen.items() if k[0] == day)
                last = max(v[2] for k, v in seen.items() if k[0] == day)
                lines.append(
                    env.line(
                        "day",
                        CHARGE,
                        text(NO_EXTRA_MESSAGE, date_day=name),
                        first,
                        last,
                        0,
                        unit_label,
                        None,
                        unit_label,
                        0,
                    )
                )
        return Priced(tuple(lines), total)


def day_name(day: int) -> str:
    """A local day (counted from 1970-01-01) as its lines name it: "Mon 2026-10-05"."""
    return f"{WEEKDAYS[weekday(day)].capitalize()} {date(1970, 1, 1) + timedelta(days=day)}"


def union(stays: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The instants present: the stays sorted and merged, empty ones left out."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(stays):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def build(values: dict[str, Any], ctx: Context, path: str, has_zone: bool) -> DailyRules | None:
    ok = True
    windows: list[Window | None] = []
    for name in WEEKDAYS:
        raw = values["included"][name]
        if raw is None:
            windows.append(None)
            continue
        if raw["to"] <= raw["from"]:
            where = f"{path}.included.{name}.to" if path else f"included.{name}.to"
            ctx.error(where, gettext_noop("must be after `from`"))
            ok = False
        windows.append(Window(raw["from"], raw["to"]))
    if not has_zone:
        ctx.error("time_zone", gettext_noop("is required: included hours are in local time"))
        ok = False
    if not ok:
        return None
    return DailyRules(
        included=tuple(windows),
        unit=values["unit"],
        early=values["early_per_unit"],
        late=values["late_per_unit"],
        rounding=values["rounding"],
        tolerance=values["tolerance"],
        tolerance_mode=values["tolerance_mode"],
        unplanned_day=values["unplanned_day"],
    )
