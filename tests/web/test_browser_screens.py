"""The front desk's four screens (the Timestamp page, a sale, its receipt, the family pages) on a phone, a
tablet and a desktop: nothing cut, no sideways scroll, the page links reachable. Screenshots in artifacts/."""

import re
from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone, translation
from django.utils.translation import gettext

from tests.browser import ARTIFACTS, MARKS, log_in, settle, shot
from tests.conftest import PASSWORD
from tests.invoicing import triggers
from tests.web.scenes import PARIS, desk_scene, next_weekday_morning
from timetill.accounts.services import create_user
from timetill.catalog import examples
from timetill.catalog.packages import ItemSpec, PackageSpec, create_package
from timetill.catalog.services import ProductSpec, create_product
from timetill.customers.codes import make_ean13
from timetill.customers.services import create_customer
from timetill.invoicing.families import PayerSpec, create_family, enrol
from timetill.invoicing.invoices import issue_invoice
from timetill.invoicing.models import Invoice
from timetill.invoicing.month import Month
from timetill.invoicing.run import run_month
from timetill.sales.models import Sale
from timetill.sales.services import LineSpec, PaymentSpec, add_line, close_sale
from timetill.sites.models import Site
from timetill.timelines.actors import Actor
from timetill.timelines.models import TimeLine, Via

pytestmark = MARKS

PHONE = {"width": 390, "height": 844}
TABLET = {"width": 820, "height": 1180}
# The narrowest common desktop: a long-open stay once scrolled it sideways, a French site name was cut.
DESKTOP = {"width": 1280, "height": 800}
# The browser asks for the language (Accept-Language); the customers' documents speak it too.
LANGUAGES = pytest.mark.parametrize("language", ["en", "fr", "it"])
# The English labels of each screen: each shows in English, and none is left in French or Italian.
LABELS = {
    "timestamp": [
        "Scan a card, or type a code and press Enter",
        "Here now",
        "Stopped",
        "Find a customer",
        "Details",
        "Hide paid",
        "Show hidden",
        "Stop",
        "Scan",
        "forgotten check-out?",
        "over maximum stay",
    ],
    "panel": ["Stop now", "Sale", "Customer", "Correct the times", "History"],  # "Note" is French too
    "sale": [
        "Lines",
        "VAT breakdown",
        "Pay",
        "Cash tendered",
        "Confirm payment",
        "Add a product",
        "Product",
        "Quantity",
        "Price",
        "Add to the sale",
        "Customer",
        "Remove",
        "Discount",
        "Park",
        "Exact cash",
        "VAT",
    ],
    "receipt": ["Print", "Receipt", "Thank you!", "Change given", "Cash tendered", "VAT"],
    "family": ["My family", "Not here", "Recent stays", "Here since", "Check out", "Check in at"],
    # On a phone the invoice's row labels are drawn by the style sheet, out of the page's text.
    "invoicing-mine": ["My invoices", "Balance", "This month so far", "Invoices", "Why"],
}

# Every visible element whose text or box the page cuts: past the screen's right edge, or clipped by an
# overflow that hides what does not fit (an ellipsis included). Scrolling boxes and the visually hidden
# (1 px) labels of screen readers are not cut.
CUT_ELEMENTS = """() => {
  const cut = [];
  const width = window.innerWidth;
  for (const element of document.querySelectorAll("body *")) {
    const box = element.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) continue;
    if (!element.checkVisibility({ visibilityProperty: true, contentVisibilityAuto: true })) continue;
    if (element.closest("[aria-hidden=true], .visually-hidden")) continue;
    const style = getComputedStyle(element);
    const classes = String(element.className || "").trim().replace(/\\s+/g, ".");
    const name = element.tagName.toLowerCase() + (classes ? "." + classes : "");
    if (box.right > width + 1 || box.left < -1) {
      let inScroller = false;
      for (let up = element.parentElement; up && up !== document.body; up = up.parentElement) {
        if (/(auto|scroll)/.test(getComputedStyle(up).overflowX)) { inScroller = true; break; }
      }
      if (!inScroller) cut.push(name + " sticks out: " + Math.round(box.left) + "–" + Math.round(box.right));
    }
    const clips = /(hidden|clip)/.test(style.overflowX) || style.textOverflow === "ellipsis";
    if (clips && element.scrollWidth > element.clientWidth + 1 && element.textContent.trim()) {
      cut.push(name + " cuts its text: " + JSON.stringify(element.textContent.trim().slice(0, 60)));
    }
  }
  return cut;
}"""
SIDEWAYS = "document.scrollingElement.scrollWidth - window.innerWidth"
# The site's name as the site switch shows it, measured in the switch's own font, against the room it has.
SITE_NAME_FITS = """() => {
  const select = document.querySelector("#site-switch");
  const style = getComputedStyle(select);
  const context = document.createElement("canvas").getContext("2d");
  context.font = style.font;
  const text = select.options[select.selectedIndex].text;
  const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return context.measureText(text).width <= room;
}"""

