"""Tariff pages: the editor's live preview, JSON export and import, and the sites' time products page."""

import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.catalog.conftest import CAR_PARK, EXTRA_HOURS
from tests.web.conftest import HX
from timetill.catalog.models import Product, SiteTimeProduct
from timetill.customers.models import CustomerGroup

pytestmark = pytest.mark.django_db

PREVIEW = "/catalog/preview/"


def _preview(client, document, *, kind: str = "time", vat_rate: str = "20", **stay):
    data = {
        "kind": kind,
        "vat_rate": vat_rate,
        "price_basis": "incl",
        "tariff": document if isinstance(document, str) else json.dumps(document),
    }
    data |= {f"preview-{name}": value for name, value in stay.items()}
    return client.post(PREVIEW, data, **HX)


# -- the live preview --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("duration", "total"),
    [("10", "0.00"), ("16", "2.50"), ("1:20", "3.70"), ("80", "3.70"), ("1h20", "3.70"), ("5:00", "12.10")],
)
def test_the_preview_prices_product_md_rate_tariff(login, manager, duration, total):
    response = _preview(login(manager), CAR_PARK, duration=duration, day="2026-03-02", start="10:00")
    assert response.status_code == 200
    assert response.context["total"] == total
    assert f'<strong id="preview-total">€{total}</strong>' in response.text


def test_the_preview_explains_the_price_line_by_line(login, manager):
    response = _preview(login(manager), CAR_PARK, duration="1:20", day="2026-03-02", start="10:00")
    lines = [
        (line["label"], line["from"], line["to"], line["quantity"], line["unit_price"], line["amount"])
        for line in response.context["lines"]
    ]
    assert lines == [
        ("First hour", "10:00", "11:00", "1", "2.50", "2.50"),  # Paris time, not UTC
        ("Time", "11:00", "11:20", "2", "0.60", "1.20"),
    ]
    assert "2 × 15 min" in response.text and "0.60 / 15 min" in response.text
    # The product's VAT rate is written into the document: the preview shows the VAT inside.
    assert response.context["vat"].tax.amount == Decimal("0.62")


def test_the_preview_prices_a_customer_group(login, manager):
    response = _preview(
        login(manager), CAR_PARK, duration="1:20", day="2026-03-02", start="10:00", group="members"
    )
    assert response.context["total"] == "3.14"  # 3.70 less 15 % (0.555, rounded half up to 0.56)
    assert "Group members: 15 % discount" in response.text


def test_the_preview_of_a_long_stay_shows_the_days(login, manager):
    response = _preview(login(manager), CAR_PARK, duration="30:00", day="2026-03-02", start="10:00")
    assert response.context["total"] == "29.40"
    assert [line["to"] for line in response.context["lines"]][-1] == "Tue 03/03 16:00"


@pytest.mark.parametrize(
    ("start", "end", "day", "total"),
    [
        ("08:00", "16:10", "2026-03-02", "0.00"),  # Monday: within the tolerance
        ("08:00", "16:11", "2026-03-03", "5.00"),  # Tuesday: one late unit
        ("07:40", "16:00", "2026-03-04", "3.00"),  # Wednesday: one early unit
        ("09:00", "12:00", "2026-03-06", "20.00"),  # Friday: an unplanned day
    ],
)
def test_the_preview_of_daily_time_prices_one_day(login, manager, start, end, day, total):
    response = _preview(login(manager), EXTRA_HOURS, kind="daily_time", day=day, start=start, end=end)
    assert response.context["total"] == total


def test_the_preview_of_an_invalid_document_names_each_field(login, manager):
    broken = {**CAR_PARK, "bands": [{"from": "25:00", "to": "06:00", "per_unit": "1.00"}]}
    response = _preview(login(manager), broken, duration="1:20")
    assert response.status_code == 200
    assert {"field": "bands[0].from", "message": '"25:00" is not a time of day'} in response.context["errors"]
    assert "<code>bands[0].from</code>" in response.text
    assert "total" not in response.context


def test_the_preview_of_bad_json_says_where(login, manager):
    response = _preview(login(manager), '{"version": 1, "kind": "rate",,}', duration="20")
    [error] = response.context["errors"]
    assert error["field"] == "(document)" and "line 1, column 31" in error["message"]


