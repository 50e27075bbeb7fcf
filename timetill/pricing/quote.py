"""Quotes: a total and the explanation lines (charges and adjustments) that make it up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from .money import Money
from .text import Text

CHARGE = "charge"
ADJUSTMENT = "adjustment"


@dataclass(frozen=True, slots=True)
class Line:
    """One line of an explanation: `quantity` × `unit`, priced `unit_price` per `price_per`, for `amount`.

    `code` is stable for programs (units, first_block, step, grace, cap, maximum, minimum, discount, early,
    late, unplanned_day, day…); `label` is for people, in English, and `text` is the same as a message id
    with arguments (timetill.pricing.text) that a layer above translates. `kind` is "charge" or "adjustment".
    """

    code: str
    kind: str
    label: str
    start: datetime | None
    end: datetime | None
    quantity: Decimal
    unit: str
    unit_price: Money | None
    price_per: str
    amount: Money
    text: Text | None = None  # the label as a message id and arguments, for the layer that translates

    def to_dict(self, tz: ZoneInfo | None = None) -> dict[str, Any]:
        out = {
            "code": self.code,
            "kind": self.kind,
            "label": self.label,
            "from": _iso(self.start, tz),
            "to": _iso(self.end, tz),
            "quantity": str(self.quantity),
            "unit": self.unit,
            "unit_price": None if self.unit_price is None else str(self.unit_price.amount),
            "price_per": self.price_per,
            "amount": str(self.amount.amount),
        }
        if self.text is not None:
            out.update(self.text.to_dict())
        return out


@dataclass(frozen=True, slots=True)
class Choice:
    """A price the cashier may pick instead of the proposed one (a ladder's steps)."""

    label: str
    price: Money
    proposed: bool


@dataclass(frozen=True, slots=True)
class Vat:
    """The VAT inside (or on top of) a total, computed once on the total."""

    rate: Decimal
    net: Money
    tax: Money
    gross: Money


@dataclass(frozen=True, slots=True)
class Quote:
    """The price of a stay (or of a period's stays) under a tariff, with its explanation."""

    tariff: str
    kind: str
    start: datetime
    end: datetime
    group: str | None
    lines: tuple[Line, ...]
    total: Money
    prices_include_vat: bool
    vat: Vat | None = None
    choices: tuple[Choice, ...] = ()
    time_zone: ZoneInfo | None = None

    @property
    def currency(self) -> str:
        return self.total.currency.code

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe rendering: amounts as strings, instants as ISO 8601 in the tariff's time zone."""
        tz = self.time_zone
        out: dict[str, Any] = {
            "tariff": self.tariff,
            "kind": self.kind,
            "currency": self.currency,
            "start": _iso(self.start, tz),
            "end": _iso(self.end, tz),
            "duration_seconds": _seconds(self.start, self.end),
            "group": self.group,
            "total": str(self.total.amount),
            "prices_include_vat": self.prices_include_vat,
            "lines": [line.to_dict(tz) for line in self.lines],
        }
        if self.vat is not None:
            out["vat"] = {
                "rate": str(self.vat.rate),
                "net": str(self.vat.net.amount),
                "tax": str(self.vat.tax.amount),
                "gross": str(self.vat.gross.amount),
            }
        if self.choices:
            out["choices"] = [
                {"label": c.label, "price": str(c.price.amount), "proposed": c.proposed} for c in self.choices
            ]
        return out


def _seconds(start: datetime, end: datetime) -> str:
    # Exact elapsed seconds as a decimal string: timedelta arithmetic is exact, floats are not.
    delta = end.astimezone(UTC) - start.astimezone(UTC)
    micros = (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds
    return str(Decimal(micros).scaleb(-6).normalize()) if micros % 1_000_000 else str(micros // 1_000_000)


def _iso(moment: datetime | None, tz: ZoneInfo | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(tz if tz is not None else UTC).isoformat()
