"""Factur-X's XML: the UN/CEFACT Cross Industry Invoice of a document, profile EN 16931 (comfort).

Each element carries the EN 16931 business term it maps (BT-n, BG-n) in a comment of this module; the order
of the elements is the CII schema's.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from lxml import etree

from timetill.billing.money import VatCategory
from timetill.einvoice.document import Document, Line, postal_parts

RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
NSMAP = {"rsm": RSM, "ram": RAM, "qdt": QDT, "udt": UDT}
EN16931 = "urn:cen.eu:en16931:2017"
INVOICE_TYPE, CREDIT_NOTE_TYPE = "380", "381"
CREDIT_TRANSFER = "58"  # UNTDID 4461: SEPA credit transfer
ONE = "C62"  # UN/ECE rec. 20: one (a unit)


def _e(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    prefix, name = tag.split(":")
    element = etree.SubElement(parent, f"{{{NSMAP[prefix]}}}{name}", attrs)
    if text is not None:
        element.text = text
    return element


def amount(value: Decimal) -> str:
    return f"{Decimal(value).quantize(Decimal('0.01')):f}"


def _percent(value: Decimal) -> str:
    return f"{Decimal(value).quantize(Decimal('0.01')):f}"


def _date(parent: etree._Element, tag: str, day: date, *, qualified: bool = False) -> None:
    holder = _e(parent, tag)
    _e(
        holder,
        "qdt:DateTimeString" if qualified else "udt:DateTimeString",
        day.strftime("%Y%m%d"),
        format="102",
    )


def _address(party: etree._Element, address: str, country: str) -> None:
    postal = postal_parts(address)
    node = _e(party, "ram:PostalTradeAddress")  # BG-5 / BG-8
    if postal.postcode:
        _e(node, "ram:PostcodeCode", postal.postcode)
    for tag, text in zip(("ram:LineOne", "ram:LineTwo", "ram:LineThree"), postal.lines, strict=False):
        _e(node, tag, text)
    if postal.city:
        _e(node, "ram:CityName", postal.city)
    _e(node, "ram:CountryID", country.upper())  # BT-40 / BT-55
    if postal.province:
        _e(node, "ram:CountrySubDivisionName", postal.province)


def _line(transaction: etree._Element, line: Line, currency: str) -> None:
    item = _e(transaction, "ram:IncludedSupplyChainTradeLineItem")  # BG-25
    _e(_e(item, "ram:AssociatedDocumentLineDocument"), "ram:LineID", str(line.position))  # BT-126
    product = _e(item, "ram:SpecifiedTradeProduct")
    _e(product, "ram:Name", line.text)  # BT-153
    if line.detail:
        _e(product, "ram:Description", line.detail)  # BT-154
    agreement = _e(item, "ram:SpecifiedLineTradeAgreement")
    price = _e(agreement, "ram:NetPriceProductTradePrice")  # BG-29
    _e(price, "ram:ChargeAmount", f"{line.unit_net:f}")  # BT-146
    delivery = _e(item, "ram:SpecifiedLineTradeDelivery")
    _e(delivery, "ram:BilledQuantity", f"{line.quantity.normalize():f}", unitCode=ONE)  # BT-129, BT-130
    settlement = _e(item, "ram:SpecifiedLineTradeSettlement")
    tax = _e(settlement, "ram:ApplicableTradeTax")  # BG-30
    _e(tax, "ram:TypeCode", "VAT")
    _e(tax, "ram:CategoryCode", line.vat_spec.category.value)  # BT-151
    _e(tax, "ram:RateApplicablePercent", _percent(line.vat_spec.rate))  # BT-152
    if line.period_start and line.period_end:
        period = _e(settlement, "ram:BillingSpecifiedPeriod")  # BG-26
        _date(period, "ram:StartDateTime", line.period_start)  # BT-134
        _date(period, "ram:EndDateTime", line.period_end)  # BT-135
    summation = _e(settlement, "ram:SpecifiedTradeSettlementLineMonetarySummation")
    _e(summation, "ram:LineTotalAmount", amount(line.net))  # BT-131


def cii_xml(document: Document) -> bytes:
    """The CII XML of an issued invoice (type 380) or credit note (381, with the invoice it corrects)."""
    seller, buyer = document.seller, document.buyer
    root = etree.Element(f"{{{RSM}}}CrossIndustryInvoice", nsmap=NSMAP)
    context = _e(root, "rsm:ExchangedDocumentContext")
    _e(_e(context, "ram:GuidelineSpecifiedDocumentContextParameter"), "ram:ID", EN16931)  # BT-24
    header = _e(root, "rsm:ExchangedDocument")
    _e(header, "ram:ID", document.number)  # BT-1
    _e(header, "ram:TypeCode", CREDIT_NOTE_TYPE if document.is_credit_note else INVOICE_TYPE)  # BT-3
    _date(header, "ram:IssueDateTime", document.issue_date)  # BT-2
    for text in (document.note, seller.legal_mentions):
        if text.strip():
            _e(_e(header, "ram:IncludedNote"), "ram:Content", text.strip())  # BG-1, BT-22
    transaction = _e(root, "rsm:SupplyChainTradeTransaction")
    for line in document.lines:
        _line(transaction, line, document.currency)

    agreement = _e(transaction, "ram:ApplicableHeaderTradeAgreement")
    party = _e(agreement, "ram:SellerTradeParty")  # BG-4
    _e(party, "ram:Name", seller.legal_name)  # BT-27
    if seller.siren or seller.siret:
        legal = _e(party, "ram:SpecifiedLegalOrganization")
        _e(legal, "ram:ID", seller.siren or seller.siret[:9], schemeID="0002")  # BT-30 (SIREN, ICD 0002)
    _address(party, seller.address, seller.country)
    if seller.email:
        _e(_e(party, "ram:URIUniversalCommunication"), "ram:URIID", seller.email, schemeID="EM")  # BT-34
    if seller.vat_number:
        _e(_e(party, "ram:SpecifiedTaxRegistration"), "ram:ID", seller.vat_number, schemeID="VA")  # BT-31
    party = _e(agreement, "ram:BuyerTradeParty")  # BG-7
    _e(party, "ram:Name", buyer.name)  # BT-44
    _address(party, buyer.address, buyer.country or seller.country)
    if buyer.email:
        _e(_e(party, "ram:URIUniversalCommunication"), "ram:URIID", buyer.email, schemeID="EM")  # BT-49

    _e(transaction, "ram:ApplicableHeaderTradeDelivery")
    settlement = _e(transaction, "ram:ApplicableHeaderTradeSettlement")
    if not document.is_credit_note:
        _e(settlement, "ram:PaymentReference", document.number)  # BT-83
    _e(settlement, "ram:InvoiceCurrencyCode", document.currency)  # BT-5
    if seller.iban and not document.is_credit_note:
        means = _e(settlement, "ram:SpecifiedTradeSettlementPaymentMeans")  # BG-16
        _e(means, "ram:TypeCode", CREDIT_TRANSFER)  # BT-81
        _e(
            _e(means, "ram:PayeePartyCreditorFinancialAccount"), "ram:IBANID", seller.iban.replace(" ", "")
        )  # BT-84
        if seller.bic:
            _e(_e(means, "ram:PayeeSpecifiedCreditorFinancialInstitution"), "ram:BICID", seller.bic)  # BT-86
    for group in document.vat:  # BG-23
        tax = _e(settlement, "ram:ApplicableTradeTax")
        _e(tax, "ram:CalculatedAmount", amount(group.vat))  # BT-117
        _e(tax, "ram:TypeCode", "VAT")
        spec = group.vat_spec
        if spec.category.needs_reason and spec.exemption_reason.strip():
            _e(tax, "ram:ExemptionReason", spec.exemption_reason.strip())  # BT-120
        _e(tax, "ram:BasisAmount", amount(group.taxable))  # BT-116
        _e(tax, "ram:CategoryCode", spec.category.value)  # BT-118
        if spec.category != VatCategory.STANDARD and spec.exemption_code.upper().startswith("VATEX"):
            _e(tax, "ram:ExemptionReasonCode", spec.exemption_code.upper())  # BT-121
        _e(tax, "ram:RateApplicablePercent", _percent(spec.rate))  # BT-119
    if document.due_date or seller.payment_terms:
        terms = _e(settlement, "ram:SpecifiedTradePaymentTerms")  # BT-20, BT-9
        if seller.payment_terms:
            _e(terms, "ram:Description", seller.payment_terms)
        if document.due_date:
            _date(terms, "ram:DueDateDateTime", document.due_date)
    totals = _e(settlement, "ram:SpecifiedTradeSettlementHeaderMonetarySummation")  # BG-22
    _e(
        totals, "ram:LineTotalAmount", amount(sum((line.net for line in document.lines), Decimal(0)))
    )  # BT-106
    _e(totals, "ram:TaxBasisTotalAmount", amount(document.net))  # BT-109
    _e(totals, "ram:TaxTotalAmount", amount(document.tax), currencyID=document.currency)  # BT-110
    _e(totals, "ram:GrandTotalAmount", amount(document.gross))  # BT-112
    if document.paid:
        _e(totals, "ram:TotalPrepaidAmount", amount(document.paid))  # BT-113
    _e(totals, "ram:DuePayableAmount", amount(document.gross - document.paid))  # BT-115
    if document.preceding is not None:
        reference = _e(settlement, "ram:InvoiceReferencedDocument")  # BG-3
        _e(reference, "ram:IssuerAssignedID", document.preceding.number)  # BT-25
        _date(reference, "ram:FormattedIssueDateTime", document.preceding.issue_date, qualified=True)  # BT-26
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
