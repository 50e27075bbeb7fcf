"""The receipt of a sale: a printable page (80 mm wide, print CSS) and the PDF."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from timetill.sales.receipt import receipt_of
from timetill.sales.receipt_pdf import receipt_pdf_response
from timetill.sales.views.common import METHODS, load_sale
from timetill.web.views.common import track_time_required


@require_GET
@track_time_required
def receipt_page(request: HttpRequest, pk: int) -> HttpResponse:
    current = load_sale(request, pk)
    return render(
        request,
        "sales/receipt.html",
        {"sale": current, "receipt": receipt_of(current), "methods": METHODS, "page": "sales"},
    )


@require_GET
@track_time_required
def receipt_pdf_file(request: HttpRequest, pk: int) -> HttpResponse:
    data = receipt_of(load_sale(request, pk))
    return receipt_pdf_response(data)
