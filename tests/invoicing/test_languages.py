"""Invoices speak their payer's language (else their site's): the run's line texts, the PDF, the e-mail."""

from datetime import date

import pypdfium2
import pytest
from django.core import mail

from timetill.invoicing.invoices import issue_invoice
from timetill.invoicing.models import Invoice, InvoiceTerms
from timetill.invoicing.month import parse_month
from timetill.invoicing.pdf import render_invoice
from timetill.invoicing.run import run_month
from timetill.invoicing.sending import send_invoice

from ..conftest import paris
from .conftest import OPERATOR


def _text(data: bytes) -> str:
    document = pypdfium2.PdfDocument(data)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


@pytest.fixture
def issue(daycare, make_family, package, make_enrolment, product_week):
    def make(*, site_language: str, payer_language: str = "") -> Invoice:
        daycare.language = site_language
        daycare.save()
        InvoiceTerms.objects.create(site=daycare, payment_days=15)
        family, (lea,) = make_family("Rossi", children=("Léa",))
        family.payers.update(language=payer_language)
        make_enrolment(lea, package, date(2026, 9, 1))
        product_week(lea)
        run_month(site_id=daycare.pk, month=parse_month("2026-11"), actor=OPERATOR, at=paris(2026, 11, 2, 9))
        return issue_invoice(invoice_id=Invoice.objects.get().pk, actor=OPERATOR, at=paris(2026, 11, 3, 10))

    return make


def test_an_italian_sites_invoice_is_in_italian_with_italian_amounts(issue):
    invoice = issue(site_language="it")
    assert invoice.language == "it"
    text = _text(render_invoice(invoice))
    for expected in (
        "Fattura F2026-000001",
        "Data di emissione: 03/11/2026",
        "Data di scadenza: 18/11/2026",
        "per il periodo 01/10/2026–31/10/2026",
        "Riepilogo IVA",
        "Totale da pagare (EUR)",
        "Allegato: giorno per giorno",
    ):
        assert expected in text, expected
    assert "Invoice" not in text and "Due date" not in text


def test_a_payers_own_language_wins_over_the_sites(issue):
    invoice = issue(site_language="it", payer_language="fr")
    assert invoice.language == "fr"
    text = _text(render_invoice(invoice))
    assert "Facture F2026-000001" in text and "Date d'échéance : 18/11/2026" in text
    send_invoice(invoice_id=invoice.pk, actor=OPERATOR, at=paris(2026, 11, 3, 11))
    (message,) = mail.outbox
    assert message.subject.startswith("Facture F2026-000001 de ")
    assert message.body.startswith("Bonjour Parent1 Rossi,")


def test_the_invoices_column_is_the_designation_of_a_line_in_french(issue):
    """Two messages: the invoice's column (Désignation) and a product's description field (Description)."""
    text = _text(render_invoice(issue(site_language="fr")))
    assert "Désignation" in text and "Description" not in text


def test_an_issued_invoice_keeps_the_language_it_was_issued_in(issue):
    invoice = issue(site_language="en", payer_language="it")
    invoice.payer.language = "fr"
    invoice.payer.save()
    invoice.refresh_from_db()
    assert invoice.language == "it"
    assert "Fattura F2026-000001" in _text(render_invoice(invoice))


def test_a_payers_language_is_set_through_the_api_and_a_foreign_one_refused(api_as, manager, daycare):
    api = api_as(manager)
    status, body = api.post(
        "/families",
        {"site_id": daycare.pk, "name": "Weber", "payers": [{"name": "Anna Weber", "language": "de"}]},
    )
    assert (status, body["code"]) == (400, "invalid_family")
    assert not Invoice.objects.exists()
    status, family = api.post(
        "/families",
        {"site_id": daycare.pk, "name": "Rossi", "payers": [{"name": "Anna Rossi", "language": "it"}]},
    )
    assert status == 201, family
    assert family["payers"][0]["language"] == "it"


@pytest.mark.parametrize(
    ("language", "amount"),
    [("en", "€478.00"), ("fr", "478,00\xa0€"), ("it", "€\xa0478,00")],
)
def test_the_invoices_e_mail_writes_its_amount_as_the_payers_language_does(issue, language, amount):
    invoice = issue(site_language="en", payer_language=language)
    send_invoice(invoice_id=invoice.pk, actor=OPERATOR, at=paris(2026, 11, 3, 11))
    (message,) = mail.outbox
    assert f" {amount}, " in message.body, message.body
    assert "EUR" not in message.body and "18/11/2026" in message.body
