"""The registry of tariff kinds: each kind's name, document fields and builder, in one table."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .engine import Rules
from .fields import Context, Prop
from .kinds import common, daily, ladder, rate


@dataclass(frozen=True)
class KindSpec:
    """A tariff kind: its document members and how to build validated rules from parsed values."""

    name: str
    title: str
    description: str
    props: tuple[Prop, ...]
    build: Callable[[dict[str, Any], Context, str, bool], Rules | None]
    exactly_one: tuple[tuple[str, ...], ...] = ()


KINDS: dict[str, KindSpec] = {
    spec.name: spec
    for spec in (
        KindSpec(
            "ladder",
            "Price ladder",
            "Steps (duration, price): the shortest step covering the stay; past the longest, it restarts.",
            ladder.PROPS,
            ladder.build,
        ),
        KindSpec(
            "rate",
            "Rate tariff",
            "Grace, first block, price per unit by time spent and local time bands, caps, maximum, minimum.",
            rate.PROPS,
            rate.build,
            (common.PRICE_CHOICE,),
        ),
        KindSpec(
            "daily",
            "Daily Time",
            "Daycare extra time: early arrival, late departure outside the included hours, unplanned days.",
            daily.PROPS,
            daily.build,
        ),
    )
}
