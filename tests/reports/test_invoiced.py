"""Invoices in the reports: revenue from issued invoices and credit notes beside the till's sales, worked out
by hand; the stays an invoice billed show its number in the time lines, on screen and in the downloads."""

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import openpyxl
import pytest
import time_machine
from django.utils import timezone

from tests.conftest import PARIS, paris
from tests.invoicing.conftest import (  # noqa: F401 - the daycare of the invoicing tests
    OPERATOR,
    daycare,
    make_enrolment,
    make_family,
    make_package,
    make_stay,
    package,
    product_week,
    products,
)
from timetill.customers.models import CustomerGroup
from timetill.invoicing.invoices import credit_invoice, issue_invoice
from timetill.invoicing.models import BilledStay, Invoice
from timetill.invoicing.month import parse_month
from timetill.invoicing.run import run_month
from timetill.reports.exports import BOM, time_line_csv, write_xlsx
from timetill.reports.periods import Period
from timetill.reports.revenue import revenue
from timetill.reports.timelines import TimeLineFilters, time_line_rows, totals
from timetill.sales.services import PaymentSpec, close_sale
from timetill.sales.stays import stop_and_price
from timetill.timelines.services.scan import check_in

D = Decimal
NOVEMBER = Period(first=date(2026, 11, 1), last=date(2026, 11, 30), tz=PARIS)
OCTOBER = Period(first=date(2026, 10, 1), last=date(2026, 10, 31), tz=PARIS)


@dataclass
class Billed:
    invoice: Invoice
    lea: object
    stays: list


@pytest.fixture
def billed(daycare, make_family, package, make_enrolment, product_week, products):  # noqa: F811
    """Léa (group Toddlers) at the daycare: the November run bills the monthly fee (440.00, VAT 20 %
    included) and October's extra time (38.00); issued on 3 November, credited 10.00 of the fee on the 5th.
    A second family's draft is left a draft."""
    _family, (lea,) = make_family("Martin")
    lea.group = CustomerGroup.objects.create(name="Toddlers")
    lea.save()
    make_enrolment(lea, package, date(2026, 9, 1))
    stays = product_week(lea)
    _other, (tom,) = make_family("Petit", children=("Tom",))
    make_enrolment(tom, package, date(2026, 9, 1))
    run_month(site_id=daycare.pk, month=parse_month("2026-11"), actor=OPERATOR, at=paris(2026, 11, 2, 9, 0))
    invoice = issue_invoice(
        invoice_id=Invoice.objects.get(payer__family__name="Martin").pk,
        actor=OPERATOR,
        at=paris(2026, 11, 3, 10, 0),
    )
    fee = invoice.lines.get(kind="monthly")
    credit_invoice(
        invoice_id=invoice.pk,
        reason="Closed two days",
        amounts={fee.pk: D("10.00")},
        actor=OPERATOR,
        at=paris(2026, 11, 5, 9, 0),
    )
    return Billed(invoice=invoice, lea=lea, stays=stays)


@pytest.fixture
def paid_parking(site, time_product, site_time_product, make_customer, cashier_actor):
    """Ana (Members) parks 10:00–11:20 on 4 November at the car park: 2.50 + 2 × 0.60 = 3.70, paid."""
    site_time_product(site, time_product)
    ana = make_customer("Ana Dupré", group="Members")
    with time_machine.travel(paris(2026, 11, 4, 10, 0), tick=False):
        line = check_in(site=site, customer=ana, actor=cashier_actor, at=timezone.now())
    with time_machine.travel(paris(2026, 11, 4, 11, 20), tick=False):
        _line, sale_line = stop_and_price(time_line_id=line.pk, actor=cashier_actor, at=timezone.now())
    close_sale(
        sale_id=sale_line.sale_id,
        payments=[PaymentSpec("cash", D("5.00"))],
        actor=cashier_actor,
        at=paris(2026, 11, 4, 11, 21),
    )


