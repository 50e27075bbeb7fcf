"""What the till pages read: open and parked sales with their stays, closed ones, what is left to refund."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, Prefetch, QuerySet, Sum

from timetill.billing.money import rounded
from timetill.sales.models import Sale, SaleStay
from timetill.sales.services import sales_of
from timetill.sites.localtime import local_date, local_day_bounds
from timetill.sites.models import Site
from timetill.timelines.actors import Actor
from timetill.timelines.models import TimeLine

MAX_ROWS = 200


@dataclass(frozen=True)
class SaleRow:
    """A sale as the till lists it: its total at the currency's precision, how many lines, its stays."""

    sale: Sale
    lines: int
    gross: Decimal
    time_lines: tuple[TimeLine, ...]

    @property
    def who(self) -> str:
        return self.sale.customer.name if self.sale.customer else ""

    @property
    def running(self) -> int:
        return sum(1 for line in self.time_lines if line.end is None)


def _rows(sales: QuerySet[Sale]) -> list[SaleRow]:
    stays = Prefetch(
        "stays",
        queryset=SaleStay.objects.select_related("time_line__customer").order_by("time_line__start", "pk"),
    )
    return [
        SaleRow(
            sale,
            sale.line_count,
            rounded(sale.gross, sale.currency),
            tuple(stay.time_line for stay in sale.stays.all()),
        )
        for sale in sales.annotate(line_count=Count("lines")).prefetch_related(stays)[:MAX_ROWS]
    ]


def waiting_sales(*, site: Site, actor: Actor) -> tuple[list[SaleRow], list[SaleRow]]:
    """The site's open sales and its parked ones, oldest first (the longest waiting on top)."""
    rows = _rows(
        sales_of(actor)
        .filter(site=site, state__in=(Sale.State.OPEN, Sale.State.PARKED))
        .order_by("created_at", "pk")
    )
    return (
        [row for row in rows if row.sale.state == Sale.State.OPEN],
        [row for row in rows if row.sale.state == Sale.State.PARKED],
    )


def closed_today(*, site: Site, actor: Actor, now: datetime) -> list[SaleRow]:
    """The sales closed today (the site's local day), the latest receipt first."""
    start, end = local_day_bounds(local_date(now, site.tz), site.tz)
    return _rows(
        sales_of(actor)
        .filter(site=site, state=Sale.State.CLOSED, closed_at__gte=start, closed_at__lt=end)
        .order_by("-number")
    )


def left_to_refund(sale: Sale) -> dict[int, Decimal]:
    """For each line of a closed sale, the quantity not refunded yet (earlier refunds count)."""
    lines = sale.lines.annotate(taken_back=Sum("refund_lines__quantity")).values_list(
        "pk", "quantity", "taken_back"
    )
    return {pk: quantity + (taken_back or Decimal(0)) for pk, quantity, taken_back in lines}
