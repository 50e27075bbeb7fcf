"""The payer's phone page and the office's issue/send/PDF buttons: each payer sees only their own."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core import mail

from timetill.invoicing.invoices import issue_invoice
from timetill.invoicing.models import Invoice
from timetill.invoicing.month import parse_month
from timetill.invoicing.run import run_month

from ..conftest import paris
from .conftest import OPERATOR


@pytest.fixture
def split(daycare, make_family, package, make_enrolment, product_week):
    family, (zoe,) = make_family("Durand", children=("Zoé",), payers=2, split=(Decimal(50), Decimal(50)))
    make_enrolment(zoe, package, date(2026, 9, 1))
    product_week(zoe)
    run_month(site_id=daycare.pk, month=parse_month("2026-11"), actor=OPERATOR, at=paris(2026, 11, 2, 9))
    for invoice in Invoice.objects.order_by("payer__position"):
        issue_invoice(invoice_id=invoice.pk, actor=OPERATOR, at=paris(2026, 11, 3, 10))
    return [p.user for p in family.payers.order_by("position")]


def test_each_separated_parent_sees_only_their_own_invoice(login, split):
    first, second = split
    mine = Invoice.objects.get(payer__user=first)
    theirs = Invoice.objects.get(payer__user=second)
    client = login(first)
    with time_machine.travel(paris(2026, 11, 20, 12), tick=False):
        page = client.get("/invoicing/mine/").content.decode()
    assert mine.number in page and theirs.number not in page
    assert "Due: €239.00, of which overdue: €0.00" in page
    detail = client.get(f"/invoicing/mine/{mine.pk}/").content.decode()
    assert "19.00" in detail and "2026-10-09" in detail  # their half, and the day-by-day detail
    pdf = client.get(f"/invoicing/mine/{mine.pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert client.get(f"/invoicing/mine/{theirs.pk}/").status_code == 404
    assert client.get(f"/invoicing/mine/{theirs.pk}/pdf/").status_code == 404


def test_the_extra_time_accruing_this_month_is_shown(
    login, daycare, make_family, package, make_enrolment, make_stay
):
    family, (lea,) = make_family("Martin")
    make_enrolment(lea, package, date(2026, 9, 1))
    make_stay(lea, paris(2026, 11, 2, 7, 40), paris(2026, 11, 2, 16, 0))  # 20 min early: 3.00
    make_stay(lea, paris(2026, 11, 3, 8, 0), None)  # here now, until 16:30: 20 min late so far
    with time_machine.travel(paris(2026, 11, 3, 16, 30), tick=False):
        page = login(family.payers.get().user).get("/invoicing/mine/").content.decode()
    assert "Extra Hours: €13.00" in page  # 3 + 2 × 5
    assert "counted up to now" in page


@pytest.mark.parametrize(
    ("language", "balance", "total"),
    [
        ("fr", "Dû : 239,00\xa0€, dont en retard : 0,00\xa0€", ">239,00\xa0€<"),
        ("it", "Da pagare: €\xa0239,00, di cui scaduti: €\xa00,00", ">€\xa0239,00<"),
    ],
)
def test_the_parents_page_writes_amounts_as_its_language_does(login, split, language, balance, total):
    """The balance and the invoices' totals in the money format of the other pages, not "239.00 EUR"."""
    with time_machine.travel(paris(2026, 11, 20, 12), tick=False):
        page = login(split[0]).get("/invoicing/mine/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert balance in page
    assert total in page
    assert "EUR" not in page


@pytest.mark.parametrize(
    ("language", "accruing"), [("fr", "Extra Hours: 3,00\xa0€"), ("it", "Extra Hours: €\xa03,00")]
)
def test_the_extra_time_so_far_is_written_as_the_language_does(
    login, daycare, make_family, package, make_enrolment, make_stay, language, accruing
):
    family, (lea,) = make_family("Martin")
    make_enrolment(lea, package, date(2026, 9, 1))
    make_stay(lea, paris(2026, 11, 2, 7, 40), paris(2026, 11, 2, 16, 0))  # 20 min early: 3.00
    with time_machine.travel(paris(2026, 11, 3, 16, 30), tick=False):
        client = login(family.payers.get().user)
        page = client.get("/invoicing/mine/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert accruing in page  # the total, and each day's amount below it
    assert page.count(accruing.split(": ")[1]) >= 2
    assert "EUR" not in page


def test_someone_who_is_no_payer_gets_no_page(login, cashier):
    assert login(cashier).get("/invoicing/mine/").status_code == 404


def test_the_office_issues_and_sends_a_month_and_opens_the_pdf(
    login, manager, daycare, make_family, package, make_enrolment
):
    _family, (lea,) = make_family("Martin")
    make_enrolment(lea, package, date(2026, 9, 1))
    run_month(site_id=daycare.pk, month=parse_month("2026-11"), actor=OPERATOR, at=paris(2026, 11, 2, 9))
    client = login(manager)
    data = {"site": daycare.slug, "month": "2026-11"}
    page = client.post("/invoicing/issue/", data, follow=True).content.decode()
    assert "1 invoice(s) issued: F2026-000001 to F2026-000001." in page
    page = client.post("/invoicing/send/", data, follow=True).content.decode()
    assert "1 invoice(s) e-mailed." in page and len(mail.outbox) == 1
    invoice = Invoice.objects.get()
    assert client.get(f"/invoicing/invoices/{invoice.pk}/pdf/").content.startswith(b"%PDF")
