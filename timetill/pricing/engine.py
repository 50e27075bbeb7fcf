"""What every tariff kind shares: the pricing environment, the result of pricing, and the Rules protocol."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar, Protocol
from zoneinfo import ZoneInfo

from .money import Currency, Money
from .quote import Choice, Line
from .spans import from_us
from .text import Text

_MONEY: dict[tuple[str, int], Money] = {}
_MONEY_CACHE_SIZE = 100_000


@dataclass(frozen=True, slots=True)
class Env:
    """The currency and time zone a tariff prices in; builds explanation lines from integer amounts."""

    currency: Currency
    tz: ZoneInfo | None
    # A step the cashier chose instead of the proposed one (its label), for the kinds that offer choices.
    choice: str | None = None

    def money(self, minor: int) -> Money:
        # Money is immutable and a tariff's prices recur on every quote: share the objects.
        key = (self.currency.code, minor)
        found = _MONEY.get(key)
        if found is None:
            if len(_MONEY) >= _MONEY_CACHE_SIZE:
                _MONEY.clear()
            found = _MONEY[key] = Money(Decimal(minor).scaleb(-self.currency.exponent), self.currency)
        return found

    def line(
        self,
        code: str,
        kind: str,
        label: str | Text,
        start: int | None,
        end: int | None,
        quantity: int | Decimal,
        unit: str,
        unit_price: int | None,
        price_per: str,
        amount: int,
    ) -> Line:
        return Line(
            code,
            kind,
            str(label),
            None if start is None else from_us(start),
            None if end is None else from_us(end),
            Decimal(quantity),
            unit,
            None if unit_price is None else self.money(unit_price),
            price_per,
            self.money(amount),
            label if isinstance(label, Text) else None,
        )


@dataclass(frozen=True, slots=True)
class Priced:
    """What a kind's rules give for some stays: explanation lines and their total in minor units."""

    lines: tuple[Line, ...]
    total: int
    choices: tuple[Choice, ...] = ()


class Rules(Protocol):
    """The parsed, validated rules of one tariff kind."""

    kind: ClassVar[str]
    per_stay: ClassVar[bool]  # True: prices one stay; False: prices all the stays of a period together

    def price(self, stays: list[tuple[int, int]], env: Env) -> Priced: ...

    def values(self) -> dict[str, Any]: ...
