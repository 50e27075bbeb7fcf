"""Catalogue pages: rights, the list, each kind created and edited, bad input refused unchanged, delete."""

import json
import re
from decimal import Decimal

import pytest

from tests.catalog.conftest import CAR_PARK, EXTRA_HOURS
from tests.conftest import paris
from tests.web.conftest import HX
from timetill.catalog.models import Product, ProductVariant
from timetill.sales.services import LineSpec, add_line, open_sale
from timetill.timelines.actors import Actor

pytestmark = pytest.mark.django_db

LIST = "/catalog/"


def _sell(product: Product, site, quantity: str = "1"):
    """A sale of this product at this site: what makes a product "sold"."""
    sale = open_sale(site=site, customer=None, actor=Actor.operator(), at=paris(2026, 3, 2, 12, 0))
    add_line(sale_id=sale.pk, spec=LineSpec(product.pk, Decimal(quantity)), actor=Actor.operator())
    return sale


def _product_data(**fields) -> dict:
    data = {
        "internal_name": "Coffee",
        "short_name": "Coffee",
        "description": "",
        "vat_rate": "10",
        "price_basis": "incl",
    }
    data.update(fields)
    return data


def _steps(*rows, total: int | None = None) -> dict:
    """Formset data for ladder steps given as (label, minutes, price, barcode)."""
    data = {
        "steps-TOTAL_FORMS": str(total or len(rows)),
        "steps-INITIAL_FORMS": "0",
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "50",
    }
    for i, (label, minutes, price, barcode) in enumerate(rows):
        data |= {
            f"steps-{i}-label": label,
            f"steps-{i}-duration_minutes": str(minutes),
            f"steps-{i}-price": price,
            f"steps-{i}-barcode": barcode,
        }
    return data


def _snapshot() -> list:
    """Everything the catalogue holds, to assert that a refused form changed nothing."""
    products = list(
        Product.objects.order_by("pk").values_list(
            "pk", "internal_name", "short_name", "price", "vat_rate__rate", "tariff", "archived"
        )
    )
    steps = list(ProductVariant.objects.order_by("pk").values_list("product", "label", "price", "barcode"))
    return [products, steps]


def _field_error(response, field: str) -> str:
    """The text of the messages shown at a form field (data-field marks them in the page)."""
    form = response.context["form"]
    return " ".join(form.errors.get(field, []))


# -- rights ------------------------------------------------------------------------------------------------


def test_a_manager_opens_the_list(login, manager, make_product):
    make_product("simple", internal_name="Espresso", short_name="Espresso")
    response = login(manager).get(LIST)
    assert response.status_code == 200
    assert "Espresso" in response.text
    assert f'href="{LIST}"' in response.text  # the top navigation's "Catalogue" link


@pytest.mark.parametrize("url", [LIST, "/catalog/new/time/", "/catalog/sites/", "/catalog/preview/"], ids=str)
def test_a_cashier_gets_the_403_page(login, cashier, url):
    client = login(cashier)
    response = client.post(url, {}) if "preview" in url else client.get(url)
    assert response.status_code == 403
    assert "manage_catalog" in response.text


def test_a_cashier_gets_a_message_in_the_preview_not_a_whole_page(login, cashier):
    response = login(cashier).post("/catalog/preview/", {"kind": "time"}, **HX)
    assert response.status_code == 403
    assert "manage_catalog" in response.text
    assert "<html" not in response.text


def test_a_cashier_sees_no_catalogue_link(login, cashier):
    response = login(cashier).get("/preferences/")
    assert response.status_code == 200
    assert f'href="{LIST}"' not in response.text


