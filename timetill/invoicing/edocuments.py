"""What invoices and credit notes copy for their e-invoices when issued (checked then, so a missing VAT id or
codice fiscale is refused at issue, never a broken file later), and the neutral documents timetill.einvoice
makes the files of."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _

from timetill.billing.frozen import SellerCopy
from timetill.billing.money import VatCategory, VatSpec
from timetill.billing.numbering import BUSINESS, next_number
from timetill.billing.seller import seller_of
from timetill.einvoice import document as edoc
from timetill.einvoice.checks import EInvoiceDataMissing, check_issuable
from timetill.einvoice.formats import FATTURAPA, formats_of
from timetill.errors import TimetillError
from timetill.invoicing.models import CreditNote, Invoice, InvoiceLine, Payer
from timetill.sites.models import Site

# -- what an issued document copies --------------------------------------------------------------------------


def buyer_copy(payer: Payer) -> dict[str, str]:
    """What e-invoices need of a payer beyond the name, address and tax code every invoice copies."""
    return {"country": payer.country, "email": payer.email, "pec": payer.pec}


def _buyer(invoice: Invoice, copy: dict) -> edoc.Buyer:
    extra = copy.get("buyer") or {}
    return edoc.Buyer(
        name=invoice.buyer_name,
        address=invoice.buyer_address,
        country=str(extra.get("country") or ""),
        tax_code=invoice.buyer_tax_code,
        email=str(extra.get("email") or ""),
        pec=str(extra.get("pec") or ""),
    )


def _groups(breakdown: list[dict], specs: list[VatSpec]) -> tuple[edoc.VatGroup, ...]:
    """The stored VAT breakdown (the billing core's, BR-CO-17), each rate with its full specification."""
    out = []
    for row in breakdown:
        key = (Decimal(row["rate"]), row.get("category", "S"), row.get("exemption_reason", ""))
        spec = next(
            (s for s in specs if (s.rate, s.category.value, s.exemption_reason) == key),
            VatSpec(key[0], VatCategory(key[1]), key[2]),
        )
        out.append(edoc.VatGroup(spec, Decimal(row["net"]), Decimal(row["vat"])))
    return tuple(out)


def _fit_nets(lines: list[edoc.Line], groups: tuple[edoc.VatGroup, ...]) -> tuple[edoc.Line, ...]:
    """Lines whose nets add up to their rate's taxable amount (EN 16931 BR-CO-10, BR-S-08).

    With prices VAT included, the VAT is extracted once from the rate's sum (docs/billing.md), so the lines'
    own nets may add up to a cent or so more or less than the rate's net: the rate's last line takes it.
    """
    fitted = list(lines)
    for group in groups:
        indexes = [i for i, line in enumerate(fitted) if line.vat_spec == group.vat_spec]
        if not indexes:
            continue
        gap = group.taxable - sum((fitted[i].net for i in indexes), Decimal(0))
        if gap:
            last = indexes[-1]
            fitted[last] = replace(fitted[last], net=fitted[last].net + gap)
    return tuple(fitted)


def _spec(line: InvoiceLine) -> VatSpec:
    return VatSpec(
        line.vat_rate, VatCategory(line.vat_category), line.vat_exemption_reason, line.vat_exemption_code
    )


def _language() -> str:
    return (translation.get_language() or "en").split("-")[0]


def invoice_document(invoice: Invoice, *, lines: list[InvoiceLine] | None = None) -> edoc.Document:
    """What an invoice states, for its e-invoices (an issued one: only its frozen copies)."""
    lines = list(invoice.lines.all()) if lines is None else lines
    copy = invoice.einvoice or {}
    items = [
        edoc.Line(
            position=i,
            text=line.description,
            quantity=Decimal(line.quantity),
            net=Decimal(line.net),
            vat_spec=_spec(line),
            detail=line.detail,
            period_start=line.period_start,
            period_end=line.period_end,
        )
        for i, line in enumerate(lines, 1)
    ]
    groups = _groups(invoice.vat_breakdown, [item.vat_spec for item in items])
    return edoc.Document(
        kind=edoc.INVOICE,
        number=invoice.number or "",
        issue_date=invoice.issue_date,
        currency=invoice.currency,
        seller=SellerCopy.from_dict(invoice.seller),
        buyer=_buyer(invoice, copy),
        lines=_fit_nets(items, groups),
        vat=groups,
        net=Decimal(invoice.net),
        tax=Decimal(invoice.vat),
        gross=Decimal(invoice.gross),
        due_date=invoice.due_date,
        language=_language(),
        progressive=str(copy.get("progressive") or ""),
    )


def credit_note_document(note: CreditNote) -> edoc.Document:
    """What a credit note states, for its e-invoices: type 381 (TD04) with the invoice it corrects."""
    invoice = note.invoice
    copy = note.einvoice or {}
    items = [
        edoc.Line(
            position=i,
            text=line.description,
            quantity=Decimal(1),
            net=Decimal(line.net),
            vat_spec=_spec(line.invoice_line),
        )
        for i, line in enumerate(note.lines.select_related("invoice_line"), 1)
    ]
    groups = _groups(note.vat_breakdown, [item.vat_spec for item in items])
    return edoc.Document(
        kind=edoc.CREDIT_NOTE,
        number=note.number,
        issue_date=note.issue_date,
        currency=note.currency,
        seller=SellerCopy.from_dict(invoice.seller),
        buyer=_buyer(invoice, invoice.einvoice or {}),
        lines=_fit_nets(items, groups),
        vat=groups,
        net=Decimal(note.net),
        tax=Decimal(note.vat),
        gross=Decimal(note.gross),
        preceding=edoc.Preceding(invoice.number, invoice.issue_date),
        note=note.reason,
        language=_language(),
        progressive=str(copy.get("progressive") or ""),
    )


def _progressive(site: Site) -> str:
    """The seller's next FatturaPA file progressive (a gapless series of its own: names never repeat)."""
    identity = seller_of(site)
    number = next_number(scope=identity.scope if identity else BUSINESS, series="fatturapa", year=None)
    if len(number.text) > 5:
        raise TimetillError(
            "fatturapa_progressive_exhausted",
            _("The FatturaPA file numbers of this seller are used up (99,999 files)."),
            status=409,  # a conflict with the seller's state, not bad input: the same request fails again
        )
    return number.text


def _check_reasons(lines: list[InvoiceLine]) -> None:
    """A line without VAT must say why (EN 16931 BR-E-10, FatturaPA's RiferimentoNormativo). Rates are
    refused without their reason, so only a line written otherwise can lack it: it is named here."""
    missing = sorted(
        {
            _("the exemption reason of the %(rate)s %% VAT rate (category %(category)s) on “%(line)s”")
            % {
                "rate": f"{line.vat_rate.normalize():f}",
                "category": line.vat_category,
                "line": line.description,
            }
            for line in lines
            if VatCategory(line.vat_category).needs_reason and not line.vat_exemption_reason.strip()
        }
    )
    if missing:
        raise EInvoiceDataMissing(missing)


def freeze_invoice(invoice: Invoice, lines: list[InvoiceLine]) -> dict:
    """At issue (in its transaction, the copies made): check what the seller's e-invoices need, and the copy
    the invoice keeps for them. Raises EInvoiceDataMissing naming what is missing."""
    copy: dict = {"buyer": buyer_copy(invoice.payer)}
    invoice.einvoice = copy
    formats = formats_of(SellerCopy.from_dict(invoice.seller))
    if formats:
        _check_reasons(lines)
    document = invoice_document(invoice, lines=lines)
    check_issuable(document, formats)
    copy["formats"] = list(formats)
    if FATTURAPA in formats:
        copy["progressive"] = _progressive(invoice.site)
    return copy


def freeze_credit_note(note: CreditNote) -> dict:
    """At a credit note's making: the formats of its invoice's seller, and its FatturaPA progressive."""
    formats = formats_of(SellerCopy.from_dict(note.invoice.seller))
    copy: dict = {"formats": list(formats)}
    if FATTURAPA in formats:
        copy["progressive"] = _progressive(note.invoice.site)
    return copy
