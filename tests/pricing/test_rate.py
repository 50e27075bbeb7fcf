"""Rate tariff rules one by one: grace, rounding, block, hourly prices, tiers, bands, caps, groups, VAT."""

from decimal import Decimal

import pytest

from timetill.pricing import StayError

from .helpers import at, car_park, rate, total
from .reference import reference_total

MON = at("2026-03-02T10:00")  # a Monday


@pytest.mark.parametrize(
    ("minutes", "amount"), [(10, "0.00"), (15, "0.00"), (16, "0.60"), (30, "0.60"), (31, "1.20")]
)
def test_deducted_grace_is_never_charged(minutes, amount):
    assert str(total(rate(grace={"duration": "15m", "mode": "deducted"}), MON, minutes)) == amount


@pytest.mark.parametrize(
    ("rounding", "minutes", "amount"),
    [
        ("up", 15, "0.60"),
        ("up", 15 + 1 / 60, "1.20"),  # exactly on a unit, one second over
        ("nearest", 22, "0.60"),
        ("nearest", 22.5, "1.20"),
        ("nearest", 23, "1.20"),
        ("down", 29 + 59 / 60, "0.60"),
        ("down", 30, "1.20"),
        ("down", 14, "0.00"),
    ],
)
def test_unit_rounding(rounding, minutes, amount):
    assert str(total(rate(rounding=rounding), MON, minutes)) == amount


def test_first_block_is_charged_whole_even_for_20_minutes():
    assert total(rate(first_block={"duration": "1h", "price": "2.50"}), MON, 20) == Decimal("2.50")


def test_hourly_price_is_rounded_once_per_line_not_per_unit():
    quote = rate(unit="1m", per_unit=None, per_hour="2.50").quote(MON, at("2026-03-02T10:25"))
    (line,) = quote.lines
    assert (line.quantity, line.unit, str(line.unit_price.amount), line.price_per) == (
        25,
        "1 min",
        "2.50",
        "1 h",
    )
    assert str(quote.total.amount) == "1.04"  # 25/60 × 2.50 = 1.0416…; per unit it would be 25 × 0.04 = 1.00


def test_an_hourly_price_that_lands_on_a_half_cent_rounds_up_across_the_spring_forward_night():
    # Found by Hypothesis: 13 h 40 min 1 s of real time (over the night the clocks jump forward) is 165
    # started 5-minute units, 13.75 h at 0.34 = 4.675, half up 4.68. The reference once said 4.67, having
    # multiplied a rounded 0.34 / 12 back by 165; it now divides once, like the engine.
    tariff = rate(unit="5m", per_unit=None, per_hour="0.34")
    start, end = at("2026-03-28T21:00"), at("2026-03-29T11:40:01")
    assert str(total(tariff, start, end=end)) == "4.68"
    assert reference_total(tariff, start, end) == Decimal("4.68")


def test_tiers_by_time_already_spent():
    tariff = rate(unit="1h", per_unit=None, per_hour="2.00", tiers=[{"after": "3h", "per_hour": "1.00"}])
    assert total(tariff, MON, 5 * 60) == Decimal("8.00")
    assert [line.label for line in tariff.quote(MON, at("2026-03-02T15:00")).lines] == [
        "Time",
        "Time after 3 h",
    ]
    assert total(tariff, MON, 27 * 60) == Decimal("30.00")


def test_tiers_can_restart_in_each_24_hour_window():
    tariff = rate(
        unit="1h",
        per_unit=None,
        per_hour="2.00",
        tiers=[{"after": "3h", "per_hour": "1.00"}],
        tiers_restart_every_24h=True,
    )
    assert total(tariff, MON, 27 * 60) == Decimal("33.00")  # 3×2 + 21×1, then 3×2 again


NIGHT = {"name": "Night", "from": "20:00", "to": "08:00", "per_unit": "0.50"}


def test_band_crossing_midnight():
    tariff = rate(unit="1h", per_unit="2.00", bands=[NIGHT])
    quote = tariff.quote(at("2026-03-02T18:00"), at("2026-03-03T10:00"))
    assert [(line.label, int(line.quantity)) for line in quote.lines] == [
        ("Time", 2),
        ("Night", 12),
        ("Time", 2),
    ]
    assert quote.total.amount == Decimal("14.00")


def test_a_unit_is_priced_by_the_band_in_force_at_its_start():
    tariff = rate(unit="1h", per_unit="2.00", bands=[NIGHT])
    assert total(tariff, at("2026-03-02T19:30"), 120) == Decimal("2.50")  # 19:30 day rate, 20:30 night rate