def test_the_preview_of_a_valid_document_without_a_stay_says_so(login, manager):
    response = _preview(login(manager), CAR_PARK)
    assert "The document is valid. Type a duration" in response.text


def test_the_preview_refuses_a_duration_it_cannot_read(login, manager):
    response = _preview(login(manager), CAR_PARK, duration="soon")
    assert response.context["stay_errors"] == ["Type minutes (80) or hours and minutes (1:20)."]


def test_the_preview_says_when_the_vat_rate_does_not_exist(login, manager):
    response = _preview(login(manager), CAR_PARK, vat_rate="7", duration="20")
    assert "There is no VAT rate of 7 %" in response.context["problem"]


def test_the_preview_saves_nothing(login, manager, time_product):
    before = dict(Product.objects.values_list("pk", "tariff"))
    _preview(login(manager), {**CAR_PARK, "per_unit": "9.00"}, duration="1:20")
    assert dict(Product.objects.values_list("pk", "tariff")) == before


def test_the_editor_page_wires_the_preview(login, manager, time_product):
    page = login(manager).get(f"/catalog/{time_product.pk}/").text
    assert f'hx-post="{PREVIEW}"' in page
    assert 'hx-include="#product-form"' in page
    assert "input delay:350ms from:#product-form" in page


# -- export and import -------------------------------------------------------------------------------------


