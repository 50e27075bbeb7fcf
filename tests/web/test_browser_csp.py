"""Every page works under the Content-Security-Policy: a manager's tour of the pages in Chromium, with what
once ran in inline handlers (a site switch, a Print button, the archived toggle, the docs page) still working.
The `browser` fixture fails any browser test whose pages made Chromium refuse something (tests/conftest.py).
"""

from decimal import Decimal

import pytest
from django.utils import timezone

from tests.browser import MARKS, log_in, shot
from timetill.catalog.services import ProductSpec, create_product
from timetill.sales.services import LineSpec, PaymentSpec, add_line, close_sale, open_sale
from timetill.sites.models import Site
from timetill.timelines.actors import Actor

pytestmark = MARKS

PAGES = [
    "/timestamp/",
    "/till/",
    "/catalog/",
    "/catalog/sites/",
    "/codes/",
    "/backoffice/",
    "/backoffice/users/",
    "/backoffice/users/new/",
    "/backoffice/customers/",
    "/backoffice/customers/groups/",
    "/backoffice/cards/",  # EAN-13 barcodes: SVG drawn by a library
    "/backoffice/sites/",
    "/billing/seller/",
    "/billing/vat-rates/",
    "/catalog/new/time/",  # the tariff editor
    "/invoicing/",
    "/invoicing/families/",
    "/reports/",
    "/reports/occupancy/?site=cowork",  # pygal's chart, with its own style element
    "/reports/revenue/",
    "/family/",
    "/preferences/",
    "/api/docs",
]


@pytest.fixture
def scene(make_user, make_customer):
    manager = make_user("manager", username="boss")
    site = Site.objects.create(name="Coworking", slug="cowork", time_zone="Europe/Paris")
    Site.objects.create(name="Car park", slug="parking", time_zone="Europe/Paris")
    make_customer("Alice Martin", group="Members")
    actor = Actor.for_user(manager)
    coffee = create_product(
        spec=ProductSpec(
            internal_name="Coffee", short_name="Coffee", kind="simple", vat_rate=Decimal(20), price=Decimal(2)
        ),
        actor=actor,
    )
    sale = open_sale(site=site, actor=actor, at=timezone.now())
    add_line(sale_id=sale.pk, spec=LineSpec(coffee.pk, Decimal(1)), actor=actor)
    close_sale(sale_id=sale.pk, payments=[PaymentSpec("cash", Decimal(2))], actor=actor, at=timezone.now())
    return {"manager": manager, "sale": sale}


def test_every_page_works_under_the_policy(browser, live_server, scene):
    page = browser.new_page(viewport={"width": 1024, "height": 768})
    log_in(page, live_server.url, "boss")
    for path in PAGES:
        response = page.goto(live_server.url + path)
        assert response.status < 400, path
        assert "default-src 'self'" in response.headers["content-security-policy"], path
        page.wait_for_load_state("networkidle")
        if path.startswith("/reports/occupancy/"):
            assert page.locator("#occupancy-chart svg").count() == 1
            shot(page, "csp-occupancy.png")
        if path == "/backoffice/cards/":
            shot(page, "csp-cards.png")
    shot(page, "csp-api-docs.png")
    # The API's docs page builds itself from its own scripts: its operations are listed.
    assert page.locator(".opblock").count() > 10


def test_the_login_page_works_under_the_policy(browser, live_server, scene):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    response = page.goto(f"{live_server.url}/login/")
    assert "style-src 'self'" in response.headers["content-security-policy"]
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    page.fill("input[name=username]", "boss")
    page.fill("input[name=password]", "wrong")
    page.click("button[type=submit]")
    page.locator(".flash-error").wait_for()


def test_what_inline_handlers_did_still_works(browser, live_server, scene):
    page = browser.new_page(viewport={"width": 1024, "height": 768})
    log_in(page, live_server.url, "boss")
    page.goto(f"{live_server.url}/timestamp/")
    # The site switch submits its form on change (it was onchange="this.form.submit()").
    with page.expect_navigation():
        page.select_option("#site-switch", label="Car park")
    assert "Car park" in page.locator("#site-switch option:checked").inner_text()
    # The receipt's Print button opens the print dialog (it was onclick="window.print()").
    page.goto(f"{live_server.url}/till/sales/{scene['sale'].pk}/receipt/")
    page.evaluate("window.print = () => { document.body.dataset.printed = 'yes'; }")
    page.click("[data-print]")
    assert page.evaluate("document.body.dataset.printed") == "yes"
    shot(page, "csp-receipt.png")
