"""The receipt as a PDF on an 80 mm till roll (fpdf2, core Helvetica in Windows-1252, so "€" prints)."""

from __future__ import annotations

from decimal import Decimal

from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from fpdf import FPDF

from timetill.formats import money, number
from timetill.sales.receipt import Receipt

WIDTH = 80  # mm, a till roll
MARGIN = 5
LINE = 4.2
METHODS = {"cash": gettext_lazy("Cash"), "card": gettext_lazy("Card"), "other": gettext_lazy("Other")}


def _safe(text: str) -> str:
    # Core fonts print Windows-1252 only: anything else (a name in another script) becomes "?", never a crash.
    # French groups thousands with a narrow no-break space, which Windows-1252 lacks: a no-break space prints.
    text = str(text).replace("\u202f", "\u00a0")
    return text.encode("cp1252", errors="replace").decode("cp1252")


def _estimated_height(receipt: Receipt) -> float:
    # A first, generous page to draw on; the receipt is then drawn again on a page cut where its text ends.
    seller = receipt.seller
    rows = 20 + len(seller.address_lines) + len(seller.registrations) + 2.3 * len(receipt.lines)
    rows += len(seller.legal_mentions) / 40 + len(receipt.vat_lines) + 2 * len(receipt.payments)
    rows += sum(len(line.details) * 1.6 for line in receipt.lines)
    return max(80.0, 2 * MARGIN + rows * LINE * 1.5)


def receipt_pdf(receipt: Receipt) -> bytes:
    """The receipt on one roll-shaped page as long as its text (a first drawing measures it), in the language
    the receipt was issued in (its customer's)."""
    with translation.override(receipt.language):
        return _receipt_pdf(receipt)


def _receipt_pdf(receipt: Receipt) -> bytes:
    measured = _draw(receipt, _estimated_height(receipt))
    if measured.pages_count == 1:
        return bytes(_draw(receipt, max(40.0, measured.get_y() + MARGIN)).output())
    return bytes(measured.output())  # longer than a roll's page: it simply continues on a second


def _draw(receipt: Receipt, height: float) -> FPDF:
    pdf = FPDF(unit="mm", format=(WIDTH, height))
    pdf.core_fonts_encoding = "windows-1252"
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=MARGIN)
    pdf.set_title(_safe(receipt.title))
    pdf.set_creator("Timetill")
    # Dated by the sale, not by the clock: the same receipt is the same file, byte for byte (the file's
    # identifier is a hash of its content and this date).
    pdf.set_creation_date(receipt.closed_at or receipt.created_at)
    pdf.add_page()
    inner = WIDTH - 2 * MARGIN

    def _amount(value: Decimal) -> str:
        return money(value, receipt.currency)

    def text(value: str, *, size: float = 8, style: str = "", align: str = "L", height: float = LINE) -> None:
        pdf.set_font("Helvetica", style=style, size=size)
        pdf.multi_cell(inner, height, _safe(value), align=align, new_x="LMARGIN", new_y="NEXT")

    def row(left: str, right: str, *, size: float = 8, style: str = "") -> None:
        pdf.set_font("Helvetica", style=style, size=size)
        right_width = pdf.get_string_width(_safe(right)) + 1
        pdf.cell(inner - right_width, LINE, _safe(left)[:80], new_x="RIGHT", new_y="TOP")
        pdf.cell(right_width, LINE, _safe(right), align="R", new_x="LMARGIN", new_y="NEXT")

    def rule() -> None:
        pdf.ln(1)
        pdf.set_draw_color(120, 120, 120)
        pdf.line(MARGIN, pdf.get_y(), WIDTH - MARGIN, pdf.get_y())
        pdf.ln(1.5)

    text(receipt.business, size=12, style="B", align="C", height=6)
    if receipt.site != receipt.business:
        text(receipt.site, align="C")
    for line in receipt.seller.address_lines:
        text(line, size=7, align="C", height=3.4)
    for line in receipt.seller.registrations:
        text(line, size=7, align="C", height=3.4)
    pdf.ln(1)
    if receipt.number is None:
        text(_("Sale %(number)s: not paid (pro forma)") % {"number": receipt.sale_id}, style="B", align="C")
    else:
        text(receipt.title, size=10, style="B", align="C", height=5)
        if receipt.refund_of_number is not None:
            text(_("Refund of receipt %(number)s") % {"number": f"{receipt.refund_of_number:06d}"}, align="C")
    when = receipt.closed_at or receipt.created_at
    text(f"{when:%d/%m/%Y %H:%M} ({receipt.time_zone})", align="C")
    if receipt.customer:
        text(_("Customer: %(name)s") % {"name": receipt.customer}, align="C")
    rule()

    for line in receipt.lines:
        row(line.short_name, _amount(line.gross), style="B")
        pdf.set_text_color(70, 70, 70)
        basis = _("incl. VAT %(rate)s %%") if line.prices_include_vat else _("excl. VAT %(rate)s %%")
        row(
            f"  {number(line.quantity)} × {_amount(line.unit_price)} "
            f"({basis % {'rate': number(line.vat_rate)}})",
            "",
            size=7,
        )
        if line.discount:
            row("  " + _("Discount"), f"-{_amount(line.discount)}", size=7)
        for detail in line.details:
            pdf.set_x(MARGIN + 3)
            pdf.set_font("Helvetica", size=6.5)
            pdf.multi_cell(inner - 3, 3.2, _safe(detail), new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
        pdf.ln(0.8)
    rule()
    row(_("TOTAL"), _amount(receipt.gross), size=11, style="B")
    pdf.ln(1.5)

    pdf.set_font("Helvetica", style="B", size=7)
    columns = ((_("VAT rate"), 16), (_("Net"), 18), (_("VAT"), 18), (_("Gross"), inner - 52))
    for i, (title, width) in enumerate(columns):
        pdf.cell(width, LINE, _safe(title), align="L" if i == 0 else "R", new_x="RIGHT", new_y="TOP")
    pdf.ln(LINE)
    rows = [("", f"{number(v.rate)} %", v.net, v.vat, v.gross) for v in receipt.vat_lines]
    rows.append(("B", _("Total"), receipt.net, receipt.vat, receipt.gross))
    for style, *values in rows:
        pdf.set_font("Helvetica", style=style, size=7)
        cells = (values[0], *(_amount(v) for v in values[1:]))
        for i, ((_title, width), value) in enumerate(zip(columns, cells, strict=True)):
            pdf.cell(width, LINE, _safe(value), align="L" if i == 0 else "R", new_x="RIGHT", new_y="TOP")
        pdf.ln(LINE)
    rule()

    for payment in receipt.payments:
        name = str(METHODS.get(payment.method, payment.method))
        if payment.tendered is not None:
            row(_("%(method)s tendered") % {"method": name}, _amount(payment.tendered))
            if payment.change:
                row(_("Change given"), _amount(payment.change), style="B")
        else:
            row(_("Paid back") if payment.amount < 0 else name, _amount(payment.amount))
    if receipt.payments:
        rule()
    if receipt.seller.legal_mentions:
        text(receipt.seller.legal_mentions, size=6.5, align="C", height=3.2)
        pdf.ln(1)
    text(_("Thank you!"), align="C")
    return pdf


def receipt_pdf_response(receipt: Receipt) -> HttpResponse:
    """The PDF as an answer a browser shows inline, named after the receipt number (the sale's id before)."""
    response = HttpResponse(receipt_pdf(receipt), content_type="application/pdf")
    name = f"receipt-{receipt.number:06d}.pdf" if receipt.number else f"sale-{receipt.sale_id}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