def test_weekday_bands_and_a_night_that_starts_on_friday():
    weekend = {"name": "Weekend", "days": ["sat", "sun"], "from": "00:00", "to": "24:00", "per_unit": "1.00"}
    tariff = rate(unit="1h", per_unit="2.00", bands=[weekend])
    assert total(tariff, at("2026-03-06T22:00"), 240) == Decimal("6.00")  # Fri 22-24 at 2, Sat 0-2 at 1
    friday_night = {"days": ["fri"], "from": "22:00", "to": "06:00", "per_unit": "0.25"}
    tariff = rate(unit="1h", per_unit="2.00", bands=[friday_night])
    assert total(tariff, at("2026-03-07T01:00"), 120) == Decimal("0.50")  # Saturday 01:00 is Friday's night


@pytest.mark.parametrize(
    ("precedence", "tier_price", "amount"),
    [
        ("band", "0.90", "6.00"),
        ("lowest", "0.90", "6.00"),
        ("highest", "0.90", "7.60"),
        ("lowest", "0.10", "4.40"),
    ],
)
def test_band_precedence_over_tiers(precedence, tier_price, amount):
    tariff = rate(
        unit="1h",
        per_unit="2.00",
        bands=[NIGHT],
        band_precedence=precedence,
        tiers=[{"after": "2h", "per_unit": tier_price}],
    )
    assert str(total(tariff, at("2026-03-02T18:00"), 6 * 60)) == amount


def test_a_unit_belongs_to_the_window_where_it_starts():
    tariff = rate(unit="7h", per_unit="1.00", cap_per_24h="3.50")
    # Units start at 0, 7, 14, 21 h (first window, capped at 3.50) and 28 h (second window).
    assert total(tariff, MON, 29 * 60) == Decimal("4.50")


def test_whole_capped_days_are_one_line():
    quote = car_park().quote(MON, at("2026-03-05T16:00"))  # 3 days and 6 hours
    assert [line.code for line in quote.lines] == ["first_block", "units", "cap", "capped_days", "units"]
    assert quote.lines[3].quantity == 2 and str(quote.lines[3].amount.amount) == "30.00"
    assert str(quote.total.amount) == "59.40"


def test_maximum_per_stay():
    quote = car_park(max_per_stay="20.00").quote(MON, at("2026-03-03T16:00"))
    assert quote.lines[-1].code == "maximum" and str(quote.lines[-1].amount.amount) == "-9.40"
    assert quote.total.amount == Decimal("20.00")


def test_minimum_charge_applies_to_charged_stays_only():
    tariff = rate(minimum="1.00")
    assert total(tariff, MON, 10) == Decimal("1.00")
    assert tariff.quote(MON, at("2026-03-02T10:10")).lines[-1].code == "minimum"
    assert total(tariff, MON, 0) == Decimal("0.00")
    with_grace = rate(minimum="1.00", grace={"duration": "15m"})
    assert total(with_grace, MON, 10) == Decimal("0.00")
    assert total(with_grace, MON, 16) == Decimal("1.20")


def test_group_discount_is_an_adjustment_line_rounded_half_up():
    tariff = car_park(groups={"members": {"discount_percent": "15"}})
    quote = tariff.quote(MON, at("2026-03-02T11:20"), group="members")
    assert quote.lines[-1].code == "discount" and str(quote.lines[-1].amount.amount) == "-0.56"  # 0.555
    assert str(quote.total.amount) == "3.14"
    assert str(total(tariff, MON, 80, group="visitors")) == "3.70"  # a group without its own price


def test_group_with_its_own_tariff():
    staff = {"tariff": {"kind": "ladder", "steps": [{"duration": "1d", "price": "1.00"}]}}
    tariff = car_park(groups={"staff": staff})
    quote = tariff.quote(MON, at("2026-03-02T18:00"), group="staff")
    assert quote.kind == "ladder" and str(quote.total.amount) == "1.00"


@pytest.mark.parametrize(
    ("included", "net", "tax", "gross"), [(True, "10.00", "2.00", "12.00"), (False, "12.00", "2.40", "14.40")]
)
def test_vat_breakdown(included, net, tax, gross):
    tariff = rate(unit="1h", per_unit="12.00", vat_rate="20", prices_include_vat=included)
    vat = tariff.quote(MON, at("2026-03-02T11:00")).vat
    assert (str(vat.net.amount), str(vat.tax.amount), str(vat.gross.amount)) == (net, tax, gross)


def test_a_rate_tariff_prices_one_stay_at_a_time():
    with pytest.raises(StayError) as err:
        rate().quote(stays=[(MON, MON), (MON, MON)])
    assert err.value.code == "one_stay_only"


def test_quote_to_dict_is_json_safe():
    data = car_park().quote(MON, at("2026-03-02T11:20")).to_dict()
    assert data["total"] == "3.70" and data["currency"] == "EUR"
    assert data["lines"][1] == {
        "code": "units",
        "kind": "charge",
        "label": "Time",
        # The message id and its arguments, which the layers above translate into the customer's language.
        "message": "Time",
        "args": {},
        "from": "2026-03-02T11:00:00+01:00",
        "to": "2026-03-02T11:20:00+01:00",
        "quantity": "2",
        "unit": "15 min",
        "unit_price": "0.60",
        "price_per": "15 min",
        "amount": "1.20",
    }
