"""E-invoice downloads over HTTP: the API and the pages, for invoicing managers (any) and payers (their own
only); the CLI export (the month's ZIP in the background: test_einvoice_exports.py)."""

import io
import json
import zipfile
from datetime import date

import pytest
from django.core.management import call_command
from django.test import Client

from timetill.billing.models import SellerIdentity
from timetill.billing.numbering import site_scope
from timetill.einvoice.facturx import xml_of_pdf
from timetill.invoicing.invoices import credit_invoice, issue_invoice
from timetill.invoicing.models import Invoice
from timetill.invoicing.month import parse_month
from timetill.invoicing.run import run_month

from ..conftest import paris
from .conftest import OPERATOR


@pytest.fixture
def issued(daycare, make_family, package, make_enrolment, product_week):
    SellerIdentity.objects.create(
        scope=site_scope(daycare.pk),
        site=daycare,
        legal_name="Crèche Les Lutins SAS",
        address="3 place de l'Église\n75011 Paris",
        vat_number="FR40303265045",
        iban="FR7630006000011234567890189",
    )
    for name in ("Martin", "Durand"):
        _family, (child,) = make_family(name, children=("Léa",))
        make_enrolment(child, package, date(2026, 9, 1))
        product_week(child)
    run_month(site_id=daycare.pk, month=parse_month("2026-11"), actor=OPERATOR, at=paris(2026, 11, 2, 9))
    invoices = [
        issue_invoice(invoice_id=i.pk, actor=OPERATOR, at=paris(2026, 11, 3, 10))
        for i in Invoice.objects.order_by("family__name")
    ]
    credit_invoice(invoice_id=invoices[0].pk, reason="Closed a day", actor=OPERATOR, at=paris(2026, 11, 4, 9))
    return invoices  # Durand's, then Martin's


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_a_manager_downloads_any_e_invoice_from_the_api(issued, manager):
    durand = issued[0]
    response = _client(manager).get(f"/api/invoices/{durand.pk}/einvoice/facturx")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{durand.number}.pdf"'
    assert durand.number.encode() in xml_of_pdf(response.content)
    note = durand.credit_notes.get()
    response = _client(manager).get(f"/api/credit-notes/{note.pk}/einvoice/facturx")
    assert response.status_code == 200 and b"<ram:TypeCode>381</ram:TypeCode>" in xml_of_pdf(response.content)
    response = _client(manager).get(f"/api/invoices/{durand.pk}/einvoice/fatturapa")
    assert (response.status_code, json.loads(response.content)["code"]) == (404, "no_einvoice")


def test_a_payer_gets_their_own_and_nobody_elses(issued):
    durand, martin = issued
    payer = _client(durand.payer.user)
    assert payer.get(f"/api/invoices/{durand.pk}/einvoice/facturx").status_code == 200
    response = payer.get(f"/api/invoices/{martin.pk}/einvoice/facturx")
    assert (response.status_code, json.loads(response.content)["code"]) == (404, "unknown_invoice")
    note = durand.credit_notes.get()
    assert payer.get(f"/api/credit-notes/{note.pk}/einvoice/facturx").status_code == 200
    other = _client(martin.payer.user)
    response = other.get(f"/api/credit-notes/{note.pk}/einvoice/facturx")
    assert (response.status_code, json.loads(response.content)["code"]) == (404, "unknown_credit_note")
    # Pages: the payer's own invoice links its e-invoices; another payer's is not found.
    page = payer.get(f"/invoicing/mine/{durand.pk}/")
    assert f"/invoicing/mine/{durand.pk}/einvoice/facturx/".encode() in page.content
    assert f"/invoicing/mine/credit-notes/{note.pk}/einvoice/facturx/".encode() in page.content
    assert payer.get(f"/invoicing/mine/{durand.pk}/einvoice/facturx/")["Content-Type"] == "application/pdf"
    assert other.get(f"/invoicing/mine/{durand.pk}/einvoice/facturx/").status_code == 404
    assert other.get(f"/invoicing/mine/credit-notes/{note.pk}/einvoice/facturx/").status_code == 404
    # A payer is not the office: its pages and the month's ZIP are refused.
    assert payer.get(f"/invoicing/invoices/{durand.pk}/einvoice/facturx/").status_code == 403
    asked = payer.post(
        "/api/invoicing/einvoices/exports",
        json.dumps({"site_id": durand.site_id, "month": "2026-11"}),
        content_type="application/json",
    )
    assert (asked.status_code, json.loads(asked.content)["code"]) == (403, "forbidden")
    assert payer.post("/invoicing/einvoices/exports/", {"month": "2026-11"}).status_code == 403


def test_the_office_pages_link_and_serve_them(issued, manager, cashier):
    durand, _martin = issued
    office = _client(manager)
    page = office.get(f"/invoicing/invoices/{durand.pk}/")
    assert f"/invoicing/invoices/{durand.pk}/einvoice/facturx/".encode() in page.content
    response = office.get(f"/invoicing/invoices/{durand.pk}/einvoice/facturx/")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert office.get(f"/invoicing/invoices/{durand.pk}/einvoice/fatturapa/").status_code == 404
    # The month's ZIP is asked for there and written in the background (test_einvoice_exports.py).
    month = office.get(f"/invoicing/?site={durand.site.slug}&month=2026-11")
    assert b'data-testid="einvoices-zip"' in month.content
    assert _client(cashier).get(f"/invoicing/invoices/{durand.pk}/einvoice/facturx/").status_code == 403


def test_the_cli_exports_a_months_e_invoices(issued, tmp_path):
    out = io.StringIO()
    path = tmp_path / "november.zip"
    call_command(
        "invoicing", "export", "--month", "2026-11", "--format", "facturx", "--output", str(path), stdout=out
    )
    assert "3 e-invoice file(s) of 2026-11" in out.getvalue()
    assert len(zipfile.ZipFile(path).namelist()) == 3