def test_anonymous_is_sent_to_log_in(client):
    response = client.get("/catalog/new/simple/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/catalog/new/simple/"


def test_an_expired_session_in_the_preview_sends_the_page_to_log_in(client):
    response = client.post("/catalog/preview/", {}, **HX, HTTP_HX_CURRENT_URL="http://testserver/catalog/3/")
    assert response.status_code == 200
    assert response["HX-Redirect"] == "/login/?next=/catalog/3/"


def test_a_cashier_cannot_delete(login, cashier, make_product):
    product = make_product("simple")
    response = login(cashier).post(f"/catalog/{product.pk}/delete/")
    assert response.status_code == 403
    assert Product.objects.filter(pk=product.pk).exists()


# -- the list ----------------------------------------------------------------------------------------------


def test_the_list_shows_each_kind_with_its_price_and_filters_by_kind(login, manager, make_product):
    make_product("simple", internal_name="Espresso", short_name="Coffee", price=Decimal("1.5"))
    make_product("ladder", internal_name="Billiard table", short_name="Billiard")
    make_product("time", internal_name="Car park", short_name="Parking")
    make_product("daily_time", internal_name="Extra Hours 8-16", short_name="Extra Hours")
    client = login(manager)

    page = client.get(LIST).text
    assert "1.50" in page
    assert "1 hour 6.00 · 2 hours 11.00" in page
    assert "Tariff: first 1h €2.50, €0.60 / 15m, cap €15.00 / 24 h" in page
    assert "Tariff: Mon–Thu 08:00–16:00, early €3.00 / 15m, late €5.00 / 15m" in page
    assert "20 %" in page and "incl. VAT" in page

    only_time = client.get(LIST, {"kind": "time"}).text
    assert "Car park" in only_time
    assert "Espresso" not in only_time and "Billiard table" not in only_time


def test_the_list_writes_vat_rates_as_people_do(login, manager, make_product):
    make_product("simple", internal_name="Book", vat_rate=Decimal("5.5"))
    page = login(manager).get(LIST).text
    assert "5.5 %" in page and "5.50 %" not in page


def test_archived_products_are_shown_on_request(login, manager, make_product, site):
    product = make_product("simple", internal_name="Old lemonade")
    _sell(product, site)
    client = login(manager)
    client.post(f"/catalog/{product.pk}/delete/")

    assert [row["product"] for row in client.get(LIST).context["rows"]] == []
    shown = client.get(LIST, {"archived": "1"})
    assert [row["product"] for row in shown.context["rows"]] == [product]
    assert '<span class="chip chip-muted">archived</span>' in shown.text


# -- creating each kind ------------------------------------------------------------------------------------


def test_create_a_simple_product(login, manager):
    response = login(manager).post(
        "/catalog/new/simple/",
        _product_data(internal_name="Espresso bar", short_name="Espresso", price="1.80"),
    )
    product = Product.objects.get(internal_name="Espresso bar")
    assert response.status_code == 302
    assert response["Location"] == f"/catalog/{product.pk}/"
    assert (product.kind, product.short_name, product.price) == ("simple", "Espresso", Decimal("1.80"))
    assert (product.vat_rate.rate, product.prices_include_vat) == (Decimal("10"), True)


def _ticked(html: str) -> bool:
    return re.search(r'<input type="checkbox" name="sold_by_unit"[^>]* checked>', html) is not None


def test_sold_by_the_unit_is_ticked_for_goods_and_saved_as_ticked(login, manager):
    client = login(manager)
    assert _ticked(client.get("/catalog/new/simple/").text)
    assert not _ticked(client.get("/catalog/new/time/").text)
    client.post(
        "/catalog/new/simple/", _product_data(internal_name="Croissant", price="1.35", sold_by_unit="on")
    )
    client.post("/catalog/new/simple/", _product_data(internal_name="Desk hour", price="4"))  # unticked
    units = dict(Product.objects.values_list("internal_name", "sold_by_unit"))
    assert units == {"Croissant": True, "Desk hour": False}
    page = client.get(f"/catalog/{Product.objects.get(internal_name='Desk hour').pk}/").text
    assert not _ticked(page)
    assert "Sold by the unit: whole quantities only (1, 2, 3…)" in page


def test_a_price_may_be_typed_with_a_decimal_comma(login, manager):
    login(manager).post("/catalog/new/simple/", _product_data(internal_name="Croissant", price=" 1,35 "))
    assert Product.objects.get(internal_name="Croissant").price == Decimal("1.35")


def test_create_a_ladder_product_with_its_steps(login, manager):
    data = _product_data(internal_name="Billiard table", short_name="Billiard", price_basis="excl")
    data |= _steps(("2 hours", 120, "11.00", ""), ("1 hour", 60, "6.00", "2000000000015"), ("", "", "", ""))
    response = login(manager).post("/catalog/new/ladder/", data)
    assert response.status_code == 302
    product = Product.objects.get(internal_name="Billiard table")
    assert product.prices_include_vat is False
    steps = list(product.variants.values_list("label", "duration_minutes", "price", "barcode"))
    assert steps == [
        ("1 hour", 60, Decimal("6.00"), "2000000000015"),
        ("2 hours", 120, Decimal("11.00"), None),
    ]


def test_the_add_a_step_button_makes_room_and_saves_nothing(login, manager):
    data = _product_data(internal_name="Billiard") | _steps(("1 hour", 60, "6.00", ""))
    response = login(manager).post("/catalog/new/ladder/", data | {"add_step": "1"})
    assert response.status_code == 200
    assert len(response.context["steps"].forms) == 2
    assert 'value="1 hour"' in response.text
    assert not Product.objects.exists()


def test_create_a_time_product_with_its_tariff(login, manager):
    data = _product_data(
        internal_name="Car park", short_name="Parking", vat_rate="20", tariff=json.dumps(CAR_PARK)
    )
    response = login(manager).post("/catalog/new/time/", data)
    assert response.status_code == 302
    product = Product.objects.get(internal_name="Car park")
    assert product.tariff["per_unit"] == "0.60"
    assert product.tariff["vat_rate"] == "20"  # the product's rate is written into the document


def test_create_a_daily_time_product(login, manager):
    data = _product_data(
        internal_name="Extra Hours 8-16", short_name="Extra Hours", tariff=json.dumps(EXTRA_HOURS)
    )
    response = login(manager).post("/catalog/new/daily_time/", data)
    assert response.status_code == 302
    product = Product.objects.get(internal_name="Extra Hours 8-16")
    assert (product.kind, product.tariff["kind"], product.tariff["unplanned_day"]) == (
        "daily_time",
        "daily",
        "20.00",
    )


def test_a_new_time_product_starts_from_a_valid_document(login, manager, make_site):
    make_site(currency="EUR", time_zone="Europe/Paris")
    response = login(manager).get("/catalog/new/time/")
    document = json.loads(response.context["form"].initial["tariff"])
    assert document["kind"] == "rate" and document["time_zone"] == "Europe/Paris"
    assert 'name="preview-duration"' in response.text


def test_an_unknown_kind_is_not_found(login, manager):
    assert login(manager).get("/catalog/new/gift/").status_code == 404


# -- editing -----------------------------------------------------------------------------------------------


def test_edit_a_product_shows_its_values_then_saves_the_change(login, manager, make_product):
    product = make_product("simple", internal_name="Tea", short_name="Tea", price=Decimal("2.5"))
    client = login(manager)
    page = client.get(f"/catalog/{product.pk}/")
    assert page.status_code == 200
    assert 'value="2.50"' in page.text

    response = client.post(f"/catalog/{product.pk}/", _product_data(internal_name="Green tea", price="2.70"))
    assert response.status_code == 302
    product.refresh_from_db()
    assert (product.internal_name, product.price, product.vat_rate.rate) == ("Green tea", Decimal("2.70"), 10)


def test_edit_a_ladder_keeps_removes_and_adds_steps(login, manager, ladder_product):
    data = _product_data(internal_name="Billiard table", short_name="Billiard", vat_rate="20")
    data |= _steps(
        ("1 hour", 60, "6.50", "2000000000015"), ("2 hours", 120, "11.00", ""), ("3 hours", 180, "15", "")
    )
    data["steps-1-DELETE"] = "on"
    response = login(manager).post(f"/catalog/{ladder_product.pk}/", data)
    assert response.status_code == 302
    steps = list(ladder_product.variants.values_list("duration_minutes", "price"))
    assert steps == [(60, Decimal("6.50")), (180, Decimal("15"))]


def test_edit_a_time_product_shows_its_document_in_the_editor(login, manager, time_product):
    page = login(manager).get(f"/catalog/{time_product.pk}/")
    assert json.loads(page.context["form"]["tariff"].value()) == time_product.tariff
    assert "Export JSON" in page.text and "Import JSON" in page.text


def test_an_archived_product_cannot_be_saved(login, manager, make_product, site):
    product = make_product("simple", internal_name="Lemonade")
    _sell(product, site)
    client = login(manager)
    client.post(f"/catalog/{product.pk}/delete/")
    before = _snapshot()

    response = client.post(f"/catalog/{product.pk}/", _product_data(internal_name="Lemonade 2", price="3"))
    assert response.status_code == 400
    assert "kept only for past sales" in response.text
    assert _snapshot() == before


# -- bad input: a message at the field, nothing changed ----------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "fields", "field", "message"),
    [
        ("simple", {"internal_name": "  ", "price": "1"}, "internal_name", "is required"),
        ("simple", {"short_name": "", "price": "1"}, "short_name", "is required"),
        ("simple", {"price": "-1"}, "price", "must be zero or more"),
        ("simple", {"price": "1.2345"}, "price", "at most 2 decimals"),
        ("simple", {"price": ""}, "price", "is required"),
        ("simple", {"price": "abc"}, "price", "Enter a number"),
        ("simple", {"price": "1", "vat_rate": "7"}, "vat_rate", "There is no VAT rate of 7 %"),
        ("time", {"tariff": ""}, "tariff", "does not validate"),
    ],
    ids=[
        "empty name",
        "empty short name",
        "negative",
        "decimals",
        "no price",
        "not a number",
        "vat",
        "no tariff",
    ],
)
def test_bad_input_is_a_field_message_and_creates_nothing(login, manager, kind, fields, field, message):
    response = login(manager).post(f"/catalog/new/{kind}/", _product_data(**fields))
    assert response.status_code == 400
    assert message in _field_error(response, field)
    assert "Nothing was saved" in response.text
    assert not Product.objects.exists()


