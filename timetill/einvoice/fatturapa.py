"""FatturaPA 1.2.2 for private customers (FPR12): TD01 invoices, TD04 credit notes, validated offline against
the official schema (schemas/fatturapa, loaded with xmlschema; nothing is fetched from the network).

Beyond the schema, it states what the exchange system (SdI) checks and a daycare needs: CodiceDestinatario
0000000 for a private customer (with the PEC when known), the natura of each rate without VAT with its law
(N4 "esenti" for school services), the virtual stamp duty of 2.00 on exempt amounts over 77.47, two decimals,
lines numbered 1…9999, UTF-8 without a byte-order mark, and the file name IT<VAT id>_<progressive>.xml.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from functools import cache
from pathlib import Path

import xmlschema
from lxml import etree

from timetill.einvoice.checks import natura_of
from timetill.einvoice.document import Document, postal_parts

NS = "http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2"
DS = "http://www.w3.org/2000/09/xmldsig#"
SCHEMA_DIR = Path(__file__).parent / "schemas" / "fatturapa"
PRIVATE = "FPR12"
INVOICE, CREDIT_NOTE = "TD01", "TD04"
PRIVATE_CUSTOMER = "0000000"  # CodiceDestinatario of a customer with no SdI channel (a family)
# The CodiceDestinatario of a buyer outside Italy: the FatturaPA specification's literal value, seven
# capital X (not a placeholder); such a buyer has no SdI channel, the seller sends the invoice itself.
FOREIGN_CUSTOMER = "XXXXXXX"
ORDINARY_REGIME = "RF01"
STAMP_THRESHOLD = Decimal("77.47")
STAMP_DUTY = Decimal("2.00")
# What a character outside Latin-1 (which the schema's "Latin" texts allow) is written as.
LATIN = {"–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "...", "€": "EUR", "\u202f": " "}


class FatturaPAInvalid(ValueError):
    """The XML fails the FatturaPA 1.2.2 schema."""


@cache
def schema() -> xmlschema.XMLSchema:
    """The official schema, its xmldsig import mapped to the local copy (never the network)."""
    return xmlschema.XMLSchema(
        str(SCHEMA_DIR / "Schema_del_file_xml_FatturaPA_v1.2.2.xsd"),
        locations={DS: str(SCHEMA_DIR / "xmldsig-core-schema.xsd")},
        allow="local",
    )


def latin(text: str, limit: int) -> str:
    """The text in the characters the schema allows (Latin-1), on one line, cut to its limit."""
    out = []
    for ch in " ".join(text.split()):
        if ord(ch) < 256:
            out.append(ch)
        elif ch in LATIN:
            out.append(LATIN[ch])
        else:
            decomposed = unicodedata.normalize("NFKD", ch)
            out.append("".join(c for c in decomposed if ord(c) < 256) or "?")
    return "".join(out)[:limit].strip()


def two(value: Decimal) -> str:
    return f"{Decimal(value).quantize(Decimal('0.01')):f}"


def _decimals(value: Decimal, most: int = 8) -> str:
    """At least two decimals, at most `most` (the schema's Amount8Decimal and Quantita)."""
    value = Decimal(value).quantize(Decimal(1).scaleb(-most)).normalize()
    text = f"{value:f}"
    whole, _dot, fraction = text.partition(".")
    return f"{whole}.{fraction.ljust(2, '0')}"


def _e(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, tag)
    if text is not None:
        element.text = text
    return element


def _vat_id(parent: etree._Element, tag: str, vat_number: str) -> None:
    holder = _e(parent, tag)
    _e(holder, "IdPaese", vat_number[:2].upper())
    _e(holder, "IdCodice", vat_number[2:])


def _sede(parent: etree._Element, address: str, country: str) -> None:
    postal = postal_parts(address)
    sede = _e(parent, "Sede")
    _e(sede, "Indirizzo", latin(", ".join(postal.lines) or postal.city, 60))
    _e(sede, "CAP", postal.postcode)
    _e(sede, "Comune", latin(postal.city, 60))
    if postal.province and country.upper() == "IT":
        _e(sede, "Provincia", postal.province)
    _e(sede, "Nazione", country.upper())


def stamp_duty(document: Document) -> Decimal:
    """The virtual stamp duty: 2.00 when the amounts without VAT (exempt, not subject…) pass 77.47."""
    untaxed = sum((g.taxable for g in document.vat if g.vat_spec.rate == 0), Decimal(0))
    return STAMP_DUTY if untaxed > STAMP_THRESHOLD else Decimal(0)


def file_name(document: Document) -> str:
    """IT<transmitter's VAT id>_<progressive>.xml, as SdI names a file."""
    vat = document.seller.vat_number
    return f"{vat[:2].upper()}{vat[2:]}_{document.progressive}.xml"


def fatturapa_tree(document: Document) -> etree._Element:
    seller, buyer = document.seller, document.buyer
    buyer_country = (buyer.country or seller.country).upper()
    root = etree.Element(f"{{{NS}}}FatturaElettronica", nsmap={"p": NS, "ds": DS}, versione=PRIVATE)
    header = _e(root, "FatturaElettronicaHeader")
    transmission = _e(header, "DatiTrasmissione")
    _vat_id(transmission, "IdTrasmittente", seller.vat_number)
    _e(transmission, "ProgressivoInvio", document.progressive)
    _e(transmission, "FormatoTrasmissione", PRIVATE)
    _e(transmission, "CodiceDestinatario", PRIVATE_CUSTOMER if buyer_country == "IT" else FOREIGN_CUSTOMER)
    if buyer.pec:
        _e(transmission, "PECDestinatario", buyer.pec)

    cedente = _e(header, "CedentePrestatore")
    data = _e(cedente, "DatiAnagrafici")
    _vat_id(data, "IdFiscaleIVA", seller.vat_number)
    if seller.codice_fiscale:
        _e(data, "CodiceFiscale", seller.codice_fiscale)
    _e(_e(data, "Anagrafica"), "Denominazione", latin(seller.legal_name, 80))
    _e(data, "RegimeFiscale", ORDINARY_REGIME)
    _sede(cedente, seller.address, seller.country)
    if seller.rea and "-" in seller.rea:
        office, number = seller.rea.split("-", 1)
        rea = _e(cedente, "IscrizioneREA")
        _e(rea, "Ufficio", office)
        _e(rea, "NumeroREA", number)
        _e(rea, "StatoLiquidazione", "LN")  # not in liquidation

    cessionario = _e(header, "CessionarioCommittente")
    data = _e(cessionario, "DatiAnagrafici")
    code = "".join(ch for ch in buyer.tax_code.upper() if ch.isalnum())
    if buyer_country == "IT":
        _e(data, "CodiceFiscale", code)
    else:  # a customer abroad is named by its country and its own tax number
        holder = _e(data, "IdFiscaleIVA")
        _e(holder, "IdPaese", buyer_country)
        _e(holder, "IdCodice", code[:28])
    _e(_e(data, "Anagrafica"), "Denominazione", latin(buyer.name, 80))
    _sede(cessionario, buyer.address, buyer_country)

    body = _e(root, "FatturaElettronicaBody")
    general = _e(body, "DatiGenerali")
    doc = _e(general, "DatiGeneraliDocumento")
    _e(doc, "TipoDocumento", CREDIT_NOTE if document.is_credit_note else INVOICE)
    _e(doc, "Divisa", document.currency)
    _e(doc, "Data", document.issue_date.isoformat())
    _e(doc, "Numero", document.number)
    stamp = stamp_duty(document)
    if stamp:
        bollo = _e(doc, "DatiBollo")
        _e(bollo, "BolloVirtuale", "SI")
        _e(bollo, "ImportoBollo", two(stamp))
    _e(doc, "ImportoTotaleDocumento", two(document.gross))
    if document.note:
        _e(doc, "Causale", latin(document.note, 200))
    if document.preceding is not None:
        linked = _e(general, "DatiFattureCollegate")
        _e(linked, "IdDocumento", document.preceding.number)
        _e(linked, "Data", document.preceding.issue_date.isoformat())

    goods = _e(body, "DatiBeniServizi")
    for line in document.lines:
        row = _e(goods, "DettaglioLinee")
        _e(row, "NumeroLinea", str(line.position))
        _e(row, "Descrizione", latin(" – ".join(t for t in (line.text, line.detail) if t), 1000))
        _e(row, "Quantita", _decimals(line.quantity))
        if line.period_start and line.period_end:
            _e(row, "DataInizioPeriodo", line.period_start.isoformat())
            _e(row, "DataFinePeriodo", line.period_end.isoformat())
        _e(row, "PrezzoUnitario", _decimals(line.unit_net))
        _e(row, "PrezzoTotale", two(line.net))
        _e(row, "AliquotaIVA", two(line.vat_spec.rate))
        if line.vat_spec.rate == 0:
            _e(row, "Natura", natura_of(line.vat_spec))
    for group in document.vat:
        summary = _e(goods, "DatiRiepilogo")
        _e(summary, "AliquotaIVA", two(group.vat_spec.rate))
        if group.vat_spec.rate == 0:
            _e(summary, "Natura", natura_of(group.vat_spec))
        _e(summary, "ImponibileImporto", two(group.taxable))
        _e(summary, "Imposta", two(group.vat))
        if group.vat_spec.rate == 0:
            _e(summary, "RiferimentoNormativo", latin(group.vat_spec.exemption_reason, 100))
        else:
            _e(summary, "EsigibilitaIVA", "I")  # VAT due at once

    if not document.is_credit_note:
        payment = _e(body, "DatiPagamento")
        _e(payment, "CondizioniPagamento", "TP02")  # paid in full at once
        detail = _e(payment, "DettaglioPagamento")
        _e(detail, "ModalitaPagamento", "MP05" if seller.iban else "MP01")  # bank transfer, else cash
        if document.due_date:
            _e(detail, "DataScadenzaPagamento", document.due_date.isoformat())
        _e(detail, "ImportoPagamento", two(document.gross - document.paid))
        if seller.iban:
            _e(detail, "IBAN", seller.iban.replace(" ", ""))
    return root


def check_fatturapa_xml(xml: bytes) -> None:
    """The XML against the official schema, and that it starts without a byte-order mark."""
    if xml.startswith(b"\xef\xbb\xbf"):
        raise FatturaPAInvalid("The file starts with a byte-order mark.")
    errors = [str(e.reason or e) for e in schema().iter_errors(xml.decode("utf-8"))]
    if errors:
        raise FatturaPAInvalid("; ".join(errors[:5]))


def fatturapa_xml(document: Document) -> bytes:
    """The document's FatturaPA XML (UTF-8, no byte-order mark), checked against the official schema."""
    xml = etree.tostring(fatturapa_tree(document), xml_declaration=True, encoding="UTF-8", pretty_print=True)
    check_fatturapa_xml(xml)
    return xml
