"""The catalogue and till over HTTP: JSON in and out, typed errors with codes, rights, the receipt PDF."""

import json

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from tests.catalog.conftest import CAR_PARK
from tests.conftest import paris
from timetill.timelines.services.scan import check_in


class Api:
    def __init__(self, user):
        self.client = Client()
        self.client.force_login(user)

    def call(self, method, path, data=None):
        kwargs = {"content_type": "application/json"} if data is not None else {}
        body = json.dumps(data) if data is not None else None
        response = (
            getattr(self.client, method)("/api" + path, body, **kwargs)
            if body
            else getattr(self.client, method)("/api" + path)
        )
        self.last = response
        ctype = response["Content-Type"]
        return response.status_code, response.json() if ctype.startswith("application/json") else response


@pytest.fixture
def boss(manager):
    return Api(manager)


@pytest.fixture
def till(cashier):
    return Api(cashier)


def product_body(**fields):
    body = {
        "internal_name": "Car park (visitors)",
        "short_name": "Parking",
        "kind": "time",
        "vat_rate": "20",
        "tariff": CAR_PARK,
    }
    return {**body, **fields}


def test_create_list_duplicate_delete_a_product(boss):
    status, product = boss.call("post", "/products", product_body())
    assert status == 201, product
    assert (product["kind"], product["vat_rate"], product["tariff"]["first_block"]["price"]) == (
        "time",
        "20.00",
        "2.50",
    )
    status, copy = boss.call("post", f"/products/{product['id']}/duplicate")
    assert (status, copy["internal_name"]) == (201, "Car park (visitors) (copy)")
    assert [p["id"] for p in boss.call("get", "/products")[1]] == [product["id"], copy["id"]]
    assert boss.call("delete", f"/products/{copy['id']}") == (200, {"id": copy["id"], "archived": False})


def test_a_simple_product_price_comes_back_as_entered(boss):
    status, product = boss.call(
        "post",
        "/products",
        {
            "internal_name": "Coffee",
            "short_name": "Coffee",
            "kind": "simple",
            "vat_rate": "10",
            "price": "1.80",
        },
    )
    assert (status, product["price"]) == (201, "1.80")


def test_a_tariff_that_does_not_validate_is_a_422_naming_fields(boss):
    status, body = boss.call("post", "/products", product_body(tariff={**CAR_PARK, "unit": "0m"}))
    assert status == 422
    assert body["code"] == "invalid_tariff"
    assert {"field": "unit", "message": '"0m" must be longer than zero'} in body["errors"]
    assert boss.call("get", "/products")[1] == []


def test_an_unknown_vat_rate_is_refused(boss):
    status, body = boss.call("post", "/products", product_body(vat_rate="19.6"))
    assert (status, body["code"]) == (400, "unknown_vat_rate")


def test_a_cashier_cannot_change_the_catalogue_but_can_read_it(till):
    status, body = till.call("post", "/products", product_body())
    assert (status, body["code"]) == (403, "forbidden")
    assert till.call("get", "/vat-rates")[0] == 200


def test_tariff_export_and_import(boss):
    _, product = boss.call("post", "/products", product_body())
    status, document = boss.call("get", f"/products/{product['id']}/tariff")
    assert status == 200
    assert boss.last["Content-Disposition"] == f'attachment; filename="tariff-{product["id"]}.json"'
    status, body = boss.call("put", f"/products/{product['id']}/tariff", {**document, "per_unit": "0.70"})
    assert (status, body["tariff"]["per_unit"]) == (200, "0.70")
    status, body = boss.call("put", f"/products/{product['id']}/tariff", {**document, "per_unit": "0.705"})
    assert status == 422
    assert body["errors"] == [
        {"field": "per_unit", "message": '"0.705" has more decimals than EUR allows (2)'}
    ]


def test_quote_a_product_for_a_duration(boss, site):
    _, product = boss.call("post", "/products", product_body())
    status, quote = boss.call(
        "post",
        f"/products/{product['id']}/quote",
        {"site": site.slug, "start": "2026-03-02T10:00:00+01:00", "minutes": 80},
    )
    assert (status, quote["total"], quote["currency"]) == (200, "3.70", "EUR")


