"""VAT: the categories, what a rate must say, and the one rule (per rate, on the sum of the lines)."""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from timetill.billing.money import (
    BillingError,
    DocumentTotals,
    VatCategory,
    VatSpec,
    totals_of,
    vat_breakdown,
)

D = Decimal
STANDARD_20 = VatSpec(D("20"))
REDUCED_55 = VatSpec(D("5.5"))
DAYCARE_FR = VatSpec(D(0), VatCategory.EXEMPT, "Exonération de TVA, art. 261-4-4° du CGI", "VATEX-EU-132-1I")


@dataclass(frozen=True)
class Item:
    vat_spec: VatSpec
    amount: Decimal
    prices_include_vat: bool


def rows(items, currency="EUR"):
    return [
        (s.vat_spec.category.value, s.rate, s.net, s.vat, s.gross) for s in vat_breakdown(items, currency)
    ]


def test_vat_excluded_lines_get_their_vat_on_the_sum_of_their_nets():
    # Three 0.13 lines at 5.5 %: 0.39 × 5.5 % = 0.02145 → 0.02 (each line alone: 0.00715 → 0.01, 0.03 in all).
    items = [Item(REDUCED_55, D("0.13"), False)] * 3
    assert rows(items) == [("S", D("5.5"), D("0.39"), D("0.02"), D("0.41"))]


def test_vat_included_lines_keep_their_gross_and_extract_the_vat_once():
    # docs/billing.md's example: 3 coffees at 1.05 incl. 10 %: gross 3.15, VAT 3.15 × 10 / 110 → 0.29.
    # Extracted line by line it would be 3 × 0.10 = 0.30: the customer pays 3.15 either way.
    items = [Item(VatSpec(D("10")), D("1.05"), True)] * 3
    assert rows(items) == [("S", D("10"), D("2.86"), D("0.29"), D("3.15"))]


def test_one_rate_with_both_bases_adds_each_basis_worked_out_on_its_own():
    items = [Item(STANDARD_20, D("12.00"), True), Item(STANDARD_20, D("0.13"), False)] * 2
    # incl. 24.00 → VAT 4.00, net 20.00; excl. 0.26 → VAT 0.052 → 0.05.
    assert rows(items) == [("S", D("20"), D("20.26"), D("4.05"), D("24.31"))]


def test_rates_and_categories_are_broken_down_highest_first_and_add_up():
    items = [
        Item(DAYCARE_FR, D("180.00"), False),
        Item(STANDARD_20, D("5.00"), False),
        Item(REDUCED_55, D("9.48"), False),
    ]
    assert rows(items) == [
        ("S", D("20"), D("5.00"), D("1.00"), D("6.00")),
        ("S", D("5.5"), D("9.48"), D("0.52"), D("10.00")),
        ("E", D("0"), D("180.00"), D("0.00"), D("180.00")),
    ]
    totals = totals_of(items, "EUR")
    assert (totals.net, totals.vat, totals.gross) == (D("194.48"), D("1.52"), D("196.00"))


def test_a_refund_is_exactly_the_negative_of_its_sale():
    sale = [Item(REDUCED_55, D("0.13"), False)] * 3
    refund = [Item(REDUCED_55, D("-0.13"), False)] * 3
    assert [tuple(-v for v in row[2:]) for row in rows(refund)] == [row[2:] for row in rows(sale)]


def test_a_currency_without_decimals_rounds_to_units():
    assert rows([Item(VatSpec(D("10")), D("1000"), True)], "JPY") == [
        ("S", D("10"), D("909"), D("91"), D("1000"))
    ]


@pytest.mark.parametrize(
    ("rate", "category", "reason", "code"),
    [
        (D(0), VatCategory.EXEMPT, "", "exemption_reason_required"),
        (D(0), VatCategory.REVERSE_CHARGE, "  ", "exemption_reason_required"),
        (D(0), VatCategory.OUT_OF_SCOPE, "", "exemption_reason_required"),
        (D(0), VatCategory.STANDARD, "", "invalid_vat_rate"),
        (D(20), VatCategory.EXEMPT, "art. 10 DPR 633/72", "invalid_vat_rate"),
        (D(-1), VatCategory.STANDARD, "", "invalid_vat_rate"),
        (D(100), VatCategory.STANDARD, "", "invalid_vat_rate"),
    ],
)
def test_a_rate_that_does_not_say_what_it_must_is_refused(rate, category, reason, code):
    with pytest.raises(BillingError) as caught:
        VatSpec(rate, category, reason)
    assert caught.value.code == code


def test_zero_rated_needs_no_reason_and_exempt_keeps_its_reason_and_code():
    assert VatSpec(D(0), "Z").category is VatCategory.ZERO
    italy = VatSpec(D(0), "E", "Esente art. 10 DPR 633/72", "N4")
    assert (italy.category.needs_reason, italy.exemption_reason, italy.exemption_code) == (
        True,
        "Esente art. 10 DPR 633/72",
        "N4",
    )


def _written(totals):
    return (
        str(totals.net),
        str(totals.vat),
        str(totals.gross),
        [(s.vat_spec, str(s.vat_spec.rate), str(s.net), str(s.vat), str(s.gross)) for s in totals.by_rate],
    )


def test_many_documents_of_few_shapes_have_the_totals_totals_of_gives():
    """DocumentTotals works each shape's totals out once: the same as totals_of(), and amounts or rates
    written differently (38.0, 38.00; 20, 20.0) are different shapes."""
    made = DocumentTotals()
    documents = [
        [Item(STANDARD_20, D("440.00"), False), Item(STANDARD_20, D("38.00"), False)],
        [Item(STANDARD_20, D("440.00"), False), Item(STANDARD_20, D("38.0"), False)],
        [Item(VatSpec(D("20.0")), D("440.00"), False), Item(STANDARD_20, D("38.00"), False)],
        [Item(STANDARD_20, D("440.00"), True), Item(REDUCED_55, D("12.34"), False)],
        [Item(DAYCARE_FR, D("440.00"), True), Item(STANDARD_20, D("12.34"), True)],
        [],
    ]
    for lines in documents * 2:
        for currency in ("EUR", "JPY"):
            assert _written(made.of(lines, currency)) == _written(totals_of(lines, currency))
    assert len(made._totals) == 2 * len(documents)
