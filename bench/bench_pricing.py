"""Benchmark of the pricing engine: quotes per second per tariff kind and stay length, and the speed-up
over the naive reference pricer of the tests. Run: python bench/bench_pricing.py [--quick]"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.pricing.reference import reference_total  # noqa: E402
from timetill.pricing import parse_tariff  # noqa: E402

PARIS = ZoneInfo("Europe/Paris")
START = datetime(2026, 3, 2, 10, 0, tzinfo=PARIS)  # a Monday; 30 days later crosses the spring-forward night

COMMON = {"version": 1, "currency": "EUR", "time_zone": "Europe/Paris"}
TARIFFS = {
    "ladder": COMMON
    | {
        "kind": "ladder",
        "steps": [
            {"duration": "30m", "price": "3.50"},
            {"duration": "1h", "price": "6.00"},
            {"duration": "2h", "price": "11.00"},
            {"duration": "4h", "price": "20.00"},
        ],
    },
    # PRODUCT.md's car park with 1-minute units: grace, first hour, a price per minute, a cap per 24 h.
    "rate": COMMON
    | {
        "kind": "rate",
        "unit": "1m",
        "grace": {"duration": "15m"},
        "first_block": {"duration": "1h", "price": "2.50"},
        "per_hour": "2.40",
        "cap_per_24h": "15.00",
    },
    # Tiers and night/weekend bands, no cap: every band change is a line, so the cost follows the days.
    "rate+bands": COMMON
    | {
        "kind": "rate",
        "unit": "1m",
        "per_hour": "2.40",
        "tiers": [{"after": "3h", "per_hour": "1.00"}],
        "bands": [
            {
                "name": "Night",
                "days": ["mon", "tue", "wed", "thu"],
                "from": "20:00",
                "to": "08:00",
                "per_hour": "0.60",
            },
            {"name": "Weekend", "days": ["sat", "sun"], "from": "00:00", "to": "24:00", "per_hour": "0.90"},
        ],
    },
    "daily": COMMON
    | {
        "kind": "daily",
        "unit": "1m",
        "early_per_unit": "0.05",
        "late_per_unit": "0.08",
        "tolerance": "10m",
        "unplanned_day": "20.00",
        "included": {d: {"from": "08:00", "to": "16:00"} for d in ("mon", "tue", "wed", "thu")},
    },
}
LENGTHS = {"1 h": timedelta(hours=1), "1 day": timedelta(days=1), "30 days": timedelta(days=30)}


def stays_for(kind: str, length: str) -> list[tuple[datetime, datetime]]:
    """A stay that long; for Daily Time, '1 day' is a day at the daycare and '30 days' a month of them."""
    if kind != "daily" or length == "1 h":
        return [(START, START + LENGTHS[length])]
    day = START.replace(hour=7, minute=35)
    days = 1 if length == "1 day" else 30
    return [(day + timedelta(days=i), day + timedelta(days=i, hours=9, minutes=5)) for i in range(days)]


def rate_of(call, budget: float, repeats: int) -> float:
    """Calls per second: the median of `repeats` timed runs, each sized to last about `budget` seconds."""
    n, elapsed = 1, 0.0
    while elapsed < budget / 5:
        n *= 2
        t0 = time.perf_counter()
        for _ in range(n):
            call()
        elapsed = time.perf_counter() - t0
    n = max(1, int(n * budget / elapsed))
    rates = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(n):
            call()
        rates.append(n / (time.perf_counter() - t0))
    return statistics.median(rates)


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    budget, repeats = (0.1, 3) if quick else (0.5, 7)
    print(f"Python {sys.version.split()[0]}, one core; median of {repeats} runs; units of 1 minute")
    print(
        f"{'tariff':<12}{'stay':<9}{'quotes/s':>12}{'µs/quote':>10}{'vs 1 h':>8}{'lines':>7}"
        f"{'reference/s':>13}{'speed-up':>10}"
    )
    results: dict[tuple[str, str], float] = {}
    reference_rates: dict[tuple[str, str], float] = {}
    for kind, document in TARIFFS.items():
        tariff = parse_tariff(document)
        for length in LENGTHS:
            stays = stays_for(kind, length)
            if len(stays) == 1:
                ((a, b),) = stays

                def engine(a=a, b=b, tariff=tariff):
                    return tariff.quote(a, b)

                def reference(a=a, b=b, tariff=tariff):
                    return reference_total(tariff, a, b)
            else:

                def engine(stays=stays, tariff=tariff):
                    return tariff.quote(stays=stays)

                def reference(stays=stays, tariff=tariff):
                    return reference_total(tariff, stays=stays)

            quote = engine()
            assert quote.total.amount == reference(), (kind, length)
            per_second = rate_of(engine, budget, repeats)
            results[(kind, length)] = per_second
            ref_per_second = rate_of(reference, budget, 3) if length != "1 h" or not quick else float("nan")
            reference_rates[(kind, length)] = ref_per_second
            ratio = results[(kind, "1 h")] / per_second
            print(
                f"{kind:<12}{length:<9}{per_second:>12,.0f}{1e6 / per_second:>10.1f}{ratio:>7.1f}x"
                f"{len(quote.lines):>7}{ref_per_second:>13,.1f}{per_second / ref_per_second:>9,.1f}x"
            )
    one_hour, month = results[("rate", "1 h")], results[("rate", "30 days")]
    print()
    verdict = "OK" if one_hour >= 50_000 else "MISSED"
    print(f"target ≥ 50,000 quotes/s, 1-hour rate stay: {one_hour:,.0f}  {verdict}")
    speedup = month / reference_rates[("rate", "30 days")]
    verdict = "OK" if speedup >= 100 else "MISSED"
    print(f"target ≥ 100× the reference, 30-day rate stay: {speedup:,.0f}×  {verdict}")
    print(
        f"target 30-day rate stay ≤ 3× a 1-hour one: {one_hour / month:.2f}×  "
        f"{'OK' if one_hour / month <= 3 else 'MISSED'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