def test_a_product_quote_without_its_period_says_so(boss, site):
    """Each of start, end and minutes is optional by itself; without enough of them to make a period the
    answer is a 400 of its own, not a schema error (the description cannot say the rule)."""
    _, product = boss.call("post", "/products", product_body())
    for period in ({}, {"start": "2026-03-02T10:00:00+01:00"}, {"end": "2026-03-02T10:00:00+01:00"}):
        status, body = boss.call("post", f"/products/{product['id']}/quote", {"site": site.slug, **period})
        assert (status, body["code"]) == (400, "period_required"), period
        assert body["message"] == "Give the stay's start and end, or its minutes."


def test_post_quote_prices_a_document(till):
    status, quote = till.call(
        "post", "/quote", {"tariff": CAR_PARK, "start": "2026-03-02T10:00", "end": "2026-03-03T16:00"}
    )
    assert (status, quote["total"], quote["currency"]) == (200, "29.40", "EUR")
    assert quote["lines"][0]["label"] == "First hour"
    status, body = till.call(
        "post",
        "/quote",
        {"tariff": {**CAR_PARK, "kind": "hourly"}, "start": "2026-03-02T10:00", "end": "2026-03-02T11:00"},
    )
    assert (status, body["code"]) == (422, "invalid_tariff")
    assert body["errors"][0]["field"] == "kind"
    status, body = till.call(
        "post", "/quote", {"tariff": CAR_PARK, "start": "2026-03-02T10:00", "end": "2026-03-02T09:00"}
    )
    assert (status, body["code"]) == (422, "end_before_start")


def test_the_whole_till_flow(boss, till, site, make_customer, cashier_actor):
    _, product = boss.call("post", "/products", product_body())
    assert boss.call("put", f"/sites/{site.slug}/time-products", {"product_id": product["id"]})[0] == 200
    with time_machine.travel(paris(2026, 3, 2, 10, 0), tick=False):
        line = check_in(site=site, customer=make_customer(), actor=cashier_actor, at=timezone.now())
        status, due = till.call("get", f"/time-lines/{line.pk}/due")
    with time_machine.travel(paris(2026, 3, 2, 11, 20), tick=False):
        status, due = till.call("get", f"/time-lines/{line.pk}/due")
        assert due["quote"]["total"] == "3.70"
        status, sale = till.call("post", f"/time-lines/{line.pk}/checkout")
    assert status == 200, sale
    assert (sale["state"], sale["gross"], sale["lines"][0]["gross"]) == ("open", "3.70", "3.70")
    assert sale["lines"][0]["details"][1] == "First hour 10:00–11:00: 1 × 1 h at €2.50 / 1 h = €2.50"
    status, body = till.call(
        "post", f"/sales/{sale['sale_id']}/close", {"payments": [{"method": "cash", "amount": "3.00"}]}
    )
    assert (status, body["code"]) == (400, "underpaid")
    status, sale = till.call(
        "post", f"/sales/{sale['sale_id']}/close", {"payments": [{"method": "cash", "amount": "5"}]}
    )
    assert (status, sale["number"], sale["change"], sale["title"]) == (200, 1, "1.30", "Receipt 000001")
    status, body = till.call(
        "post", f"/sales/{sale['sale_id']}/lines", {"product_id": product["id"], "unit_price": "1"}
    )
    assert (status, body["code"]) == (409, "sale_closed")
    status, response = till.call("get", f"/sales/{sale['sale_id']}/receipt.pdf")
    assert status == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    status, refund = till.call("post", f"/sales/{sale['sale_id']}/refund", {})
    assert (status, refund["gross"], refund["refund_of_id"]) == (201, "-3.70", sale["sale_id"])
    status, hidden = till.call("post", f"/sites/{site.slug}/hide-paid-time-lines")
    assert hidden == {"hidden": 1}


