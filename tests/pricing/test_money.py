"""Money: Decimal amounts in a currency, half-up rounding to the minor unit, no mixing of currencies."""

from decimal import Decimal

import pytest

from timetill.pricing import CurrencyMismatchError, Money, PricingError, currency
from timetill.pricing.money import round_half_up

EUR, JPY, TND, USD = currency("EUR"), currency("JPY"), currency("TND"), currency("USD")


@pytest.mark.parametrize(
    ("raw", "cur", "expected"),
    [
        ("2.345", EUR, "2.35"),
        ("2.344", EUR, "2.34"),
        ("-2.345", EUR, "-2.35"),
        ("2.5", JPY, "3"),
        ("1.0005", TND, "1.001"),
        ("7", EUR, "7.00"),
    ],
)
def test_rounds_half_up_to_the_minor_unit(raw, cur, expected):
    assert str(Money.of(raw, cur).amount) == expected


def test_integer_rounding_is_half_up_both_signs():
    assert [round_half_up(n, 10) for n in (4, 5, 14, 15, -5, -4, -15)] == [0, 1, 1, 2, -1, 0, -2]


def test_adds_and_compares_within_a_currency():
    assert Money.of("1.10", EUR) + Money.of("2.25", EUR) == Money.of("3.35", EUR)
    assert Money.of("1", EUR) < Money.of("2", EUR)
    assert (-Money.of("1", EUR)).amount == Decimal("-1.00")
    assert Money.from_minor(250, EUR).minor == 250


def test_mixing_currencies_is_an_error():
    with pytest.raises(CurrencyMismatchError) as err:
        Money.of("1", EUR) + Money.of("1", USD)
    assert err.value.code == "currency_mismatch"
    with pytest.raises(CurrencyMismatchError):
        _ = Money.of("1", EUR) < Money.of("1", USD)


def test_unknown_currency_and_non_amounts_are_refused():
    with pytest.raises(PricingError, match="unknown currency"):
        currency("XYZ")
    with pytest.raises(PricingError, match="not an amount"):
        Money.of("abc", EUR)
