"""What each format needs of a document, checked when it is issued: anything missing is named then."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from stdnum.eu import vat as stdnum_vat
from stdnum.exceptions import ValidationError as NumberError
from stdnum.it import codicefiscale as stdnum_cf
from stdnum.it import iva as stdnum_iva

from timetill.billing.money import VatCategory, VatSpec
from timetill.einvoice.document import Document, postal_parts
from timetill.einvoice.formats import FACTURX, FATTURAPA
from timetill.errors import TimetillError

# The natura codes of FatturaPA 1.2.2 (why a line carries no VAT).
NATURA = re.compile(r"^N(1|2\.[12]|3\.[1-6]|4|5|6\.[1-9]|7)$")
# What FatturaPA's natura is when a rate gives none: an exempt rate is "esente" (N4).
DEFAULT_NATURA = {VatCategory.EXEMPT: "N4"}
FATTURAPA_PROGRESSIVE = re.compile(r"^[0-9A-Za-z]{1,5}$")


class EInvoiceDataMissing(TimetillError):
    """The document lacks what one of its seller's e-invoices needs; `missing` lists each thing in words."""

    def __init__(self, missing: list[str]) -> None:
        super().__init__(
            "einvoice_data_missing",
            _("This document cannot be issued as an e-invoice yet: %(missing)s.")
            % {"missing": "; ".join(missing)},
        )
        self.missing = missing


def natura_of(spec: VatSpec) -> str:
    """The FatturaPA natura of a rate without VAT: its code if it is one, else its category's; "" if none."""
    if NATURA.match(spec.exemption_code.strip()):
        return spec.exemption_code.strip()
    return DEFAULT_NATURA.get(spec.category, "")


def valid_codice_fiscale(code: str) -> bool:
    """A person's 16-character codice fiscale, or a company's 11 digits (its partita IVA)."""
    code = code.replace(" ", "").upper()
    try:
        (stdnum_iva if code.isdigit() else stdnum_cf).validate(code)
    except NumberError:
        return False
    return True


def _valid_vat(number: str) -> bool:
    try:
        stdnum_vat.validate(number)
    except NumberError:
        return False
    return True


def missing_for(document: Document, formats: tuple[str, ...]) -> list[str]:
    """Every thing the formats need that the document lacks, each in words (empty: it can be issued)."""
    missing: list[str] = []
    seller, buyer = document.seller, document.buyer
    if not formats:
        return missing
    if not seller.vat_number:
        missing.append(_("the seller's VAT number (enter it on the seller's legal identity)"))
    elif not _valid_vat(seller.vat_number):
        missing.append(
            _("a valid VAT number of the seller (%(number)s is not one)") % {"number": seller.vat_number}
        )
    if not seller.address.strip():
        missing.append(_("the seller's address"))
    if not buyer.name.strip():
        missing.append(_("the payer's name"))
    for group in document.vat:
        if group.vat_spec.category.needs_reason and not group.vat_spec.exemption_reason.strip():
            missing.append(
                _("the exemption reason of the %(rate)s %% VAT rate") % {"rate": f"{group.vat_spec.rate:f}"}
            )
    if FATTURAPA in formats:
        missing += _fatturapa_missing(document)
    if FACTURX in formats and not (buyer.country or seller.country):
        missing.append(_("the payer's country"))
    return missing


def _fatturapa_missing(document: Document) -> list[str]:
    missing: list[str] = []
    seller, buyer = document.seller, document.buyer
    if seller.address.strip() and not postal_parts(seller.address).postcode:
        missing.append(
            _("the seller's postcode and town on the last line of its address (e.g. “20121 Milano (MI)”)")
        )
    if (buyer.country or seller.country).upper() == "IT":
        if not buyer.tax_code.strip():
            missing.append(_("the codice fiscale of %(payer)s") % {"payer": buyer.name})
        elif not valid_codice_fiscale(buyer.tax_code):
            missing.append(
                _("a valid codice fiscale of %(payer)s (%(code)s is not one)")
                % {"payer": buyer.name, "code": buyer.tax_code}
            )
    elif not buyer.tax_code.strip():
        missing.append(_("the tax code of %(payer)s") % {"payer": buyer.name})
    if not buyer.address.strip() or not postal_parts(buyer.address).postcode:
        missing.append(
            _("the address of %(payer)s with its postcode and town on the last line (e.g. “20121 Milano”)")
            % {"payer": buyer.name}
        )
    for group in document.vat:
        if group.vat_spec.rate == 0 and not natura_of(group.vat_spec):
            missing.append(
                _("the natura (N1…N7) of the %(rate)s %% VAT rate “%(reason)s”, as its exemption code")
                % {"rate": f"{group.vat_spec.rate:f}", "reason": group.vat_spec.exemption_reason or "-"}
            )
    if len(document.lines) > 9999:
        missing.append(_("at most 9,999 lines"))
    return missing


def check_issuable(document: Document, formats: tuple[str, ...]) -> None:
    """Refuse (EInvoiceDataMissing, naming each missing thing) what its e-invoices could not be made of."""
    missing = missing_for(document, formats)
    if missing:
        raise EInvoiceDataMissing(missing)
