"""The payer's phone page: their children's extra time this month so far, their invoices with PDFs and
day-by-day detail, their balance. Only their own."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from timetill.invoicing.family import accruing, own_invoices, payers_of
from timetill.invoicing.invoices import balance_of, payment_state
from timetill.invoicing.pdf import render_invoice
from timetill.invoicing.sending import pdf_name


def pdf_response(invoice) -> HttpResponse:
    response = HttpResponse(render_invoice(invoice), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{pdf_name(invoice)}"'
    return response


@login_required
def my_invoices(request: HttpRequest) -> HttpResponse:
    payers = list(payers_of(request.user))
    if not payers:
        raise Http404(_("You are not a payer of any family."))
    at = timezone.now()
    invoices = own_invoices(request.user).order_by("-issue_date", "-pk")
    today = at.astimezone(payers[0].family.site.tz).date()
    return render(
        request,
        "invoicing/mine.html",
        {
            "page": "my-invoices",
            "accruing": [item for payer in payers for item in accruing(payer=payer, at=at)],
            "invoices": [(invoice, payment_state(invoice)) for invoice in invoices],
            "balance": balance_of(invoices, today=today, currency=payers[0].family.site.currency),
            "currency": payers[0].family.site.currency,
        },
    )


@login_required
def my_invoice(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = own_invoices(request.user).filter(pk=pk).select_related("family").first()
    if invoice is None:
        raise Http404(_("There is no such invoice of yours."))
    return render(
        request,
        "invoicing/invoice.html",
        {"page": "my-invoices", "invoice": invoice, "lines": invoice.lines.all(), "staff": False},
    )


@login_required
def my_invoice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = own_invoices(request.user).filter(pk=pk).first()
    if invoice is None:
        raise Http404(_("There is no such invoice of yours."))
    return pdf_response(invoice)
