"""Document lines: the one builder from a quote, and a ladder step the engine quotes when it is chosen."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from timetill.billing.money import DocumentLines, VatSpec, line_from_quote, make_document_line
from timetill.pricing import StayError, parse_tariff

D = Decimal
PARIS = ZoneInfo("Europe/Paris")
LADDER = parse_tariff(
    {
        "version": 1,
        "kind": "ladder",
        "currency": "EUR",
        "time_zone": "Europe/Paris",
        "steps": [
            {"duration": "60m", "price": "6.00", "label": "1 hour"},
            {"duration": "120m", "price": "11.00", "label": "2 hours"},
        ],
    }
)
START, END = (
    datetime(2026, 3, 29, 1, 30, tzinfo=PARIS),
    datetime(2026, 3, 29, 3, 15, tzinfo=PARIS),
)  # DST night


def test_a_line_from_a_quote_bills_its_total_over_its_span_and_keeps_it_as_explanation():
    quote = LADDER.quote(START, END)  # 45 minutes of real time across the spring-forward gap
    line = line_from_quote(quote, text="Billiard", vat_spec=VatSpec(D(20)), prices_include_vat=True)
    assert (line.text, line.quantity, line.unit_price, line.net, line.vat, line.gross) == (
        "Billiard",
        D(1),
        D("6.00"),
        D("5.00"),
        D("1.00"),
        D("6.00"),
    )
    assert (line.period_start, line.period_end) == (quote.start, quote.end)
    assert line.explanation == quote.to_dict()
    assert line.explanation["total"] == str(line.unit_price)


def test_a_chosen_step_is_a_new_quote_whose_explanation_agrees_with_the_line():
    chosen = LADDER.quote(START, END, choice="2 hours")
    line = line_from_quote(chosen, text="Billiard", vat_spec=VatSpec(D(20)), prices_include_vat=True)
    assert (line.unit_price, line.vat, line.gross) == (D("11.00"), D("1.83"), D("11.00"))
    assert line.explanation["total"] == "11.00"
    assert [part["label"] for part in line.explanation["lines"]] == ["2 hours (chosen)"]
    assert [c["proposed"] for c in line.explanation["choices"]] == [False, True]


def test_choosing_a_step_the_ladder_does_not_have_is_refused():
    with pytest.raises(StayError) as caught:
        LADDER.quote(START, END, choice="3 hours")
    assert caught.value.code == "unknown_step"


def test_a_line_at_a_price_less_a_discount_in_its_basis():
    line = make_document_line(
        text="Coffee",
        quantity=D("2.5"),
        unit_price=D("0.99"),
        discount=D("0.48"),
        vat_spec=VatSpec(D(20)),
        prices_include_vat=True,
        currency="EUR",
    )
    # 2.5 × 0.99 = 2.475 → 2.48, less 0.48: 2.00 incl. 20 %, of which 0.33 VAT.
    assert (line.amount, line.net, line.vat, line.gross) == (D("2.00"), D("1.67"), D("0.33"), D("2.00"))
    assert line.explanation is None and line.period_start is None


def _printed(line):
    # Decimal equality holds 1.0 and 1.00 equal: compare what is written.
    return tuple(str(v) if isinstance(v, Decimal) else v for v in (getattr(line, f) for f in line.__slots__))


def test_many_lines_of_few_shapes_are_the_lines_make_document_line_makes():
    """DocumentLines works each shape's amounts out once: every line is still make_document_line()'s, and
    equal numbers written differently (1.0, 1.00) are different shapes, written as they were given."""
    made = DocumentLines()
    vat = VatSpec(D("20"))
    shapes = [
        (D("1"), D("38.00"), D("0"), vat, False),
        (D("0.5"), D("38.00"), D("0"), vat, False),
        (D("0.50"), D("38.00"), D("0.01"), vat, False),
        (D("1"), D("38.0"), D("0"), vat, False),
        (D("1.0"), D("38.00"), D("0"), vat, True),
        (D("1"), D("38.00"), D("0"), VatSpec(D("20.0")), True),
        (D("1"), D("38.00"), D("0"), VatSpec(D("0"), "E", "Exempt, art. 261-4-4° CGI"), True),
    ]
    for n, (quantity, price, discount, spec, included) in enumerate(shapes * 2):
        kwargs = {
            "text": f"Extra time {n}",
            "quantity": quantity,
            "unit_price": price,
            "vat_spec": spec,
            "prices_include_vat": included,
            "currency": "EUR",
            "discount": discount,
            "explanation": {"n": n},
        }
        assert _printed(made.make(**kwargs)) == _printed(make_document_line(**kwargs))
    assert len(made._amounts) == len(shapes)
