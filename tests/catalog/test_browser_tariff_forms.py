"""Tariffs by form in a real browser: PRODUCT.md's car park built by the form alone prices 1 h 20 at 3.70 in
the preview, and its Daily Time week built with the grid and "Copy to other days" at 38.00; the JSON tab
follows the form and a JSON edit fills the form; desktop, tablet and phone screenshots."""

import json

from tests.browser import MARKS, log_in, shot
from tests.catalog.test_browser import wait_for_total
from tests.conftest import PASSWORD
from timetill.accounts.services import create_user
from timetill.catalog.models import Product
from timetill.sites.models import Site

pytestmark = MARKS


def _setup() -> None:
    Site.objects.create(name="Parking Bellecour", slug="bellecour", time_zone="Europe/Paris", capacity=120)
    create_user(username="boss", password=PASSWORD, role="manager")


def _type(page, selector: str, value: str) -> None:
    field = page.locator(selector)
    field.fill("")
    if value:
        field.press_sequentially(value)


def _clear_tariff_fields(page) -> None:
    """Empty every text field of the tariff form (a new product opens on an example)."""
    for field in page.locator("#tariff-form-fields input[type=text]").all():
        field.fill("")
    for box in page.locator("#tariff-form-fields input[type=checkbox]").all():
        box.uncheck()


def test_product_md_car_park_built_by_the_form_alone(live_server, browser):
    _setup()
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    console = []
    page.on("console", lambda message: console.append(message.text))
    log_in(page, live_server.url, "boss", then="/catalog/new/time/")
    assert page.locator("#tab-form").get_attribute("aria-selected") == "true"
    assert page.locator("#panel-json").is_hidden()
    page.fill("#id_internal_name", "Car park")
    page.fill("#id_short_name", "Parking")
    _clear_tariff_fields(page)
    page.fill("#id_t-name", "Car park")
    page.fill("#id_t-currency", "EUR")
    page.fill("#id_t-time_zone", "Europe/Paris")
    _type(page, "#id_t-unit", "15m")
    _type(page, "#id_t-grace", "15m")
    page.select_option("#id_t-grace_mode", "threshold")
    _type(page, "#id_t-block_duration", "1h")
    _type(page, "#id_t-block_price", "2.50")
    _type(page, "#id_t-block_label", "First hour")
    page.select_option("#id_t-price_per", "unit")
    _type(page, "#id_t-price", "0.60")
    _type(page, "#id_t-cap", "15.00")
    page.fill("#preview-day", "2026-03-02")
    page.fill("#preview-start", "10:00")
    _type(page, "#preview-duration", "1:20")
    wait_for_total(page, "€3.70")
    rows = page.locator("#preview table.explanation tbody tr")
    assert rows.count() == 2
    assert "First hour" in rows.nth(0).inner_text()
    assert "11:00–11:20 · 2 × 15 min at 0.60 / 15 min" in rows.nth(1).inner_text()
    shot(page, "tariff-form-car-park.png")

    # The JSON tab holds the document the form makes: PRODUCT.md's car park.
    page.click("#tab-json")
    document = json.loads(page.locator("#id_tariff").input_value())
    assert document == {
        "version": 1, "kind": "rate", "name": "Car park", "currency": "EUR", "time_zone": "Europe/Paris",
        "vat_rate": "20", "unit": "15m", "grace": {"duration": "15m"},
        "first_block": {"duration": "1h", "price": "2.50", "label": "First hour"}, "per_unit": "0.60",
        "cap_per_24h": "15.00",
    }  # fmt: skip
    # A valid JSON edit fills the form.
    document["per_unit"] = "0.70"
    page.fill("#id_tariff", json.dumps(document, indent=2))
    wait_for_total(page, "€3.90")
    page.click("#tab-form")
    assert page.locator("#id_t-price").input_value() == "0.70"

    # A bad value is refused at its field, in words, as it is typed.
    _type(page, "#id_t-price", "0.605")
    error = page.locator("#id_t-price").locator("xpath=..").locator(".field-error")
    error.wait_for()
    assert error.inner_text() == "Prices have at most two decimals."
    shot(page, "tariff-form-error.png")
    _type(page, "#id_t-price", "0.60")
    wait_for_total(page, "€3.70")
    page.click("text=Create product")
    page.wait_for_url(f"{live_server.url}/catalog/*/")
    product = Product.objects.get(internal_name="Car park")
    assert product.tariff["per_unit"] == "0.60" and product.tariff["first_block"]["price"] == "2.50"
    assert not [line for line in console if "Content Security Policy" in line or "Refused" in line]

    # The same page on a phone: the preview under the form, nothing wider than the screen.
    phone = browser.new_page(viewport={"width": 390, "height": 844})
    log_in(phone, live_server.url, "boss", then=f"/catalog/{product.pk}/")
    wait_for_total(phone)
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 390
    shot(phone, "tariff-form-car-park-phone.png")


def test_product_md_daily_time_week_built_with_the_grid(live_server, browser):
    _setup()
    page = browser.new_page(viewport={"width": 820, "height": 1180})  # a tablet
    log_in(page, live_server.url, "boss", then="/catalog/new/daily_time/")
    page.fill("#id_internal_name", "Extra Hours 8-16")
    page.fill("#id_short_name", "Extra Hours")
    _clear_tariff_fields(page)
    page.fill("#id_t-currency", "EUR")
    page.fill("#id_t-time_zone", "Europe/Paris")
    _type(page, "#id_t-mon_from", "08:00")
    _type(page, "#id_t-mon_to", "16:00")
    for day in ("tue", "wed", "thu"):
        page.check(f"#id_t-{day}_on")
    page.click("tr[data-day=mon] [data-copy-day]")
    for day in ("tue", "wed", "thu"):
        assert page.locator(f"#id_t-{day}_from").input_value() == "08:00"
        assert page.locator(f"#id_t-{day}_to").input_value() == "16:00"
    for day in ("fri", "sat", "sun"):
        assert not page.locator(f"#id_t-{day}_on").is_checked()
        assert page.locator(f"#id_t-{day}_from").input_value() == ""
    _type(page, "#id_t-early", "3.00")
    _type(page, "#id_t-late", "5.00")
    _type(page, "#id_t-unit", "15m")
    _type(page, "#id_t-tolerance", "10m")
    _type(page, "#id_t-unplanned_day", "20.00")
    page.fill("#preview-week", "2026-10-05")
    for day, arrival, departure in [
        ("mon", "08:00", "16:10"), ("tue", "08:00", "16:11"), ("wed", "07:40", "16:00"),
        ("thu", "08:05", "16:40"), ("fri", "09:00", "12:00"),
    ]:  # fmt: skip
        page.fill(f"#preview-{day}_in", arrival)
        page.fill(f"#preview-{day}_out", departure)
    wait_for_total(page, "€38.00")
    amounts = page.locator("#preview table.explanation .explain-amount").all_inner_texts()
    assert amounts == ["0.00", "5.00", "3.00", "10.00", "20.00"]
    # The picture of the week: the included hours of Monday to Thursday.
    assert page.locator(".week-picture .week-stretch").count() == 4
    shot(page, "tariff-form-daily-week-tablet.png")
    page.click("text=Create product")
    page.wait_for_url(f"{live_server.url}/catalog/*/")
    saved = Product.objects.get(internal_name="Extra Hours 8-16").tariff
    assert saved["included"] == {d: {"from": "08:00", "to": "16:00"} for d in ("mon", "tue", "wed", "thu")}
