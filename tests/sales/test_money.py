"""Money exact: a line's amounts, VAT per rate on the sum of its lines, VAT included or excluded."""

from decimal import Decimal

from timetill.billing.money import VatSpec, line_amounts
from timetill.sales.services import vat_breakdown

D = Decimal


def amounts(quantity, price, rate, incl, discount="0", currency="EUR"):
    a = line_amounts(
        quantity=D(quantity),
        unit_price=D(price),
        discount=D(discount),
        vat_spec=VatSpec(D(rate), "S" if D(rate) else "Z"),
        prices_include_vat=incl,
        currency_code=currency,
    )
    return str(a.net), str(a.vat), str(a.gross)


def test_vat_included_price():
    # 12.00 including 20 %: 10.00 net + 2.00 VAT.
    assert amounts("1", "12.00", "20", True) == ("10.00", "2.00", "12.00")


def test_vat_excluded_price():
    assert amounts("3", "10.00", "5.5", False) == ("30.00", "1.65", "31.65")


def test_half_up_on_the_line():
    # 0.13 excl. at 5.5 %: VAT 0.00715 → 0.01; 1.05 incl. 10 %: 0.0954… → 0.10.
    assert amounts("1", "0.13", "5.5", False) == ("0.13", "0.01", "0.14")
    assert amounts("1", "1.05", "10", True) == ("0.95", "0.10", "1.05")
    # Exactly half a cent rounds up: 0.25 excl. at 2 % is 0.005 of VAT → 0.01.
    assert amounts("1", "0.25", "2", False) == ("0.25", "0.01", "0.26")


def test_quantity_times_price_is_rounded_once_per_line():
    assert amounts("0.333", "10.00", "0", False) == ("3.33", "0.00", "3.33")
    # 2.5 × 0.99 = 2.475 → 2.48 (half up), then 20 % VAT inside it: 0.4133… → 0.41.
    assert amounts("2.5", "0.99", "20", True) == ("2.07", "0.41", "2.48")


def test_a_currency_without_decimals():
    assert amounts("1", "1000", "10", True, currency="JPY") == ("909", "91", "1000")


def test_a_refund_line_is_exactly_the_negative():
    assert amounts("-1", "1.05", "10", True) == ("-0.95", "-0.10", "-1.05")
    assert amounts("-3", "0.13", "5.5", False, discount="-0.05") == ("-0.34", "-0.02", "-0.36")


def test_vat_is_worked_out_once_per_rate_on_the_sum_of_the_lines(make_sale, make_product):
    # The documented rule (docs/billing.md, EN 16931 BR-CO-17). Three lines of 0.13 excl. at 5.5 %: each
    # line alone would carry 0.00715 → 0.01 of VAT (0.03 in all, what the till charged before); on the sum,
    # 0.39 × 5.5 % = 0.02145 → 0.02, so the sale is 0.41.
    snack = make_product(price=D("0.13"), vat_rate=D("5.5"), prices_include_vat=False)
    sale = make_sale((snack, 1), (snack, 1), (snack, 1))
    result = vat_breakdown(sale)
    assert (result.net, result.vat, result.gross) == (D("0.39"), D("0.02"), D("0.41"))
    assert (sale.net, sale.vat, sale.gross) == (D("0.39"), D("0.02"), D("0.41"))
    assert [line.vat for line in sale.lines.all()] == [D("0.01")] * 3  # each line's own, for the reader


def test_mixed_rates_and_bases_are_broken_down_per_rate(make_sale, make_product):
    coffee = make_product(internal_name="Coffee", price=D("1.80"), vat_rate=D("10"))  # incl.
    book = make_product(internal_name="Book", price=D("9.48"), vat_rate=D("5.5"), prices_include_vat=False)
    hour = make_product(
        internal_name="Desk hour",
        price=D("5.00"),
        vat_rate=D("20"),
        prices_include_vat=False,
        sold_by_unit=False,  # measured: 2.5 hours
    )
    cake = make_product(internal_name="Cake", price=D("3.50"), vat_rate=D("10"), prices_include_vat=False)
    sale = make_sale((coffee, 3), (book, 1), (hour, "2.5"), (cake, 1))
    rows = [(r.rate, r.net, r.vat, r.gross) for r in vat_breakdown(sale).by_rate]
    assert rows == [
        # 12.50 net → 2.50 VAT
        (D("20.00"), D("12.50"), D("2.50"), D("15.00")),
        # coffee 5.40 incl. → 0.49 VAT, 4.91 net; cake 3.50 excl. → 0.35 VAT
        (D("10.00"), D("8.41"), D("0.84"), D("9.25")),
        # 9.48 × 5.5 % = 0.5214 → 0.52
        (D("5.50"), D("9.48"), D("0.52"), D("10.00")),
    ]
    assert (sale.net, sale.vat, sale.gross) == (D("30.39"), D("3.86"), D("34.25"))
