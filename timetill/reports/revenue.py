"""Revenue from time: net, VAT and gross of what billed stays, by product and by customer group.

Each source of revenue is one query that returns rows of the same shape (product, group, net, VAT, gross),
summed in the database: the till (the lines of paid sales that price a stay, and the refunds of those lines,
negative, in the period they were paid back), the lines of issued invoices on their issue date, and the lines
of credit notes, negative, on theirs."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from timetill.invoicing.models import CreditNoteLine, Invoice, InvoiceLine
from timetill.reports.periods import Period
from timetill.sales.models import Sale, SaleLine
from timetill.sites.models import Site

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class RevenueRow:
    source: str  # one of SOURCES
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
    by_source: tuple[RevenueLine, ...] = ()  # each source's total, named as SOURCE_NAMES says


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


def _issued_in(period: Period, date_field: str) -> Q:
    """Documents dated (their issue date, a local day at their site) within the period's days."""
    return Q(**{f"{date_field}__gte": period.first, f"{date_field}__lte": period.last})


def _grouped(lines: QuerySet, source: str, product: str, fallback: str, group: str) -> Iterable[RevenueRow]:
    """Sum net, VAT and gross by the product's name on the receipt (the line's text when it has none) and
    the child's customer group, in the database."""
    grouped = (
        lines.annotate(product_name=Coalesce(F(product), F(fallback)), group_name=F(group))
        .values("product_name", "group_name")
        .annotate(net=Sum("net"), vat=Sum("vat"), gross=Sum("gross"))
        .order_by("product_name", "group_name")
    )
    for row in grouped:
        yield RevenueRow(
            source=source,
            product=row["product_name"],
            group=row["group_name"] or "",
            net=row["net"],
            vat=row["vat"],
            gross=row["gross"],
        )


def from_invoices(site: Site | None, period: Period) -> Iterable[RevenueRow]:
    """Every line of the invoices issued in the period (a daycare's invoice bills a child's time: the
    package's monthly products and the extra time), by product and the child's group. Drafts never count."""
    lines = InvoiceLine.objects.filter(
        Q(invoice__state=Invoice.State.ISSUED) & _issued_in(period, "invoice__issue_date")
    )
    if site is not None:
        lines = lines.filter(invoice__site=site)
    return _grouped(lines, "invoices", "product__short_name", "description", "child__group__name")


def from_credit_notes(site: Site | None, period: Period) -> Iterable[RevenueRow]:
    """What credit notes took back, negative, on their own issue date, under the product and group of the
    invoice line each one corrects."""
    lines = CreditNoteLine.objects.filter(_issued_in(period, "credit_note__issue_date"))
    if site is not None:
        lines = lines.filter(credit_note__invoice__site=site)
    for row in _grouped(
        lines,
        "credit_notes",
        "invoice_line__product__short_name",
        "invoice_line__description",
        "invoice_line__child__group__name",
    ):
        yield RevenueRow(row.source, row.product, row.group, -row.net, -row.vat, -row.gross)


# Where revenue from time comes from, in the order the page shows them.
SOURCES: dict[str, Callable[[Site | None, Period], Iterable[RevenueRow]]] = {
    "sales": from_sales,
    "invoices": from_invoices,
    "credit_notes": from_credit_notes,
}
SOURCE_NAMES = {
    "sales": gettext_lazy("Paid sales"),
    "invoices": gettext_lazy("Invoices issued"),
    "credit_notes": gettext_lazy("Credit notes"),
}


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
        by_source=tuple(
            _sum(str(SOURCE_NAMES[source]), [row for row in rows if row.source == source])
            for source in SOURCES
        ),
    )
