"""The credit note PDF (fpdf2, A4, DejaVu Sans embedded like the invoice's): seller, the invoice it
corrects and why, the payer, the credited lines, the VAT breakdown and the totals; only from frozen copies."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from timetill.billing.frozen import SellerCopy
from timetill.invoicing.documents import language_of
from timetill.invoicing.models import CreditNote
from timetill.invoicing.pdf import DATE, FONT, InvoicePdf, _money, _quantity, write_totals

WIDTHS = (110, 18, 26, 26)


def render_credit_note(note: CreditNote) -> bytes:
    """The credit note's PDF, in the language of the invoice it corrects."""
    with translation.override(language_of(note.invoice)):
        return _render_credit_note(note)


def _render_credit_note(note: CreditNote) -> bytes:
    invoice = note.invoice
    pdf = InvoicePdf(invoice)
    pdf.set_title(str(note))
    pdf.set_creation_date(note.created_at)
    pdf.alias_nb_pages()
    pdf.add_page()
    seller = SellerCopy.from_dict(invoice.seller)
    pdf.set_font(FONT, "B", 13)
    pdf.cell(0, 7, seller.legal_name, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=9)
    for text in (*seller.address_lines, *seller.registrations):
        pdf.multi_cell(90, 4.5, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_xy(115, 15)
    pdf.set_font(FONT, "B", 15)
    pdf.multi_cell(
        80, 7, _("Credit note %(number)s") % {"number": note.number}, align="R", new_x="LEFT", new_y="NEXT"
    )
    pdf.set_font(FONT, size=9)
    for text in (
        _("Issue date: %(date)s") % {"date": note.issue_date.strftime(DATE)},
        _("Corrects invoice %(number)s of %(date)s")
        % {"number": invoice.number, "date": invoice.issue_date.strftime(DATE)},
    ):
        pdf.multi_cell(80, 4.5, text, align="R", new_x="LEFT", new_y="NEXT")
    pdf.set_xy(115, max(pdf.get_y(), 45))
    pdf.set_font(FONT, "B", 10)
    pdf.multi_cell(80, 5, _("Credited to"), new_x="LEFT", new_y="NEXT")
    pdf.set_font(FONT, size=9)
    for text in (invoice.buyer_name, invoice.buyer_address):
        if text:
            pdf.multi_cell(80, 4.5, text, new_x="LEFT", new_y="NEXT")
    if invoice.buyer_tax_code:
        pdf.multi_cell(
            80, 4.5, _("Tax code: %(code)s") % {"code": invoice.buyer_tax_code}, new_x="LEFT", new_y="NEXT"
        )
    pdf.set_xy(15, max(pdf.get_y(), 75) + 4)
    pdf.multi_cell(0, 4.5, _("Reason: %(reason)s") % {"reason": note.reason}, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(FONT, "B", 8)
    pdf.set_fill_color(235, 239, 243)
    for width, head in zip(
        WIDTHS, (pgettext("document column", "Description"), _("VAT %"), _("Net"), _("Amount")), strict=True
    ):
        pdf.cell(width, 6, head, border="B", fill=True, align="L" if width == WIDTHS[0] else "R")
    pdf.ln()
    pdf.set_font(FONT, size=8)
    for line in note.lines.all():
        y = pdf.get_y()
        pdf.multi_cell(WIDTHS[0], 4, line.description, new_x="RIGHT", new_y="TOP")
        bottom = pdf.get_y()
        pdf.set_xy(15 + WIDTHS[0], y)
        for width, value in zip(
            WIDTHS[1:], (f"{_quantity(line.vat_rate)} %", _money(line.net), _money(line.gross)), strict=True
        ):
            pdf.cell(width, 4, value, align="R")
        pdf.set_xy(15, max(bottom, y + 4) + 1.5)
    write_totals(pdf, note, _("Total credited (%(currency)s)") % {"currency": note.currency})
    return bytes(pdf.output())
