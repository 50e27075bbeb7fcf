"""What a payer sees on their phone: their own issued invoices and balance, and each of their children's
stays this month with the extra time accruing so far, priced and explained by the engine."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from timetill.catalog.models import Product
from timetill.catalog.tariffs import tariff_at
from timetill.invoicing.models import Enrolment, FamilyChild, Invoice, Payer
from timetill.invoicing.month import Month, clip
from timetill.invoicing.stays import instant, micros, read_stays
from timetill.sites.localtime import local_day_bounds


def payers_of(user) -> QuerySet[Payer]:
    return Payer.objects.filter(user=user).select_related("family__site")


def own_invoices(user) -> QuerySet[Invoice]:
    """A payer's issued invoices, and nobody else's (a separated parent sees only their own share)."""
    return Invoice.objects.filter(payer__user=user, state=Invoice.State.ISSUED).select_related(
        "site", "payer"
    )


@dataclass(frozen=True)
class Accruing:
    child: str
    product: str
    total: Decimal
    currency: str
    days: list[dict[str, Any]]
    open_now: bool


def accruing(*, payer: Payer, at: datetime) -> list[Accruing]:
    """Each child's extra time of the month so far (stays still open priced up to now), per Daily Time
    product of their packages; what next month's invoice will bill, as it stands."""
    site = payer.family.site
    tz = site.tz
    today = at.astimezone(tz).date()
    month = Month(today.replace(day=1))
    found = []
    for child in FamilyChild.objects.filter(family=payer.family).select_related("customer__group"):
        enrolments = Enrolment.objects.filter(customer=child.customer, start__lte=today).filter(
            Q(end__isnull=True) | Q(end__gte=month.first)
        )
        products: dict[int, tuple[Product, list]] = {}
        for enrolment in enrolments.prefetch_related("package__items__product"):
            for item in enrolment.package.items.all():
                if item.product.kind == Product.Kind.DAILY_TIME:
                    entry = products.setdefault(item.product.pk, (item.product, []))
                    entry[1].append((enrolment.start, enrolment.end or today))
        if not products:
            continue
        start = local_day_bounds(month.first, tz)[0]
        stays = read_stays(site_id=site.pk, start=start, end=at, customer_id=child.customer_id).get(
            child.customer_id, []
        )
        now_us = micros(at)
        for product, ranges in products.values():
            windows = [
                (micros(local_day_bounds(a, tz)[0]), micros(local_day_bounds(b, tz)[1]))
                for a, b in clip(ranges, month.first, today)
            ]
            pairs = []
            for _line_id, start_us, end_us in stays:
                end = end_us if end_us is not None else now_us
                pairs.extend((max(start_us, a), min(end, b)) for a, b in windows if start_us < b and end > a)
            pairs = [(a, b) for a, b in pairs if a < b]
            if not pairs:
                continue
            tariff = tariff_at(product.tariff, currency=site.currency, time_zone=site.time_zone)
            group = child.customer.group.name if child.customer.group_id else None
            quote = tariff.quote(stays=[(instant(a), instant(b)) for a, b in pairs], group=group)
            days = [
                {"label": line.label, "amount": line.amount.amount}
                for line in quote.lines
                if line.code in ("early", "late", "unplanned_day", "day")
            ]
            found.append(
                Accruing(
                    child=child.customer.name,
                    product=product.short_name,
                    total=quote.total.amount,
                    currency=site.currency,
                    days=days,
                    open_now=any(end_us is None for _line_id, _start, end_us in stays),
                )
            )
    return found