def test_export_downloads_the_document(login, manager, time_product):
    response = login(manager).get(f"/catalog/{time_product.pk}/tariff.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == f'attachment; filename="tariff-{time_product.pk}.json"'
    assert json.loads(response.content) == time_product.tariff


def test_export_then_import_round_trips(login, manager, time_product, make_product):
    other = make_product(
        "time", internal_name="Other car park", tariff={**CAR_PARK, "per_unit": "0.80", "groups": {}}
    )
    client = login(manager)
    exported = client.get(f"/catalog/{time_product.pk}/tariff.json").content

    upload = SimpleUploadedFile("car-park.json", exported, content_type="application/json")
    response = client.post(f"/catalog/{other.pk}/tariff/import/", {"file": upload})
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.tariff == time_product.tariff
    assert client.get(f"/catalog/{other.pk}/tariff.json").content == exported


def test_import_pasted_text(login, manager, time_product):
    pasted = json.dumps({**CAR_PARK, "per_unit": "0.70"})
    response = login(manager).post(
        f"/catalog/{time_product.pk}/tariff/import/", {"text": pasted}, follow=True
    )
    time_product.refresh_from_db()
    assert time_product.tariff["per_unit"] == "0.70"
    assert "Tariff of “Car park (visitors)” imported." in response.text


@pytest.mark.parametrize(
    ("document", "field", "message"),
    [
        ({**CAR_PARK, "unit": "0m"}, "unit", '"0m" must be longer than zero'),
        (
            {**CAR_PARK, "bands": [{"from": "25:00", "to": "06:00", "per_unit": "1"}]},
            "bands[0].from",
            "not a time",
        ),
        (EXTRA_HOURS, "kind", 'a time product needs a "rate" tariff'),
        ("{not json", "(document)", "not valid JSON"),
    ],
    ids=["unit", "band", "kind", "json"],
)
def test_an_import_that_does_not_validate_changes_nothing(
    login, manager, time_product, document, field, message
):
    before = time_product.tariff
    text = document if isinstance(document, str) else json.dumps(document)
    upload = SimpleUploadedFile("tariff.json", text.encode(), content_type="application/json")
    response = login(manager).post(f"/catalog/{time_product.pk}/tariff/import/", {"file": upload})
    assert response.status_code == 400
    assert any(e["field"] == field and message in e["message"] for e in response.context["errors"])
    assert f"<code>{field}</code>" in response.text
    assert "Nothing changed" in response.text
    time_product.refresh_from_db()
    assert time_product.tariff == before


def test_an_import_needs_a_file_or_text(login, manager, time_product):
    response = login(manager).post(f"/catalog/{time_product.pk}/tariff/import/", {"text": "  "})
    assert response.status_code == 400
    assert "Choose a .json file or paste a document." in response.text


def test_an_oversized_or_binary_import_is_refused(login, manager, time_product):
    before = time_product.tariff
    client = login(manager)
    big = SimpleUploadedFile("big.json", b" " * (300 * 1024), content_type="application/json")
    assert "At most 256 KB." in client.post(f"/catalog/{time_product.pk}/tariff/import/", {"file": big}).text
    binary = SimpleUploadedFile("x.json", b"\x00\xff\xfe", content_type="application/json")
    response = client.post(f"/catalog/{time_product.pk}/tariff/import/", {"file": binary})
    assert response.context["errors"] == [{"field": "(document)", "message": "is not UTF-8 text"}]
    time_product.refresh_from_db()
    assert time_product.tariff == before


def test_a_simple_product_has_no_tariff_to_import_or_export(login, manager, make_product):
    product = make_product("simple")
    client = login(manager)
    assert client.get(f"/catalog/{product.pk}/tariff/import/").status_code == 404
    response = client.get(f"/catalog/{product.pk}/tariff.json", follow=True)
    assert "A simple product has no tariff." in response.text


def test_a_ladder_exports_its_steps_as_a_ladder_document(login, manager, ladder_product, site):
    document = json.loads(login(manager).get(f"/catalog/{ladder_product.pk}/tariff.json").content)
    assert document["kind"] == "ladder"
    assert [(s["duration"], s["price"]) for s in document["steps"]] == [("60m", "6"), ("120m", "11")]


# -- the sites' time products ------------------------------------------------------------------------------


def test_choose_a_sites_time_product_for_everyone_then_for_a_group(login, manager, site, time_product):
    members = CustomerGroup.objects.create(name="Members")
    client = login(manager)
    page = client.get("/catalog/sites/")
    assert "Front desk" in page.text and "Members" in page.text

    response = client.post(
        "/catalog/sites/choose/", {"site": site.pk, "group": "", "product": time_product.pk}
    )
    assert response.status_code == 302
    response = client.post(
        "/catalog/sites/choose/",
        {"site": site.pk, "group": members.pk, "product": time_product.pk},
        follow=True,
    )
    assert "Front desk: stays of the group Members are priced with “Car park (visitors)”." in response.text
    rows = set(SiteTimeProduct.objects.values_list("site", "group", "product"))
    assert rows == {(site.pk, None, time_product.pk), (site.pk, members.pk, time_product.pk)}

    client.post("/catalog/sites/choose/", {"site": site.pk, "group": members.pk, "product": ""})
    assert set(SiteTimeProduct.objects.values_list("group", flat=True)) == {None}


def test_a_time_product_in_another_currency_is_refused(login, manager, make_site, time_product):
    swiss = make_site(name="Genève", currency="CHF", time_zone="Europe/Zurich")
    response = login(manager).post(
        "/catalog/sites/choose/", {"site": swiss.pk, "group": "", "product": time_product.pk}, follow=True
    )
    assert "Nothing changed: The tariff is in EUR but the site sells in CHF." in response.text
    assert not SiteTimeProduct.objects.exists()


def test_a_simple_product_cannot_price_stays(login, manager, site, make_product):
    product = make_product("simple")
    response = login(manager).post(
        "/catalog/sites/choose/", {"site": site.pk, "group": "", "product": product.pk}, follow=True
    )
    assert "Nothing changed" in response.text
    assert not SiteTimeProduct.objects.exists()


def test_the_sites_page_shows_the_current_choice(login, manager, site, time_product, site_time_product):
    site_time_product(site, time_product)
    page = login(manager).get("/catalog/sites/").text
    assert f'<option value="{time_product.pk}" selected>Car park (visitors)</option>' in page


def test_the_preview_refuses_a_customer_group_that_does_not_exist(login, manager, make_customer):
    make_customer(group="Visitors")
    response = _preview(
        login(manager), CAR_PARK, duration="1:20", day="2026-03-02", start="10:00", group="vip"
    )
    assert "total" not in response.context
    assert "There is no customer group “vip”" in response.text
    # A group of the customers (though the tariff has no price of its own for it) is priced as everyone.
    response = _preview(
        login(manager), CAR_PARK, duration="1:20", day="2026-03-02", start="10:00", group="Visitors"
    )
    assert response.context["total"] == "3.70"
