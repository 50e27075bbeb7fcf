"""How the catalogue pages show products: prices with their decimals, and a one-line summary of each price."""

from decimal import Decimal
from typing import Any

from timetill.catalog.models import Product

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def decimal_text(value: Decimal | str | None) -> str:
    """2.500 → "2.50", 2.125 → "2.125": two decimals at least, a real third kept."""
    if value is None or value == "":
        return ""
    value = Decimal(value)
    cents = value.quantize(Decimal("0.01"))
    return f"{cents:f}" if cents == value else f"{value.normalize():f}"


def price_summary(product: Product) -> str:
    """What the product costs, in a few words: a price, its steps, or its tariff's main prices."""
    if product.kind == Product.Kind.SIMPLE:
        return decimal_text(product.price)
    if product.kind == Product.Kind.LADDER:
        steps = [f"{v.label} {decimal_text(v.price)}" for v in product.variants.all()]
        return " · ".join(steps) or "no steps"
    document = product.tariff or {}
    if product.kind == Product.Kind.DAILY_TIME:
        return _daily_summary(document)
    return _rate_summary(document)


def _rate_summary(document: dict[str, Any]) -> str:
    unit = document.get("unit", "")
    parts = []
    if first := document.get("first_block"):
        parts.append(f"first {first.get('duration')} {decimal_text(first.get('price'))}")
    if "per_unit" in document:
        parts.append(f"{decimal_text(document['per_unit'])} / {unit}")
    elif "per_hour" in document:
        parts.append(f"{decimal_text(document['per_hour'])} / h")
    if cap := document.get("cap_per_24h"):
        parts.append(f"cap {decimal_text(cap)} / 24 h")
    if document.get("bands"):
        parts.append("bands")
    if document.get("groups"):
        parts.append("group prices")
    return f"Tariff ({document.get('currency', '')}): " + ", ".join(parts)


def _daily_summary(document: dict[str, Any]) -> str:
    included = document.get("included") or {}
    days = [day for day in WEEKDAYS if included.get(day)]
    hours = {f"{included[d]['from']}–{included[d]['to']}" for d in days}
    when = f"{_day_span(days)} {hours.pop()}" if len(hours) == 1 else f"{len(days)} days"
    unit = document.get("unit", "")
    early, late = document.get("early_per_unit"), document.get("late_per_unit")
    return (
        f"Tariff ({document.get('currency', '')}): {when}, early {decimal_text(early)}, "
        f"late {decimal_text(late)} / {unit}"
    )


def _day_span(days: list[str]) -> str:
    if not days:
        return "no day"
    indexes = [WEEKDAYS.index(d) for d in days]
    if len(days) > 2 and indexes == list(range(indexes[0], indexes[-1] + 1)):
        return f"{days[0].title()}–{days[-1].title()}"
    return ", ".join(d.title() for d in days)
