"""Rules and document fields shared by several tariff kinds: grace periods, prices, unit rounding."""

from __future__ import annotations

from dataclasses import dataclass

from ..fields import Amount, Choice, Duration, Obj, Prop
from ..money import round_half_up
from ..spans import DAY, HOUR, describe_duration
from ..text import Text, gettext_noop, text

THRESHOLD = "threshold"
DEDUCTED = "deducted"
ROUNDINGS = ("up", "nearest", "down")


@dataclass(frozen=True, slots=True)
class Grace:
    """A grace period: `threshold` (a stay of at most `duration` is free) or `deducted` (never charged)."""

    duration: int
    mode: str


GRACE_FIELD = Obj(
    (
        Prop("duration", Duration(description="Length of the grace period.", maximum=DAY - 1), required=True),
        Prop(
            "mode",
            Choice(
                (THRESHOLD, DEDUCTED),
                "threshold: a stay of at most this long is free, a longer one is charged in full; "
                "deducted: this much of every stay is never charged.",
            ),
            default=THRESHOLD,
        ),
    ),
    description="Optional grace (tolerance) period.",
)


def grace_text(grace: Grace, *, whole_stay: bool) -> Text:
    """The grace line's label: a stay short enough is free, or the first part of every stay is."""
    span = describe_duration(grace.duration)
    if whole_stay:
        return text(gettext_noop("Grace period: stays of at most {span_length} are free"), span_length=span)
    return text(gettext_noop("Grace period: the first {span_length} are free"), span_length=span)


def grace_from(values: dict[str, object] | None) -> Grace | None:
    if values is None:
        return None
    duration, mode = values["duration"], values["mode"]
    assert isinstance(duration, int) and isinstance(mode, str)
    return Grace(duration, mode)


def grace_values(grace: Grace | None) -> dict[str, object] | None:
    return None if grace is None else {"duration": grace.duration, "mode": grace.mode}


@dataclass(frozen=True, slots=True)
class Price:
    """`minor` minor units for every `per` microseconds: per the billing unit, or per hour billed in units."""

    minor: int
    per: int
    hourly: bool = False  # written per_hour in the document (remembered so the document round-trips)

    def amount(self, units: int, unit: int) -> int:
        """The price of `units` units, rounded once for the whole line (not once per unit)."""
        if self.per == unit:
            return units * self.minor
        return round_half_up(units * unit * self.minor, self.per)

    def cheaper_than(self, other: Price) -> bool:
        return self.minor * other.per < other.minor * self.per

    def per_label(self) -> str:
        return describe_duration(self.per)


PRICE_PROPS = (
    Prop("per_unit", Amount("Price of one billing unit.")),
    Prop("per_hour", Amount("Price of one hour, billed in units: a line is rounded once, not each unit.")),
)
PRICE_CHOICE = ("per_unit", "per_hour")


def price_from(values: dict[str, object], unit: int | None) -> Price | None:
    """The price given as per_unit or per_hour; None when the unit is unknown (already reported)."""
    if values.get("per_unit") is not None:
        minor = values["per_unit"]
        assert isinstance(minor, int)
        return None if unit is None else Price(minor, unit)
    minor = values["per_hour"]
    assert isinstance(minor, int)
    return Price(minor, HOUR, hourly=True)


def price_values(price: Price) -> dict[str, object]:
    return {"per_hour": price.minor} if price.hourly else {"per_unit": price.minor}


def count_units(length: int, unit: int, rounding: str) -> int:
    """How many units a length of time counts for: a started unit counts (up), or nearest, or down."""
    whole, part = divmod(length, unit)
    if part and (rounding == "up" or (rounding == "nearest" and 2 * part >= unit)):
        whole += 1
    return whole
