"""The e-invoices of issued invoices and credit notes: their Factur-X PDF and FatturaPA XML, one by one or a
month's in one ZIP (the formats themselves are timetill.einvoice's; the copies they read, edocuments.py)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import date
from typing import BinaryIO

from django.utils.translation import gettext as _

from timetill.einvoice.facturx import facturx_pdf
from timetill.einvoice.fatturapa import fatturapa_xml, file_name
from timetill.einvoice.formats import ALL, FACTURX, FATTURAPA
from timetill.errors import NotFound, TimetillError
from timetill.invoicing.credit_pdf import render_credit_note
from timetill.invoicing.edocuments import credit_note_document, invoice_document
from timetill.invoicing.models import CreditNote, Invoice
from timetill.invoicing.pdf import render_invoice
from timetill.sites.models import Site

LABELS = {FACTURX: "Factur-X", FATTURAPA: "FatturaPA"}


def formats_of_document(obj: Invoice | CreditNote) -> tuple[str, ...]:
    """The formats an issued invoice or credit note was issued with."""
    return tuple(code for code in ALL if code in ((obj.einvoice or {}).get("formats") or ()))


def _require(obj: Invoice | CreditNote, fmt: str) -> None:
    if fmt not in ALL:
        raise NotFound("unknown_format", _("There is no e-invoice format %(format)r.") % {"format": fmt})
    if isinstance(obj, Invoice) and not obj.is_issued:
        raise TimetillError("not_issued", _("A draft has no e-invoice: issue it first."))
    if fmt not in formats_of_document(obj):
        raise NotFound(
            "no_einvoice",
            _("%(document)s was not issued as %(format)s (its seller's e-invoices: %(formats)s).")
            % {
                "document": obj,
                "format": LABELS[fmt],
                "formats": ", ".join(LABELS[f] for f in formats_of_document(obj)) or _("none"),
            },
        )


def einvoice_file(obj: Invoice | CreditNote, fmt: str) -> tuple[str, str, bytes]:
    """(file name, content type, content) of an issued invoice's or credit note's e-invoice."""
    _require(obj, fmt)
    if isinstance(obj, Invoice):
        document = invoice_document(obj)
        pdf = render_invoice if fmt == FACTURX else None
    else:
        document = credit_note_document(obj)
        pdf = render_credit_note if fmt == FACTURX else None
    if pdf is not None:
        return f"{document.number}.pdf", "application/pdf", facturx_pdf(pdf(obj), document)
    return file_name(document), "application/xml", fatturapa_xml(document)


def month_documents(
    *, site: Site, month_first: date, formats: tuple[str, ...] = ALL
) -> list[tuple[Invoice | CreditNote, str]]:
    """The month's issued invoices and their credit notes, each with every format it was issued with (of
    `formats`): one entry per file of the month's ZIP, in the order they are written."""
    invoices = Invoice.objects.filter(site=site, month=month_first, state=Invoice.State.ISSUED).order_by(
        "number"
    )
    notes = CreditNote.objects.filter(invoice__in=invoices).select_related("invoice__site").order_by("number")
    return [
        (obj, fmt)
        for obj in [*invoices.select_related("site", "payer"), *notes]
        for fmt in formats_of_document(obj)
        if fmt in formats
    ]


def zip_name(site: Site, month_first: date) -> str:
    return f"einvoices-{site.slug}-{month_first:%Y-%m}.zip"


def write_zip(
    documents: list[tuple[Invoice | CreditNote, str]],
    out: BinaryIO,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the documents' e-invoices into a ZIP on `out` (`facturx/<number>.pdf`, `fatturapa/<name>.xml`),
    calling progress(files written) after each; how many files were written."""
    count = 0
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for obj, fmt in documents:
            name, _type, content = einvoice_file(obj, fmt)
            archive.writestr(f"{fmt}/{name}", content)
            count += 1
            if progress is not None:
                progress(count)
    return count


def no_einvoice() -> NotFound:
    return NotFound("no_einvoice", _("No e-invoice was issued this month."))


def month_zip(*, site: Site, month_first: date, formats: tuple[str, ...] = ALL) -> tuple[str, bytes]:
    """A month's issued invoices and their credit notes, in every format each was issued with, one ZIP."""
    documents = month_documents(site=site, month_first=month_first, formats=formats)
    if not documents:
        raise no_einvoice()
    out = io.BytesIO()
    write_zip(documents, out)
    return zip_name(site, month_first), out.getvalue()
