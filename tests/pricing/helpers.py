"""Small builders shared by the pricing tests: documents of each kind and instants in a zone."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from timetill.pricing import Tariff, parse_tariff

PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")


def at(text: str, tz: ZoneInfo = PARIS) -> datetime:
    """An aware instant from a wall-clock text in `tz` (fold=0: the first of a repeated time)."""
    return datetime.fromisoformat(text).replace(tzinfo=tz)


def rate(**rules) -> Tariff:
    doc = {
        "version": 1,
        "kind": "rate",
        "currency": "EUR",
        "time_zone": "Europe/Paris",
        "unit": "15m",
        "per_unit": "0.60",
    }
    doc.update(rules)
    return parse_tariff({k: v for k, v in doc.items() if v is not None})


def car_park(**changes) -> Tariff:
    """PRODUCT.md's example: grace 15 min (threshold), first hour 2.50, then 0.60 per 15 min, cap 15."""
    rules = {
        "grace": {"duration": "15m"},
        "first_block": {"duration": "1h", "price": "2.50"},
        "cap_per_24h": "15.00",
    }
    rules.update(changes)
    return rate(**rules)


def total(
    tariff: Tariff, start: datetime, minutes: float = 0, *, end: datetime | None = None, **kw
) -> Decimal:
    end = end if end is not None else start + timedelta(minutes=minutes)
    return tariff.quote(start, end, **kw).total.amount
