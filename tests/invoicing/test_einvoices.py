"""Issued invoices and credit notes as e-invoices: checked at issue, Factur-X PDF/A-3 (pikepdf) with its XML
giving back the totals and lines, FatturaPA valid with a gapless progressive."""

import io
import zipfile
from datetime import date
from decimal import Decimal

import pikepdf
import pytest
import time_machine
from lxml import etree

from timetill.billing.models import Counter, SellerIdentity
from timetill.billing.numbering import site_scope
from timetill.einvoice.cii import NSMAP
from timetill.einvoice.facturx import xml_of_pdf
from timetill.einvoice.fatturapa import check_fatturapa_xml
from timetill.errors import TimetillError
from timetill.invoicing.einvoices import einvoice_file, month_zip
from timetill.invoicing.invoices import credit_invoice, issue_invoice
from timetill.invoicing.models import CreditNote, Invoice, InvoiceLine, Payer
from timetill.invoicing.month import parse_month
from timetill.invoicing.run import run_month

from ..conftest import paris
from .conftest import OPERATOR

NOVEMBER = parse_month("2026-11")


def _seller(site, **fields):
    values = dict(
        scope=site_scope(site.pk),
        site=site,
        legal_name="Crèche Les Lutins SAS",
        address="3 place de l'Église\n75011 Paris",
        country="FR",
        vat_number="FR40303265045",
        iban="FR7630006000011234567890189",
        bic="AGRIFRPP",
    )
    values.update(fields)
    return SellerIdentity.objects.create(**values)


@pytest.fixture
def drafted(daycare, make_family, package, make_enrolment, product_week):
    def make(**seller):
        _seller(daycare, **seller)
        _family, (lea,) = make_family("Müller", children=("Léa",))
        make_enrolment(lea, package, date(2026, 9, 1))
        product_week(lea)
        run_month(site_id=daycare.pk, month=NOVEMBER, actor=OPERATOR, at=paris(2026, 11, 2, 9))
        return Invoice.objects.get()

    return make


def _issue(invoice):
    return issue_invoice(invoice_id=invoice.pk, actor=OPERATOR, at=paris(2026, 11, 3, 10))


ITALIAN = dict(
    legal_name="Piccoli Passi S.r.l.",
    address="Via Roma 1\n20121 Milano (MI)",
    country="IT",
    vat_number="IT00743110157",
    iban="IT60X0542811101000000123456",
    einvoice_formats="facturx,fatturapa",
)


def _make_italian(invoice):
    Payer.objects.filter(pk=invoice.payer_id).update(
        tax_code="RSSMRA85T10A562S", address="Via Verdi 3\n20122 Milano (MI)", pec="m@pec.example"
    )


def test_a_french_invoice_is_a_pdf_a3_with_its_xml_that_gives_back_totals_and_lines(drafted):
    invoice = _issue(drafted())
    assert invoice.einvoice["formats"] == ["facturx"]
    name, content_type, data = einvoice_file(invoice, "facturx")
    assert (name, content_type) == ("F2026-000001.pdf", "application/pdf")
    with pikepdf.open(io.BytesIO(data)) as pdf:
        # PDF/A-3: the XMP says so, and the Factur-X extension names the file and the profile.
        meta = pdf.open_metadata()
        assert meta["pdfaid:part"] == "3"
        assert meta["pdfaid:conformance"] == "B"
        xmp = etree.tostring(etree.fromstring(bytes(pdf.Root.Metadata.read_bytes()))).decode()
        assert "factur-x.xml" in xmp and "EN 16931" in xmp
        # The XML is attached, with its relationship, and listed in the document's associated files.
        spec = pdf.Root.AF[0]
        assert spec.AFRelationship == pikepdf.Name.Data
        assert str(spec.F) == "factur-x.xml"
        assert "factur-x.xml" in pdf.attachments
        # An output intent with an ICC profile; every font embedded.
        intent = pdf.Root.OutputIntents[0]
        assert intent.S == pikepdf.Name.GTS_PDFA1 and intent.DestOutputProfile.N == 3
        fonts = [f for page in pdf.pages for f in page.Resources.Font.values()]
        assert fonts
        for font in fonts:
            descriptor = (
                font.DescendantFonts[0].FontDescriptor if "/DescendantFonts" in font else font.FontDescriptor
            )
            assert "/FontFile2" in descriptor
        assert not pdf.is_encrypted
    # Dated by the invoice, not by the clock: downloading it again gives the same bytes.
    assert einvoice_file(invoice, "facturx")[2] == data
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert str(pdf.docinfo["/ModDate"]).startswith(f"D:{invoice.issue_date:%Y%m%d}")
    xml = etree.fromstring(xml_of_pdf(data))

    def x(path):
        return [str(v) for v in xml.xpath(path, namespaces=NSMAP)]

    assert x("//rsm:ExchangedDocument/ram:ID/text()") == [invoice.number]
    assert x("//ram:TaxBasisTotalAmount/text()") == [f"{invoice.net:.2f}"]
    assert x("//ram:TaxTotalAmount/text()") == [f"{invoice.vat:.2f}"]
    assert x("//ram:GrandTotalAmount/text()") == [f"{invoice.gross:.2f}"]
    lines = list(invoice.lines.all())
    assert x("//ram:SpecifiedTradeProduct/ram:Name/text()") == [line.description for line in lines]
    # VAT included: the rate's net is worked out once, and the lines' nets add up to it (BR-CO-10).
    nets = [
        Decimal(v)
        for v in x("//ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount/text()")
    ]
    assert sum(nets) == invoice.net
    assert len(nets) == len(lines)


