"""Frozen copies: what an issued document shows of its seller and its customer, copied when it is issued.

An issued receipt or invoice reads only its copy, so renaming a customer, moving a site or changing the
seller's identity later changes no byte of it. Copies are plain JSON (stored on the document) and read back
with `from_dict`; a key missing from an older copy reads as empty.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

from django.utils.translation import gettext as _

from timetill.billing.models import SellerIdentity


@dataclass(frozen=True)
class SellerCopy:
    """The seller as a document prints it."""

    legal_name: str
    address: str = ""
    country: str = ""
    vat_number: str = ""
    siren: str = ""
    siret: str = ""
    rea: str = ""
    codice_fiscale: str = ""
    email: str = ""
    phone: str = ""
    iban: str = ""
    bic: str = ""
    payment_terms: str = ""
    legal_mentions: str = ""
    einvoice_formats: str = ""

    def to_dict(self) -> dict[str, str]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SellerCopy:
        return cls(**{f.name: str(data.get(f.name) or "") for f in fields(cls)})

    @property
    def address_lines(self) -> tuple[str, ...]:
        return tuple(line.strip() for line in self.address.splitlines() if line.strip())

    @property
    def registrations(self) -> tuple[str, ...]:
        """The identifiers a document prints under the address, each with its name."""
        out = []
        if self.vat_number:
            out.append(_("VAT no. %(number)s") % {"number": self.vat_number})
        if self.siret:
            out.append(_("SIRET %(number)s") % {"number": self.siret})
        elif self.siren:
            out.append(_("SIREN %(number)s") % {"number": self.siren})
        if self.codice_fiscale:
            out.append(_("C.F. %(number)s") % {"number": self.codice_fiscale})
        if self.rea:
            out.append(_("REA %(number)s") % {"number": self.rea})
        return tuple(out)


@dataclass(frozen=True)
class PartyCopy:
    """The customer (or payer) as a document prints it."""

    name: str
    address: str = ""

    def to_dict(self) -> dict[str, str]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PartyCopy:
        return cls(name=str(data.get("name") or ""), address=str(data.get("address") or ""))


def seller_copy(identity: SellerIdentity | None, *, fallback_name: str) -> SellerCopy:
    """The copy of a seller's identity; with none entered yet, just the name the business goes by."""
    if identity is None:
        return SellerCopy(legal_name=fallback_name)
    return SellerCopy(**{f.name: getattr(identity, f.name) for f in fields(SellerCopy)})
