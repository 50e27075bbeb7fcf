"""Invoice lines written from the billing core's document lines, and an invoice's totals worked out again
from its lines by the core's one VAT rule."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from timetill.billing.language import document_language
from timetill.billing.money import DocumentLine, VatCategory, VatSpec, totals_of
from timetill.catalog.models import Product
from timetill.invoicing.models import Invoice, InvoiceLine


def language_of(invoice: Invoice) -> str:
    """The language an invoice speaks: the one it was issued in; a draft, its payer's (else its site's)."""
    return invoice.language or document_language(invoice.payer.language, invoice.site.language)


def vat_spec_of(product: Product) -> VatSpec:
    return product.vat_rate.spec


@dataclass(frozen=True, slots=True)
class Taxable:
    """What the VAT rule reads of a stored line: its VAT, its amount in its price basis, and that basis."""

    vat_spec: VatSpec
    amount: Decimal
    prices_include_vat: bool


def taxable(line: InvoiceLine) -> Taxable:
    spec = VatSpec(
        line.vat_rate, VatCategory(line.vat_category), line.vat_exemption_reason, line.vat_exemption_code
    )
    return Taxable(spec, line.gross if line.prices_include_vat else line.net, line.prices_include_vat)


def breakdown_json(by_rate) -> list[dict[str, str]]:
    return [
        {
            "rate": f"{s.vat_spec.rate:f}",
            "category": s.vat_spec.category.value,
            "exemption_reason": s.vat_spec.exemption_reason,
            "net": str(s.net),
            "vat": str(s.vat),
            "gross": str(s.gross),
        }
        for s in by_rate
    ]


def refresh_totals(invoice: Invoice) -> Invoice:
    """Net, VAT and gross of a draft from its lines (VAT per rate on the sum: the billing core's rule)."""
    totals = totals_of([taxable(line) for line in invoice.lines.all()], invoice.currency)
    invoice.net, invoice.vat, invoice.gross = totals.net, totals.vat, totals.gross
    invoice.vat_breakdown = breakdown_json(totals.by_rate)
    invoice.save(update_fields=["net", "vat", "gross", "vat_breakdown"])
    return invoice


def line_row(invoice: Invoice, position: int, document: DocumentLine, **kept: Any) -> InvoiceLine:
    spec = document.vat_spec
    return InvoiceLine(
        invoice=invoice,
        position=position,
        description=document.text[:300],
        detail=document.detail[:200],
        quantity=document.quantity,
        unit_price=document.unit_price,
        discount=document.discount,
        vat_rate=spec.rate,
        vat_category=spec.category.value,
        vat_exemption_reason=spec.exemption_reason,
        vat_exemption_code=spec.exemption_code,
        prices_include_vat=document.prices_include_vat,
        net=document.net,
        vat=document.vat,
        gross=document.gross,
        explanation=document.explanation,
        **kept,
    )


def save_lines(invoice: Invoice, lines: list[dict[str, Any]]) -> list[InvoiceLine]:
    """Append lines (each a `document` and the fields the invoice line keeps) and work out the totals."""
    last = invoice.lines.order_by("-position").values_list("position", flat=True).first() or 0
    rows = [line_row(invoice, last + i, **line) for i, line in enumerate(lines, 1)]
    InvoiceLine.objects.bulk_create(rows)
    refresh_totals(invoice)
    return rows