def figures(lines) -> dict:
    return {line.name: (line.net, line.vat, line.gross) for line in lines}


def test_an_invoice_a_credit_note_and_a_sale_in_one_month(billed, paid_parking):
    found = revenue(site=None, period=NOVEMBER)
    # VAT is included at 20 %: 440.00 = 366.67 + 73.33; 38.00 = 31.67 + 6.33; 10.00 = 8.33 + 1.67;
    # 3.70 = 3.08 + 0.62. The fee less its credit: 358.34 + 71.66 = 430.00.
    assert figures(found.by_product) == {
        "Extra Hours": (D("31.67"), D("6.33"), D("38.00")),
        "Monthly fee": (D("358.34"), D("71.66"), D("430.00")),
        "Parking": (D("3.08"), D("0.62"), D("3.70")),
    }
    assert figures(found.by_group) == {
        "Members": (D("3.08"), D("0.62"), D("3.70")),
        "Toddlers": (D("390.01"), D("77.99"), D("468.00")),
    }
    assert figures(found.by_source) == {
        "Paid sales": (D("3.08"), D("0.62"), D("3.70")),
        "Invoices issued": (D("398.34"), D("79.66"), D("478.00")),
        "Credit notes": (D("-8.33"), D("-1.67"), D("-10.00")),
    }
    assert (found.total.net, found.total.vat, found.total.gross) == (D("393.09"), D("78.61"), D("471.70"))
    assert found.sources == ("sales", "invoices", "credit_notes")


def test_documents_count_on_their_own_issue_day_and_site(billed, paid_parking, daycare, site):  # noqa: F811
    def day(d: int) -> Period:
        return Period(first=date(2026, 11, d), last=date(2026, 11, d), tz=PARIS)

    assert revenue(site=daycare, period=day(3)).total.gross == D("478.00")
    assert revenue(site=daycare, period=day(5)).total.gross == D("-10.00")
    assert revenue(site=daycare, period=day(4)).total.gross == D("0.00")
    assert revenue(site=site, period=day(4)).total.gross == D("3.70")
    assert revenue(site=site, period=day(3)).total.gross == D("0.00")
    # The stays were in October; what counts is the day the invoice was issued, not the period it bills.
    assert revenue(site=daycare, period=OCTOBER).total.gross == D("0.00")


def test_a_draft_never_counts(daycare, make_family, package, make_enrolment):  # noqa: F811
    _family, (lea,) = make_family("Martin")
    make_enrolment(lea, package, date(2026, 9, 1))
    run_month(site_id=daycare.pk, month=parse_month("2026-11"), actor=OPERATOR, at=paris(2026, 11, 2, 9, 0))
    assert Invoice.objects.get().state == "draft"
    assert revenue(site=None, period=NOVEMBER).total.gross == D("0.00")


def test_the_stays_an_invoice_billed_link_to_its_line(billed):
    line = billed.invoice.lines.get(kind="extra_time")
    assert set(BilledStay.objects.values_list("invoice_line_id", "time_line_id")) == {
        (line.pk, stay.pk) for stay in billed.stays
    }
    with pytest.raises(PermissionError):
        BilledStay.objects.first().delete()


def test_a_split_child_links_each_payers_line(
    daycare,  # noqa: F811
    make_family,  # noqa: F811
    package,  # noqa: F811
    make_enrolment,  # noqa: F811
    product_week,  # noqa: F811
):
    _family, (zoe,) = make_family("Durand", payers=2, split=(D(50), D(50)))
    make_enrolment(zoe, package)
    stays = product_week(zoe)
    run_month(site_id=daycare.pk, month=parse_month("2026-11"), actor=OPERATOR, at=paris(2026, 11, 2, 9, 0))
    for invoice in Invoice.objects.all():
        issue_invoice(invoice_id=invoice.pk, actor=OPERATOR, at=paris(2026, 11, 3, 10, 0))
    assert BilledStay.objects.count() == 2 * len(stays)
    rows = list(time_line_rows(TimeLineFilters(site=daycare, period=OCTOBER), at=paris(2026, 11, 6)))
    # The first payer's invoice is the one the report names.
    assert {row.billed_by for row in rows} == {"Invoice F2026-000001"}