def test_bad_input_when_editing_changes_nothing(login, manager, make_product):
    product = make_product("simple", internal_name="Tea", price=Decimal("2.50"))
    before = _snapshot()
    response = login(manager).post(f"/catalog/{product.pk}/", _product_data(internal_name="Tea", price="-2"))
    assert response.status_code == 400
    assert "price: " not in _field_error(response, "price")  # the field is named by its place, not repeated
    assert "-2 must be zero or more" in _field_error(response, "price")
    assert _snapshot() == before


def test_a_tariff_that_does_not_validate_names_each_field(login, manager, time_product):
    broken = {**CAR_PARK, "unit": "0m", "bands": [{"from": "25:00", "to": "06:00", "per_unit": "1.00"}]}
    before = _snapshot()
    data = _product_data(internal_name="Car park", vat_rate="20", tariff=json.dumps(broken))
    response = login(manager).post(f"/catalog/{time_product.pk}/", data)
    assert response.status_code == 400
    problems = {e["field"]: e["message"] for e in response.context["tariff_errors"]}
    assert problems["unit"] == '"0m" must be longer than zero'
    assert problems["bands[0].from"] == '"25:00" is not a time of day'
    assert "<code>bands[0].from</code>" in response.text
    assert _snapshot() == before


def test_a_document_of_the_wrong_kind_is_refused(login, manager):
    data = _product_data(internal_name="Car park", tariff=json.dumps(EXTRA_HOURS))
    response = login(manager).post("/catalog/new/time/", data)
    assert response.status_code == 400
    assert response.context["tariff_errors"] == [
        {"field": "kind", "message": 'a time product needs a "rate" tariff'}
    ]
    assert not Product.objects.exists()


