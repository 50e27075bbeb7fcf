"""The catalogue's layout in a real browser: a very long product name keeps the table whole, and the two
columns of a form start at the same height."""

from decimal import Decimal

from tests.browser import MARKS, log_in, shot
from tests.catalog.conftest import CAR_PARK
from tests.conftest import PASSWORD
from timetill.accounts.services import create_user
from timetill.catalog.services import ProductSpec, create_product
from timetill.timelines.actors import Actor

pytestmark = MARKS
LONG = "Abonnementmensuelcoworkingavecsallesdereunionetcasiers" * 2  # no place to break a line


def test_a_long_name_keeps_the_table_whole_and_form_columns_line_up(live_server, browser):
    create_user(username="boss", password=PASSWORD, role="manager")
    create_product(
        spec=ProductSpec(kind="time", internal_name=LONG[:100], short_name="Parking", vat_rate=Decimal("20"),
                         tariff=CAR_PARK),
        actor=Actor.operator(),
    )  # fmt: skip
    page = browser.new_page(viewport={"width": 1024, "height": 768})
    log_in(page, live_server.url, "boss", then="/catalog/")
    shot(page, "catalog-long-name.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1024
    actions = page.locator(".row-actions").first.bounding_box()
    assert actions["x"] + actions["width"] <= 1024
    price = page.locator(".price-cell").first
    # The price reads as a phrase, not one word per line.
    assert price.bounding_box()["width"] >= 160

    page.goto(f"{live_server.url}/catalog/new/simple/")
    tops = page.evaluate(
        "[...document.querySelector('.form-grid').querySelectorAll('.field > input, .field > select')]"
        ".map(e => Math.round(e.getBoundingClientRect().top))"
    )
    assert tops[0] == tops[1], tops  # internal name and short name, side by side
    shot(page, "catalog-form-columns.png")