# The scan field's placeholder is read whole (a phone in French once cut it: "En attente d'un passa…").
PLACEHOLDER_FITS = """() => {
  const input = document.querySelector("#scan-code");
  const style = getComputedStyle(input);
  const context = document.createElement("canvas").getContext("2d");
  context.font = style.font;
  const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return context.measureText(input.placeholder).width <= room;
}"""


# For each row, each cell's text's left and right edges (its text, not its box: a right-aligned amount fills
# its cell up to the next one).
CELL_TEXT_EDGES = """selector => [...document.querySelectorAll(selector)].map(row =>
  [...row.cells].map(cell => {
  const range = document.createRange();
  range.selectNodeContents(cell);
  const box = range.getBoundingClientRect();
  return [box.left, box.right];
}))"""


def _(language: str, text: str) -> str:
    """The text as the page speaks it in this language (the catalogue's translation)."""
    with translation.override(language):
        return gettext(text)


def _shown(text: str, label: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(label)}(?!\w)", text) is not None


def _check_fits(page, viewport: dict, name: str, language: str, labels: str | None = None) -> None:
    """The screen as it is now: no sideways scroll, nothing cut, every label in its language; a screenshot."""
    settle(page)  # a message fading in
    shot(page, f"screens-{name}-{language}-{viewport['width']}.png")
    screen = f"{name} at {viewport['width']} px"
    assert page.evaluate(SIDEWAYS) <= 0, f"{screen}: the page scrolls sideways"
    assert page.evaluate(CUT_ELEMENTS) == [], f"{screen}: something is cut"
    assert page.locator("html").get_attribute("lang") == language
    text = page.locator("body").inner_text()
    english = LABELS[labels or name]
    if language == "en":
        assert [label for label in english if not _shown(text, label)] == []  # the list is the page's
    else:
        assert [label for label in english if _shown(text, label)] == [], f"{screen}: left in English"


def _page_links_reachable(page, viewport: dict, language: str, *links: str) -> None:
    """Every page link can be tapped: in the top bar, or in the Menu of a narrow screen (closed again)."""
    links = tuple(_(language, link) for link in links)
    nav = page.locator("header .nav")
    if nav.is_visible() and all(nav.get_by_role("link", name=link).is_visible() for link in links):
        return
    menu = page.locator(".nav-menu")
    menu.locator("summary").click()
    for link in links:
        item = menu.locator(".nav-menu-links").get_by_role("link", name=link)
        assert item.is_visible(), f"{link} cannot be reached"
        box = item.bounding_box()
        assert 0 <= box["x"] and box["x"] + box["width"] <= viewport["width"]
    page.screenshot(path=str(ARTIFACTS / f"screens-menu-{language}-{viewport['width']}.png"))
    page.keyboard.press("Escape")
    assert not menu.locator(".nav-menu-links").is_visible()


def _till_scene(now: datetime) -> tuple[Sale, Sale]:
    """A coffee and a long-named product at the coworking: one sale open, one paid (its receipt)."""
    site = Site.objects.get(slug="cowork")
    actor = Actor.for_user(create_user(username="desk", password=PASSWORD, role="cashier"))
    operator = Actor.operator()
    coffee, brunch = (
        create_product(
            spec=ProductSpec(
                kind="simple",
                internal_name=name,
                short_name=short,
                price=Decimal(price),
                vat_rate=Decimal(10),
            ),
            actor=operator,
        )
        for name, short, price in (
            ("Café (comptoir)", "Café", "2.50"),
            ("Brunch du dimanche avec jus d’orange pressé", "Brunch avec jus d’orange pressé", "1234.50"),
        )
    )
    customer = create_customer(name="Chloé Durand-Lefèvre de la Tour")
    sales = []
    for _ in range(2):
        sale = Sale.objects.create(site=site, customer=customer, currency="EUR", created_at=now)
        add_line(sale_id=sale.pk, spec=LineSpec(coffee.pk, Decimal(2)), actor=actor)
        add_line(sale_id=sale.pk, spec=LineSpec(brunch.pk, confirmed=True), actor=actor)  # over €1,000
        sales.append(sale)
    close_sale(sale_id=sales[1].pk, payments=[PaymentSpec("cash", Decimal("1240.00"))], actor=actor, at=now)
    return sales[0], sales[1]


