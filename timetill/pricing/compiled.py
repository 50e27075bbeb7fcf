"""Tariffs compiled for pricing many periods at once (a month of a daycare's children): the same quote as
Tariff.quote_micros(), given as its JSON rendering and as integers, without an explanation object, a Decimal
or a datetime made for each line.

A Daily Time tariff's day parts (early, included, late hours, or a day not included) are worked out in UTC
once per local day and kept: what does not depend on the stays is not computed again for each child. Texts,
instants and amounts are written as Quote.to_dict() writes them, from caches of what recurs (a day's name
and date, a time of day, an offset, an amount). Other kinds, and a group priced by a tariff of another kind,
are quoted by the engine itself. tests/pricing/test_compiled.py holds both paths equal on random tariffs
and stays (clock changes, midnight, month ends).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from .kinds.common import DEDUCTED, count_units
from .kinds.daily import (
    CHARGE_MESSAGE,
    EARLY,
    EARLY_ARRIVAL,
    INSIDE,
    LATE,
    LATE_DEPARTURE,
    NO_EXTRA_MESSAGE,
    OUTSIDE,
    TOLERANCE_MESSAGE,
    UNPLANNED_MESSAGE,
    DailyRules,
    day_name,
    union,
)
from .localtime import LocalClock, offset_pieces, wall_to_utc, weekday
from .money import Currency, round_half_up
from .quote import ADJUSTMENT, CHARGE, Quote
from .spans import DAY, SECOND, describe_duration, to_us
from .tariff import Tariff

# One explanation line as integers: its code, its first and last instants (None for an adjustment of the
# total), its amount in minor units, and the local day its start falls on (days since 1970-01-01).
Part = tuple[str, int | None, int | None, int, int | None]
# One local day of a period whose stays are each alone in a plain local day (see _Daily.price_plain): the
# day, the stay's arrival and departure in local wall time (microseconds since 1970-01-01 00:00 local),
# the early and the late time charged (0 when not charged) and the day's amount in minor units.
Day = tuple[int, int, int, int, int, int]


@dataclass(frozen=True, slots=True)
class Explained:
    """A quote as the monthly run keeps it: the total, the span, Quote.to_dict() and the lines as integers."""

    total: int  # minor units
    currency: Currency
    start: int  # microseconds since the epoch, UTC
    end: int
    document: dict[str, Any]  # exactly Quote.to_dict() of the same quote
    parts: tuple[Part, ...]
    # Each stay's local day, when every stay is alone in a plain local day (else None): what a day-by-day
    # detail reads, worked out with the price.
    days: tuple[Day, ...] | None = None

    @property
    def amount(self) -> Decimal:
        return Decimal(self.total).scaleb(-self.currency.exponent)


class _Writer:
    """Instants, amounts and durations written as Quote.to_dict() writes them, from caches."""

    def __init__(self, currency: Currency, clock: LocalClock | None) -> None:
        self.currency = currency
        self.clock = clock
        self._amounts: dict[int, str] = {}
        self._dates: dict[int, str] = {}
        self._times: dict[int, str] = {}
        self._offsets: dict[int, str] = {}

    def money(self, minor: int) -> str:
        found = self._amounts.get(minor)
        if found is None:
            if len(self._amounts) > 100_000:
                self._amounts.clear()
            found = self._amounts[minor] = str(Decimal(minor).scaleb(-self.currency.exponent))
        return found

    def iso(self, micros: int) -> str:
        """The instant in the tariff's time zone as datetime.isoformat() writes it."""
        offset = self.clock.offset(micros) if self.clock is not None else 0
        day, rest = divmod(micros + offset, DAY)
        second, fraction = divmod(rest, SECOND)
        prefix = self._dates.get(day)
        if prefix is None:
            prefix = self._dates[day] = (date(1970, 1, 1) + timedelta(days=day)).isoformat() + "T"
        clock = self._times.get(second)
        if clock is None:
            clock = self._times[second] = f"{second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}"
        suffix = self._offsets.get(offset)
        if suffix is None:
            zone = timezone(timedelta(microseconds=offset))
            suffix = self._offsets[offset] = datetime(2000, 1, 1, tzinfo=zone).isoformat()[19:]
        if fraction:
            return f"{prefix}{clock}.{fraction:06d}{suffix}"
        return prefix + clock + suffix


