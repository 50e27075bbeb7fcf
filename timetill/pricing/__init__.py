"""The pricing engine: tariffs as validated JSON documents, stays priced exactly and explained line by line.

Pure Python (no Django, nothing else of timetill); money is Decimal, instants are aware datetimes.

Public API
----------
parse_tariff(document: dict) -> Tariff
    Validate a tariff document (see docs/tariffs.md and docs/tariff.schema.json). Raises TariffError, whose
    `.errors` lists every problem as "path: message", e.g. 'bands[1].from: "25:00" is not a time of day'
    (in the active language once Django's billing app is loaded), `.problems` as (path, message id).
load_tariff(text: str | bytes) -> Tariff
    The same from JSON text (bad JSON, binary or oversized input are TariffErrors too).
Tariff.quote(start, end, *, stays=None, group=None) -> Quote
    Price one stay (aware datetimes, or ISO strings: naive ones are read in the tariff's time zone, and
    refused when it has none), or with `stays=[(start, end), ...]` all the stays of a period (Daily Time).
    An open stay is priced "so far" with end=now. `group` selects a customer group's price.
Tariff.quote_micros(stays, *, group=None) -> Quote
    The same quote as quote(stays=...) for stays given as (start, end) microseconds since the epoch (UTC), as
    a database reads them in bulk (the monthly invoicing run): no datetime made and taken apart per stay.
compile_tariff(tariff) -> CompiledTariff; CompiledTariff.explain_micros(stays, *, group=None) -> Explained
    The same quote as quote_micros() for many periods (a month of a daycare's children): what does not
    depend on the stays is worked out once; Explained has the total in minor units, Quote.to_dict() as
    `document` and the lines as integers (`parts`). CompiledTariff.explain_compact(): the same, `document`
    in a compact form (each line as integers, what they share once) that compiled.expand() writes out as
    Quote.to_dict() (the monthly run stores it). LocalClock(tz): wall time of instants as integers.
Tariff.to_document() / Tariff.to_json()
    The canonical document back (parse_tariff(t.to_document()) == t).
quote_document(document, start, end, group=None, *, stays=None) -> Quote
    parse_tariff + quote in one call (what the web API uses).
Quote: total (Money), lines (Line: code, kind, label, start, end, quantity, unit, unit_price, price_per,
    amount, text: the label as a message id with arguments, see text.py), choices (a ladder's steps), vat;
    Quote.to_dict() is JSON-safe (amounts as strings; each line's "message" and "args" beside its label).
Money(amount: Decimal, currency: Currency): adding two currencies raises CurrencyMismatchError.
tariff_schema() -> dict: the JSON Schema of tariff documents.
Errors (all PricingError, a ValueError with a stable `.code`): TariffError, StayError, CurrencyMismatchError.
"""

from .compiled import CompiledTariff, Explained, compile_tariff
from .errors import CurrencyMismatchError, PricingError, StayError, TariffError
from .localtime import LocalClock
from .money import CURRENCIES, Currency, Money, currency
from .quote import Choice, Line, Quote, Vat
from .schema import tariff_schema
from .spans import Stay, parse_instant
from .tariff import GroupPrice, Tariff, load_tariff, parse_tariff, quote_document

__all__ = [
    "CURRENCIES",
    "Choice",
    "CompiledTariff",
    "Currency",
    "CurrencyMismatchError",
    "Explained",
    "GroupPrice",
    "Line",
    "LocalClock",
    "Money",
    "PricingError",
    "Quote",
    "Stay",
    "StayError",
    "Tariff",
    "TariffError",
    "Vat",
    "compile_tariff",
    "currency",
    "load_tariff",
    "parse_instant",
    "parse_tariff",
    "quote_document",
    "tariff_schema",
]