def _family_scene(now: datetime) -> None:
    """A daycare family whose payer is the parent login: last month's invoice issued, a child here now."""
    operator = Actor.operator()
    daycare = Site.objects.create(
        name="Les Lutins",
        slug="lutins",
        time_zone="Europe/Paris",
        family_check_in=True,
        created_at=datetime(2020, 1, 1, tzinfo=PARIS),
    )
    extra = create_product(
        spec=ProductSpec(
            kind="daily_time",
            internal_name="Heures en plus 8-16",
            short_name="Heures en plus",
            vat_rate=Decimal(20),
            tariff=examples.EXTRA_HOURS,
        ),
        actor=operator,
    )
    fee = create_product(
        spec=ProductSpec(
            kind="simple",
            internal_name="Forfait mensuel 8-16",
            short_name="Forfait mensuel",
            price=Decimal("440.00"),
            vat_rate=Decimal(20),
        ),
        actor=operator,
    )
    package = create_package(
        spec=PackageSpec(name="Forfait 8-16", proration="none", items=(ItemSpec(fee.pk), ItemSpec(extra.pk))),
        actor=operator,
    )
    create_user(username="parent", password=PASSWORD, role="parent")
    lea, hugo = create_customer(name="Léa Martin"), create_customer(name="Hugo Martin")
    payer = PayerSpec(
        name="Claire Martin",
        address="12 rue des Lilas\n75011 Paris",
        tax_code="MRTCLR80A41F205X",
        email="claire.martin@example.org",
        username="parent",
    )
    create_family(
        site_id=daycare.pk, name="Martin", payers=(payer,), children=(lea.pk, hugo.pk), actor=operator
    )
    this_month = now.astimezone(PARIS).date().replace(day=1)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    for child in (lea, hugo):
        enrol(customer_id=child.pk, package_id=package.pk, start=last_month, end=None, actor=operator, at=now)
    day = last_month
    while day < this_month:  # last month's weekdays, 08:00 to 16:20: a little extra time each day
        if day.weekday() < 5:
            start = datetime.combine(day, time(8, 0), tzinfo=PARIS)
            TimeLine.objects.create(
                site=daycare,
                customer=lea,
                start=start,
                end=start + timedelta(hours=8, minutes=20),
                started_via=Via.SCAN,
                stopped_via=Via.SCAN,
            )
        day += timedelta(days=1)
    TimeLine.objects.create(site=daycare, customer=lea, start=now - timedelta(hours=2), started_via=Via.SCAN)
    run_month(site_id=daycare.pk, month=Month(last_month), actor=operator, at=now)
    for invoice in Invoice.objects.all():
        issue_invoice(invoice_id=invoice.pk, actor=operator, at=now)


@pytest.fixture
def scene(live_server, language):
    with time_machine.travel(next_weekday_morning(), tick=True):
        now = timezone.now()
        desk_scene(now)
        Site.objects.filter(slug="cowork").update(language=language)  # its receipts speak the language
        Site.objects.create(name="Car park Part-Dieu", slug="parking", time_zone="Europe/Paris")
        open_sale, paid_sale = _till_scene(now)
        _family_scene(now)
        yield {"url": live_server.url, "open": open_sale, "paid": paid_sale}
    triggers.lift()  # the flush that follows deletes the issued invoice (tests/invoicing/triggers.py)


def _logged_in(browser, url: str, language: str, username: str, then: str):
    """A page logged in once through the form; each screen size below reloads its page in it."""
    page = browser.new_page(viewport=PHONE, locale=language)
    log_in(page, url, username, then)
    return page


def _at(page, viewport: dict, url: str) -> None:
    page.set_viewport_size(viewport)
    page.goto(url)


def _timestamp_page_fits(page, url: str, viewport: dict, language: str) -> None:
    _at(page, viewport, f"{url}/timestamp/?site=cowork")
    page.locator("article.line", has_text="Alice Martin").wait_for()
    assert page.evaluate(SITE_NAME_FITS), "the site's name is cut"
    assert page.evaluate(PLACEHOLDER_FITS), "the scan field's placeholder is cut"
    scan = page.get_by_role("button", name=_(language, "Scan"), exact=True)
    assert scan.is_visible()
    box = scan.bounding_box()
    assert box["height"] >= 44 and box["x"] + box["width"] <= viewport["width"]  # a finger's size, on screen
    _check_fits(page, viewport, "timestamp", language)
    _page_links_reachable(page, viewport, language, "Timestamp", "Till", "Catalogue", "Cards", "Back office")

    alice = page.locator("article.line", has_text="Alice Martin")
    alice.get_by_role("button", name=_(language, "Details")).click()
    page.locator("#line-panel h2", has_text="Alice Martin").wait_for()
    _check_fits(page, viewport, "timestamp-panel", language, "panel")


