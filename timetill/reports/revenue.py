"""Revenue from time: net, VAT and gross of what billed stays, by product and by customer group.

Each source of revenue is one query that returns rows of the same shape (product, group, net, VAT, gross),
summed in the database. Today the one source is the till: the lines of paid sales that price a stay (and the
refunds of those lines, negative, in the period they were paid back). Monthly invoices join as a second source
once their lines refer to the stays they bill."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from timetill.reports.periods import Period
from timetill.sales.models import Sale, SaleLine
from timetill.sites.models import Site

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class RevenueRow:
    source: str  # "sales" (later "invoices")
    product: str
    group: str
    net: Decimal
    vat: Decimal
    gross: Decimal


@dataclass(frozen=True)
class RevenueLine:
    """One product's or one group's revenue."""

    name: str
    net: Decimal
    vat: Decimal
    gross: Decimal


@dataclass(frozen=True)
class Revenue:
    by_product: tuple[RevenueLine, ...]
    by_group: tuple[RevenueLine, ...]
    total: RevenueLine
    sources: tuple[str, ...]


def _time_sale_lines(site: Site | None, period: Period) -> QuerySet:
    lines = SaleLine.objects.filter(
        Q(time_line__isnull=False) | Q(refund_of_line__time_line__isnull=False),
        sale__state=Sale.State.CLOSED,
        sale__closed_at__gte=period.start,
        sale__closed_at__lt=period.end,
    )
    return lines.filter(sale__site=site) if site is not None else lines


def from_sales(site: Site | None, period: Period) -> Iterable[RevenueRow]:
    """The till's part, grouped in SQL by the line's product name (as sold) and the stay's customer group."""
    grouped = (
        _time_sale_lines(site, period)
        .annotate(
            group_name=Coalesce(
                F("time_line__customer__group__name"), F("refund_of_line__time_line__customer__group__name")
            )
        )
        .values("short_name", "group_name")
        .annotate(net=Sum("net"), vat=Sum("vat"), gross=Sum("gross"))
        .order_by("short_name", "group_name")
    )
    for row in grouped:
        yield RevenueRow(
            source="sales",
            product=row["short_name"],
            group=row["group_name"] or "",
            net=row["net"],
            vat=row["vat"],
            gross=row["gross"],
        )


# Where revenue from time comes from; an invoices source is added here once invoice lines bill time lines.
SOURCES: dict[str, Callable[[Site | None, Period], Iterable[RevenueRow]]] = {"sales": from_sales}


def _sum(name: str, rows: list[RevenueRow]) -> RevenueLine:
    return RevenueLine(
        name=name,
        net=sum((r.net for r in rows), ZERO).quantize(ZERO),
        vat=sum((r.vat for r in rows), ZERO).quantize(ZERO),
        gross=sum((r.gross for r in rows), ZERO).quantize(ZERO),
    )


def revenue(*, site: Site | None, period: Period) -> Revenue:
    rows = [row for source in SOURCES.values() for row in source(site, period)]
    products: dict[str, list[RevenueRow]] = {}
    groups: dict[str, list[RevenueRow]] = {}
    for row in rows:
        products.setdefault(row.product, []).append(row)
        groups.setdefault(row.group or _("No group"), []).append(row)
    return Revenue(
        by_product=tuple(_sum(name, items) for name, items in sorted(products.items())),
        by_group=tuple(_sum(name, items) for name, items in sorted(groups.items())),
        total=_sum(_("Total"), rows),
        sources=tuple(SOURCES),
    )
