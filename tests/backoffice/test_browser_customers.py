"""Customers in a real browser: the accent-blind search as you type, and importing 500 customers from a CSV
with 3 wrong rows (the preview names them and why; nothing imported until chosen). Phone and desktop."""

from tests.browser import ARTIFACTS, MARKS, log_in, shot
from tests.conftest import PASSWORD
from tests.customers.test_import import five_hundred_with_three_wrong
from timetill.accounts.services import create_user
from timetill.customers.models import Customer
from timetill.customers.services import create_customer

pytestmark = MARKS


def test_search_as_you_type_ignores_accents(live_server, browser):
    create_user(username="boss", password=PASSWORD, role="manager")
    create_customer(name="Hugo Lefèvre", codes=[("2000000000015", "ean13")])
    create_customer(name="Léa Rousseau")
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    log_in(page, live_server.url, "boss", then="/backoffice/customers/")
    page.fill("#customer-q", "lefevre")
    page.locator("#customer-rows", has_text="Hugo Lefèvre").wait_for()
    # A function, not an expression: Playwright evaluates an expression with eval, which the CSP forbids.
    page.wait_for_function("() => !document.querySelector('#customer-rows').innerText.includes('Léa')")
    shot(page, "backoffice-customers-search.png")


def test_importing_500_customers_with_3_wrong_rows(live_server, browser, tmp_path):
    create_user(username="boss", password=PASSWORD, role="manager")
    csv_file = tmp_path / "children.csv"
    csv_file.write_text(five_hundred_with_three_wrong(), encoding="utf-8")
    for width, height, label in [(1280, 900, "desktop"), (390, 844, "phone")]:
        page = browser.new_page(viewport={"width": width, "height": height})
        log_in(page, live_server.url, "boss", then="/backoffice/customers/import/")
        page.set_input_files("input[type=file]", str(csv_file))
        page.get_by_role("button", name="Read the file").click()
        wrong = page.locator("table.wrong-rows tbody tr")
        wrong.first.wait_for()
        assert wrong.count() == 3
        texts = [wrong.nth(i).inner_text() for i in range(3)]
        assert texts[0].startswith("42") and "The name is missing." in texts[0]
        assert texts[1].startswith("137") and "check digit should be" in texts[1]
        assert texts[2].startswith("400") and "is also on row 399" in texts[2]
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(ARTIFACTS / f"backoffice-import-preview-{label}.png"))  # the first screen
        assert Customer.objects.count() == 0
        if label == "phone":
            page.get_by_role("button", name="Import the 497 valid rows only").click()
            page.locator(".flash-ok", has_text="497 customers were imported").wait_for()
            assert Customer.objects.count() == 497
            shot(page, f"backoffice-import-done-{label}.png")
        page.close()