def test_bad_json_says_where(login, manager):
    response = login(manager).post("/catalog/new/time/", _product_data(tariff='{"version": 1,'))
    assert response.status_code == 400
    [problem] = response.context["tariff_errors"]
    assert problem["field"] == "(document)" and "line 1" in problem["message"]
    assert not Product.objects.exists()


def test_two_steps_of_the_same_length_are_refused(login, manager):
    data = _product_data(internal_name="Billiard") | _steps(("1 h", 60, "6", ""), ("One hour", 60, "7", ""))
    response = login(manager).post("/catalog/new/ladder/", data)
    assert response.status_code == 400
    assert response.context["step_errors"] == ["two steps last 60 minutes."]
    assert not Product.objects.exists()


def test_a_step_error_is_shown_at_its_row(login, manager):
    data = _product_data(internal_name="Billiard") | _steps(("1 h", 60, "6", ""), ("2 h", 120, "-3", ""))
    response = login(manager).post("/catalog/new/ladder/", data)
    assert response.status_code == 400
    steps = response.context["steps"]
    assert steps.forms[1].errors == {"price": ["-3 must be zero or more."]}
    assert not steps.forms[0].errors
    assert not Product.objects.exists()


def test_a_ladder_needs_a_step(login, manager):
    data = _product_data(internal_name="Billiard") | _steps(("", "", "", ""))
    response = login(manager).post("/catalog/new/ladder/", data)
    assert response.status_code == 400
    assert response.context["step_errors"] == ["a price ladder needs at least one step."]


