"""Helpers of the till page tests: acting on a sale through the pages, and what "nothing changed" means."""

from decimal import Decimal

import pypdfium2
from django.urls import reverse

from tests.web.conftest import HX
from timetill.billing.models import Counter
from timetill.sales.models import Sale

D = Decimal


def post(client, name: str, sale, data=None, *, line=None, htmx: bool = True):
    args = [sale.pk] if line is None else [sale.pk, line.pk]
    return client.post(reverse(name, args=args), data or {}, **(HX if htmx else {}))


def snapshot(sale=None) -> tuple:
    """Every row an action on the till could change: sales, lines, payments, receipt counters."""
    sales = Sale.objects.order_by("pk")
    return (
        list(
            sales.values_list("pk", "state", "number", "customer_id", "net", "vat", "gross", "refund_of_id")
        ),
        [
            list(s.lines.values_list("pk", "quantity", "unit_price", "discount", "gross", "variant_id"))
            for s in sales
        ],
        [list(s.payments.values_list("pk", "method", "amount")) for s in sales],
        list(Counter.objects.order_by("pk").values_list("scope", "series", "year", "last")),
    )


def pdf_text(data: bytes) -> str:
    """The text of a PDF's pages, as a reader extracts it."""
    document = pypdfium2.PdfDocument(data)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def pdf_image(data: bytes, *, scale: float = 2):
    """The first page of a PDF rendered to a greyscale picture (Pillow), as a viewer shows it."""
    document = pypdfium2.PdfDocument(data)
    try:
        return document[0].render(scale=scale).to_pil().convert("L")
    finally:
        document.close()
