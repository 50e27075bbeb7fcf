"""Ladder steps checked where they are typed, every wrong row at once: prices to the cent, barcodes that are
real codes, not a customer's card, not a time line's code, never cut."""

import pytest

from tests.catalog.test_pages import _product_data, _snapshot, _steps
from timetill.catalog.models import Product
from timetill.catalog.services import ProductSpec, VariantSpec, create_product
from timetill.errors import TimetillError
from timetill.timelines.actors import Actor

pytestmark = pytest.mark.django_db


def _post(login, manager, *rows):
    return login(manager).post(
        "/catalog/new/ladder/", _product_data(internal_name="Billiard") | _steps(*rows)
    )


def test_a_price_with_three_decimals_is_refused_at_its_row(login, manager):
    before = _snapshot()
    response = _post(login, manager, ("1 h", 60, "7.505", ""))
    assert response.status_code == 400
    assert response.context["steps"].forms[0].errors["price"] == [
        "A price has at most 2 decimals (7.50, not 7.505)."
    ]
    assert _snapshot() == before


def test_the_service_refuses_three_decimals_too(db):
    spec = ProductSpec(
        kind="ladder", internal_name="Billiard", short_name="Billiard", vat_rate="20",
        variants=(VariantSpec("1 h", 60, "7.505"),),
    )  # fmt: skip
    with pytest.raises(TimetillError, match="at most 2 decimals"):
        create_product(spec=spec, actor=Actor.operator())
    assert not Product.objects.exists()


@pytest.mark.parametrize(
    ("barcode", "message"),
    [
        ("4006381333932", "check digit should be 1"),
        ("TL0A1B2C3D4E", "time line's own code"),
        ("X" * 200, "at most 64 characters"),
        ("2000000000015", "card code of Alice Martin"),
    ],
)
def test_a_wrong_barcode_is_refused_at_its_row(login, manager, make_customer, barcode, message):
    make_customer("Alice Martin", codes=[("2000000000015", "ean13")])
    before = _snapshot()
    response = _post(login, manager, ("1 h", 60, "6", barcode))
    assert response.status_code == 400
    assert message in " ".join(response.context["steps"].forms[0].errors["barcode"])
    assert _snapshot() == before


def test_the_barcode_field_does_not_cut_what_is_typed(login, manager):
    page = login(manager).get("/catalog/new/ladder/").content.decode()
    assert 'maxlength="64"' not in page.split('name="steps-0-barcode"')[1].split(">")[0]


def test_every_wrong_row_is_shown_at_once(login, manager):
    response = _post(
        login, manager, ("1 h", 60, "7.505", ""), ("2 h", 0, "11", ""), ("3 h", 180, "-3", "4006381333932")
    )
    assert response.status_code == 400
    forms = response.context["steps"].forms
    assert set(forms[0].errors) == {"price"}
    assert set(forms[1].errors) == {"duration_minutes"}
    assert set(forms[2].errors) == {"price", "barcode"}
    assert not Product.objects.exists()
