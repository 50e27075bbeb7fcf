"""The catalogue's pages in French and Italian on a phone and a desktop: the longer words of the translated
labels, help texts and price summaries fit, nothing scrolls sideways. Screenshots in artifacts/."""

from decimal import Decimal

import pytest

from tests.browser import MARKS, log_in, settle, shot
from tests.catalog.conftest import CAR_PARK
from tests.conftest import PASSWORD
from timetill.accounts.services import create_user
from timetill.catalog.services import ProductSpec, create_product
from timetill.timelines.actors import Actor

pytestmark = MARKS
SIDEWAYS = "document.scrollingElement.scrollWidth - window.innerWidth"
WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}


@pytest.mark.parametrize("language", ["fr", "it"])
@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_the_catalogue_in_french_and_italian_fits_a_phone_and_a_desktop(
    live_server, browser, site, language, device
):
    user = create_user(username="boss", password=PASSWORD, role="manager")
    user.profile.language = language
    user.profile.save()
    spec = ProductSpec(
        kind="time",
        internal_name="Parking visiteurs",
        short_name="Parking",
        vat_rate=Decimal("20"),
        tariff=CAR_PARK,
    )
    create_product(spec=spec, actor=Actor.operator())
    page = browser.new_page(viewport=WIDTHS[device])
    log_in(page, live_server.url, "boss", then="/catalog/")
    for path, name in (("/catalog/", "list"), ("/catalog/new/simple/", "form"), ("/catalog/sites/", "sites")):
        page.goto(f"{live_server.url}{path}")
        settle(page)
        shot(page, f"catalog-{name}-{language}-{device}.png")
        assert page.evaluate(SIDEWAYS) <= 0, path
    page.goto(f"{live_server.url}/catalog/")
    assert (
        page.locator(".price-cell").first.inner_text().startswith({"fr": "Tarif", "it": "Tariffa"}[language])
    )
