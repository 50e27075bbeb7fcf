"""The neutral document an e-invoice is made from: what an issued invoice or credit note states, as data.

Invoicing builds it from its frozen copies (timetill.invoicing.edocuments); the formats here read only it,
so they know nothing of the models above them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from timetill.billing.frozen import SellerCopy
from timetill.billing.money import VatSpec

INVOICE = "invoice"
CREDIT_NOTE = "credit_note"

# The last line of an address that holds its postcode and town: "20121 Milano (MI)", "75011 Paris".
POSTAL_LINE = re.compile(r"^(?P<postcode>\d{4,6})\s+(?P<city>.+?)(?:\s*\((?P<province>[A-Za-z]{2})\))?$")


@dataclass(frozen=True)
class Postal:
    """An address split as e-invoices want it: the street lines, the postcode, the town, the province."""

    lines: tuple[str, ...]
    postcode: str
    city: str
    province: str = ""


def postal_parts(address: str) -> Postal:
    """The address's lines, its last line read as "postcode town (province)" when it is written so."""
    lines = tuple(line.strip() for line in address.splitlines() if line.strip())
    found = POSTAL_LINE.match(lines[-1]) if lines else None
    if found is None:
        return Postal(lines, "", "")
    return Postal(lines[:-1], found["postcode"], found["city"].strip(), (found["province"] or "").upper())


@dataclass(frozen=True)
class Buyer:
    """The payer as the document was issued to: name, address, country, tax code, e-mail and PEC."""

    name: str
    address: str = ""
    country: str = ""
    tax_code: str = ""
    email: str = ""
    pec: str = ""

    @property
    def postal(self) -> Postal:
        return postal_parts(self.address)


@dataclass(frozen=True)
class Line:
    """A line as the e-invoice states it: its net amount (VAT excluded) and its VAT rate."""

    position: int
    text: str
    quantity: Decimal
    net: Decimal
    vat_spec: VatSpec
    detail: str = ""
    period_start: date | None = None
    period_end: date | None = None

    @property
    def unit_net(self) -> Decimal:
        """The net price of one unit (the line's net over its quantity), as precise as e-invoices allow."""
        if not self.quantity:
            return self.net
        return (self.net / self.quantity).quantize(Decimal("0.000001")).normalize()


@dataclass(frozen=True)
class VatGroup:
    """One rate of the VAT breakdown: its taxable amount and its VAT (the billing core's, BR-CO-17)."""

    vat_spec: VatSpec
    taxable: Decimal
    vat: Decimal


@dataclass(frozen=True)
class Preceding:
    """The invoice a credit note corrects (EN 16931 BG-3)."""

    number: str
    issue_date: date


@dataclass(frozen=True)
class Document:
    """An issued invoice or credit note, everything its e-invoices say."""

    kind: str  # INVOICE or CREDIT_NOTE
    number: str
    issue_date: date
    currency: str
    seller: SellerCopy
    buyer: Buyer
    lines: tuple[Line, ...]
    vat: tuple[VatGroup, ...]
    net: Decimal
    tax: Decimal
    gross: Decimal
    due_date: date | None = None
    paid: Decimal = Decimal(0)
    preceding: Preceding | None = None
    note: str = ""  # a credit note's reason
    language: str = "en"
    progressive: str = ""  # the FatturaPA transmission's progressive, drawn when issued

    @property
    def is_credit_note(self) -> bool:
        return self.kind == CREDIT_NOTE