def _the_menu_closes_on_a_tap_elsewhere(page, url: str) -> None:
    _at(page, PHONE, f"{url}/timestamp/?site=cowork")
    page.locator(".nav-menu summary").click()
    assert page.locator(".nav-menu-links").is_visible()
    page.locator("main").click(position={"x": 10, "y": 400})
    assert not page.locator(".nav-menu-links").is_visible()


def _sale_fits(page, url: str, viewport: dict, language: str, sale: Sale) -> None:
    _at(page, viewport, f"{url}/till/sales/{sale.pk}/")
    page.locator(".sale-line", has_text="Brunch").wait_for()
    _check_fits(page, viewport, "sale", language)
    page.get_by_label(_(language, "Cash tendered")).fill("1300")
    page.locator("#pay-preview .preview-change").wait_for()
    _check_fits(page, viewport, "sale-change", language, "sale")


def _receipt_fits(page, url: str, viewport: dict, language: str, sale: Sale) -> None:
    _at(page, viewport, f"{url}/till/sales/{sale.pk}/receipt/")
    assert "Brunch avec jus d’orange pressé" in page.locator(".receipt-paper").inner_text()
    _check_fits(page, viewport, "receipt", language)
    # The VAT table's amounts stay apart: "€ 1.126,82€ 112,68" once read as one number on a phone.
    for row in page.evaluate(CELL_TEXT_EDGES, ".r-vat tr"):
        gaps = [right_cell[0] - left_cell[1] for left_cell, right_cell in zip(row, row[1:], strict=False)]
        assert min(gaps) >= 4, f"receipt at {viewport['width']} px: VAT columns {row} touch"


def _family_page_fits(page, url: str, viewport: dict, language: str, path: str) -> None:
    _at(page, viewport, f"{url}{path}")
    assert "Léa Martin" in page.locator("main").inner_text()
    _check_fits(page, viewport, path.strip("/").replace("/", "-"), language)
    _page_links_reachable(page, viewport, language, "My family", "My invoices")


# The matrix walks each screen at each size in one test per language: the scene (a coworking morning, a till,
# a daycare family with an issued invoice) is built once for all of them, and each login is made once.
@LANGUAGES
def test_the_front_desk_screens_fit_a_phone_a_tablet_and_a_desktop(scene, browser, language):
    url = scene["url"]
    desk = _logged_in(browser, url, language, "demo", "/timestamp/?site=cowork")
    parent = _logged_in(browser, url, language, "parent", "/family/")
    for viewport in (PHONE, TABLET, DESKTOP):
        _timestamp_page_fits(desk, url, viewport, language)
        if viewport is PHONE:
            _the_menu_closes_on_a_tap_elsewhere(desk, url)
        _sale_fits(desk, url, viewport, language, scene["open"])
        _receipt_fits(desk, url, viewport, language, scene["paid"])
        for path in ("/family/", "/invoicing/mine/"):
            _family_page_fits(parent, url, viewport, language, path)


# Each size taps Scan for a different person who is here: a scan stops a stay, so the same card scanned
# again would check its holder back in.
TOUCH_SCANS = [(PHONE, "200000000101", "Chloé Durand"), (TABLET, "200000000104", "Farid Benali")]
TOUCH_SCANS += [(DESKTOP, "200000000105", "Emma Petit")]


@LANGUAGES
def test_a_touch_user_scans_with_the_scan_button(scene, browser, language):
    url = scene["url"]
    login = _logged_in(browser, url, language, "demo", "/timestamp/?site=cowork").context.storage_state()
    for viewport, code, name in TOUCH_SCANS:
        page = browser.new_page(viewport=viewport, locale=language, has_touch=True, storage_state=login)
        page.goto(f"{url}/timestamp/?site=cowork")
        page.locator("#scan-code").fill(make_ean13(code))
        page.get_by_role("button", name=_(language, "Scan"), exact=True).tap()
        page.locator("#flash .flash-ok", has_text=name).wait_for()
        assert page.locator("section[aria-labelledby=stopped-title] article.line", has_text=name).count()