def october(daycare, **filters) -> TimeLineFilters:  # noqa: F811
    return TimeLineFilters(site=daycare, period=OCTOBER, **filters)


AT = paris(2026, 11, 6, 12, 0)


def test_the_time_lines_show_the_invoice_that_billed_each_stay(billed, daycare, make_stay):  # noqa: F811
    unbilled = make_stay(billed.lea, paris(2026, 10, 31, 9, 0), None)  # still open: not billed
    rows = list(time_line_rows(october(daycare, order="start"), at=AT))
    assert len(rows) == 6
    for row in rows[:5]:
        assert (row.billed_by, row.state, row.product) == ("Invoice F2026-000001", "invoiced", "Extra Hours")
        assert row.invoice_id == billed.invoice.pk and row.amount is None  # the line prices the month
    assert (rows[5].id, rows[5].billed_by, rows[5].state) == (unbilled.pk, "", "open")
    assert len(list(time_line_rows(october(daycare, state="invoiced"), at=AT))) == 5
    extra = billed.invoice.lines.get(kind="extra_time").product_id
    assert len(list(time_line_rows(october(daycare, product_id=extra), at=AT))) == 5


def test_the_downloads_of_invoiced_stays_read_back_to_the_screens_totals(
    billed,
    daycare,  # noqa: F811
    login,
    manager,
    tmp_path,
):
    found = totals(october(daycare), at=AT)
    assert (found.count, found.amount) == (5, D("0.000"))
    with time_machine.travel(AT, tick=False):
        html = login(manager).get(f"/reports/?site={daycare.slug}&from=2026-10-01&to=2026-10-31").content
    html = html.decode()
    assert 'data-total="count">5<' in html
    assert f'href="/invoicing/invoices/{billed.invoice.pk}/">Invoice F2026-000001</a>' in html
    text = "".join(time_line_csv(time_line_rows(october(daycare), at=AT)))
    records = list(csv.DictReader(io.StringIO(text.removeprefix(BOM))))
    assert len(records) == found.count
    assert {r["Sale or invoice"] for r in records} == {"Invoice F2026-000001"}
    assert {r["State"] for r in records} == {"invoiced"}
    seconds = sum(
        int(h) * 3600 + int(m) * 60 + int(s) for h, m, s in (r["Duration"].split(":") for r in records)
    )
    assert seconds == found.seconds
    path = tmp_path / "october.xlsx"
    with path.open("wb") as out:
        write_xlsx(time_line_rows(october(daycare), at=AT), out)
    header, *cells = openpyxl.load_workbook(path).active.iter_rows(values_only=True)
    column = {name: i for i, name in enumerate(header)}
    assert len(cells) == found.count
    assert sum((r[column["Duration"]] for r in cells), timedelta()) == timedelta(seconds=found.seconds)
    assert {r[column["Sale or invoice"]] for r in cells} == {"Invoice F2026-000001"}


def test_the_revenue_page_and_api_show_invoices_beside_sales(billed, paid_parking, login, manager, api_as):
    with time_machine.travel(paris(2026, 12, 1, 9, 0), tick=False):
        html = login(manager).get("/reports/revenue/?preset=last_month").content.decode()
        status, body = api_as(manager).get("/reports/revenue?preset=last_month")
    assert status == 200 and 'data-figure="gross">471.70<' in html
    assert 'id="by-source"' in html and "Invoices issued" in html and "-10.00" in html
    assert body["total"] == {"name": "Total", "net": "393.09", "vat": "78.61", "gross": "471.70"}
    assert [line["name"] for line in body["by_source"]] == ["Paid sales", "Invoices issued", "Credit notes"]
    assert body["sources"] == ["sales", "invoices", "credit_notes"]
