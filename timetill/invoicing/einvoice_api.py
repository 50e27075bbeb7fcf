"""REST endpoints for e-invoices: an issued invoice's or credit note's Factur-X PDF or FatturaPA XML (the
office's invoicing managers any; a payer their own only), and a month's e-invoices in one ZIP."""

from typing import Annotated, Literal

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router

from timetill.api_common import MonthText
from timetill.errors import NotFound
from timetill.invoicing.einvoices import einvoice_file, month_zip
from timetill.invoicing.family import own_invoices
from timetill.invoicing.models import CreditNote, Invoice
from timetill.invoicing.month import parse_month
from timetill.sites.models import Site
from timetill.timelines.actors import Actor

router = Router(tags=["e-invoices"])

Id = Annotated[int, Field(ge=1, le=2**63 - 1)]
Format = Literal["facturx", "fatturapa"]

FILE = {
    200: {
        "description": "The file: Factur-X as a PDF/A-3 (application/pdf) with its CII XML attached, "
        "FatturaPA as XML (application/xml) named IT<VAT id>_<progressive>.xml. "
        "Errors: `unknown_invoice`, `unknown_credit_note` (404, also for another payer's), "
        "`no_einvoice` (404: not issued in that format), `not_issued` (400: a draft).",
        "content": {
            "application/pdf": {"schema": {"type": "string", "format": "binary"}},
            "application/xml": {"schema": {"type": "string", "format": "binary"}},
        },
    }
}
ZIP = {
    200: {
        "description": "A ZIP of the month's issued invoices and credit notes, `facturx/<number>.pdf` and "
        "`fatturapa/IT<VAT id>_<progressive>.xml`. Errors: `invalid_month` (400), `unknown_site`, "
        "`no_einvoice` (404: none issued that month).",
        "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
    }
}


def _file(name: str, content_type: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _invoices(request: HttpRequest):
    """Every invoice for an invoicing manager; a payer's own issued invoices for anyone else."""
    actor = Actor.for_user(request.user)
    if actor.has_right("manage_invoicing"):
        return Invoice.objects.all()
    return own_invoices(request.user)


@router.get(
    "/invoices/{invoice_id}/einvoice/{fmt}",
    response={200: None},
    openapi_extra={"responses": FILE},
    summary="An issued invoice's e-invoice (manage_invoicing, or the payer's own)",
)
def invoice_einvoice(request: HttpRequest, invoice_id: Id, fmt: Format):
    invoice = _invoices(request).select_related("site", "payer").filter(pk=invoice_id).first()
    if invoice is None:
        raise NotFound("unknown_invoice", _("There is no invoice %(id)s.") % {"id": invoice_id})
    return _file(*einvoice_file(invoice, fmt))


@router.get(
    "/credit-notes/{credit_note_id}/einvoice/{fmt}",
    response={200: None},
    openapi_extra={"responses": FILE},
    summary="A credit note's e-invoice (manage_invoicing, or the payer's own)",
)
def credit_note_einvoice(request: HttpRequest, credit_note_id: Id, fmt: Format):
    note = (
        CreditNote.objects.filter(invoice__in=_invoices(request), pk=credit_note_id)
        .select_related("invoice__site")
        .first()
    )
    if note is None:
        raise NotFound("unknown_credit_note", _("There is no credit note %(id)s.") % {"id": credit_note_id})
    return _file(*einvoice_file(note, fmt))


@router.get(
    "/invoicing/einvoices",
    response={200: None},
    openapi_extra={"responses": ZIP},
    summary="A month's e-invoices in one ZIP (manage_invoicing)",
)
def month_einvoices(request: HttpRequest, site_id: Id | None = None, month: MonthText | None = None):
    # Both are needed; optional here so that the right is checked before them.
    Actor.for_user(request.user).require("manage_invoicing")
    site = Site.objects.filter(pk=site_id).first() if site_id else None
    if site is None:
        raise NotFound("unknown_site", _("There is no site %(id)s.") % {"id": site_id})
    name, content = month_zip(site=site, month_first=parse_month(month or "").first)
    return _file(name, "application/zip", content)
