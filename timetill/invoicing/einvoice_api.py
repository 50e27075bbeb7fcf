"""REST endpoints for e-invoices: an issued invoice's or credit note's Factur-X PDF or FatturaPA XML (the
office's invoicing managers any; a payer their own only), and a month's e-invoices in one ZIP, written in the
background."""

from datetime import datetime
from typing import Annotated, Literal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from timetill.api_common import MONTH_PATTERN
from timetill.errors import NotFound
from timetill.exports.jobs import download, export_of, require_ready
from timetill.invoicing import tasks
from timetill.invoicing.einvoice_exports import KIND
from timetill.invoicing.einvoices import einvoice_file
from timetill.invoicing.family import own_invoices
from timetill.invoicing.models import CreditNote, Invoice
from timetill.timelines.actors import Actor

router = Router(tags=["e-invoices"])

Id = Annotated[int, Field(ge=1, le=2**63 - 1)]
Format = Literal["facturx", "fatturapa"]
ExportFormat = Literal["all", "facturx", "fatturapa"]

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


# -- a month's e-invoices in one ZIP, written in the background ----------------------------------------------


class ErrorOut(Schema):
    code: str
    message: str


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


class EinvoiceExportIn(Schema):
    site_id: Id
    month: str = Field(
        ...,
        pattern=r"^\d{4}-\d{2}$",
        description="The month whose issued invoices and credit notes to gather, YYYY-MM; it must have "
        "ended.",
        json_schema_extra={"pattern": MONTH_PATTERN},  # the month itself is checked: `invalid_month`
    )
    format: ExportFormat = Field(
        "all", description="`facturx`, `fatturapa`, or `all`: every format each document was issued with."
    )


class EinvoiceExportOut(Schema):
    id: int
    state: str  # queued, running, done, failed
    site_id: int
    month: str
    format: str
    file_name: str
    total_files: int
    done_files: int
    percent: int
    size: int
    error: str
    created_at: datetime
    finished_at: datetime | None

    @staticmethod
    def resolve_site_id(export) -> int:
        return export.query["site"]

    @staticmethod
    def resolve_month(export) -> str:
        return export.query["month"]

    @staticmethod
    def resolve_format(export) -> str:
        return export.query["format"]

    @staticmethod
    def resolve_total_files(export) -> int:
        return export.total_rows

    @staticmethod
    def resolve_done_files(export) -> int:
        return export.done_rows


@router.post(
    "/invoicing/einvoices/exports",
    response={202: EinvoiceExportOut, **ERRORS},
    summary="Ask for a month's e-invoices in one ZIP, written in the background (manage_invoicing)",
    description="The ZIP holds the month's issued invoices and their credit notes, `facturx/<number>.pdf` "
    "and `fatturapa/IT<VAT id>_<progressive>.xml`. It is written by the tasks worker; poll "
    "`GET /api/invoicing/einvoices/exports/{id}` for its progress, then download `…/file`. Only the user "
    "who asked sees it; it is removed a day later. Refused, with nothing recorded: `invalid_month`, "
    "`month_not_ended` (400), `unknown_site`, `unknown_format`, `no_einvoice` (404: none issued that month).",
)
def start_einvoice_export(request: HttpRequest, payload: EinvoiceExportIn):
    actor = Actor.for_user(request.user)
    export = tasks.enqueue_einvoice_export(
        user=request.user,
        actor=actor,
        site_id=payload.site_id,
        month=payload.month,
        fmt=payload.format,
        at=timezone.now(),
    )
    return Status(202, export)


def _export(request: HttpRequest, export_id: int):
    Actor.for_user(request.user).require("manage_invoicing")
    return export_of(request.user, export_id, kind=KIND)


@router.get(
    "/invoicing/einvoices/exports/{export_id}",
    response={200: EinvoiceExportOut, **ERRORS},
    summary="A month's e-invoice ZIP: its state and progress (its asker only; manage_invoicing)",
    description="`unknown_export` (404) for another user's export, or one removed after a day.",
)
def get_einvoice_export(request: HttpRequest, export_id: Id):
    return _export(request, export_id)


@router.get(
    "/invoicing/einvoices/exports/{export_id}/file",
    response={200: None, 409: ErrorOut, **ERRORS},
    openapi_extra={
        "responses": {
            200: {
                "description": "The ZIP.",
                "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
    summary="Download a month's e-invoice ZIP once written (its asker only; manage_invoicing)",
    description="`export_not_ready` (409) while it is being written or when it failed; `unknown_export` "
    "(404) for another user's.",
)
def einvoice_export_file(request: HttpRequest, export_id: Id):
    export = _export(request, export_id)
    require_ready(export)
    return download(export, content_type="application/zip")
