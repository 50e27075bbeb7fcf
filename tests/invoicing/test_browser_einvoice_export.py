"""The month's e-invoice ZIP in Chromium, on a phone and a desktop: asked for on the month's page, a page
with a progress bar that refreshes itself while the worker writes it, then its download (screenshots in
artifacts/einvoice-export-*.png)."""

import io
import zipfile

import pytest
import time_machine

from tests.browser import MARKS, log_in, shot
from tests.invoicing import triggers

from ..conftest import paris
from .test_einvoice_downloads import issued  # noqa: F401 - the fixture: two invoices and a credit note

pytestmark = MARKS
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
WIDER = """[...document.querySelectorAll('main *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
  .map(e => e.tagName + '.' + e.className).slice(0, 5)"""


@pytest.fixture
def november(issued, settings, tmp_path):  # noqa: F811 - the imported fixture
    settings.EXPORTS_DIR = tmp_path / "exports"
    with time_machine.travel(paris(2026, 12, 2, 10), tick=True):
        yield issued
    triggers.lift()  # the flush that ends the test deletes issued documents


@pytest.mark.parametrize("size", SIZES)
def test_the_office_asks_for_the_zip_watches_it_written_and_downloads_it(
    live_server, browser, make_user, november, work, size
):
    site = november[0].site
    make_user("manager", username="boss")
    page = browser.new_page(viewport=SIZES[size], accept_downloads=True)
    month = f"/invoicing/?site={site.slug}&month=2026-11"
    log_in(page, live_server.url, "boss", then="/invoicing/")
    page.goto(f"{live_server.url}{month}")
    form = page.get_by_test_id("einvoices-zip")
    assert form.is_visible()
    shot(page, f"einvoice-export-month-{size}.png")
    assert page.evaluate(WIDER) == []
    form.get_by_role("button", name="Prepare the e-invoices of the month (ZIP)").click()
    page.wait_for_selector("#export-progress[data-state=queued]")
    assert page.locator("progress.inv-progress").count() == 1
    assert "einvoices-lutins-2026-11.zip" in page.inner_text("main")
    shot(page, f"einvoice-export-waiting-{size}.png")
    assert page.evaluate(WIDER) == []
    work()  # the worker writes it; the page, polling, turns into its download
    page.wait_for_selector("#export-progress[data-state=done]", timeout=15_000)
    assert "Ready: 3 e-invoice files." in page.inner_text("#export-progress")
    shot(page, f"einvoice-export-ready-{size}.png")
    assert page.evaluate(WIDER) == []
    with page.expect_download() as download:
        page.get_by_test_id("export-download").click()
    assert download.value.suggested_filename == "einvoices-lutins-2026-11.zip"
    with open(download.value.path(), "rb") as got:
        archive = zipfile.ZipFile(io.BytesIO(got.read()))
    assert len(archive.namelist()) == 3
    assert all(archive.read(name).startswith(b"%PDF") for name in archive.namelist())
    page.get_by_role("link", name="Back to the month's invoicing").click()
    page.wait_for_url(f"{live_server.url}{month}")
    page.close()