def test_a_credit_note_is_381_and_fatturapa_td04_with_the_next_progressive(drafted):
    draft = drafted(**ITALIAN)
    _make_italian(draft)
    invoice = _issue(draft)
    assert invoice.einvoice["progressive"] == "00001"
    name, content_type, xml = einvoice_file(invoice, "fatturapa")
    assert (name, content_type) == ("IT00743110157_00001.xml", "application/xml")
    check_fatturapa_xml(xml)
    note = credit_invoice(invoice_id=invoice.pk, reason="Malattia", actor=OPERATOR, at=paris(2026, 11, 5, 10))
    assert note.einvoice == {"formats": ["facturx", "fatturapa"], "progressive": "00002"}
    name, _type, xml = einvoice_file(note, "fatturapa")
    assert name == "IT00743110157_00002.xml"
    assert b"<TipoDocumento>TD04</TipoDocumento>" in xml
    _name, _type, pdf = einvoice_file(note, "facturx")
    assert b"<ram:TypeCode>381</ram:TypeCode>" in xml_of_pdf(pdf)
    name, data = month_zip(site=invoice.site, month_first=NOVEMBER.first)
    assert name == "einvoices-lutins-2026-11.zip"
    assert sorted(zipfile.ZipFile(io.BytesIO(data)).namelist()) == [
        "facturx/A2026-000001.pdf",
        "facturx/F2026-000001.pdf",
        "fatturapa/IT00743110157_00001.xml",
        "fatturapa/IT00743110157_00002.xml",
    ]


def test_a_seller_whose_fatturapa_names_are_used_up_is_told_409_and_nothing_is_issued(
    drafted, api_as, manager
):
    draft = drafted(**ITALIAN)
    _make_italian(draft)
    counter = Counter.objects.create(scope=site_scope(draft.site_id), series="fatturapa", year=0, last=99999)
    api = api_as(manager)
    with time_machine.travel(paris(2026, 11, 3, 10), tick=False):
        status, refused = api.post(f"/invoices/{draft.pk}/issue")
        assert (status, refused["code"]) == (409, "fatturapa_progressive_exhausted")
        assert "used up" in refused["message"]
        draft.refresh_from_db()
        assert (draft.state, draft.number) == ("draft", None)
        # The last five-digit name left: the invoice takes it, and its credit note finds none.
        Counter.objects.filter(pk=counter.pk).update(last=99998)
        status, _issued = api.post(f"/invoices/{draft.pk}/issue")
        assert status == 200
        status, refused = api.post(f"/invoices/{draft.pk}/credit-notes", {"reason": "Malattia"})
    assert (status, refused["code"]) == (409, "fatturapa_progressive_exhausted")
    assert not CreditNote.objects.exists()
    assert Counter.objects.get(pk=counter.pk).last == 99999


def test_a_seller_without_vat_number_is_refused_at_issue_and_nothing_changes(drafted):
    draft = drafted(vat_number="")
    with pytest.raises(TimetillError) as refused:
        _issue(draft)
    assert refused.value.code == "einvoice_data_missing"
    assert "the seller's VAT number" in refused.value.message
    draft.refresh_from_db()
    assert draft.state == "draft" and draft.number is None


def test_an_italian_family_without_codice_fiscale_is_refused_at_issue(drafted):
    draft = drafted(**ITALIAN)
    _make_italian(draft)
    Payer.objects.filter(pk=draft.payer_id).update(tax_code="")
    with pytest.raises(TimetillError, match="the codice fiscale of Parent1 Müller"):
        _issue(draft)
    # No progressive was used up: the next issue takes 00001.
    _make_italian(draft)
    assert _issue(draft).einvoice["progressive"] == "00001"


def test_a_line_exempt_without_its_reason_is_refused_at_issue(drafted):
    draft = drafted()
    # Rates cannot lack their reason (the service, the model and a check constraint refuse it): a line
    # written otherwise, as an older row could be, is caught at issue all the same.
    line = draft.lines.order_by("position").first()
    InvoiceLine.objects.filter(pk=line.pk).update(vat_rate=0, vat_category="E", vat_exemption_reason="")
    with pytest.raises(TimetillError) as refused:
        _issue(draft)
    assert refused.value.code == "einvoice_data_missing"
    assert (
        f"the exemption reason of the 0 % VAT rate (category E) on “{line.description}”"
        in refused.value.message
    )


def test_a_format_the_seller_does_not_make_is_not_served(drafted):
    invoice = _issue(drafted())
    with pytest.raises(TimetillError) as refused:
        einvoice_file(invoice, "fatturapa")
    assert refused.value.code == "no_einvoice"
