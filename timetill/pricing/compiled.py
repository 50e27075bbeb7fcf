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

from .kinds.common import count_units
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


@dataclass(frozen=True, slots=True)
class Explained:
    """A quote as the monthly run keeps it: the total, the span, Quote.to_dict() and the lines as integers."""

    total: int  # minor units
    currency: Currency
    start: int  # microseconds since the epoch, UTC
    end: int
    document: dict[str, Any]  # exactly Quote.to_dict() of the same quote
    parts: tuple[Part, ...]

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

    def name(self, day: int) -> str:
        found = self._names.get(day)
        if found is None:
            found = self._names[day] = day_name(day)
        return found

    def price(self, stays: list[tuple[int, int]]) -> tuple[list[dict[str, Any]], list[Part], int]:
        """The lines (as Line.to_dict() writes them), their parts and the total, as DailyRules.price()."""
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
        rules, writer = self.rules, self.writer
        money, iso, unit_label, tolerance = writer.money, writer.iso, self.unit_label, self.tolerance_label
        lines: list[dict[str, Any]] = []
        out: list[Part] = []
        total = 0
        for day in sorted(seen):
            parts = seen[day]
            name = self.name(day)
            outside = parts.get(OUTSIDE)
            if outside is not None:
                price = rules.unplanned_day or 0
                lines.append(
                    {
                        "code": "unplanned_day",
                        "kind": CHARGE,
                        "label": UNPLANNED_MESSAGE.format(date_day=name),
                        "from": iso(outside[1]),
                        "to": iso(outside[2]),
                        "quantity": "1",
                        "unit": "day",
                        "unit_price": money(price),
                        "price_per": "day",
                        "amount": money(price),
                        "message": UNPLANNED_MESSAGE,
                        "args": {"date_day": name},
                    }
                )
                out.append(("unplanned_day", outside[1], outside[2], price, day))
                total += price
                continue
            charged = False
            for part, price, what, what_message in self.charges:
                got = parts.get(part)
                if got is None:
                    continue
                units = count_units(rules.billable(got[0]), rules.unit, rules.rounding)
                if units == 0:
                    continue
                spent = describe_duration(got[0])
                label = CHARGE_MESSAGE.format(date_day=name, what=what, spent_length=spent)
                args: dict[str, Any] = {
                    "date_day": name,
                    "what": {"message": what_message, "args": {}},
                    "spent_length": spent,
                }
                message = CHARGE_MESSAGE
                if tolerance:
                    label = TOLERANCE_MESSAGE.format(label=label, tolerance_length=tolerance)
                    args = {"label": {"message": message, "args": args}, "tolerance_length": tolerance}
                    message = TOLERANCE_MESSAGE
                amount = units * price
                lines.append(
                    {
                        "code": part,
                        "kind": CHARGE,
                        "label": label,
                        "from": iso(got[1]),
                        "to": iso(got[2]),
                        "quantity": str(units),
                        "unit": unit_label,
                        "unit_price": money(price),
                        "price_per": unit_label,
                        "amount": money(amount),
                        "message": message,
                        "args": args,
                    }
                )
                out.append((part, got[1], got[2], amount, day))
                total += amount
                charged = True
            if not charged:
                first = min(v[1] for v in parts.values())
                last = max(v[2] for v in parts.values())
                lines.append(
                    {
                        "code": "day",
                        "kind": CHARGE,
                        "label": NO_EXTRA_MESSAGE.format(date_day=name),
                        "from": iso(first),
                        "to": iso(last),
                        "quantity": "0",
                        "unit": unit_label,
                        "unit_price": None,
                        "price_per": unit_label,
                        "amount": money(0),
                        "message": NO_EXTRA_MESSAGE,
                        "args": {"date_day": name},
                    }
                )
                out.append(("day", first, last, 0, day))
        return lines, out, total


class CompiledTariff:
    """A tariff ready to price many periods: explain_micros() gives the quote quote_micros() gives."""

    def __init__(self, tariff: Tariff) -> None:
        self.tariff = tariff
        zone = tariff.time_zone
        self.clock = LocalClock(zone) if zone is not None else None
        self.writer = _Writer(tariff.currency, self.clock)
        self._rules: dict[str | None, _Daily | None] = {}
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
        tariff = self.tariff
        pairs = tariff.checked_micros(stays)
        daily = self._daily(group)
        if daily is None:
            return self._from_quote(tariff.quote_micros(pairs, group=group))
        lines, parts, total = daily.price(pairs)
        chosen = tariff.groups.get(group) if group is not None else None
        writer = self.writer
        if chosen is not None and chosen.discount_percent is not None and total:
            pct = chosen.discount_percent
            discount = round_half_up(total * int(pct * 10_000), 1_000_000)
            lines.append(
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
                    "amount": writer.money(-discount),
                }
            )
            parts.append(("discount", None, None, -discount, None))
            total -= discount
        start = min(p[0] for p in pairs) if len(pairs) > 1 else pairs[0][0]
        end = max(p[1] for p in pairs) if len(pairs) > 1 else pairs[0][1]
        document: dict[str, Any] = {
            "tariff": tariff.name or "",
            "kind": daily.rules.kind,
            "currency": tariff.currency.code,
            "start": writer.iso(start),
            "end": writer.iso(end),
            "duration_seconds": _seconds(end - start),
            "group": group,
            "total": writer.money(total),
            "prices_include_vat": tariff.prices_include_vat,
            "lines": lines,
        }
        if self._vat_rate is not None:
            net, tax, gross = tariff.vat_minor(total)
            document["vat"] = {
                "rate": self._vat_rate,
                "net": writer.money(net),
                "tax": writer.money(tax),
                "gross": writer.money(gross),
            }
        return Explained(total, tariff.currency, start, end, document, tuple(parts))

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
