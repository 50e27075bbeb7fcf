"""The one place the reports read what bills a time line: its sale, the product and the amount.

A stay is held by its sale on the till's side (`sales.SaleStay`) and the sale line that prices it refers to
the stay (`SaleLine.time_line`). An
invoice line billing a stay joins here too once invoices bill time lines."""

from decimal import Decimal

from django.db.models import BigIntegerField, F, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

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


def with_billing(time_lines: QuerySet) -> QuerySet:
    """Annotate each time line with `sale_ref`, `sale_state`, `sale_number`, `product_ref`, `product_name`
    and `amount` (the gross of the lines that price it; None when nothing does yet)."""
    sale = Sale.objects.filter(pk=OuterRef("sale_ref"))
    first = billing_lines()
    amount = billing_lines().order_by().values("time_line").annotate(total=Sum("gross")).values("total")[:1]
    return time_lines.annotate(
        sale_ref=sale_of_line(),
        sale_state=Subquery(sale.values("state")[:1]),
        sale_number=Subquery(sale.values("number")[:1]),
        product_ref=Subquery(first.values("product_id")[:1]),
        product_name=Subquery(first.values("short_name")[:1]),
        amount=Subquery(amount),
    )


def amount_of(time_line_ids: QuerySet) -> Decimal:
    """The gross of the lines that price these time lines (a subquery of their ids)."""
    found = SaleLine.objects.filter(time_line__in=time_line_ids, refund_of_line__isnull=True).aggregate(
        total=Sum("gross")
    )
    # SQLite sums decimals as floats: back to the three decimals amounts are stored with.
    return (found["total"] or Decimal(0)).quantize(Decimal("0.001"))
