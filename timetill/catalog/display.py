"""How the catalogue pages show products: prices with their decimals, and a one-line summary of each price."""

from decimal import Decimal
from typing import Any

from babel.numbers import format_decimal
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from timetill import formats
from timetill.catalog.models import Product
from timetill.catalog.tariff_forms import DAY_SHORT, WEEKDAYS


def decimal_text(value: Decimal | str | None) -> str:
    """2.500 → "2.50", 2.125 → "2.125": two decimals at least, a real third kept."""
    if value is None or value == "":
        return ""
    value = Decimal(value)
    cents = value.quantize(Decimal("0.01"))
    return f"{cents:f}" if cents == value else f"{value.normalize():f}"


def price_summary(product: Product, currency: str | None = None) -> str:
    """What the product costs, in a few words of the active language: a price, its steps, or its tariff's
    main prices. Amounts are written with the currency's sign (the tariff's own, else `currency`: the sites'
    one when they share it), as the till and the receipts write them."""
    if product.kind == Product.Kind.SIMPLE:
        return _amount(product.price, currency)
    if product.kind == Product.Kind.LADDER:
        steps = [f"{v.label} {_amount(v.price, currency)}" for v in product.variants.all()]
        return " · ".join(steps) or _("no steps")
    document = product.tariff or {}
    if product.kind == Product.Kind.DAILY_TIME:
        return _daily_summary(document)
    return _rate_summary(document)


def _amount(value: Decimal | str | None, currency: str | None) -> str:
    if value is None or value == "":
        return ""
    if currency:
        return formats.money(value, currency)
    # Two decimals at least, a real third kept, with the language's separators: "1,50" in French.
    return format_decimal(Decimal(value), format="#,##0.00#", locale=formats.current_locale())


def _rate_summary(document: dict[str, Any]) -> str:
    currency = document.get("currency") or None
    unit = document.get("unit", "")
    parts = []
    if first := document.get("first_block"):
        parts.append(
            _("first {duration} {price}").format(
                duration=first.get("duration"), price=_amount(first.get("price"), currency)
            )
        )
    if "per_unit" in document:
        parts.append(_("{price} / {unit}").format(price=_amount(document["per_unit"], currency), unit=unit))
    elif "per_hour" in document:
        parts.append(_("{price} / h").format(price=_amount(document["per_hour"], currency)))
    if cap := document.get("cap_per_24h"):
        parts.append(_("cap {price} / 24 h").format(price=_amount(cap, currency)))
    if document.get("bands"):
        parts.append(_("bands"))
    if document.get("groups"):
        parts.append(_("group prices"))
    return _("Tariff: {prices}").format(prices=", ".join(parts))


def _daily_summary(document: dict[str, Any]) -> str:
    currency = document.get("currency") or None
    included = document.get("included") or {}
    days = [day for day in WEEKDAYS if included.get(day)]
    hours = {f"{included[d]['from']}–{included[d]['to']}" for d in days}
    if len(hours) == 1:
        when = f"{_day_span(days)} {hours.pop()}"
    else:
        when = ngettext("{count} day", "{count} days", len(days)).format(count=len(days))
    unit = document.get("unit", "")
    early, late = document.get("early_per_unit"), document.get("late_per_unit")
    return _("Tariff: {days}, early {early} / {unit}, late {late} / {unit}").format(
        days=when, early=_amount(early, currency), late=_amount(late, currency), unit=unit
    )


def _day_span(days: list[str]) -> str:
    if not days:
        return _("no day")
    indexes = [WEEKDAYS.index(d) for d in days]
    if len(days) > 2 and indexes == list(range(indexes[0], indexes[-1] + 1)):
        return f"{DAY_SHORT[days[0]]}–{DAY_SHORT[days[-1]]}"
    return ", ".join(str(DAY_SHORT[d]) for d in days)
