"""Printable cards (EAN-13 codes as EAN-13 barcodes, other codes as QR codes; one card or an A4 sheet) and the
tariff help page (docs/tariffs.md rendered)."""

import pytest
from django.urls import reverse

from tests.browser import ARTIFACTS, log_in, shot
from tests.conftest import PASSWORD
from timetill.accounts.services import create_user
from timetill.customers.cards import ean13_svg
from timetill.customers.services import create_customer

pytestmark = pytest.mark.django_db


def test_an_ean13_code_prints_as_an_ean13_barcode_and_a_token_as_a_qr_code(login, manager, make_customer):
    alice = make_customer("Alice Martin", codes=[("2000000000015", "ean13")])
    make_customer("Tom", codes=[("QR-00A1B2", "qr")])
    page = login(manager).get(reverse("bo-cards")).content.decode()
    assert page.count('class="member-card ean"') == 1 and page.count('class="member-card qr"') == 1
    # python-barcode draws the bars as rectangles and prints the 13 digits under them.
    svg = ean13_svg("2000000000015")
    assert svg.startswith("<svg") and svg.count("<rect") > 20
    one = login(manager).get(reverse("bo-cards"), {"customer": alice.pk})
    assert one.context["layout"] == "one" and len(one.context["cards"]) == 1


def test_the_tariff_help_is_a_page_of_the_app(login, manager):
    page = login(manager).get(reverse("bo-tariff-help")).content.decode()
    assert "<h1>" in page and "grace" in page.lower()
    product_form = login(manager).get("/catalog/new/time/").content.decode()
    assert reverse("bo-tariff-help") in product_form and "docs/tariffs.md" not in product_form


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_sheet_of_cards_in_a_browser(live_server, browser):
    create_user(username="boss", password=PASSWORD, role="manager")
    create_customer(name="Alice Martin", codes=[("2000000000015", "ean13")])
    create_customer(name="Tom Leroy", codes=[("QR-00A1B2", "qr")])
    page = browser.new_page(viewport={"width": 1000, "height": 900})
    log_in(page, live_server.url, "boss", then="/backoffice/cards/")
    assert page.locator(".member-card").count() == 2
    box = page.locator(".member-card").first.bounding_box()
    assert abs(box["width"] - 85.6 * 96 / 25.4) < 2  # 85.6 mm wide, as a card
    shot(page, "backoffice-cards-sheet.png")
    page.pdf(path=str(ARTIFACTS / "backoffice-cards.pdf"), format="A4")
