"""The CII XML (Factur-X EN 16931): every mandatory business term, the schema, and the EN 16931 business rules
run offline by Saxon HE — a broken rule fails (BR-CO-10/13/15/17, BR-S/Z/E)."""

from dataclasses import replace
from decimal import Decimal

import pytest
from lxml import etree

from timetill.einvoice.cii import NSMAP, cii_xml
from timetill.einvoice.document import Line, VatGroup
from timetill.einvoice.facturx import FacturXInvalid, check_facturx_xml, facturx_xml
from timetill.einvoice.schematron import BusinessRulesFailed, broken_rules

from .conftest import EXEMPT_FR, FR_SELLER, STANDARD, ZERO, credit_note, document


def _x(xml: bytes, path: str) -> list[str]:
    return [str(v) for v in etree.fromstring(xml).xpath(path, namespaces=NSMAP)]


def _rules(doc) -> set[str]:
    return {b.rule for b in broken_rules(cii_xml(doc))}


def test_an_invoice_meets_the_schema_and_every_business_rule():
    xml = facturx_xml(document())  # raises on any failure
    assert _x(xml, "//rsm:ExchangedDocument/ram:ID/text()") == ["F2026-000001"]  # BT-1
    assert _x(xml, "//rsm:ExchangedDocument/ram:TypeCode/text()") == ["380"]  # BT-3
    assert _x(xml, "//ram:IssueDateTime/udt:DateTimeString/text()") == ["20261201"]  # BT-2
    assert _x(xml, "//ram:InvoiceCurrencyCode/text()") == ["EUR"]  # BT-5
    assert _x(xml, "//ram:SellerTradeParty/ram:Name/text()") == ["Piccoli Passi S.r.l."]  # BT-27
    assert _x(xml, "//ram:SellerTradeParty//ram:CountryID/text()") == ["IT"]  # BG-5
    assert _x(xml, "//ram:SellerTradeParty//ram:SpecifiedTaxRegistration/ram:ID/text()") == ["IT00743110157"]
    assert _x(xml, "//ram:BuyerTradeParty/ram:Name/text()") == ["Zoé Rossi"]  # BT-44
    assert _x(xml, "//ram:BuyerTradeParty//ram:PostcodeCode/text()") == ["20122"]  # BG-8
    assert _x(xml, "//ram:IncludedSupplyChainTradeLineItem//ram:LineID/text()") == ["1", "2"]  # BG-25
    assert _x(xml, "//ram:IBANID/text()") == ["IT60X0542811101000000123456"]  # BG-16
    assert _x(xml, "//ram:SpecifiedTradeSettlementPaymentMeans/ram:TypeCode/text()") == ["58"]
    # BG-23: per category and rate, the exemption's reason (BT-120) with it.
    assert _x(
        xml, "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/ram:CategoryCode/text()"
    ) == [
        "E",
        "S",
    ]
    assert _x(xml, "//ram:ApplicableTradeTax/ram:ExemptionReason/text()") == [
        "Esente IVA art. 10 n. 20 DPR 633/72"
    ]
    assert _x(xml, "//ram:GrandTotalAmount/text()") == ["462.20"]  # BG-22
    assert _x(xml, "//ram:DuePayableAmount/text()") == ["462.20"]


def test_a_french_exempt_invoice_carries_its_vatex_code():
    doc = document(
        seller=FR_SELLER,
        lines=(Line(1, "Forfait décembre", Decimal(1), Decimal("300.00"), EXEMPT_FR),),
        vat=(VatGroup(EXEMPT_FR, Decimal("300.00"), Decimal(0)),),
        net=Decimal("300.00"),
        tax=Decimal(0),
        gross=Decimal("300.00"),
    )
    xml = facturx_xml(doc)
    assert _x(xml, "//ram:ExemptionReasonCode/text()") == ["VATEX-EU-132-1I"]  # BT-121
    assert _x(xml, "//ram:SpecifiedLegalOrganization/ram:ID/text()") == ["303265045"]  # BT-30
    assert _x(xml, "//ram:SpecifiedTradePaymentTerms/ram:Description/text()") == ["30 jours net"]


