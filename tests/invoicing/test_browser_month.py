"""The office's month in a real browser: enrol a child, run November, see the forgotten check-out, correct
the stay on the Timestamp page (the audited time edit), refresh the run, issue, open the PDF; then the
parent sees the invoice and its day-by-day detail on a phone."""

from datetime import date

import pypdfium2
import pytest
import time_machine

from tests.browser import ARTIFACTS, MARKS, log_in, shot
from tests.conftest import PASSWORD, paris
from timetill.accounts.services import create_user
from timetill.invoicing.models import Invoice
from timetill.timelines.models import AuditEntry, TimeLine

from . import triggers

pytestmark = MARKS

NOW = paris(2026, 11, 2, 9, 0)  # a Monday: November has begun, October's stays are all in


@pytest.fixture
def lifted_triggers():
    """The flush after this test deletes issued invoices: lift the triggers for it (harness only)."""
    yield
    triggers.lift()


@pytest.fixture
def october(daycare, make_family, package, product_week, make_stay):
    family, (lea,) = make_family("Martin")
    product_week(lea)  # PRODUCT.md's week: €38.00 of extra time
    forgotten = make_stay(lea, paris(2026, 10, 20, 8, 0), None)  # nobody scanned her out
    return family, lea, forgotten


def _wait_for_run(page, work) -> None:
    page.locator("#run-progress").wait_for()
    work()  # the background worker takes the job
    page.locator("#run-progress", has_text="Done:").wait_for(timeout=15_000)


def test_the_offices_month_then_the_parent_on_a_phone(
    live_server, browser, october, package, work, lifted_triggers
):
    family, lea, forgotten = october
    create_user(username="office", password=PASSWORD, role="manager")
    parent = family.payers.get().user
    with time_machine.travel(NOW, tick=True):
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        log_in(page, live_server.url, "office", then="/invoicing/families/?site=lutins")
        # 1. Enrol Léa in the 8-16 package from September.
        page.get_by_label("Package for Léa Martin").select_option(label=package.name)
        page.get_by_label("From (Léa Martin)").fill("2026-09-01")
        page.get_by_role("button", name="Enrol").click()
        page.locator(".flash", has_text="Léa Martin is enrolled in Package 8-16 from 2026-09-01.").wait_for()
        shot(page, "invoicing-1-enrolled.png")

        # 2. Run November: October's extra time, with the forgotten check-out to review.
        page.goto(f"{live_server.url}/invoicing/?site=lutins&month=2026-11")
        page.get_by_role("button", name="Run 2026-11").click()
        _wait_for_run(page, work)
        warning = page.locator("[data-testid=to-review]")
        assert "stay from 20/10/2026 08:00 still open (a forgotten check-out?)" in warning.inner_text()
        assert "1 line(s) to review" in page.locator("#run-progress").inner_text()
        shot(page, "invoicing-2-run-with-warning.png")

        # 3. Correct the stay on the Timestamp page: the audited time edit.
        warning.get_by_role("link", name=f"Correct stay {forgotten.code} on the Timestamp page").click()
        page.locator("article.line", has_text="Léa Martin").get_by_role("button", name="Details").click()
        panel = page.locator("#line-panel")
        panel.locator("summary", has_text="Correct the times").click()
        panel.locator("input[name=end]").fill("2026-10-20T16:30")
        panel.locator("input[name=reason]").fill("Left at 16:30, nobody scanned her out")
        shot(page, "invoicing-3-correct-the-stay.png")
        panel.get_by_role("button", name="Save the times").click()
        page.locator("#flash").wait_for()
        page.locator("article.line", has_text="forgotten check-out?").wait_for(state="detached")
        forgotten.refresh_from_db()
        assert forgotten.end == paris(2026, 10, 20, 16, 30)
        assert AuditEntry.objects.filter(time_line=forgotten, reason__contains="nobody scanned").exists()

        # 4. Refresh the run: the corrected stay is priced (20 minutes late: €10.00), nothing left to review.
        page.goto(f"{live_server.url}/invoicing/?site=lutins&month=2026-11")
        page.get_by_role("button", name="Refresh the drafts").click()
        _wait_for_run(page, work)
        assert not page.locator("[data-testid=to-review]").count()
        row = page.locator("[data-testid=invoice-row]")
        assert "€488.00" in row.inner_text()

        # 5. Issue, then open the PDF.
        page.get_by_role("button", name="Issue the draft").click()
        page.locator(".flash", has_text="1 invoice(s) issued: F2026-000001 to F2026-000001.").wait_for()
        shot(page, "invoicing-4-issued.png")
        invoice = Invoice.objects.get()
        assert invoice.state == "issued" and invoice.gross == 488
        pdf_link = row.get_by_role("link", name="PDF")
        response = page.request.get(live_server.url + pdf_link.get_attribute("href"))
        assert response.status == 200 and response.headers["content-type"] == "application/pdf"
        document = pypdfium2.PdfDocument(response.body())
        text = "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
        assert (
            "F2026-000001" in text
            and "for the period 01/10/2026" in text
            and "20/10/2026" in text
            or "2026-10-20" in text
        )
        ARTIFACTS.mkdir(exist_ok=True)
        document[0].render(scale=1.5).to_pil().save(ARTIFACTS / "invoicing-5-pdf.png")

        # 6. The parent, on a phone: the invoice and October's extra time day by day.
        phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        mobile = phone.new_page()
        log_in(mobile, live_server.url, parent.username, then="/invoicing/mine/")
        mobile.get_by_role("link", name="F2026-000001").click()
        mobile.locator("summary", has_text="Day by day").first.click()
        days = mobile.locator("[data-testid=day]")
        assert days.count() == 6  # the five days of PRODUCT.md's week and the corrected 20th
        tuesday = mobile.locator("[data-testid=day]:has(time[datetime='2026-10-20'])")
        assert "16:30" in tuesday.inner_text() and "10.00" in tuesday.inner_text()
        shot(mobile, "invoicing-6-parent-phone.png")
        wide = mobile.evaluate(  # what sticks out, should it fail
            "() => [...document.querySelectorAll('body *')].filter(e => e.checkVisibility() && "
            "e.getBoundingClientRect().right > 391)"
            ".slice(0, 5).map(e => e.tagName + '.' + e.className)"
        )
        width = mobile.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 390, f"the phone page scrolls sideways ({width}px): {wide}"
        phone.close()
    assert TimeLine.objects.get(pk=forgotten.pk).invoiced
    assert date(2026, 10, 1) == Invoice.objects.get().lines.get(kind="extra_time").period_start
