"""E-invoice downloads: an issued invoice's or credit note's Factur-X PDF or FatturaPA XML (for the office,
and for the payer their own only), and a month's e-invoices in one ZIP, written in the background (the
office)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from timetill.errors import NotFound, TimetillError
from timetill.exports.jobs import download, export_of, is_ready
from timetill.exports.models import Export
from timetill.invoicing import tasks
from timetill.invoicing.einvoice_exports import EVERY_FORMAT, KIND
from timetill.invoicing.einvoices import einvoice_file
from timetill.invoicing.family import own_invoices
from timetill.invoicing.models import CreditNote, Invoice
from timetill.invoicing.views.pages import manage_invoicing_required, site_of
from timetill.sites.models import Site
from timetill.timelines.actors import Actor


def _download(request: HttpRequest, obj: Invoice | CreditNote, fmt: str, back: str) -> HttpResponse:
    try:
        name, content_type, content = einvoice_file(obj, fmt)
    except NotFound as error:
        raise Http404(error.message) from None
    except TimetillError as error:
        messages.error(request, error.message)
        return redirect(back)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@manage_invoicing_required
def invoice_einvoice(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    invoice = Invoice.objects.filter(pk=pk).select_related("site", "payer").first()
    if invoice is None:
        raise Http404(_("There is no such invoice."))
    return _download(request, invoice, fmt, reverse("invoicing-invoice", args=[pk]))


@manage_invoicing_required
def credit_note_einvoice(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    note = CreditNote.objects.filter(pk=pk).select_related("invoice__site").first()
    if note is None:
        raise Http404(_("There is no such credit note."))
    return _download(request, note, fmt, reverse("invoicing-invoice", args=[note.invoice_id]))


@login_required
def my_invoice_einvoice(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    invoice = own_invoices(request.user).filter(pk=pk).first()
    if invoice is None:
        raise Http404(_("There is no such invoice of yours."))
    return _download(request, invoice, fmt, reverse("my-invoice", args=[pk]))


@login_required
def my_credit_note_einvoice(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    note = CreditNote.objects.filter(pk=pk, invoice__in=own_invoices(request.user)).first()
    if note is None:
        raise Http404(_("There is no such credit note of yours."))
    return _download(request, note, fmt, reverse("my-invoice", args=[note.invoice_id]))


# -- a month's e-invoices in one ZIP, written in the background ----------------------------------------------


@require_POST
@manage_invoicing_required
def einvoice_export_start(request: HttpRequest) -> HttpResponse:
    """Ask for the ZIP of the month's e-invoices; then its page, with its progress. Refused (a month not
    ended, none issued) back on the month's page with the reason, nothing recorded."""
    site = site_of(request)
    month = request.POST.get("month") or ""
    try:
        export = tasks.enqueue_einvoice_export(
            user=request.user,
            actor=Actor.for_user(request.user),
            site_id=site.pk,
            month=month,
            fmt=request.POST.get("format") or EVERY_FORMAT,
            at=timezone.now(),
        )
    except TimetillError as error:
        messages.error(request, error.message)
        return redirect(f"{reverse('invoicing-month')}?{urlencode({'site': site.slug, 'month': month})}")
    return redirect("invoicing-einvoice-export", pk=export.pk)


def _export(request: HttpRequest, pk: int) -> Export:
    try:
        return export_of(request.user, pk, kind=KIND)
    except TimetillError as error:
        raise Http404(error.message) from error


@manage_invoicing_required
def einvoice_export_page(request: HttpRequest, pk: int) -> HttpResponse:
    export = _export(request, pk)
    site = Site.objects.filter(pk=export.query.get("site")).first()
    back = urlencode({"site": site.slug if site else "", "month": export.query.get("month", "")})
    return render(
        request,
        "invoicing/einvoice_export.html",
        {
            "page": "invoicing",
            "export": export,
            "site": site,
            "month": export.query.get("month"),
            "back_query": back,
        },
    )


@manage_invoicing_required
def einvoice_export_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar of the ZIP, polled by its page until the file is ready."""
    return render(request, "invoicing/_einvoice_export_progress.html", {"export": _export(request, pk)})


@manage_invoicing_required
def einvoice_export_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The ZIP of the user's own export, once written."""
    export = _export(request, pk)
    if not is_ready(export):
        raise Http404(_("This export is not ready."))
    return download(export, content_type="application/zip")
