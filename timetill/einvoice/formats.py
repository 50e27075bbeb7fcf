"""Which e-invoices a seller's documents come with: its legal identity's setting, else its country's."""

from __future__ import annotations

from timetill.billing.frozen import SellerCopy

FACTURX = "facturx"
FATTURAPA = "fatturapa"
ALL = (FACTURX, FATTURAPA)

# What a seller's country produces when its identity does not say (France: Factur-X; Italy: FatturaPA).
BY_COUNTRY = {"FR": (FACTURX,), "IT": (FATTURAPA,)}


def formats_of(seller: SellerCopy) -> tuple[str, ...]:
    """The formats of a seller's e-invoices, in the order of ALL."""
    setting = seller.einvoice_formats.strip()
    if setting == "none":
        return ()
    if not setting:
        return BY_COUNTRY.get(seller.country.upper(), ())
    chosen = {code.strip() for code in setting.split(",")}
    return tuple(code for code in ALL if code in chosen)
