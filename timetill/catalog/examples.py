"""PRODUCT.md's worked tariffs as documents: where a new time product starts, and the demo's catalogue."""

from typing import Any

# PRODUCT.md's car park, also docs/examples/car-park.json (a test checks that the two stay the same).
CAR_PARK: dict[str, Any] = {
    "version": 1,
    "kind": "rate",
    "name": "Car park",
    "currency": "EUR",
    "time_zone": "Europe/Paris",
    "unit": "15m",
    "grace": {"duration": "15m"},
    "first_block": {"duration": "1h", "price": "2.50", "label": "First hour"},
    "per_unit": "0.60",
    "cap_per_24h": "15.00",
}

# PRODUCT.md's Daily Time example: the daycare's extra hours outside Mon–Thu 08:00–16:00.
EXTRA_HOURS: dict[str, Any] = {
    "version": 1,
    "kind": "daily",
    "name": "Extra Hours 8-16",
    "currency": "EUR",
    "time_zone": "Europe/Paris",
    "included": {day: {"from": "08:00", "to": "16:00"} for day in ("mon", "tue", "wed", "thu")},
    "unit": "15m",
    "early_per_unit": "3.00",
    "late_per_unit": "5.00",
    "tolerance": "10m",
    "unplanned_day": "20.00",
}
