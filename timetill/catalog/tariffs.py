"""A product's tariff: its stored document checked by the pricing engine, or a ladder built from its steps."""

from __future__ import annotations

import json
from collections.abc import Iterable
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.utils.translation import gettext as _

from timetill.catalog.models import Product
from timetill.errors import TimetillError
from timetill.pricing import PricingError, Tariff, TariffError, load_tariff, parse_tariff
from timetill.pricing.errors import Problem
from timetill.pricing.text import literal

# The tariff kind each timed product stores (a ladder product's steps are its variants, not a document).
DOCUMENT_KIND = {"time": "rate", "daily_time": "daily"}


class InvalidTariff(TimetillError):
    """A tariff document that does not validate; `errors` names each field ('bands[1].from: …') in the active
    language, `problems` keeps each one as the engine's message id (what the tariff form rewords)."""

    status = 422

    def __init__(
        self, errors: list[str], *, code: str = "invalid_tariff", problems: list[Problem] | None = None
    ) -> None:
        self.errors = list(errors)
        if problems is None:
            problems = [Problem(field, literal(message)) for field, message in map(_split, self.errors)]
        self.problems = list(problems)
        super().__init__(
            code, _("The tariff does not validate: %(problems)s") % {"problems": "; ".join(self.errors)}
        )

    @classmethod
    def of(cls, error: TariffError) -> InvalidTariff:
        """The engine's error, said in the active language."""
        return cls(error.errors, problems=error.problems)


def _split(error: str) -> tuple[str, str]:
    field, sep, message = error.partition(": ")
    return (field, message) if sep else ("(document)", error)


def error_fields(errors: Iterable[str]) -> list[dict[str, str]]:
    """'bands[1].from: "25:00" is not a time of day' → {"field": "bands[1].from", "message": …}."""
    return [dict(zip(("field", "message"), _split(error), strict=True)) for error in errors]


def checked_document(document: object, *, kind: str, vat_rate: Decimal, prices_include_vat: bool) -> dict:
    """The canonical document, with the product's VAT rate and price basis written into it (they win)."""
    if isinstance(document, str | bytes):
        try:
            tariff = load_tariff(document)
        except TariffError as error:
            raise InvalidTariff.of(error) from error
        document = tariff.to_document()
    if not isinstance(document, dict):
        raise InvalidTariff(["(document): " + _("is not a JSON object")])
    expected = DOCUMENT_KIND.get(kind)
    if expected is None:
        raise TimetillError("no_tariff", _("A %(kind)s product has no tariff document.") % {"kind": kind})
    if document.get("kind") != expected:
        needs = (
            _('a time product needs a "rate" tariff')
            if kind == Product.Kind.TIME
            else _('a daily time product needs a "daily" tariff')
        )
        raise InvalidTariff(["kind: " + needs])
    document = {
        **document,
        "vat_rate": format(vat_rate.normalize(), "f"),
        "prices_include_vat": prices_include_vat,
    }
    try:
        tariff = parse_tariff(document)
    except TariffError as error:
        raise InvalidTariff.of(error) from error
    return tariff.to_document()


def ladder_document(
    steps: Iterable[tuple[str, int, Decimal]],
    *,
    currency: str,
    time_zone: str,
    name: str,
    vat_rate: Decimal,
    prices_include_vat: bool,
) -> dict[str, Any]:
    """The ladder tariff of a product's steps (label, minutes, price), in a site's currency and zone."""
    return {
        "version": 1,
        "kind": "ladder",
        "name": name,
        "currency": currency,
        "time_zone": time_zone,
        "prices_include_vat": prices_include_vat,
        "vat_rate": format(vat_rate.normalize(), "f"),
        "steps": [
            {"duration": f"{minutes}m", "price": format(Decimal(price).normalize(), "f"), "label": label}
            for label, minutes, price in steps
        ],
    }


def tariff_at(document: dict, *, currency: str, time_zone: str) -> Tariff:
    """The parsed tariff for a site: its currency must match; a document without a zone takes the site's."""
    if document.get("currency") != currency:
        raise TimetillError(
            "currency_mismatch",
            _("The tariff is in %(tariff_currency)s but the site sells in %(currency)s.")
            % {"tariff_currency": document.get("currency"), "currency": currency},
        )
    if not document.get("time_zone"):
        document = {**document, "time_zone": time_zone}
    return _parse(json.dumps(document, sort_keys=True))


@lru_cache(maxsize=256)
def _parse(text: str) -> Tariff:
    # The pending list quotes every open line each few seconds: parse each distinct document once.
    try:
        return load_tariff(text)
    except TariffError as error:
        raise InvalidTariff.of(error) from error


def pricing_error(error: PricingError) -> TimetillError:
    """An engine error (an end before the start, a naive instant…) as the till's typed error."""
    if isinstance(error, TariffError):
        return InvalidTariff.of(error)
    return TimetillError(error.code, error.message)