def _seconds(micros: int) -> str:
    # As Quote.to_dict() writes a duration: whole seconds, or the exact decimal.
    return str(Decimal(micros).scaleb(-6).normalize()) if micros % 1_000_000 else str(micros // 1_000_000)


class _Daily:
    """A Daily Time tariff's rules with each local day's parts in UTC kept once worked out."""

    def __init__(self, rules: DailyRules, clock: LocalClock, writer: _Writer) -> None:
        self.rules = rules
        self.clock = clock
        self.writer = writer
        self.unit_label = describe_duration(rules.unit)
        self.tolerance_label = describe_duration(rules.tolerance) if rules.tolerance else ""
        self.charges = (
            (EARLY, rules.early, str(EARLY_ARRIVAL), EARLY_ARRIVAL.message),
            (LATE, rules.late, str(LATE_DEPARTURE), LATE_DEPARTURE.message),
        )
        self._days: dict[int, tuple[tuple[int, int, str], ...]] = {}
        self._plain: dict[int, tuple[int, int, int | None, int | None, int] | None] = {}
        self._names: dict[int, str] = {}

    def day(self, day: int) -> tuple[tuple[int, int, str], ...]:
        """The UTC pieces of a local day's parts, in order: the same pieces the engine cuts for any stays
        that cover them (its own functions cut them, over a span wide enough for any offset)."""
        found = self._days.get(day)
        if found is not None:
            return found
        base = day * DAY
        window = self.rules.included[weekday(day)]
        if window is None:
            parts = [(base, base + DAY, OUTSIDE)]
        else:
            parts = [
                (base, base + window.start, EARLY),
                (base + window.start, base + window.end, INSIDE),
                (base + window.end, base + DAY, LATE),
            ]
            parts = [p for p in parts if p[0] < p[1]]

        def occurrences(wall_day: int) -> list[tuple[int, int, str]]:
            return parts if wall_day == day else []

        pieces = offset_pieces(self.clock.tz, base - 2 * DAY, base + 3 * DAY)
        found = self._days[day] = tuple(wall_to_utc(pieces, occurrences))
        return found

    def plain(self, day: int) -> tuple[int, int, int | None, int | None, int] | None:
        """A plain local day: one UTC offset all day long, and the engine's parts of the day (day()) exactly
        the day's hours at that offset: (start, end, end of the early part, start of the late part, offset)
        in UTC microseconds, the early and late bounds None on a day not included. None for a day that is
        not plain (a clock change on it or next to it)."""
        if day in self._plain:
            return self._plain[day]
        offset = self.clock.offset
        guess = offset(day * DAY)
        base = day * DAY - guess
        off = offset(base)
        found = None
        if off == guess and offset(base + DAY - 1) == off:
            window = self.rules.included[weekday(day)]
            if window is None:
                expected: tuple[tuple[int, int, str], ...] = ((base, base + DAY, OUTSIDE),)
                candidate: tuple[int, int, int | None, int | None, int] = (base, base + DAY, None, None, off)
            else:
                expected = tuple(
                    p
                    for p in (
                        (base, base + window.start, EARLY),
                        (base + window.start, base + window.end, INSIDE),
                        (base + window.end, base + DAY, LATE),
                    )
                    if p[0] < p[1]
                )
                candidate = (base, base + DAY, base + window.start, base + window.end, off)
            # The engine's own cut of the day, compared: a plain day is priced as the engine prices it.
            if self.day(day) == expected:
                found = candidate
        self._plain[day] = found
        return found

    def price_plain(
        self, stays: Sequence[tuple[int, int]]
    ) -> tuple[list[list[Any]], list[Part], int, list[Day]] | None:
        """price() of stays that are each alone in a plain local day, given in order (most of a daycare's
        month: one stay a day), with each day's detail; None for any other stays (price() prices them).

        A stay inside one plain day meets the day's parts once each: its early, included and late time is
        its overlap with each part, and price() would find the same pieces (plain() compares them)."""
        offset, plains, plain = self.clock.offset, self._plain, self.plain
        rules = self.rules
        unit, tolerance, deducted = rules.unit, rules.tolerance, rules.tolerance_mode == DEDUCTED
        up, nearest = rules.rounding == "up", rules.rounding == "nearest"
        early_price, late_price, unplanned = rules.early, rules.late, rules.unplanned_day or 0
        lines: list[list[Any]] = []
        out: list[Part] = []
        days: list[Day] = []
        total = 0
        previous = None
        for x, y in stays:
            if y <= x:
                return None
            day = (x + offset(x)) // DAY
            if previous is not None and day <= previous:
                return None
            previous = day
            found = plains[day] if day in plains else plain(day)
            if found is None:
                return None
            start, end, early_end, late_start, off = found
            if x < start or y >= end:
                return None
            if early_end is None:
                lines.append(["unplanned_day", day, x, y])
                out.append(("unplanned_day", x, y, unplanned, day))
                days.append((day, x + off, y + off, 0, 0, unplanned))
                total += unplanned
                continue
            amount = early = late = 0
            if x < early_end:
                hi = y if y < early_end else early_end
                spent = hi - x
                # DailyRules.billable() and count_units(), written out: twice a stay.
                billed = (
                    (spent - tolerance if spent > tolerance else 0)
                    if deducted
                    else (spent if spent > tolerance else 0)
                )
                units, rest = divmod(billed, unit)
                if rest and (up or (nearest and 2 * rest >= unit)):
                    units += 1
                if units:
                    charge = units * early_price
                    lines.append([EARLY, day, x, hi, spent, units])
                    out.append((EARLY, x, hi, charge, day))
                    amount, early = charge, spent
            if late_start is not None and y > late_start:
                lo = x if x > late_start else late_start
                spent = y - lo
                billed = (
                    (spent - tolerance if spent > tolerance else 0)
                    if deducted
                    else (spent if spent > tolerance else 0)
                )
                units, rest = divmod(billed, unit)
                if rest and (up or (nearest and 2 * rest >= unit)):
                    units += 1
                if units:
                    charge = units * late_price
                    lines.append([LATE, day, lo, y, spent, units])
                    out.append((LATE, lo, y, charge, day))
                    amount, late = amount + charge, spent
            if not (early or late):
                lines.append(["day", day, x, y])
                out.append(("day", x, y, 0, day))
            days.append((day, x + off, y + off, early, late, amount))
            total += amount
        return lines, out, total, days

    def name(self, day: int) -> str:
        found = self._names.get(day)
        if found is None:
            found = self._names[day] = day_name(day)
        return found

    def price(self, stays: list[tuple[int, int]]) -> tuple[list[list[Any]], list[Part], int]:
        """The lines in their compact form (see expand()), their parts and the total, as
        DailyRules.price() prices them."""
        presence = union(stays)
        # Each local day's parts with the time present in them, its first and last instant.
        seen: dict[int, dict[str, list[int]]] = {}
        offset, days, get_day = self.clock.offset, self._days, self.day
        for x, y in presence:
            day = (x + offset(x)) // DAY
            while True:
                pieces = days.get(day) or get_day(day)
                for a, b, part in pieces:
                    if b <= x:
                        continue
                    if a >= y:
                        break
                    lo = a if a > x else x
                    hi = b if b < y else y
                    parts = seen.get(day)
                    if parts is None:
                        parts = seen[day] = {}
                    got = parts.get(part)
                    if got is None:
                        parts[part] = [hi - lo, lo, hi]
                    else:
                        got[0] += hi - lo
                        got[2] = hi
                if pieces[-1][1] >= y:
                    break
                day += 1
        rules = self.rules
        lines: list[list[Any]] = []
        out: list[Part] = []
        total = 0
        for day in sorted(seen):
            parts = seen[day]
            outside = parts.get(OUTSIDE)
            if outside is not None:
                price = rules.unplanned_day or 0
                lines.append(["unplanned_day", day, outside[1], outside[2]])
                out.append(("unplanned_day", outside[1], outside[2], price, day))
                total += price
                continue
            charged = False
            for part, price, _what, _message in self.charges:
                got = parts.get(part)
                if got is None:
                    continue
                units = count_units(rules.billable(got[0]), rules.unit, rules.rounding)
                if units == 0:
                    continue
                amount = units * price
                lines.append([part, day, got[1], got[2], got[0], units])
                out.append((part, got[1], got[2], amount, day))
                total += amount
                charged = True
            if not charged:
                first = min(v[1] for v in parts.values())
                last = max(v[2] for v in parts.values())
                lines.append(["day", day, first, last])
                out.append(("day", first, last, 0, day))
        return lines, out, total

    def head(self, tariff: Tariff) -> dict[str, Any]:
        """What every compact explanation of these rules shares: the tariff, its zone and currency, the
        unit, the prices and the texts of the lines (kept in each explanation, so that it reads the same
        whatever the tariff or the code's messages become)."""
        rules, currency = self.rules, tariff.currency
        return {
            "tariff": tariff.name or "",
            "kind": rules.kind,
            "currency": currency.code,
            "exponent": currency.exponent,
            "zone": self.clock.tz.key,
            "prices_include_vat": tariff.prices_include_vat,
            "vat_rate": None if tariff.vat_rate is None else str(tariff.vat_rate),
            "unit": self.unit_label,
            "tolerance": self.tolerance_label,
            "prices": [rules.early, rules.late, rules.unplanned_day or 0],
            "texts": {
                "charge": CHARGE_MESSAGE,
                "tolerance": TOLERANCE_MESSAGE,
                "none": NO_EXTRA_MESSAGE,
                "unplanned": UNPLANNED_MESSAGE,
                EARLY: [str(EARLY_ARRIVAL), EARLY_ARRIVAL.message],
                LATE: [str(LATE_DEPARTURE), LATE_DEPARTURE.message],
            },
        }


# The compact explanation's version: its "compact" key. A later form gets a new number and this one's
# expansion stays, so that what was stored always reads the same.
COMPACT = 1
_WRITERS: dict[tuple[str, str, int], _Writer] = {}
_DAY_NAMES: dict[int, str] = {}


def _writer(head: dict[str, Any]) -> _Writer:
    key = (head["zone"], head["currency"], head["exponent"])
    found = _WRITERS.get(key)
    if found is None:
        if len(_WRITERS) > 100:
            _WRITERS.clear()
        found = _WRITERS[key] = _Writer(Currency(key[1], key[2]), LocalClock(ZoneInfo(key[0])))
    return found


def _day_name(day: int) -> str:
    found = _DAY_NAMES.get(day)
    if found is None:
        if len(_DAY_NAMES) > 100_000:
            _DAY_NAMES.clear()
        found = _DAY_NAMES[day] = day_name(day)
    return found


def is_compact(document: Any) -> bool:  # noqa: ANN401
    """Whether an explanation is in the compact form explain_compact() gives."""
    return isinstance(document, dict) and document.get("compact") == COMPACT


def expand(compact: dict[str, Any]) -> dict[str, Any]:
    """The quote of a compact explanation exactly as Quote.to_dict() writes it.

    The compact form keeps what varies from day to day as integers, each line
    [code, local day, first instant, last instant] and, for an early or late charge, [..., the time spent,
    the units] (microseconds since the epoch, UTC), and once what every line shares (its "head": the
    tariff, zone, currency, unit, prices and texts); a group's discount is kept as written."""
    head = compact["head"]
    writer = _writer(head)
    money, iso = writer.money, writer.iso
    unit, tolerance, texts = head["unit"], head["tolerance"], head["texts"]
    early, late, unplanned = head["prices"]
    lines: list[dict[str, Any]] = []
    for item in compact["lines"]:
        code, day = item[0], item[1]
        name = _day_name(day)
        if code == "unplanned_day":
            message = texts["unplanned"]
            lines.append(
                {
                    "code": code,
                    "kind": CHARGE,
                    "label": message.format(date_day=name),
                    "from": iso(item[2]),
                    "to": iso(item[3]),
                    "quantity": "1",
                    "unit": "day",
                    "unit_price": money(unplanned),
                    "price_per": "day",
                    "amount": money(unplanned),
                    "message": message,
                    "args": {"date_day": name},
                }
            )
        elif code == "day":
            message = texts["none"]
            lines.append(
                {
                    "code": code,
                    "kind": CHARGE,
                    "label": message.format(date_day=name),
                    "from": iso(item[2]),
                    "to": iso(item[3]),
                    "quantity": "0",
                    "unit": unit,
                    "unit_price": None,
                    "price_per": unit,
                    "amount": money(0),
                    "message": message,
                    "args": {"date_day": name},
                }
            )
        else:
            price = early if code == EARLY else late
            what, what_message = texts[code]
            spent = describe_duration(item[4])
            units = item[5]
            message = texts["charge"]
            label = message.format(date_day=name, what=what, spent_length=spent)
            args: dict[str, Any] = {
                "date_day": name,
                "what": {"message": what_message, "args": {}},
                "spent_length": spent,
            }
            if tolerance:
                label = texts["tolerance"].format(label=label, tolerance_length=tolerance)
                args = {"label": {"message": message, "args": args}, "tolerance_length": tolerance}
                message = texts["tolerance"]
            lines.append(
                {
                    "code": code,
                    "kind": CHARGE,
                    "label": label,
                    "from": iso(item[2]),
                    "to": iso(item[3]),
                    "quantity": str(units),
                    "unit": unit,
                    "unit_price": money(price),
                    "price_per": unit,
                    "amount": money(units * price),
                    "message": message,
                    "args": args,
                }
            )
    lines.extend(compact.get("adjustments", ()))
    start, end = compact["start"], compact["end"]
    document: dict[str, Any] = {
        "tariff": head["tariff"],
        "kind": head["kind"],
        "currency": head["currency"],
        "start": iso(start),
        "end": iso(end),
        "duration_seconds": _seconds(end - start),
        "group": compact["group"],
        "total": money(compact["total"]),
        "prices_include_vat": head["prices_include_vat"],
        "lines": lines,
    }
    vat = compact.get("vat")
    if vat is not None:
        document["vat"] = {
            "rate": head["vat_rate"],
            "net": money(vat[0]),
            "tax": money(vat[1]),
            "gross": money(vat[2]),
        }
    return document


class CompiledTariff:
    """A tariff ready to price many periods: explain_micros() gives the quote quote_micros() gives."""

    def __init__(self, tariff: Tariff) -> None:
        self.tariff = tariff
        zone = tariff.time_zone
        self.clock = LocalClock(zone) if zone is not None else None
        self.writer = _Writer(tariff.currency, self.clock)
        self._rules: dict[str | None, _Daily | None] = {}
        self._heads: dict[str | None, dict[str, Any]] = {}
        self._vat_rate = None if tariff.vat_rate is None else str(tariff.vat_rate)

    def _daily(self, group: str | None) -> _Daily | None:
        """The compiled rules that price `group` (None: the tariff's own), or None for another kind."""
        if group in self._rules:
            return self._rules[group]
        chosen = self.tariff.groups.get(group) if group is not None else None
        tariff = chosen.tariff if chosen is not None and chosen.tariff is not None else self.tariff
        rules = tariff.rules
        compiled = None
        if isinstance(rules, DailyRules) and self.clock is not None:
            compiled = _Daily(rules, self.clock, self.writer)
        self._rules[group] = compiled
        return compiled

    def explain_micros(self, stays: Sequence[tuple[int, int]], *, group: str | None = None) -> Explained:
        """The quote of a period's stays (microseconds since the epoch, UTC), as Tariff.quote_micros()
        gives it; raises the same StayError for the same stays."""
        explained = self.explain_compact(stays, group=group)
        if not is_compact(explained.document):
            return explained
        return Explained(
            explained.total,
            explained.currency,
            explained.start,
            explained.end,
            expand(explained.document),
            explained.parts,
            explained.days,
        )

    def explain_compact(self, stays: Sequence[tuple[int, int]], *, group: str | None = None) -> Explained:
        """As explain_micros(), its document in the compact form that expand() turns into Quote.to_dict()
        (a Daily Time tariff's), or Quote.to_dict() itself (the kinds the engine quotes)."""
        tariff = self.tariff
        pairs = tariff.checked_micros(stays)
        daily = self._daily(group)
        if daily is None:
            return self._from_quote(tariff.quote_micros(pairs, group=group))
        plain = daily.price_plain(pairs)
        if plain is None:
            lines, parts, total = daily.price(pairs)
            days = None
        else:
            lines, parts, total, days = plain
        head = self._heads.get(group)
        if head is None:
            head = self._heads[group] = daily.head(tariff)
        chosen = tariff.groups.get(group) if group is not None else None
        compact: dict[str, Any] = {"compact": COMPACT, "head": head, "group": group, "lines": lines}
        if chosen is not None and chosen.discount_percent is not None and total:
            pct = chosen.discount_percent
            discount = round_half_up(total * int(pct * 10_000), 1_000_000)
            compact["adjustments"] = [
                {
                    "code": "discount",
                    "kind": ADJUSTMENT,
                    "label": f"Group {group}: {pct:f} % discount",
                    "from": None,
                    "to": None,
                    "quantity": "1",
                    "unit": "",
                    "unit_price": None,
                    "price_per": "",
                    "amount": self.writer.money(-discount),
                }
            ]
            parts.append(("discount", None, None, -discount, None))
            total -= discount
        start = min(p[0] for p in pairs) if len(pairs) > 1 else pairs[0][0]
        end = max(p[1] for p in pairs) if len(pairs) > 1 else pairs[0][1]
        compact["start"], compact["end"], compact["total"] = start, end, total
        if self._vat_rate is not None:
            compact["vat"] = list(tariff.vat_minor(total))
        return Explained(
            total, tariff.currency, start, end, compact, tuple(parts), None if days is None else tuple(days)
        )

    def _from_quote(self, quote: Quote) -> Explained:
        clock = self.clock
        parts: list[Part] = []
        for line in quote.lines:
            start = None if line.start is None else to_us(line.start)
            end = None if line.end is None else to_us(line.end)
            day = None if start is None else (start if clock is None else clock.wall(start)) // DAY
            parts.append((line.code, start, end, line.amount.minor, day))
        return Explained(
            quote.total.minor,
            quote.total.currency,
            to_us(quote.start),
            to_us(quote.end),
            quote.to_dict(),
            tuple(parts),
        )


def compile_tariff(tariff: Tariff) -> CompiledTariff:
    """A tariff ready to price many periods (see CompiledTariff.explain_micros)."""
    return CompiledTariff(tariff)
