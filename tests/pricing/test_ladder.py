"""Price ladder: the proposed step, exact step boundaries, repetition past the longest step, grace."""

import pytest

from timetill.pricing import parse_tariff

from .helpers import at, total
from .test_examples import LADDER

MON = at("2026-03-02T10:00")


@pytest.mark.parametrize(
    ("minutes", "amount"),
    [(0, "0.00"), (1, "6.00"), (60, "6.00"), (120, "11.00"), (240, "22.00"), (241, "28.00"), (300, "28.00")],
)
def test_steps_and_repetition(minutes, amount):
    assert str(total(parse_tariff(LADDER), MON, minutes)) == amount


def test_proposes_a_step_the_cashier_can_change():
    quote = parse_tariff(LADDER).quote(MON, at("2026-03-02T10:45"))
    assert [(c.label, str(c.price.amount), c.proposed) for c in quote.choices] == [
        ("1 h", "6.00", True),
        ("2 h", "11.00", False),
    ]
    assert quote.to_dict()["choices"][0] == {"label": "1 h", "price": "6.00", "proposed": True}


def test_repetition_is_explained():
    quote = parse_tariff(LADDER).quote(MON, at("2026-03-02T13:30"))
    assert [(line.label, int(line.quantity), str(line.amount.amount)) for line in quote.lines] == [
        ("2 h (ladder repeated)", 1, "11.00"),
        ("2 h", 1, "11.00"),
    ]


def test_grace_threshold_and_deducted():
    threshold = parse_tariff(LADDER | {"grace": {"duration": "5m"}})
    assert str(total(threshold, MON, 5)) == "0.00" and str(total(threshold, MON, 6)) == "6.00"
    deducted = parse_tariff(LADDER | {"grace": {"duration": "5m", "mode": "deducted"}})
    assert str(total(deducted, MON, 65)) == "6.00" and str(total(deducted, MON, 66)) == "11.00"