@pytest.mark.parametrize("other_product", [False, True], ids=["same ladder", "another product's"])
def test_a_barcode_used_twice_is_refused(login, manager, ladder_product, other_product):
    before = _snapshot()
    barcode = "2000000000015" if other_product else "2000000000022"
    data = _product_data(internal_name="Darts") | _steps(
        ("1 h", 60, "6", barcode), ("2 h", 120, "10", "2000000000022" if not other_product else "")
    )
    response = login(manager).post("/catalog/new/ladder/", data)
    assert response.status_code == 400
    assert response.context["step_errors"] == ["A step's barcode is already used by another product."]
    assert _snapshot() == before


# -- duplicate and delete ----------------------------------------------------------------------------------


def test_duplicate_copies_the_product_and_opens_the_copy(login, manager, ladder_product):
    response = login(manager).post(f"/catalog/{ladder_product.pk}/duplicate/")
    copy = Product.objects.exclude(pk=ladder_product.pk).get()
    assert response.status_code == 302
    assert response["Location"] == f"/catalog/{copy.pk}/"
    assert copy.internal_name == "Billiard table (copy)"
    assert list(copy.variants.values_list("duration_minutes", "price", "barcode")) == [
        (60, Decimal("6.00"), None),
        (120, Decimal("11.00"), None),
    ]


def test_duplicate_only_by_post(login, manager, make_product):
    product = make_product("simple")
    assert login(manager).get(f"/catalog/{product.pk}/duplicate/").status_code == 405
    assert Product.objects.count() == 1


def test_delete_asks_first_then_deletes_an_unsold_product(login, manager, make_product):
    product = make_product("simple", internal_name="Cookie")
    client = login(manager)
    question = client.get(f"/catalog/{product.pk}/delete/")
    assert "never sold" in question.text
    assert Product.objects.filter(pk=product.pk).exists()

    response = client.post(f"/catalog/{product.pk}/delete/", follow=True)
    assert not Product.objects.filter(pk=product.pk).exists()
    assert "“Cookie” deleted." in response.text


def test_delete_a_sold_product_archives_it_and_keeps_the_sale_lines(login, manager, make_product, site):
    product = make_product("simple", internal_name="Lemonade", price=Decimal("3.00"))
    sale = _sell(product, site, "2")
    line = sale.lines.get()
    client = login(manager)
    assert "will be <strong>archived</strong>" in client.get(f"/catalog/{product.pk}/delete/").text

    response = client.post(f"/catalog/{product.pk}/delete/", follow=True)
    product.refresh_from_db()
    assert product.archived is True
    assert "was sold, so it is archived instead of deleted" in response.text
    line.refresh_from_db()
    assert (line.product_id, line.quantity, line.unit_price) == (product.pk, Decimal("2"), Decimal("3.00"))


def test_delete_an_unknown_product_is_not_found(login, manager):
    assert login(manager).post("/catalog/999999/delete/").status_code == 404
