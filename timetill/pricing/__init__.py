"""The pricing engine: tariffs as validated JSON documents, stays priced exactly and explained line by line.

Pure Python (no Django, nothing else of timetill); money is Decimal, instants are aware datetimes.

Public API
----------
parse_tariff(document: dict) -> Tariff
    Validate a tariff document (see docs/tariffs.md and docs/tariff.schema.json). Raises TariffError, whose
    `.errors` lists every problem as "path: message", e.g. 'bands[1].from: "25:00" is not a time of day'.
load_tariff(text: str | bytes) -> Tariff
    The same from JSON text (bad JSON, binary or oversized input are TariffErrors too).
Tariff.quote(start, end, *, stays=None, group=None) -> Quote
    Price one stay (aware datetimes, or ISO strings: naive ones are read in the tariff's time zone, and
    refused when it has none), or with `stays=[(start, end), ...]` all the stays of a period (Daily Time).
    An open stay is priced "so far" with end=now. `group` selects a customer group's price.
Tariff.quote_micros(stays, *, group=None) -> Quote
    The same quote as quote(stays=...) for stays given as (start, end) microseconds since the epoch (UTC), as
    a database reads them in bulk (the monthly invoicing run): no datetime made and taken apart per stay.
Tariff.to_document() / Tariff.to_json()
    The canonical document back (parse_tariff(t.to_document()) == t).
quote_document(document, start, end, group=None, *, stays=None) -> Quote
    parse_tariff + quote in one call (what the web API uses).
Quote: total (Money), lines (Line: code, kind, label, start, end, quantity, unit, unit_price, price_per,
    amount), choices (a ladder's steps), vat; Quote.to_dict() is JSON-safe (amounts as strings).
Money(amount: Decimal, currency: Currency): adding two currencies raises CurrencyMismatchError.
tariff_schema() -> dict: the JSON Schema of tariff documents.
Errors (all PricingError, a ValueError with a stable `.code`): TariffError, StayError, CurrencyMismatchError.
"""

from .errors import CurrencyMismatchError, PricingError, StayError, TariffError
from .money import CURRENCIES, Currency, Money, currency
from .quote import Choice, Line, Quote, Vat
from .schema import tariff_schema
from .spans import Stay, parse_instant
from .tariff import GroupPrice, Tariff, load_tariff, parse_tariff, quote_document

__all__ = [
    "CURRENCIES",
    "Choice",
    "Currency",
    "CurrencyMismatchError",
    "GroupPrice",
    "Line",
    "Money",
    "PricingError",
    "Quote",
    "Stay",
    "StayError",
    "Tariff",
    "TariffError",
    "Vat",
    "currency",
    "load_tariff",
    "parse_instant",
    "parse_tariff",
    "quote_document",
    "tariff_schema",
]
