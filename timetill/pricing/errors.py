"""Typed errors of the pricing engine, each with a stable code that callers and tests can match.

The engine knows no languages (it imports no Django): a message is an English id (marked with gettext_noop
for the catalogues) with named arguments, kept as a `Text`. `message` and a TariffError's `errors` read it
through `PricingError.translate`, which the billing app sets to a translation into the active language
(timetill/billing/apps.py); without Django they read in English, as `str(error)` always does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import ClassVar, NamedTuple

from .text import Arg, Text, text


class PricingError(ValueError):
    """Base class: a bad input to the engine. `code` is stable, the message is for people."""

    code = "pricing_error"
    translate: ClassVar[Callable[[Text], str]] = str

    def __init__(self, message: str, *, code: str | None = None, **args: Arg) -> None:
        self.text = text(message, **args)
        super().__init__(str(self.text))
        if code is not None:
            self.code = code

    @property
    def message(self) -> str:
        return PricingError.translate(self.text)


class Problem(NamedTuple):
    """One problem of a tariff document: the path of its field ('bands[1].from', '(document)') and what is
    wrong with it."""

    path: str
    text: Text

    def __str__(self) -> str:
        return f"{self.path}: {self.text}"


def problem(path: str, message: str, **args: Arg) -> Problem:
    return Problem(path or "(document)", text(message, **args))


class TariffError(PricingError):
    """A tariff document that does not validate; `problems` lists every problem by field, `errors` as
    'path: message' in the active language."""

    code = "invalid_tariff"

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(str(p) for p in self.problems) if self.problems else "invalid tariff")

    @property
    def errors(self) -> list[str]:
        return [f"{p.path}: {PricingError.translate(p.text)}" for p in self.problems]

    @property
    def message(self) -> str:
        return "; ".join(self.errors) if self.problems else PricingError.translate(self.text)


class CurrencyMismatchError(PricingError):
    """Two amounts in different currencies were combined."""

    code = "currency_mismatch"


class StayError(PricingError):
    """A stay the engine cannot price: naive or unparseable instants, an end before its start."""

    code = "invalid_stay"
