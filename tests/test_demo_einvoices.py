"""Every demo invoice and credit note, in both e-invoice formats, validates: Factur-X against its XSD and the
EN 16931 rules (offline), FatturaPA against the official schema; and the demo's identities are complete."""

import pytest
import time_machine
from django.core.management import call_command

from timetill.billing.models import SellerIdentity
from timetill.einvoice.checks import missing_for
from timetill.einvoice.cii import cii_xml
from timetill.einvoice.facturx import check_facturx_xml, facturx_pdf, xml_of_pdf
from timetill.einvoice.fatturapa import check_fatturapa_xml, fatturapa_xml
from timetill.einvoice.formats import ALL
from timetill.invoicing.credit_pdf import render_credit_note
from timetill.invoicing.edocuments import credit_note_document, invoice_document
from timetill.invoicing.models import CreditNote, Invoice
from timetill.invoicing.pdf import render_invoice

from .test_demo import DEMO_NOW


@pytest.fixture
def demo(db):
    with time_machine.travel(DEMO_NOW, tick=False):
        call_command("demo")


def test_the_demo_has_a_french_and_an_italian_identity_with_valid_vat_numbers(demo):
    identities = {s.country: s for s in SellerIdentity.objects.all()}
    assert identities["FR"].vat_number == "FR40303265045"
    assert identities["IT"].vat_number == "IT00743110157"
    assert identities["IT"].site.slug == "daycare"


def test_every_demo_invoice_and_credit_note_validates_in_both_formats(demo):
    invoices = list(Invoice.objects.filter(state="issued").select_related("site", "payer").order_by("number"))
    notes = list(CreditNote.objects.select_related("invoice__site").order_by("number"))
    assert len(invoices) >= 20 and notes
    documents = [invoice_document(i) for i in invoices] + [credit_note_document(n) for n in notes]
    for obj, document in zip([*invoices, *notes], documents, strict=True):
        assert obj.einvoice["formats"] == list(ALL), obj
        assert missing_for(document, ALL) == [], obj
        check_fatturapa_xml(fatturapa_xml(document))
        check_facturx_xml(cii_xml(document))  # the XSD, then the EN 16931 rules run by Saxon
    # The daycare's fees are exempt (N4, with the law), and the stamp duty shows on those over 77.47.
    assert {g.vat_spec.category.value for d in documents for g in d.vat} == {"E"}
    assert b"<ImportoBollo>2.00</ImportoBollo>" in fatturapa_xml(documents[0])
    # And as files: the PDF/A-3 carries the same checked XML.
    for obj, document, render in (
        (invoices[0], documents[0], render_invoice),
        (notes[0], documents[-1], render_credit_note),
    ):
        assert xml_of_pdf(facturx_pdf(render(obj), document)) == cii_xml(document)
