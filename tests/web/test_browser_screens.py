"""The front desk's four screens (the Timestamp page, a sale, its receipt, the family pages) on a phone, a
tablet and a desktop: nothing cut, no sideways scroll, the page links reachable. Screenshots in artifacts/."""

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from tests.browser import ARTIFACTS, MARKS, log_in, shot
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
DESKTOP = {"width": 1366, "height": 900}
DEVICES = pytest.mark.parametrize("viewport", [PHONE, TABLET, DESKTOP], ids=["phone", "tablet", "desktop"])

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


def _check_fits(page, viewport: dict, name: str) -> None:
    """The screen as it is now: no sideways scroll, nothing cut, and a full-page screenshot of it."""
    page.wait_for_timeout(300)  # let a message finish fading in
    shot(page, f"screens-{name}-{viewport['width']}.png")
    assert page.evaluate(SIDEWAYS) <= 0, f"{name}: the page scrolls sideways"
    assert page.evaluate(CUT_ELEMENTS) == [], f"{name}: something is cut"


def _page_links_reachable(page, viewport: dict, *links: str) -> None:
    """Every page link can be tapped: in the top bar, or in the Menu of a narrow screen (closed again)."""
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
    page.screenshot(path=str(ARTIFACTS / f"screens-menu-{viewport['width']}.png"))
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
            ("Coffee (bar)", "Coffee", "2.50"),
            ("Sunday brunch with fresh orange juice", "Brunch with fresh orange juice", "1234.50"),
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
            internal_name="Extra Hours 8-16",
            short_name="Extra Hours",
            vat_rate=Decimal(20),
            tariff=examples.EXTRA_HOURS,
        ),
        actor=operator,
    )
    fee = create_product(
        spec=ProductSpec(
            kind="simple",
            internal_name="Monthly fee 8-16",
            short_name="Monthly fee",
            price=Decimal("440.00"),
            vat_rate=Decimal(20),
        ),
        actor=operator,
    )
    package = create_package(
        spec=PackageSpec(name="Package 8-16", proration="none", items=(ItemSpec(fee.pk), ItemSpec(extra.pk))),
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
def scene(live_server):
    with time_machine.travel(next_weekday_morning(), tick=True):
        now = timezone.now()
        desk_scene(now)
        Site.objects.create(name="Car park Part-Dieu", slug="parking", time_zone="Europe/Paris")
        open_sale, paid_sale = _till_scene(now)
        _family_scene(now)
        yield {"url": live_server.url, "open": open_sale, "paid": paid_sale}
    triggers.lift()  # the flush that follows deletes the issued invoice (tests/invoicing/triggers.py)


@DEVICES
def test_the_timestamp_page_fits(scene, browser, viewport):
    page = browser.new_page(viewport=viewport)
    log_in(page, scene["url"], "demo", "/timestamp/?site=cowork")
    page.locator("article.line", has_text="Alice Martin").wait_for()
    shot(page, f"screens-timestamp-top-{viewport['width']}.png")
    assert page.evaluate(SITE_NAME_FITS), "the site's name is cut"
    scan = page.get_by_role("button", name="Scan", exact=True)
    assert scan.is_visible()
    box = scan.bounding_box()
    assert box["height"] >= 44 and box["x"] + box["width"] <= viewport["width"]  # a finger's size, on screen
    _check_fits(page, viewport, "timestamp")
    _page_links_reachable(page, viewport, "Timestamp", "Till", "Catalogue", "Cards", "Back office")

    page.locator("article.line", has_text="Alice Martin").get_by_role("button", name="Details").click()
    page.locator("#line-panel h2", has_text="Alice Martin").wait_for()
    _check_fits(page, viewport, "timestamp-panel")


@DEVICES
def test_a_touch_user_scans_with_the_scan_button(scene, browser, viewport):
    page = browser.new_page(viewport=viewport, has_touch=True)
    log_in(page, scene["url"], "demo", "/timestamp/?site=cowork")
    page.locator("#scan-code").fill(make_ean13("200000000101"))  # Chloé Durand's card
    page.get_by_role("button", name="Scan", exact=True).tap()
    page.locator("#flash", has_text="Chloé Durand checked out.").wait_for()


@DEVICES
def test_a_sale_fits(scene, browser, viewport):
    page = browser.new_page(viewport=viewport)
    log_in(page, scene["url"], "demo", f"/till/sales/{scene['open'].pk}/")
    page.locator(".sale-line", has_text="Brunch").wait_for()
    _check_fits(page, viewport, "sale")
    page.get_by_label("Cash tendered").fill("1300")
    page.locator("#pay-preview .preview-change").wait_for()
    _check_fits(page, viewport, "sale-change")


@DEVICES
def test_a_receipt_fits(scene, browser, viewport):
    page = browser.new_page(viewport=viewport)
    log_in(page, scene["url"], "demo", f"/till/sales/{scene['paid'].pk}/receipt/")
    assert "Brunch with fresh orange juice" in page.locator(".receipt-paper").inner_text()
    _check_fits(page, viewport, "receipt")


@DEVICES
@pytest.mark.parametrize("path", ["/family/", "/invoicing/mine/"], ids=["family", "invoices"])
def test_the_family_pages_fit(scene, browser, viewport, path):
    page = browser.new_page(viewport=viewport)
    log_in(page, scene["url"], "parent", path)
    assert "Léa Martin" in page.locator("main").inner_text()
    _check_fits(page, viewport, path.strip("/").replace("/", "-"))
    _page_links_reachable(page, viewport, "My family", "My invoices")


def test_the_menu_closes_on_a_tap_elsewhere(scene, browser):
    page = browser.new_page(viewport=PHONE)
    log_in(page, scene["url"], "demo", "/timestamp/?site=cowork")
    page.locator(".nav-menu summary").click()
    assert page.locator(".nav-menu-links").is_visible()
    page.locator("main").click(position={"x": 10, "y": 400})
    assert not page.locator(".nav-menu-links").is_visible()
