"""The seller's identity page in a real browser: a wrong VAT number is told at its field, then saved right."""

from tests.browser import MARKS, log_in, shot
from tests.conftest import PASSWORD
from timetill.accounts.services import create_user
from timetill.billing.models import SellerIdentity
from timetill.sites.models import Site

pytestmark = MARKS


def test_a_manager_corrects_a_wrong_vat_number_then_saves(live_server, browser):
    Site.objects.create(name="Ludo Parc", slug="ludo", time_zone="Europe/Paris", capacity=60)
    create_user(username="boss", password=PASSWORD, role="manager")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    log_in(page, live_server.url, "boss", then="/billing/seller/")
    page.fill("input[name=legal_name]", "Ludo Parc SAS")
    page.fill("textarea[name=address]", "12 rue des Jeux\n75011 Paris")
    page.fill("input[name=vat_number]", "FR00303265045")
    page.fill("input[name=iban]", "FR14 2004 1010 0505 0001 3M02 606")
    page.click("form.product-form button[type=submit]")
    error = page.locator("[data-field=vat_number]")
    error.wait_for()
    assert "not a valid EU VAT number" in error.inner_text()
    assert page.input_value("input[name=legal_name]") == "Ludo Parc SAS"  # nothing typed is lost
    shot(page, "billing-seller-invalid.png")
    assert not SellerIdentity.objects.exists()

    page.fill("input[name=vat_number]", "FR40303265045")
    page.click("form.product-form button[type=submit]")
    page.locator("text=Saved.").wait_for()
    shot(page, "billing-seller-saved.png")
    assert SellerIdentity.objects.get().iban == "FR1420041010050500013M02606"
