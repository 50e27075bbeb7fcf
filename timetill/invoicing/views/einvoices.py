"""E-invoice downloads: an issued invoice's or credit note's Factur-X PDF or FatturaPA XML (for the office,
and for the payer their own only), and a month's e-invoices in one ZIP (the office)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from timetill.errors import NotFound, TimetillError
from timetill.invoicing.einvoices import einvoice_file, month_zip
from timetill.invoicing.family import own_invoices
from timetill.invoicing.models import CreditNote, Invoice
from timetill.invoicing.month import parse_month
from timetill.invoicing.views.pages import manage_invoicing_required, site_of


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


@manage_invoicing_required
def month_einvoices(request: HttpRequest) -> HttpResponse:
    site = site_of(request)
    back = f"{reverse('invoicing-month')}?site={site.slug}&month={request.GET.get('month', '')}"
    try:
        month = parse_month(request.GET.get("month") or "")
        name, content = month_zip(site=site, month_first=month.first)
    except TimetillError as error:
        messages.error(request, error.message)
        return redirect(back)
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