def test_a_credit_note_is_type_381_and_names_the_invoice_it_corrects():
    xml = facturx_xml(credit_note())
    assert _x(xml, "//rsm:ExchangedDocument/ram:TypeCode/text()") == ["381"]
    assert _x(xml, "//ram:InvoiceReferencedDocument/ram:IssuerAssignedID/text()") == ["F2026-000001"]  # BT-25
    assert _x(xml, "//ram:InvoiceReferencedDocument//qdt:DateTimeString/text()") == ["20261201"]  # BT-26
    assert _x(xml, "//ram:IncludedNote/ram:Content/text()") == ["Assenza per malattia"]


def test_br_co_10_the_line_total_is_the_sum_of_the_lines():
    xml = cii_xml(document()).replace(
        b"<ram:LineTotalAmount>460.00</ram:LineTotalAmount>",
        b"<ram:LineTotalAmount>460.01</ram:LineTotalAmount>",
    )
    assert "BR-CO-10" in {b.rule for b in broken_rules(xml)}
    assert "BR-CO-10" not in _rules(document())


def test_br_s_08_a_rates_lines_add_up_to_its_taxable_amount():
    lines = document().lines
    assert "BR-S-08" in _rules(document(lines=(lines[0], replace(lines[1], net=Decimal("10.01")))))


def test_br_co_13_and_15_totals():
    assert "BR-CO-13" in _rules(document(net=Decimal("461.00")))
    assert "BR-CO-15" in _rules(document(gross=Decimal("462.21")))
    with pytest.raises(BusinessRulesFailed) as failed:
        check_facturx_xml(cii_xml(document(gross=Decimal("462.21"))))
    assert "BR-CO-15" in str(failed.value)


def test_br_co_17_and_br_s_09_vat_is_the_rate_on_the_taxable_amount():
    groups = document().vat
    wrong = document(
        vat=(groups[0], VatGroup(STANDARD, Decimal("10.00"), Decimal("3.20"))), tax=Decimal("3.20")
    )
    wrong = replace(wrong, gross=Decimal("463.20"))
    assert {"BR-CO-17", "BR-S-09"} & _rules(wrong)


def test_br_e_10_an_exempt_rate_states_its_reason():
    spec = replace(EXEMPT_FR, exemption_code="")
    object.__setattr__(spec, "exemption_reason", " ")  # as a broken record would be; VatSpec refuses it
    doc = document(
        lines=(Line(1, "Forfait", Decimal(1), Decimal("300.00"), spec),),
        vat=(VatGroup(spec, Decimal("300.00"), Decimal(0)),),
        net=Decimal("300.00"),
        tax=Decimal(0),
        gross=Decimal("300.00"),
    )
    assert "BR-E-10" in _rules(doc)


def test_br_e_and_br_z_a_zero_rate_with_vat_breaks_them():
    doc = document(
        lines=(Line(1, "Livre", Decimal(1), Decimal("10.00"), ZERO),),
        vat=(VatGroup(ZERO, Decimal("10.00"), Decimal("1.00")),),
        net=Decimal("10.00"),
        tax=Decimal("1.00"),
        gross=Decimal("11.00"),
    )
    assert "BR-Z-09" in _rules(doc)
    assert not _rules(
        replace(
            doc, vat=(VatGroup(ZERO, Decimal("10.00"), Decimal(0)),), tax=Decimal(0), gross=Decimal("10.00")
        )
    )


def test_br_s_02_a_taxed_invoice_needs_the_sellers_vat_id():
    assert "BR-S-02" in _rules(document(seller=replace(FR_SELLER, vat_number="")))


def test_the_schema_refuses_a_malformed_xml():
    xml = cii_xml(document()).replace(b"<ram:TypeCode>380</ram:TypeCode>", b"<ram:Kind>380</ram:Kind>")
    with pytest.raises(FacturXInvalid):
        check_facturx_xml(xml)