def test_sales_of_simple_products_with_discount_and_split_payment(boss, till, site):
    _, coffee = boss.call(
        "post",
        "/products",
        {
            "internal_name": "Coffee",
            "short_name": "Coffee",
            "kind": "simple",
            "vat_rate": "10",
            "price": "1.80",
        },
    )
    status, sale = till.call("post", "/sales", {"site": site.slug})
    assert (status, sale["state"], sale["gross"]) == (201, "open", "0.00")
    sale_id = sale["sale_id"]
    _, sale = till.call("post", f"/sales/{sale_id}/lines", {"product_id": coffee["id"], "quantity": "3"})
    line_id = sale["lines"][0]["id"]
    _, sale = till.call("post", f"/sales/{sale_id}/lines/{line_id}/discount", {"percent": "10"})
    assert sale["gross"] == "4.86"
    status, body = till.call(
        "post", f"/sales/{sale_id}/lines", {"product_id": coffee["id"], "quantity": "-1"}
    )
    assert (status, body["code"]) == (400, "negative_quantity")
    _, sale = till.call("post", f"/sales/{sale_id}/park")
    assert sale["state"] == "parked"
    _, sale = till.call(
        "post",
        f"/sales/{sale_id}/close",
        {"payments": [{"method": "card", "amount": "4.00"}, {"method": "cash", "amount": "1.00"}]},
    )
    assert [(p["method"], p["amount"], p["change"]) for p in sale["payments"]] == [
        ("card", "4.00", None),
        ("cash", "0.86", "0.14"),
    ]
    assert sale["vat_lines"] == [{"rate": "10.00", "net": "4.42", "vat": "0.44", "gross": "4.86"}]
    status, body = till.call("post", "/sales", {"site": "nowhere"})
    assert (status, body["code"]) == (404, "unknown_site")


def test_hiding_a_stay_still_to_pay_is_refused_unless_confirmed(
    boss, till, site, make_customer, cashier_actor
):
    _, product = boss.call("post", "/products", product_body())
    boss.call("put", f"/sites/{site.slug}/time-products", {"product_id": product["id"]})
    with time_machine.travel(paris(2026, 3, 2, 10, 0), tick=False):
        line = check_in(site=site, customer=make_customer("Alice"), actor=cashier_actor, at=timezone.now())
    with time_machine.travel(paris(2026, 3, 2, 11, 20), tick=False):
        _, sale = till.call("post", f"/time-lines/{line.pk}/checkout")
        status, body = till.call("post", f"/time-lines/{line.pk}/hide", {"hidden": True})
        assert (status, body["code"]) == (409, "unpaid")
        assert body["message"].startswith(f"Alice’s stay is not paid yet: €3.70 on sale {sale['sale_id']}.")
        line.refresh_from_db()
        assert not line.hidden and not line.audit.filter(action="hide").exists()
        status, body = till.call(
            "post", f"/time-lines/{line.pk}/hide", {"hidden": True, "confirm_unpaid": True}
        )
    assert (status, body["hidden"]) == (200, True)
    assert line.audit.filter(action="hide").count() == 1
    # Shown again, then hidden once paid: no question asked.
    till.call("post", f"/time-lines/{line.pk}/hide", {"hidden": False})
    till.call("post", f"/sales/{sale['sale_id']}/close", {"payments": [{"method": "card", "amount": "3.70"}]})
    status, body = till.call("post", f"/time-lines/{line.pk}/hide", {})
    assert (status, body["hidden"]) == (200, True)


# 9 and 10: what the till's API says, and the quantities it takes


@pytest.fixture
def coffee(boss):
    body = {
        "internal_name": "Coffee",
        "short_name": "Coffee",
        "kind": "simple",
        "vat_rate": "10",
        "price": "1.80",
    }
    return boss.call("post", "/products", body)[1]


def _open(till, site):
    return till.call("post", "/sales", {"site": site.slug})[1]["sale_id"]


