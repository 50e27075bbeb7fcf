"""Demo data for e-invoices: the business's French legal identity, the daycare's Italian one (Factur-X and
FatturaPA), its exempt VAT rate with the law, payers' codice fiscale, and a credit note."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from decimal import Decimal

from stdnum.it import codicefiscale

from timetill.billing.seller import SellerSpec, save_seller
from timetill.billing.vat_rates import add_vat_rate
from timetill.invoicing.invoices import credit_invoice
from timetill.invoicing.models import Invoice
from timetill.sites.models import Site
from timetill.timelines.actors import Actor

BUSINESS = SellerSpec(
    legal_name="Timetill Lyon SAS",
    address="8 place Bellecour\n69002 Lyon",
    country="FR",
    vat_number="FR40303265045",
    siren="303265045",
    siret="30326504500003",
    email="contact@timetill.example",
    iban="FR7630006000011234567890189",
    bic="AGRIFRPP",
    payment_terms="30 jours net",
    legal_mentions="SAS au capital de 10 000 € · RCS Lyon 303 265 045",
)
DAYCARE = SellerSpec(
    legal_name="Piccoli Passi S.r.l.",
    address="Via Roma 1\n20121 Milano (MI)",
    country="IT",
    vat_number="IT00743110157",
    codice_fiscale="00743110157",
    rea="MI-1234567",
    email="amministrazione@piccolipassi.example",
    iban="IT60X0542811101000000123456",
    payment_terms="30 giorni data fattura",
    einvoice_formats="facturx,fatturapa",
)


def codice_fiscale(name: str) -> str:
    """A well-formed codice fiscale for a demo payer (letters of the name, a fixed birth date and town)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().upper()
    first, _space, last = ascii_name.partition(" ")
    letters = "".join(c for c in last if c.isalpha())[:3].ljust(3, "X")
    letters += "".join(c for c in first if c.isalpha())[:3].ljust(3, "X")
    body = letters + "85T10F205"  # 10 December 1985, Milano
    return body + codicefiscale.calc_check_digit(body)


def load_sellers(*, daycare: Site, actor: Actor, at: datetime) -> None:
    """The legal identities (the daycare invoices in its own name) and the daycare's exempt rate, which its
    products take (the first active 0 % rate)."""
    save_seller(spec=BUSINESS, site=None, actor=actor, at=at)
    save_seller(spec=DAYCARE, site=daycare, actor=actor, at=at)
    add_vat_rate(
        name="Asilo nido (esente)",
        rate=Decimal(0),
        category="E",
        exemption_reason="Esente IVA art. 10 n. 20 DPR 633/72",
        exemption_code="N4",
        actor=actor,
    )


def credit_a_day(*, daycare: Site, actor: Actor, at: datetime) -> None:
    """A credit note of the daycare's first unpaid issued invoice: a day closed (strike), 20.00 of its fee."""
    # Not the demo parent's (their page shows their invoices as issued, to the cent).
    invoices = Invoice.objects.filter(
        site=daycare, state=Invoice.State.ISSUED, payments__isnull=True, payer__user__isnull=True
    )
    invoice = invoices.order_by("number").first()
    line = invoice.lines.filter(kind="monthly").order_by("position").first() if invoice else None
    if line is None:
        return
    amount = min(Decimal("20.00"), line.gross if line.prices_include_vat else line.net)
    credit_invoice(
        invoice_id=invoice.pk,
        reason="Un giorno di chiusura (sciopero)",
        amounts={line.pk: amount},
        actor=actor,
        at=at,
    )
