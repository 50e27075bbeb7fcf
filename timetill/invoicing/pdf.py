"""The invoice PDF (fpdf2, A4): seller and legal mentions, payer, lines with their period and VAT, the VAT
breakdown per rate, totals, payment terms and IBAN, and an annex with each Daily Time line's days.

The text is set in DejaVu Sans, a TrueType font embedded in the file (accents and any Latin, Greek or
Cyrillic name print; PDF/A needs embedded fonts), from Debian's fonts-dejavu-core (`make install` adds it).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from fpdf import FPDF

from timetill.billing.frozen import SellerCopy
from timetill.errors import TimetillError
from timetill.invoicing.documents import language_of
from timetill.invoicing.invoices import seller_snapshot
from timetill.invoicing.models import CreditNote, Invoice, InvoiceLine

FONT = "DejaVu"
DATE = "%d/%m/%Y"
# Column widths of the lines table (mm), 180 in all.
COLUMNS = (78, 16, 22, 14, 16, 14, 20)


def font_dir() -> Path:
    return Path(getattr(settings, "TIMETILL_FONT_DIR", "/usr/share/fonts/truetype/dejavu"))


def _money(value: Decimal) -> str:
    return f"{Decimal(value).quantize(Decimal('0.01')):,.2f}".replace(",", "\u202f")


def _quantity(value: Decimal) -> str:
    return format(Decimal(value).normalize(), "f")


class InvoicePdf(FPDF):
    def __init__(self, invoice: Invoice) -> None:
        super().__init__(format="A4")
        self.invoice = invoice
        regular, bold = font_dir() / "DejaVuSans.ttf", font_dir() / "DejaVuSans-Bold.ttf"
        if not regular.exists() or not bold.exists():
            raise TimetillError(
                "font_missing", _("The invoice font (DejaVu Sans) is not installed: run make install.")
            )
        self.add_font(FONT, "", str(regular))
        self.add_font(FONT, "B", str(bold))
        self.set_auto_page_break(auto=True, margin=22)
        self.set_margins(15, 15, 15)
        self.set_title(str(invoice))
        self.set_creator("Timetill")

    def footer(self) -> None:
        mentions = self.invoice.seller.get("legal_mentions", "") if self.invoice.seller else ""
        self.set_y(-18)
        self.set_font(FONT, size=7)
        self.set_text_color(90)
        if mentions:
            self.multi_cell(0, 3.2, mentions, align="C")
        self.set_y(-8)
        self.cell(
            0, 4, _("Page %(page)s of %(pages)s") % {"page": self.page_no(), "pages": "{nb}"}, align="R"
        )
        self.set_text_color(0)


def _seller(invoice: Invoice) -> dict:
    if invoice.seller:
        return invoice.seller
    # A draft has not copied its seller yet: show the seller as it is now.
    return seller_snapshot(invoice.site)


def render_invoice(invoice: Invoice) -> bytes:
    """The invoice's PDF, in the language it was issued in (its payer's)."""
    with translation.override(language_of(invoice)):
        return _render_invoice(invoice)


def _render_invoice(invoice: Invoice) -> bytes:
    pdf = InvoicePdf(invoice)
    pdf.alias_nb_pages()
    pdf.add_page()
    seller = _seller(invoice)
    lines = list(invoice.lines.all())
    _header(pdf, invoice, seller)
    _lines(pdf, invoice, lines)
    write_totals(pdf, invoice, _("Total due (%(currency)s)") % {"currency": invoice.currency})
    _terms(pdf, invoice, seller)
    annexed = [line for line in lines if (line.explanation or {}).get("days")]
    if annexed:
        _annex(pdf, annexed)
    return bytes(pdf.output())


def _header(pdf: InvoicePdf, invoice: Invoice, seller: dict) -> None:
    pdf.set_font(FONT, "B", 13)
    pdf.cell(0, 7, seller.get("legal_name") or invoice.site.name, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=9)
    copy = SellerCopy.from_dict(seller)
    for text in (*copy.address_lines, *copy.registrations):
        pdf.multi_cell(90, 4.5, text, new_x="LMARGIN", new_y="NEXT")
    top = 15
    pdf.set_xy(115, top)
    pdf.set_font(FONT, "B", 15)
    title = _("Invoice %(number)s") % {"number": invoice.number} if invoice.number else _("Draft invoice")
    pdf.multi_cell(80, 7, title, align="R", new_x="LEFT", new_y="NEXT")
    pdf.set_font(FONT, size=9)
    if invoice.issue_date:
        pdf.multi_cell(
            80,
            4.5,
            _("Issue date: %(date)s") % {"date": invoice.issue_date.strftime(DATE)},
            align="R",
            new_x="LEFT",
            new_y="NEXT",
        )
        pdf.multi_cell(
            80,
            4.5,
            _("Due date: %(date)s") % {"date": invoice.due_date.strftime(DATE)},
            align="R",
            new_x="LEFT",
            new_y="NEXT",
        )
    if invoice.month:
        pdf.multi_cell(
            80,
            4.5,
            _("Month: %(month)s") % {"month": invoice.month.strftime("%m/%Y")},
            align="R",
            new_x="LEFT",
            new_y="NEXT",
        )
    pdf.set_xy(115, max(pdf.get_y(), 45))
    pdf.set_font(FONT, "B", 10)
    pdf.multi_cell(80, 5, _("Invoiced to"), new_x="LEFT", new_y="NEXT")
    pdf.set_font(FONT, size=9)
    buyer = invoice.buyer_name or invoice.payer.name
    address = invoice.buyer_address if invoice.issue_date else invoice.payer.address
    tax_code = invoice.buyer_tax_code if invoice.issue_date else invoice.payer.tax_code
    pdf.multi_cell(80, 4.5, buyer, new_x="LEFT", new_y="NEXT")
    if address:
        pdf.multi_cell(80, 4.5, address, new_x="LEFT", new_y="NEXT")
    if tax_code:
        pdf.multi_cell(80, 4.5, _("Tax code: %(code)s") % {"code": tax_code}, new_x="LEFT", new_y="NEXT")
    pdf.set_xy(15, max(pdf.get_y(), 75) + 4)


def _lines(pdf: InvoicePdf, invoice: Invoice, lines: list[InvoiceLine]) -> None:
    heads = (
        pgettext("document column", "Description"),
        _("Qty"),
        _("Unit price"),
        _("VAT %"),
        _("Net"),
        _("VAT"),
        _("Amount"),
    )
    pdf.set_font(FONT, "B", 8)
    pdf.set_fill_color(235, 239, 243)
    for width, head in zip(COLUMNS, heads, strict=True):
        pdf.cell(width, 6, head, border="B", fill=True, align="L" if width == COLUMNS[0] else "R")
    pdf.ln()
    pdf.set_font(FONT, size=8)
    for line in lines:
        text = line.description
        if line.detail:
            text += "\n" + line.detail
        height = 4 * len(pdf.multi_cell(COLUMNS[0], 4, text, dry_run=True, output="LINES"))
        if pdf.get_y() + height > pdf.page_break_trigger:
            pdf.add_page()
        y = pdf.get_y()
        pdf.multi_cell(COLUMNS[0], 4, text, new_x="RIGHT", new_y="TOP")
        pdf.set_xy(15 + COLUMNS[0], y)
        values = (
            _quantity(line.quantity),
            _money(line.unit_price),
            f"{_quantity(line.vat_rate)} %",
            _money(line.net),
            _money(line.vat),
            _money(line.gross),
        )
        for width, value in zip(COLUMNS[1:], values, strict=True):
            pdf.cell(width, 4, value, align="R")
        pdf.set_xy(15, y + height + 1.5)


def write_totals(pdf: InvoicePdf, document: Invoice | CreditNote, total_label: str) -> None:
    """The VAT breakdown per rate and the totals of an invoice or a credit note, as the document copied."""
    pdf.ln(2)
    pdf.set_font(FONT, "B", 8)
    pdf.cell(0, 5, _("VAT breakdown"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=8)
    for row in document.vat_breakdown:
        label = f"{_quantity(Decimal(row['rate']))} %"
        if row.get("exemption_reason"):
            label += f" ({row['exemption_reason']})"
        pdf.cell(70, 4.5, label)
        pdf.cell(35, 4.5, _("net %(amount)s") % {"amount": _money(Decimal(row["net"]))}, align="R")
        pdf.cell(35, 4.5, _("VAT %(amount)s") % {"amount": _money(Decimal(row["vat"]))}, align="R")
        pdf.cell(40, 4.5, _money(Decimal(row["gross"])), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    for label, value, bold in (
        (_("Total excluding VAT"), document.net, False),
        (_("VAT"), document.vat, False),
        (total_label, document.gross, True),
    ):
        pdf.set_font(FONT, "B" if bold else "", 10 if bold else 9)
        pdf.cell(140, 6, label, align="R")
        pdf.cell(40, 6, _money(value), align="R", new_x="LMARGIN", new_y="NEXT")


def _terms(pdf: InvoicePdf, invoice: Invoice, seller: dict) -> None:
    pdf.ln(3)
    pdf.set_font(FONT, size=9)
    days = seller.get("payment_days")
    if invoice.due_date:
        pdf.multi_cell(
            0,
            4.5,
            _("Payment terms: %(days)s days, by %(date)s.")
            % {"days": days, "date": invoice.due_date.strftime(DATE)},
            new_x="LMARGIN",
            new_y="NEXT",
        )
    if seller.get("iban"):
        bank = _("IBAN: %(iban)s") % {"iban": seller["iban"]}
        if seller.get("bic"):
            bank += "  " + _("BIC: %(bic)s") % {"bic": seller["bic"]}
        pdf.multi_cell(0, 4.5, bank, new_x="LMARGIN", new_y="NEXT")


def _annex(pdf: InvoicePdf, lines: list[InvoiceLine]) -> None:
    pdf.add_page()
    pdf.set_font(FONT, "B", 12)
    pdf.cell(0, 7, _("Annex: day by day"), new_x="LMARGIN", new_y="NEXT")
    widths = (40, 28, 28, 28, 28, 28)
    heads = (_("Date"), _("Arrival"), _("Departure"), _("Early (min)"), _("Late (min)"), _("Amount"))
    for line in lines:
        pdf.ln(2)
        pdf.set_font(FONT, "B", 9)
        pdf.multi_cell(0, 5, line.description, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, "B", 8)
        for width, head in zip(widths, heads, strict=True):
            pdf.cell(width, 5, head, border="B", align="L" if width == widths[0] else "R")
        pdf.ln()
        pdf.set_font(FONT, size=8)
        for day in line.explanation["days"]:
            year, month, dom = day["date"].split("-")
            values = (
                f"{dom}/{month}/{year}",
                day["arrival"],
                day["departure"],
                str(day["early_minutes"]),
                str(day["late_minutes"]),
                _money(Decimal(day["amount"])),
            )
            for width, value in zip(widths, values, strict=True):
                pdf.cell(width, 4.5, value, align="L" if width == widths[0] else "R")
            pdf.ln()
        if line.share_percent != 100:
            pdf.set_font(FONT, size=7.5)
            pdf.multi_cell(
                0,
                4,
                _("Your share: %(percent)s %%") % {"percent": _quantity(line.share_percent)},
                new_x="LMARGIN",
                new_y="NEXT",
            )
