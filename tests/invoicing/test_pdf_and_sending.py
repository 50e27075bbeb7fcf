"""The invoice PDF rendered to an image and its text read back (accents, lines, VAT, terms, the annex of
days), and issued invoices e-mailed to their payer with the PDF, with what was sent kept."""

import os
from datetime import date
from pathlib import Path

import pypdfium2
import pytest
from django.core import mail

from timetill.billing.models import SellerIdentity
from timetill.billing.numbering import site_scope
from timetill.errors import TimetillError
from timetill.invoicing.invoices import issue_invoice
from timetill.invoicing.models import Invoice, InvoiceTerms, Sending
from timetill.invoicing.month import parse_month
from timetill.invoicing.pdf import render_invoice
from timetill.invoicing.run import run_month
from timetill.invoicing.sending import send_invoice, send_month

from ..conftest import paris
from .conftest import OPERATOR

SHOTS = Path(os.environ.get("TIMETILL_SCREENSHOTS", "var/screenshots"))


@pytest.fixture
def issued(daycare, make_family, package, make_enrolment, product_week):
    SellerIdentity.objects.create(
        scope=site_scope(daycare.pk),
        site=daycare,
        legal_name="Crèche Les Lutins SAS",
        address="3 place de l'Église\n75011 Paris",
        vat_number="FR40303265045",
        legal_mentions="SAS au capital de 10 000 € · RCS Paris 123 456 789 · "
        "Pénalités de retard : 3 fois le taux légal",
        iban="FR76 3000 6000 0112 3456 7890 189",
        bic="AGRIFRPP",
    )
    InvoiceTerms.objects.create(site=daycare, payment_days=15, email_from="factures@lutins.example")
    _family, (lea,) = make_family("Müller-Lefèvre", children=("Léa",))
    make_enrolment(lea, package, date(2026, 9, 1))
    product_week(lea)
    run_month(site_id=daycare.pk, month=parse_month("2026-11"), actor=OPERATOR, at=paris(2026, 11, 2, 9))
    return issue_invoice(invoice_id=Invoice.objects.get().pk, actor=OPERATOR, at=paris(2026, 11, 3, 10))


def _pages(data: bytes) -> list[str]:
    document = pypdfium2.PdfDocument(data)
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


def test_the_pdf_shows_the_seller_payer_lines_vat_terms_and_the_days(issued):
    data = render_invoice(issued)
    first, annex = _pages(data)
    for text in (
        "Crèche Les Lutins SAS",
        "Invoice F2026-000001",
        "Issue date: 03/11/2026",
        "Due date: 18/11/2026",
        "Parent1 Müller-Lefèvre",
        "Monthly fee",
        "Extra Hours for the period 01/10/2026–31/10/2026",
        "VAT breakdown",
        "478.00",
        "IBAN: FR76 3000 6000 0112 3456 7890 189",
        "Payment terms: 15 days, by 18/11/2026.",
        "Pénalités de retard",
    ):
        assert text in first, text
    assert "Annex: day by day" in annex
    for text in ("05/10/2026", "16:11", "07:40", "09/10/2026", "20.00"):
        assert text in annex, text
    document = pypdfium2.PdfDocument(data)
    try:
        image = document[0].render(scale=1.5).to_pil().convert("L")
    finally:
        document.close()
    SHOTS.mkdir(parents=True, exist_ok=True)
    image.save(SHOTS / "invoice-pdf.png")
    # Ink on the page: the text is drawn, not only extractable.
    assert image.getextrema()[0] < 80


def test_an_issued_invoice_is_emailed_to_its_payer_with_its_pdf(issued):
    sending = send_invoice(invoice_id=issued.pk, actor=OPERATOR, at=paris(2026, 11, 3, 11))
    (message,) = mail.outbox
    assert message.to == ["parent1.müller-lefèvre@example.org"]
    assert message.from_email == "factures@lutins.example"
    assert message.subject == "Invoice F2026-000001 from Crèche Les Lutins SAS"
    name, content, mimetype = message.attachments[0]
    assert (name, mimetype) == ("F2026-000001.pdf", "application/pdf")
    assert "Invoice F2026-000001" in _pages(content)[0]
    assert (sending.attachment, sending.sent_at) == ("F2026-000001.pdf", paris(2026, 11, 3, 11))


def test_a_month_is_sent_once_and_a_draft_never(issued, daycare, make_family, package, make_enrolment):
    result = send_month(
        site_id=daycare.pk, month=parse_month("2026-11"), actor=OPERATOR, at=paris(2026, 11, 3, 11)
    )
    assert len(result.sent) == 1 and len(mail.outbox) == 1
    again = send_month(
        site_id=daycare.pk, month=parse_month("2026-11"), actor=OPERATOR, at=paris(2026, 11, 3, 12)
    )
    assert again.sent == () and len(mail.outbox) == 1
    _family, (tom,) = make_family("Petit", children=("Tom",))
    make_enrolment(tom, package, date(2026, 11, 1))
    run_month(site_id=daycare.pk, month=parse_month("2026-11"), actor=OPERATOR, at=paris(2026, 11, 3, 12))
    draft = Invoice.objects.get(state="draft")
    with pytest.raises(TimetillError) as refused:
        send_invoice(invoice_id=draft.pk, actor=OPERATOR, at=paris(2026, 11, 3, 12))
    assert refused.value.code == "not_issued"
    assert Sending.objects.count() == 1


def test_a_payer_without_an_address_is_told_so(issued):
    issued.payer.email = ""
    issued.payer.save()
    issued.payer.user.email = ""
    issued.payer.user.save()
    with pytest.raises(TimetillError) as refused:
        send_invoice(invoice_id=issued.pk, actor=OPERATOR, at=paris(2026, 11, 3, 11))
    assert refused.value.code == "no_email"
    assert mail.outbox == [] and not Sending.objects.exists()
