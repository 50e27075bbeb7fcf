"""Typed errors of the pricing engine, each with a stable code that callers and tests can match."""

from __future__ import annotations


class PricingError(ValueError):
    """Base class: a bad input to the engine. `code` is stable, the message is for people."""

    code = "pricing_error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code

    @property
    def message(self) -> str:
        return str(self.args[0])


class TariffError(PricingError):
    """A tariff document that does not validate; `errors` lists every problem as 'path: message'."""

    code = "invalid_tariff"

    def __init__(self, errors: list[str]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(self.errors) if self.errors else "invalid tariff")


class CurrencyMismatchError(PricingError):
    """Two amounts in different currencies were combined."""

    code = "currency_mismatch"


class StayError(PricingError):
    """A stay the engine cannot price: naive or unparseable instants, an end before its start."""

    code = "invalid_stay"