@pytest.mark.parametrize(
    ("path", "body", "status", "code", "field", "message"),
    [
        (
            "close",
            {"payments": [{"method": "cash", "amount": "abc"}]},
            422,
            "invalid_input",
            "payments[0].amount",
            "The amount of payment 1 must be a number, such as 12.50.",
        ),
        (
            "close",
            {"payments": [{"method": "card", "amount": "1.80"}, {"method": "bitcoin", "amount": "1"}]},
            422,
            "invalid_input",
            "payments[1].method",
            "The method of payment 2 must be one of 'cash', 'card' or 'other'.",
        ),
        (
            "close",
            {"payments": [{"method": "card", "amount": "-1.80"}]},
            400,
            "invalid_payment",
            "payments[0].amount",
            "The card amount must be more than zero.",
        ),
        (
            "lines",
            {"product_id": "COFFEE", "quantity": "-1"},
            400,
            "negative_quantity",
            "quantity",
            "The quantity must be more than zero (only a refund takes back).",
        ),
        (
            "lines",
            {"product_id": "COFFEE", "unit_price": "2.505"},
            400,
            "too_many_decimals",
            "unit_price",
            "The price €2.505 has too many decimals: at most 2.",
        ),
        (
            "lines",
            {"product_id": "COFFEE", "quantity": "2", "unit_price": "x"},
            422,
            "invalid_input",
            "unit_price",
            "The price must be a number, such as 12.50.",
        ),
    ],
)
def test_a_refusal_names_the_field_in_plain_words_and_gives_its_path_apart(
    till, site, coffee, path, body, status, code, field, message
):
    sale_id = _open(till, site)
    if path == "close":
        till.call("post", f"/sales/{sale_id}/lines", {"product_id": coffee["id"]})
    body = {key: coffee["id"] if value == "COFFEE" else value for key, value in body.items()}
    answer = till.call("post", f"/sales/{sale_id}/{path}", body)
    assert answer[0] == status
    assert (answer[1]["code"], answer[1]["field"], answer[1]["message"]) == (code, field, message)
    assert "payments[" not in answer[1]["message"] and "unit_price" not in answer[1]["message"]
    _, sale = till.call("get", f"/sales/{sale_id}")
    assert (sale["state"], len(sale["lines"])) == ("open", 1 if path == "close" else 0)


def test_a_product_sold_by_the_unit_takes_whole_quantities_only(boss, till, site, coffee):
    assert coffee["sold_by_unit"] is True
    sale_id = _open(till, site)
    status, body = till.call(
        "post", f"/sales/{sale_id}/lines", {"product_id": coffee["id"], "quantity": "1.5"}
    )
    assert (status, body["code"], body["field"]) == (400, "whole_units", "quantity")
    assert body["message"] == "Coffee is sold by the unit: type a whole number (1, 2, 3…)."
    assert till.call("get", f"/sales/{sale_id}")[1]["lines"] == []
    status, hour = boss.call(
        "post",
        "/products",
        {
            "internal_name": "Desk hour",
            "short_name": "Desk",
            "kind": "simple",
            "vat_rate": "20",
            "price": "4.00",
            "sold_by_unit": False,
        },
    )
    assert (status, hour["sold_by_unit"]) == (201, False)
    status, sale = till.call("post", f"/sales/{sale_id}/lines", {"product_id": hour["id"], "quantity": "1.5"})
    assert (status, sale["gross"]) == (201, "6.00")
    # Time is measured: a time product is not sold by the unit unless its manager says so.
    assert boss.call("post", "/products", product_body())[1]["sold_by_unit"] is False


def test_a_huge_quantity_is_refused_without_the_confirm_flag(till, site, coffee):
    sale_id = _open(till, site)
    line = {"product_id": coffee["id"], "quantity": "100000"}
    status, body = till.call("post", f"/sales/{sale_id}/lines", line)
    assert (status, body["code"], body["field"]) == (400, "confirm_large_line", "quantity")
    assert body["message"] == "100,000 × Coffee is €180,000.00: is that right?"
    assert till.call("get", f"/sales/{sale_id}")[1]["lines"] == []
    assert (
        till.call("post", f"/sales/{sale_id}/lines", {**line, "quantity": "100"})[0] == 201
    )  # the bound itself
    status, sale = till.call("post", f"/sales/{sale_id}/lines", {**line, "confirm_large": True})
    assert (status, sale["gross"]) == (201, "180180.00")


def test_a_line_worth_more_than_the_setting_is_refused_without_the_confirm_flag(boss, till, site, settings):
    settings.TIMETILL_CONFIRM_LINE_ABOVE = "500"
    bike = {
        "internal_name": "E-bike",
        "short_name": "E-bike",
        "kind": "simple",
        "vat_rate": "20",
        "price": "600",
    }
    product = boss.call("post", "/products", bike)[1]
    sale_id = _open(till, site)
    status, body = till.call("post", f"/sales/{sale_id}/lines", {"product_id": product["id"]})
    assert (status, body["code"], body["message"]) == (
        400,
        "confirm_large_line",
        "1 × E-bike is €600.00: is that right?",
    )
    status, _ = till.call(
        "post", f"/sales/{sale_id}/lines", {"product_id": product["id"], "confirm_large": True}
    )
    assert status == 201
