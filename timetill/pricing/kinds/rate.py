"""Rate tariff: grace, an indivisible first block, prices per unit by time spent and by local time bands,
caps per 24 hours from entry, a maximum per stay and a minimum charge — priced segment by segment."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any, ClassVar

from ..engine import Env, Priced
from ..fields import (
    WEEKDAYS,
    Amount,
    Choice,
    Context,
    Duration,
    Flag,
    ListOf,
    Obj,
    Prop,
    Text,
    TimeOfDay,
    Weekdays,
)
from ..localtime import offset_pieces, wall_to_utc, weekday
from ..quote import ADJUSTMENT, CHARGE, Line
from ..spans import DAY, MINUTE, describe_duration
from ..text import Text as Message
from ..text import gettext_noop, literal, text
from .common import (
    DEDUCTED,
    GRACE_FIELD,
    PRICE_CHOICE,
    PRICE_PROPS,
    ROUNDINGS,
    THRESHOLD,
    Grace,
    Price,
    count_units,
    grace_from,
    grace_text,
    grace_values,
    price_from,
    price_values,
)

PRECEDENCES = ("band", "lowest", "highest")

FIRST_BLOCK_FIELD = Obj(
    (
        Prop("duration", Duration("Length of the block.", maximum=DAY), required=True),
        Prop(
            "price", Amount("Price of the block, charged whole even when the stay is shorter."), required=True
        ),
        Prop("label", Text('What customers see; "First <duration>" by default.', max_length=80)),
    ),
    description="An indivisible first block, charged whole (e.g. the first hour).",
)
TIER_FIELD = Obj(
    (
        Prop(
            "after",
            Duration("Time already spent (since entry) from which this price applies."),
            required=True,
        ),
        *PRICE_PROPS,
        Prop("label", Text('What customers see; "Time after <after>" by default.', max_length=80)),
    ),
    description="A graduated price: units starting after this much time spent cost this.",
    exactly_one=(PRICE_CHOICE,),
)
BAND_FIELD = Obj(
    (
        Prop("name", Text('What customers see, e.g. "Night".', max_length=80)),
        Prop("days", Weekdays("Weekdays on which the band starts; every day by default.")),
        Prop("from", TimeOfDay("Local time the band starts."), required=True),
        Prop(
            "to",
            TimeOfDay(
                "Local time the band ends; at or before `from` it ends the next day.", allow_end_of_day=True
            ),
            required=True,
        ),
        *PRICE_PROPS,
    ),
    description="A price in force during a local time window on some weekdays (nights, weekends).",
    exactly_one=(PRICE_CHOICE,),
)

PROPS = (
    Prop("unit", Duration("The billing unit, e.g. 1m, 15m, 1h.", maximum=DAY), required=True),
    Prop(
        "rounding",
        Choice(ROUNDINGS, "How a started unit counts: up (it counts), nearest, down."),
        default="up",
    ),
    Prop("grace", GRACE_FIELD),
    Prop("first_block", FIRST_BLOCK_FIELD),
    *PRICE_PROPS,
    Prop(
        "tiers",
        ListOf(TIER_FIELD, "Graduated prices by time already spent, in increasing order.", max_items=50),
    ),
    Prop(
        "tiers_restart_every_24h",
        Flag("Time spent for tiers counts again from zero in each 24-hour window."),
        default=False,
    ),
    Prop(
        "bands",
        ListOf(BAND_FIELD, "Prices by local time of day and weekday; bands may not overlap.", max_items=50),
    ),
    Prop(
        "band_precedence",
        Choice(
            PRECEDENCES, "When a band and a tier price both apply: band (the band's price), lowest, highest."
        ),
        default="band",
    ),
    Prop("cap_per_24h", Amount("Most charged for the units of each 24-hour window counted from entry.")),
    Prop("max_per_stay", Amount("Most charged for a whole stay.")),
    Prop("minimum", Amount("Least charged for a stay that is charged at all (not free by grace).")),
)


# The label of time charged at the base price (no tier, no band).
TIME = text(gettext_noop("Time"))


@dataclass(frozen=True, slots=True)
class Block:
    duration: int
    price: int
    label: str | None = None

    @property
    def title(self) -> Message:
        if self.label:
            return literal(self.label)
        return text(gettext_noop("First {block_length}"), block_length=describe_duration(self.duration))


@dataclass(frozen=True, slots=True)
class Tier:
    after: int
    price: Price
    label: str | None = None

    @property
    def title(self) -> Message:
        if self.label:
            return literal(self.label)
        return text(gettext_noop("Time after {after_length}"), after_length=describe_duration(self.after))


@dataclass(frozen=True, slots=True)
class Band:
    """`start`/`end` are offsets from local midnight of the starting day; end > DAY crosses midnight."""

    days: tuple[int, ...]
    start: int
    end: int
    price: Price
    name: str | None = None
    all_days: bool = True  # `days` omitted in the document (remembered so the document round-trips)

    @property
    def title(self) -> Message:
        if self.name:
            return literal(self.name)
        start, end = _clock(self.start), _clock(self.end % DAY if self.end != DAY else DAY)
        if self.all_days:
            return text("{start}–{end}", start=start, end=end)
        days = ",".join(WEEKDAYS[d] for d in self.days)
        return text("{days_weekdays} {start}–{end}", days_weekdays=days, start=start, end=end)


def _clock(micros: int) -> str:
    return f"{micros // 3_600_000_000:02d}:{micros % 3_600_000_000 // MINUTE:02d}"


@dataclass(frozen=True, slots=True)
class RateRules:
    """Every rule of a rate tariff, validated. See docs/tariffs.md for the exact meaning of each."""

    kind: ClassVar[str] = "rate"
    per_stay: ClassVar[bool] = True

    unit: int
    base: Price  # the price before tiers and bands
    rounding: str = "up"
    grace: Grace | None = None
    first_block: Block | None = None
    tiers: tuple[Tier, ...] = ()
    tiers_restart: bool = False
    bands: tuple[Band, ...] = ()
    band_precedence: str = "band"
    cap: int | None = None
    maximum: int | None = None
    minimum: int | None = None

    def values(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "rounding": self.rounding,
            "grace": grace_values(self.grace),
            "first_block": None
            if self.first_block is None
            else {
                "duration": self.first_block.duration,
                "price": self.first_block.price,
                "label": self.first_block.label,
            },
            **price_values(self.base),
            "tiers": [{"after": t.after, **price_values(t.price), "label": t.label} for t in self.tiers]
            or None,
            "tiers_restart_every_24h": self.tiers_restart,
            "bands": [
                {
                    "name": b.name,
                    "days": None if b.all_days else b.days,
                    "from": b.start,
                    "to": DAY if b.end == DAY else b.end % DAY,
                    **price_values(b.price),
                }
                for b in self.bands
            ]
            or None,
            "band_precedence": self.band_precedence,
            "cap_per_24h": self.cap,
            "max_per_stay": self.maximum,
            "minimum": self.minimum,
        }

    _tier_starts: list[int] = field(init=False, repr=False, compare=False, default_factory=list)
    _whole_windows_capped: bool = field(init=False, repr=False, compare=False, default=False)

    def floor_price(self) -> Price:
        """The cheapest price any unit can have: a lower bound used to skip windows sure to hit the cap."""
        prices = [self.base, *(t.price for t in self.tiers), *(b.price for b in self.bands)]
        cheapest = prices[0]
        for candidate in prices[1:]:
            if candidate.cheaper_than(cheapest):
                cheapest = candidate
        return cheapest

    def combine(self, tier_price: Price, tier_label: Message, band: Band | None) -> tuple[Price, Message]:
        if band is None:
            return tier_price, tier_label
        if self.band_precedence == "band":
            return band.price, band.title
        band_wins = (
            band.price.cheaper_than(tier_price)
            if self.band_precedence == "lowest"
            else tier_price.cheaper_than(band.price)
        )
        return (band.price, band.title) if band_wins else (tier_price, tier_label)

    # -- pricing -----------------------------------------------------------------------------------------

    def price(self, stays: list[tuple[int, int]], env: Env) -> Priced:
        entry, end = stays[0]
        if end == entry:
            return Priced((), 0)
        lines: list[Line] = []
        charge_from = entry
        grace = self.grace
        if grace is not None:
            span = describe_duration(grace.duration)
            if grace.mode == THRESHOLD and end - entry <= grace.duration:
                label = grace_text(grace, whole_stay=True)
                return Priced((env.line("grace", ADJUSTMENT, label, entry, end, 1, span, 0, span, 0),), 0)
            if grace.mode == DEDUCTED:
                charge_from = min(entry + grace.duration, end)
                label = grace_text(grace, whole_stay=False)
                lines.append(env.line("grace", ADJUSTMENT, label, entry, charge_from, 1, span, 0, span, 0))
                if charge_from == end:
                    return Priced(tuple(lines), 0)

        unit = self.unit
        first_window_extra = 0  # the first block is charged in the window where it starts (the first one)
        units_from = charge_from
        block = self.first_block
        if block is not None:
            until = min(charge_from + block.duration, end)
            lines.append(
                env.line(
                    "first_block",
                    CHARGE,
                    block.title,
                    charge_from,
                    until,
                    1,
                    describe_duration(block.duration),
                    block.price,
                    describe_duration(block.duration),
                    block.price,
                )
            )
            first_window_extra = block.price
            units_from = charge_from + block.duration

        count = count_units(end - units_from, unit, self.rounding) if units_from < end else 0
        total = 0
        if count == 0:
            total = self._cap_window(lines, entry, 0, first_window_extra, env)
        else:
            units_end = units_from + count * unit  # one past the last unit's end; unit starts are before it
            last_start = units_end - unit
            first_w = (units_from - entry) // DAY
            last_w = (last_start - entry) // DAY
            if first_w > 0:
                total += self._cap_window(lines, entry, 0, first_window_extra, env)
                first_window_extra = 0
            # Whole windows (all their unit starts inside the stay) that surely reach the cap cost the cap
            # each: they are counted, not walked, so a month costs about what a day costs.
            skip_lo, skip_hi = 0, -1
            if self._whole_windows_capped:
                skip_lo = max(first_w, -(-(units_from - entry) // DAY))
                skip_hi = min(last_w, (units_end - entry) // DAY - 1)
            w = first_w
            while w <= last_w:
                if w == skip_lo and skip_lo <= skip_hi:
                    total += self._capped_run(lines, entry, skip_lo, skip_hi + 1, env)
                    w = skip_hi + 1
                    continue
                w_start = entry + w * DAY
                lo, hi = max(w_start, units_from), min(w_start + DAY, units_end)
                extra = first_window_extra if w == 0 else 0
                total += self._window(lines, entry, end, w, lo, hi, units_from, extra, env)
                w += 1

        if self.maximum is not None and total > self.maximum:
            label = text(gettext_noop("Maximum per stay"))
            lines.append(
                env.line("maximum", ADJUSTMENT, label, None, None, 1, "", None, "", self.maximum - total)
            )
            total = self.maximum
        if self.minimum is not None and total < self.minimum:
            label = text(gettext_noop("Minimum charge"))
            lines.append(
                env.line("minimum", ADJUSTMENT, label, None, None, 1, "", None, "", self.minimum - total)
            )
            total = self.minimum
        return Priced(tuple(lines), total)

    def __post_init__(self) -> None:
        # Derived once per tariff, not once per quote.
        object.__setattr__(self, "_tier_starts", [t.after for t in self.tiers])
        capped = False
        if self.cap is not None:
            # A whole window has at least DAY // unit units, each at least the cheapest price; each line is
            # rounded once, losing at most half a minor unit; the number of lines is bounded generously.
            floor = self.floor_price()
            most_lines = 2 + 2 * len(self.tiers) + 16 * len(self.bands)
            capped = (DAY // self.unit) * self.unit * floor.minor >= (self.cap + most_lines) * floor.per
        object.__setattr__(self, "_whole_windows_capped", capped)

    def _capped_run(self, lines: list[Line], entry: int, first: int, stop: int, env: Env) -> int:
        assert self.cap is not None
        windows = stop - first
        label = (
            text(gettext_noop("24-hour period {period} at the cap"), period=first + 1)
            if windows == 1
            else text(gettext_noop("24-hour periods {first}–{last} at the cap"), first=first + 1, last=stop)
        )
        amount = windows * self.cap
        lines.append(
            env.line(
                "capped_days",
                CHARGE,
                label,
                entry + first * DAY,
                entry + stop * DAY,
                windows,
                "24 h",
                self.cap,
                "24 h",
                amount,
            )
        )
        return amount

    def _cap_window(self, lines: list[Line], entry: int, w: int, subtotal: int, env: Env) -> int:
        """Applies the cap to one window's subtotal, adding the adjustment line; returns what is charged."""
        if self.cap is not None and subtotal > self.cap:
            cap = env.money(self.cap)
            label = text(
                gettext_noop("Cap of {cap_amount} per 24 h (period {period})"),
                cap_amount=[str(cap.amount), cap.currency.code],
                period=w + 1,
            )
            start, end = entry + w * DAY, entry + (w + 1) * DAY
            lines.append(env.line("cap", ADJUSTMENT, label, start, end, 1, "", None, "", self.cap - subtotal))
            return self.cap
        return subtotal

    def _window(
        self,
        lines: list[Line],
        entry: int,
        end: int,
        w: int,
        lo: int,
        hi: int,
        origin: int,
        extra: int,
        env: Env,
    ) -> int:
        """Prices the units starting in [lo, hi) of window w, one line per run of equal price and label."""
        unit = self.unit
        if not self.tiers and not self.bands:
            # One price all along: one line, no segments to find.
            k_a, k_b = -(-(lo - origin) // unit), -(-(hi - origin) // unit)
            runs: list[list[Any]] = [[self.base, TIME, k_a, k_b - k_a]] if k_b > k_a else []
        else:
            runs = self._runs(entry, w, lo, hi, origin, env)
        subtotal = extra
        unit_label = describe_duration(unit)
        for price, label, k, n in runs:
            amount = price.amount(n, unit)
            first = origin + k * unit
            lines.append(
                env.line(
                    "units",
                    CHARGE,
                    label,
                    first,
                    min(first + n * unit, end),
                    n,
                    unit_label,
                    price.minor,
                    price.per_label(),
                    amount,
                )
            )
            subtotal += amount
        return self._cap_window(lines, entry, w, subtotal, env)

    def _runs(self, entry: int, w: int, lo: int, hi: int, origin: int, env: Env) -> list[list[Any]]:
        """[price, label, first unit index, units] for each run of units with the same price and label."""
        unit = self.unit
        w_start = entry + w * DAY
        cuts = set()
        tier_origin = w_start if self.tiers_restart else entry
        for t in self.tiers:
            at = tier_origin + t.after
            if lo < at < hi:
                cuts.add(at)
        bands: list[tuple[int, int, Band]] = []
        if self.bands:
            bands = self._band_intervals(lo, hi, env)
            for a, b, _ in bands:
                if lo < a < hi:
                    cuts.add(a)
                if lo < b < hi:
                    cuts.add(b)
        points = [lo, *sorted(cuts), hi]
        starts = self._tier_starts
        run: list[Any] | None = None
        runs: list[list[Any]] = []
        band_i = 0
        for i in range(len(points) - 1):
            a, b = points[i], points[i + 1]
            k_a, k_b = -(-(a - origin) // unit), -(-(b - origin) // unit)
            if k_b <= k_a:
                continue
            tier_i = bisect_right(starts, a - tier_origin) - 1 if starts else -1
            if tier_i < 0:
                tier_price, tier_label = self.base, TIME
            else:
                tier = self.tiers[tier_i]
                tier_price, tier_label = tier.price, tier.title
            band = None
            while band_i < len(bands) and bands[band_i][1] <= a:
                band_i += 1
            if band_i < len(bands) and bands[band_i][0] <= a:
                band = bands[band_i][2]
            price, label = self.combine(tier_price, tier_label, band)
            if run is not None and run[0] == price and run[1] == label:
                run[3] += k_b - k_a
            else:
                run = [price, label, k_a, k_b - k_a]
                runs.append(run)
        return runs

    def _band_intervals(self, lo: int, hi: int, env: Env) -> list[tuple[int, int, Band]]:
        assert env.tz is not None
        bands = self.bands

        def occurrences(day: int) -> list[tuple[int, int, Band]]:
            wd = weekday(day)
            base = day * DAY
            return [(base + b.start, base + b.end, b) for b in bands if wd in b.days]

        return wall_to_utc(offset_pieces(env.tz, lo, hi), occurrences)


def build(values: dict[str, Any], ctx: Context, path: str, has_zone: bool) -> RateRules | None:
    def where(name: str) -> str:
        return f"{path}.{name}" if path else name

    unit: int = values["unit"]
    ok = True
    price = price_from(values, unit)
    assert price is not None
    tiers = tuple(Tier(v["after"], _price(v, unit), v["label"]) for v in values["tiers"] or ())
    for i in range(1, len(tiers)):
        if tiers[i].after <= tiers[i - 1].after:
            ctx.error(where(f"tiers[{i}].after"), gettext_noop("must be later than the tier before it"))
            ok = False
    if values["tiers_restart_every_24h"] and tiers and tiers[-1].after >= DAY:
        ctx.error(
            where(f"tiers[{len(tiers) - 1}].after"),
            gettext_noop("must be under 24h when tiers restart every 24 h"),
        )
        ok = False
    bands = []
    for i, v in enumerate(values["bands"] or ()):
        start, stop = v["from"], v["to"]
        if start == stop:
            ctx.error(
                where(f"bands[{i}].to"),
                gettext_noop("must differ from `from` (write 00:00 to 24:00 for a whole day)"),
            )
            ok = False
            continue
        end = stop if stop > start else stop + DAY
        days = v["days"] if v["days"] is not None else tuple(range(7))
        bands.append(Band(days, start, end, _price(v, unit), v["name"], all_days=v["days"] is None))
    ok = _check_overlaps(bands, ctx, where) and ok
    if bands and not has_zone:
        ctx.error("time_zone", gettext_noop("is required: bands are in local time"))
        ok = False
    grace = grace_from(values["grace"])
    block = values["first_block"]
    cap, maximum, minimum = values["cap_per_24h"], values["max_per_stay"], values["minimum"]
    if minimum is not None and maximum is not None and minimum > maximum:
        ctx.error(where("minimum"), gettext_noop("is more than max_per_stay"))
        ok = False
    if minimum is not None and cap is not None and minimum > cap:
        ctx.error(where("minimum"), gettext_noop("is more than cap_per_24h"))
        ok = False
    if (
        grace is not None
        and grace.mode == DEDUCTED
        and block is not None
        and grace.duration + block["duration"] > DAY
    ):
        ctx.error(
            where("first_block.duration"),
            gettext_noop("with the grace period, must fit in the first 24 hours"),
        )
        ok = False
    if not ok:
        return None
    return RateRules(
        unit=unit,
        base=price,
        rounding=values["rounding"],
        grace=grace,
        first_block=None if block is None else Block(block["duration"], block["price"], block["label"]),
        tiers=tiers,
        tiers_restart=values["tiers_restart_every_24h"],
        bands=tuple(bands),
        band_precedence=values["band_precedence"],
        cap=cap,
        maximum=maximum,
        minimum=minimum,
    )


def _price(values: dict[str, Any], unit: int) -> Price:
    price = price_from(values, unit)
    assert price is not None
    return price


def _check_overlaps(bands: list[Band], ctx: Context, where: Any) -> bool:
    """Bands may not overlap anywhere in the week (a unit must have one price): compared on a weekly clock."""
    week = 7 * DAY
    spans: list[list[tuple[int, int]]] = []
    for band in bands:
        pieces = []
        for d in band.days:
            a, b = d * DAY + band.start, d * DAY + band.end
            if b > week:  # Sunday night runs into Monday
                pieces += [(a, week), (0, b - week)]
            else:
                pieces.append((a, b))
        spans.append(pieces)
    ok = True
    for j in range(len(bands)):
        for i in range(j):
            clash = next(
                ((max(a, c), min(b, d)) for a, b in spans[i] for c, d in spans[j] if max(a, c) < min(b, d)),
                None,
            )
            if clash is not None:
                day, at = divmod(clash[0], DAY)
                ctx.error(
                    where(f"bands[{j}]"),
                    gettext_noop("overlaps bands[{index}] ({clash_weekdays} from {time})"),
                    index=i,
                    clash_weekdays=WEEKDAYS[day],
                    time=_clock(at),
                )
                ok = False
    return ok
