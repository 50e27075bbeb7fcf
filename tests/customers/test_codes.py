"""Codes: normalising what a reader typed, EAN-13 check digits, one code per customer."""

import pytest

from timetill.customers.codes import CodeError, ean13_check_digit, is_valid_ean13, make_ean13, normalize_code
from timetill.customers.models import Code
from timetill.customers.services import CustomerError, add_code, create_customer, search_customers


@pytest.mark.parametrize("ean", ["4006381333931", "9780306406157", "5901234123457"])
def test_real_ean13_codes_are_valid(ean):
    assert is_valid_ean13(ean)
    assert ean13_check_digit(ean[:12]) == int(ean[-1])


def test_a_wrong_check_digit_is_named_with_the_right_one():
    with pytest.raises(CodeError) as error:
        normalize_code("4006381333932")
    assert error.value.code == "invalid_ean"
    assert "should be 1" in error.value.message


def test_codes_are_trimmed_and_upper_cased():
    assert normalize_code("  04a1b2c3\n") == "04A1B2C3"
    assert make_ean13("400638133393") == "4006381333931"


def test_a_customer_gets_codes_of_several_kinds(db):
    customer = create_customer(
        name="Ana", codes=[("4006381333931", None), ("04a1b2c3", "rfid"), ("AB-123-CD", "text")]
    )
    assert sorted(customer.codes.values_list("kind", "value")) == [
        ("ean13", "4006381333931"),
        ("rfid", "04A1B2C3"),
        ("text", "AB-123-CD"),
    ]


def test_a_code_belongs_to_one_customer_only(db):
    create_customer(name="Ana", codes=[("CARD-1", None)])
    bob = create_customer(name="Bob")
    with pytest.raises(CustomerError) as error:
        add_code(customer=bob, value="card-1")
    assert error.value.code == "code_taken"
    assert Code.objects.count() == 1


def test_an_ean_kind_needs_a_valid_ean(db):
    ana = create_customer(name="Ana")
    with pytest.raises(CustomerError) as error:
        add_code(customer=ana, value="12345", kind="ean13")
    assert error.value.code == "invalid_ean"


def test_search_finds_by_name_or_exact_code(db):
    ana = create_customer(name="Ana Lopez", codes=[("CARD-9", None)])
    create_customer(name="Bob")
    assert list(search_customers("lop")) == [ana]
    assert list(search_customers("card-9")) == [ana]
    assert list(search_customers("  ")) == []
