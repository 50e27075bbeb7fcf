"""The report pages in Chromium on a desktop and a tablet, with screenshots (artifacts/reports-*.png)."""

from datetime import timedelta

import pytest

from tests.browser import MARKS, log_in, shot
from tests.conftest import paris

pytestmark = MARKS
SIZES = {"desktop": {"width": 1440, "height": 900}, "tablet": {"width": 820, "height": 1180}}
TUESDAY = "from=2026-03-03&to=2026-03-03"


@pytest.fixture
def busy_tuesday(scene, make_stay):
    """Twenty more stays that day, so that the chart has a shape: a morning and an evening rush."""
    for n in range(20):
        start = paris(2026, 3, 3, 8, 0) + timedelta(minutes=37 * n)
        make_stay(scene.site, start, start + timedelta(minutes=90 + 13 * (n % 7)))
    return scene


@pytest.mark.parametrize("size", SIZES)
def test_each_report_on_a_desktop_and_a_tablet(live_server, browser, make_user, busy_tuesday, size):
    site = busy_tuesday.site
    make_user("manager", username="boss")
    page = browser.new_page(viewport=SIZES[size])
    log_in(page, live_server.url, "boss")

    # On a tablet the page links are in the top bar's Menu.
    menu = page.locator("summary[aria-label='Menu: every page']")
    if menu.is_visible():
        menu.click()
    page.locator("a[href='/reports/']:visible").first.click()
    page.wait_for_url(f"{live_server.url}/reports/")
    page.fill("input[name=from]", "2026-03-03")
    page.fill("input[name=to]", "2026-03-03")
    page.get_by_role("button", name="Show").click()
    page.wait_for_selector("[data-total=count]")
    assert page.inner_text("[data-total=count]") == "23"
    assert page.locator("#time-lines tbody tr").count() == 23
    shot(page, f"reports-time-lines-{size}.png")

    page.get_by_role("link", name="Occupancy").click()
    page.goto(f"{live_server.url}/reports/occupancy/?site={site.slug}&{TUESDAY}&bucket=hour")
    chart = page.locator("#occupancy-chart svg")
    chart.wait_for()
    assert chart.bounding_box()["width"] > 300
    assert page.locator("#occupancy-table tr.peak").count() == 1
    assert page.locator("#heat-map rect").count() == 7 * 24
    shot(page, f"reports-occupancy-{size}.png")
    # Nothing wider than the screen: no sideways scrolling on a tablet.
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')]"
        ".filter(e => e.getBoundingClientRect().right > window.innerWidth)"
        ".map(e => e.tagName + '.' + e.className).slice(0, 5)"
    )
    assert wide == []

    page.goto(f"{live_server.url}/reports/revenue/?{TUESDAY}")
    page.wait_for_selector("#by-group")
    assert page.inner_text("[data-figure=gross]") == "3.70"
    shot(page, f"reports-revenue-{size}.png")


PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("size", ["phone", "tablet"])
def test_a_large_export_shows_its_progress_then_its_download(
    live_server, browser, make_user, busy_tuesday, monkeypatch, settings, tmp_path, work, size
):
    from timetill.reports import jobs

    monkeypatch.setattr(jobs, "BACKGROUND_FROM", 10)  # the day's 23 lines go to the background
    settings.EXPORTS_DIR = tmp_path / "exports"
    make_user("manager", username="boss")
    page = browser.new_page(viewport=PHONE if size == "phone" else SIZES[size], accept_downloads=True)
    log_in(page, live_server.url, "boss")
    page.goto(f"{live_server.url}/reports/?{TUESDAY}")
    page.get_by_role("button", name="XLSX (prepared in the background)").click()
    page.wait_for_selector("#export-progress[data-state=queued]")
    assert page.locator("progress.report-progress").count() == 1
    shot(page, f"reports-export-waiting-{size}.png")
    work()  # the worker writes it; the page, polling, turns into its download
    page.wait_for_selector("#export-progress[data-state=done]")
    assert "Ready: 23 time lines." in page.inner_text("#export-progress")
    shot(page, f"reports-export-ready-{size}.png")
    with page.expect_download() as download:
        page.get_by_test_id("export-download").click()
    assert download.value.suggested_filename == "time-lines-20260303-20260303.xlsx"
    # The page's own content fits the screen (the top bar's links scroll sideways on a phone by design).
    wide = page.evaluate(
        "[...document.querySelectorAll('main *')]"
        ".filter(e => e.getBoundingClientRect().right > window.innerWidth)"
        ".map(e => e.tagName + '.' + e.className).slice(0, 5)"
    )
    assert wide == []
