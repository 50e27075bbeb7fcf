"""The tariff editor in a real browser: the live preview prices what is typed; a broken document is named."""

import json

from tests.browser import MARKS, log_in, shot
from tests.catalog.conftest import BILLIARD_STEPS, CAR_PARK, EXTRA_HOURS
from tests.conftest import PASSWORD
from timetill.accounts.services import create_user
from timetill.catalog.services import ProductSpec, create_product
from timetill.sites.models import Site
from timetill.timelines.actors import Actor

pytestmark = MARKS


def wait_for_total(page, text: str | None = None) -> None:
    """Until the preview shows a total (this one, when given)."""
    shown = "(document.getElementById('preview-total') || {textContent: ''}).textContent"
    # A function, not an expression: Playwright evaluates an expression with eval, which the CSP forbids.
    page.wait_for_function(f"() => {shown} === {json.dumps(text)}" if text else f"() => {shown}")


def _catalogue() -> dict[str, int]:
    Site.objects.create(name="Parking Bellecour", slug="bellecour", time_zone="Europe/Paris", capacity=120)
    create_user(username="boss", password=PASSWORD, role="manager")
    made = {}
    for kind, name, short, extra in [
        ("time", "Car park (visitors)", "Parking", {"tariff": CAR_PARK}),
        ("ladder", "Billiard table", "Billiard", {"variants": BILLIARD_STEPS}),
        ("daily_time", "Extra Hours 8-16", "Extra Hours", {"tariff": EXTRA_HOURS}),
        ("simple", "Espresso", "Espresso", {"price": "1.80", "vat_rate": "10"}),
    ]:
        spec = ProductSpec(internal_name=name, short_name=short, kind=kind, **{"vat_rate": "20", **extra})
        made[kind] = create_product(spec=spec, actor=Actor.operator()).pk
    return made


def test_the_preview_prices_a_typed_duration_then_names_the_broken_field(live_server, browser):
    products = _catalogue()
    page = browser.new_page(viewport={"width": 1024, "height": 768})
    log_in(page, live_server.url, "boss")

    page.goto(f"{live_server.url}/catalog/")
    page.get_by_role("link", name="Catalogue").wait_for()
    shot(page, "catalog-list.png")

    page.get_by_role("link", name="Car park (visitors)").first.click()
    page.wait_for_url(f"{live_server.url}/catalog/{products['time']}/")
    # On load, the preview prices its example stay (one hour from now) with the saved document.
    wait_for_total(page)
    page.fill("#preview-day", "2026-03-02")
    page.fill("#preview-start", "10:00")
    page.fill("#preview-duration", "")
    page.locator("#preview-duration").press_sequentially("1:20", delay=60)
    wait_for_total(page, "€3.70")
    explanation = page.locator("#preview table.explanation")
    assert "First hour" in explanation.inner_text()
    assert explanation.locator("tbody tr").count() == 2
    assert "11:00–11:20 · 2 × 15 min at 0.60 / 15 min" in explanation.locator("tbody tr").nth(1).inner_text()
    shot(page, "catalog-time-preview.png")

    # Break the document in the Advanced tab: a band that starts at 25:00. The preview names the field
    # instead of a price.
    page.click("#tab-json")
    broken = {**CAR_PARK, "bands": [{"from": "25:00", "to": "06:00", "per_unit": "1.00"}]}
    page.fill("#id_tariff", json.dumps(broken, indent=2))
    problem = page.locator("#preview .problems li", has_text="bands[0].from")
    problem.wait_for()
    assert '"25:00" is not a time of day' in problem.inner_text()
    assert page.locator("#preview-total").count() == 0
    shot(page, "catalog-time-invalid.png")

    # Saving it is refused with the same message at the editor, and nothing changed.
    page.get_by_role("button", name="Save changes").click()
    page.locator("#tariff-errors").wait_for()
    assert "bands[0].from" in page.locator("#tariff-errors").inner_text()
    assert "Nothing was saved" in page.locator(".flash-error").first.inner_text()
    shot(page, "catalog-time-refused.png")


def test_the_other_pages_look_finished(live_server, browser):
    """Screenshots of the other editors and pages on a tablet and on a phone (looked at by a person)."""
    products = _catalogue()
    page = browser.new_page(viewport={"width": 1024, "height": 768})
    log_in(page, live_server.url, "boss")

    page.goto(f"{live_server.url}/catalog/{products['daily_time']}/")
    page.fill("#preview-week", "2026-03-03")
    page.fill("#preview-mon_in", "")  # the example stay of the page, on Monday
    page.fill("#preview-mon_out", "")
    page.fill("#preview-tue_in", "08:00")
    page.fill("#preview-tue_out", "16:11")
    wait_for_total(page, "€5.00")
    shot(page, "catalog-daily-preview.png")

    page.goto(f"{live_server.url}/catalog/{products['ladder']}/")
    page.get_by_role("button", name="Add a step").click()
    page.wait_for_load_state()
    assert page.locator(".steps-table tbody tr").count() == 5
    shot(page, "catalog-ladder.png")

    page.goto(f"{live_server.url}/catalog/sites/")
    shot(page, "catalog-sites.png")

    page.goto(f"{live_server.url}/catalog/{products['time']}/tariff/import/")
    page.fill("#id_text", json.dumps({**CAR_PARK, "unit": "0m"}))
    page.get_by_role("button", name="Import").click()
    page.locator("#tariff-errors", has_text="unit").wait_for()
    shot(page, "catalog-import-refused.png")

    page.goto(f"{live_server.url}/catalog/{products['simple']}/delete/")
    shot(page, "catalog-delete.png")

    page.goto(f"{live_server.url}/catalog/new/simple/")
    page.fill("#id_internal_name", "Tea (pot)")
    page.fill("#id_short_name", "Tea")
    page.fill("#id_price", "2.5555")
    page.get_by_role("button", name="Create product").click()
    page.locator(".field-error[data-field=price]").wait_for()
    assert "at most 2 decimals" in page.locator(".field-error[data-field=price]").inner_text()
    shot(page, "catalog-new-refused.png")

    page.goto(f"{live_server.url}/catalog/")
    page.locator("summary", has_text="New product").click()
    shot(page, "catalog-new-menu.png")

    phone = browser.new_page(viewport={"width": 390, "height": 844})
    log_in(phone, live_server.url, "boss")
    phone.goto(f"{live_server.url}/catalog/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone, "catalog-list-phone.png")
    phone.goto(f"{live_server.url}/catalog/{products['time']}/")
    phone.fill("#preview-day", "2026-03-02")
    phone.fill("#preview-start", "10:00")
    phone.fill("#preview-duration", "80")
    wait_for_total(phone, "€3.70")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    shot(phone, "catalog-time-phone.png")
