"""The one place the reports read what bills a time line: its sale, the product and the amount.

A stay is held by its sale on the till's side (`sales.SaleStay`) and the sale line that prices it refers to
the stay (`SaleLine.time_line`). A stay a monthly invoice billed (a Daily Time line prices a child's stays
of a month together) is linked to that invoice line when the invoice is issued (`invoicing.BilledStay`)."""

from decimal import Decimal

from django.db.models import BigIntegerField, F, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from timetill.invoicing.models import BilledStay
from timetill.sales.models import Sale, SaleLine


def billing_lines() -> QuerySet:
    """The sale lines that price the time line of the outer query (refunds refer to these)."""
    return SaleLine.objects.filter(time_line=OuterRef("pk"), refund_of_line__isnull=True).order_by("pk")


def sale_of_line():
    """The id of the sale a time line is on: its own link, else the sale of the line that prices it."""
    return Coalesce(
        F("sale_stay__sale_id"),
        Subquery(billing_lines().values("sale_id")[:1]),
        output_field=BigIntegerField(),
    )


def invoice_lines() -> QuerySet:
    """The issued invoice lines that billed the time line of the outer query (the first payer's first)."""
    return BilledStay.objects.filter(time_line=OuterRef("pk")).order_by("invoice_line_id")


def with_billing(time_lines: QuerySet) -> QuerySet:
    """Annotate each time line with `sale_ref`, `sale_state`, `sale_number`, `invoice_ref`, `invoice_number`,
    `product_ref`, `product_name` (of its sale line, else of the invoice line that billed it) and `amount`
    (the gross of the sale lines that price it; None when none does: an invoice line prices a month's stays
    together, not each one)."""
    sale = Sale.objects.filter(pk=OuterRef("sale_ref"))
    first = billing_lines()
    invoiced = invoice_lines()
    amount = billing_lines().order_by().values("time_line").annotate(total=Sum("gross")).values("total")[:1]
    return time_lines.annotate(
        sale_ref=sale_of_line(),
        sale_state=Subquery(sale.values("state")[:1]),
        sale_number=Subquery(sale.values("number")[:1]),
        invoice_ref=Subquery(invoiced.values("invoice_line__invoice_id")[:1]),
        invoice_number=Subquery(invoiced.values("invoice_line__invoice__number")[:1]),
        product_ref=Coalesce(
            Subquery(first.values("product_id")[:1]),
            Subquery(invoiced.values("invoice_line__product_id")[:1]),
        ),
        product_name=Coalesce(
            Subquery(first.values("short_name")[:1]),
            Subquery(invoiced.values("invoice_line__product__short_name")[:1]),
        ),
        amount=Subquery(amount),
    )


def amount_of(time_line_ids: QuerySet) -> Decimal:
    """The gross of the lines that price these time lines (a subquery of their ids)."""
    found = SaleLine.objects.filter(time_line__in=time_line_ids, refund_of_line__isnull=True).aggregate(
        total=Sum("gross")
    )
    # SQLite sums decimals as floats: back to the three decimals amounts are stored with.
    return (found["total"] or Decimal(0)).quantize(Decimal("0.001"))
