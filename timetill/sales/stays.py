"""Time lines at the till: link a stay to a sale, price it on stop or when its times change, hide paid."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from timetill.billing.money import DocumentLine, line_from_quote, rounded
from timetill.catalog.models import Product, ProductVariant, SiteTimeProduct
from timetill.catalog.services import (
    quote_for,
    quote_with,
    tariffs_for,
    time_product_for,
)
from timetill.customers.models import Customer
from timetill.errors import Conflict, NotFound, TimetillError
from timetill.formats import money
from timetill.pricing import Quote
from timetill.sales.models import Sale, SaleLine, SaleStay
from timetill.sales.services import (
    _line_of,
    _refresh_totals,
    lock_sale,
    new_sale,
    recompute,
    require_cashier,
    require_changeable,
    save_line,
)
from timetill.sites.models import Site
from timetill.timelines.actors import Actor
from timetill.timelines.models import Scan, TimeLine
from timetill.timelines.services import lines as line_service
from timetill.timelines.services import rows
from timetill.timelines.services import scan as scan_service
from timetill.timelines.services.scan import ScanResult

# Products whose price is worked out when a stay stops; Daily Time is billed monthly, inside a package.
PRICED_ON_STOP = (Product.Kind.TIME, Product.Kind.LADDER)


def _group_of(time_line: TimeLine):
    return time_line.customer.group if time_line.customer is not None else None


def _quote(time_line: TimeLine, product: Product, end: datetime, choice: str | None = None) -> Quote:
    group = _group_of(time_line)
    return quote_for(
        product=product,
        site=time_line.site,
        start=time_line.start,
        end=max(end, time_line.start),
        group=group.name if group is not None else None,
        choice=choice,
    )


def _price_of(
    time_line: TimeLine, product: Product, choice: ProductVariant | None = None
) -> tuple[Quote, ProductVariant | None]:
    """A stopped stay's quote, and for a ladder the step charged: the engine's proposal, or the one chosen."""
    assert time_line.end is not None
    quote = _quote(time_line, product, time_line.end, choice.label if choice is not None else None)
    variant = None
    if product.kind == Product.Kind.LADDER:
        # The last step charged is the one the engine proposes (past the longest step, after the repeats).
        steps = [part for part in quote.lines if part.code == "step"]
        if steps:
            variant = next((v for v in product.variants.all() if v.label == steps[-1].unit), None)
    return quote, variant


def _billed(quote: Quote, product: Product) -> DocumentLine:
    """The document line that bills a stay's quote (the billing core's one builder)."""
    return line_from_quote(
        quote,
        text=product.short_name,
        vat_spec=product.vat_rate.spec,
        prices_include_vat=product.prices_include_vat,
    )


def _priced_line(sale: Sale, time_line: TimeLine, product: Product) -> SaleLine:
    quote, variant = _price_of(time_line, product)
    line = save_line(
        sale,
        _billed(quote, product),
        product=product,
        variant=variant,
        name=product.internal_name,
        time_line_id=time_line.pk,
    )
    _refresh_totals(sale)
    return line


def sale_id_of(time_line: TimeLine | int) -> int | None:
    """The id of the sale that holds a stay, or None."""
    pk = time_line if isinstance(time_line, int) else time_line.pk
    return SaleStay.objects.filter(time_line_id=pk).values_list("sale_id", flat=True).first()


def sale_of(time_line: TimeLine | int) -> Sale | None:
    """The sale that holds a stay, or None."""
    pk = time_line if isinstance(time_line, int) else time_line.pk
    return Sale.objects.filter(stays__time_line_id=pk).first()


def _nothing_to_price(time_line: TimeLine) -> bool:
    """No sale holds the stay, and no time product prices stays at its site for its customer's group (the
    group's own, else the site's: catalog.services.time_product_id_for). Both asked in one statement: every
    check-out by scan asks, most often at a site that prices nothing."""
    customer = time_line.customer
    group_id = customer.group_id if customer is not None else None
    quote = connection.ops.quote_name
    stays, products = quote(SaleStay._meta.db_table), quote(SiteTimeProduct._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            # Tables from the models' metadata; every value a parameter.
            f"SELECT (EXISTS (SELECT 1 FROM {stays} WHERE time_line_id = %s) OR EXISTS (SELECT 1 FROM "  # noqa: S608
            f"{products} WHERE site_id = %s AND (group_id IS NULL OR group_id = %s)))",
            [time_line.pk, time_line.site_id, group_id],
        )
        return not cursor.fetchone()[0]


def _to_price_read(site: Site, customer: Customer) -> rows.Read:
    """`_nothing_to_price`, negated, for the customer's open line at the site, as a read that the scan runs
    with its locked reads (the open line locked before it on PostgreSQL, so a sale that took the stay
    meanwhile is seen): a check-out by scan at a site that prices nothing asks nothing more."""
    quote = connection.ops.quote_name
    stays, products = quote(SaleStay._meta.db_table), quote(SiteTimeProduct._meta.db_table)
    lines, end = quote(TimeLine._meta.db_table), quote("end")
    return rows.Read(
        # Tables from the models' metadata; every value a parameter.
        f"SELECT (EXISTS (SELECT 1 FROM {stays} INNER JOIN {lines} ON {lines}.id = {stays}.time_line_id "  # noqa: S608
        f"WHERE {lines}.site_id = %s AND {lines}.customer_id = %s AND {lines}.{end} IS NULL) OR EXISTS "
        f"(SELECT 1 FROM {products} WHERE site_id = %s AND (group_id IS NULL OR group_id = %s)))",
        [site.pk, customer.pk, site.pk, customer.group_id],
    )


def _hold(time_line: TimeLine, sale: Sale) -> None:
    """The sale now holds the stay (instead of any other)."""
    SaleStay.objects.update_or_create(time_line=time_line, defaults={"sale": sale})


def _lock_line(actor: Actor, time_line_id: int) -> TimeLine:
    return line_service.get_line(actor, pk=time_line_id, lock=True)


@transaction.atomic
def link_time_line(*, time_line_id: int, actor: Actor, at: datetime, sale_id: int | None = None) -> Sale:
    """Link a stay to an open or parked sale, or to a new one; a stopped stay is priced on it at once."""
    require_cashier(actor)
    time_line = _lock_line(actor, time_line_id)
    held_by = sale_id_of(time_line)
    if held_by is not None:
        current = lock_sale(held_by)
        require_changeable(current)
    else:
        current = None
    if sale_id is None:
        sale = new_sale(site=time_line.site, customer=time_line.customer, actor=actor, at=at)
    else:
        sale = lock_sale(sale_id)
        require_changeable(sale)
        if sale.site_id != time_line.site_id:
            raise TimetillError(
                "other_site",
                _("Sale %(sale)s is at %(site)s, the stay elsewhere.")
                % {"sale": sale.pk, "site": sale.site.name},
            )
    if current is not None and current.pk == sale.pk:
        return sale
    _hold(time_line, sale)
    if current is not None:
        moved = current.lines.filter(time_line=time_line)
        for line in moved:
            line.sale, line.position = sale, sale.lines.count() + 1
            line.save(update_fields=["sale", "position"])
        _refresh_totals(current)
        _drop_if_emptied(current)
    if time_line.end is not None and not sale.lines.filter(time_line=time_line).exists():
        product = time_product_for(time_line.site, _group_of(time_line))
        if product is not None and product.kind in PRICED_ON_STOP:
            _priced_line(sale, time_line, product)
    return _refresh_totals(sale)


def _drop_if_emptied(sale: Sale) -> None:
    """A sale left with nothing by a move (no line, stay, payment or number) was only this stay's: it goes,
    rather than piling up in the open list (linking to a new sale twice once left an empty one behind)."""
    if sale.number is not None or sale.is_closed or sale.payments.exists() or sale.lines.exists():
        return
    if not SaleStay.objects.filter(sale=sale).exists():
        sale.delete()


def _price_stopped(
    time_line: TimeLine, *, actor: Actor, at: datetime, checked: bool = False
) -> SaleLine | None:
    """Add a stopped stay's line to its sale (a new one if none), inside the caller's transaction.

    The caller has checked that the actor may stop this stay: pricing is the stop's consequence, not a use
    of the till, so a parent's or a kiosk's check-out is priced too. The line is locked, then its sale.
    `checked`: the caller already found something to price (`_to_price_read`).
    """
    if time_line.end is not None and not checked and _nothing_to_price(time_line):
        # Nothing prices stays here and no sale holds this one: a scan's check-out stays cheap.
        return None
    time_line = (
        TimeLine.objects.select_for_update(of=("self",))
        .select_related("site", "customer__group")
        .get(pk=time_line.pk)
    )
    if time_line.end is None:
        raise Conflict("still_open", _("Stop the time line before pricing it."))
    held_by = sale_id_of(time_line)
    sale = lock_sale(held_by) if held_by is not None else None
    if sale is not None:
        existing = sale.lines.filter(time_line=time_line).first()
        if existing is not None:
            return existing
        require_changeable(sale)
    product = time_product_for(time_line.site, _group_of(time_line))
    if product is None or product.kind not in PRICED_ON_STOP:
        return None
    if sale is None:
        sale = new_sale(site=time_line.site, customer=time_line.customer, actor=actor, at=at)
        _hold(time_line, sale)
    return _priced_line(sale, time_line, product)


@transaction.atomic
def price_time_line_on_stop(*, time_line_id: int, actor: Actor, at: datetime) -> SaleLine | None:
    """Add a stopped stay's line to its sale (a new one if none), at its tariff's price with the explanation.

    Nothing happens when no time product prices stays at the site (or it is Daily Time, billed monthly).
    Calling it again returns the line already added.
    """
    require_cashier(actor)
    return _price_stopped(_lock_line(actor, time_line_id), actor=actor, at=at)


class Checkout(NamedTuple):
    """A stay that stopped, and the line its sale got (None: nothing prices stays at its site)."""

    time_line: TimeLine
    sale_line: SaleLine | None


def stop_and_price(*, time_line_id: int, actor: Actor, at: datetime) -> Checkout:
    """Stop a stay now and add its priced line to its sale, in one transaction.

    Every stop by hand goes through here: the Stop button, the API, a parent's check-out on the family page.
    """
    with transaction.atomic():
        time_line = line_service.stop(line_id=time_line_id, actor=actor, at=at)
        sale_line = _price_stopped(time_line, actor=actor, at=at)
        return Checkout(time_line, sale_line)


def price_after_scan(
    *, result: ScanResult, actor: Actor, at: datetime, checked: bool = False
) -> SaleLine | None:
    """The line a scan that stopped a stay (the toggle policy) adds to its sale; None for any other scan.

    Idempotent: a replayed scan (a client id seen before) adds nothing and answers with the line the first
    scan added; pricing a stay that already has its line returns that line.
    """
    if result.outcome != Scan.Outcome.STOPPED:
        return None
    if result.replayed:
        lines = SaleLine.objects.select_related("sale").filter(time_line=result.time_line)
        return lines.order_by("pk").first()
    # Inside the scan's transaction, no savepoint: an error rolls the whole scan back.
    with transaction.atomic(savepoint=False):
        return _price_stopped(result.time_line, actor=actor, at=at, checked=checked)


class PricedScan(NamedTuple):
    """A scan's result, and the sale line it added (or, replayed, had added) when it stopped a stay."""

    result: ScanResult
    sale_line: SaleLine | None


def scan_and_price(
    *,
    site: Site,
    code: str,
    actor: Actor,
    at: datetime,
    client_id: str | None = None,
    device_time: datetime | None = None,
    answer: Callable[[ScanResult, SaleLine | None], dict] | None = None,
) -> PricedScan:
    """Scan a code; when the scan stops a stay, price it in the scan's own transaction.

    The one scan every entry point calls (the Timestamp page, the REST API, devices, `timetill scan`), so
    a check-out by scan is priced wherever it happens, exactly once. `answer` (the entry point's answer,
    from the scan and its sale line) is kept with a client id's scan, to be given back on a retry.
    """
    priced: dict[int, SaleLine | None] = {}

    def on_stop(stopped: ScanResult) -> None:
        # Keyed by the attempt's scan (not yet written, so by identity): an attempt that lost a race was
        # rolled back, its line with it, and the next attempt's scan is another object.
        # Called only when `_to_price_read` found something to price: not asked again.
        priced[id(stopped.scan)] = (
            stopped.scan,
            price_after_scan(result=stopped, actor=actor, at=at, checked=True),
        )

    def priced_line(result: ScanResult) -> SaleLine | None:
        scan, line = priced.get(id(result.scan), (None, None))
        return line if scan is result.scan else None

    def first_answer(result: ScanResult) -> dict:
        return answer(result, priced_line(result))

    result = scan_service.scan(
        site=site,
        code=code,
        actor=actor,
        at=at,
        client_id=client_id,
        device_time=device_time,
        on_stop=on_stop,
        stop_check=_to_price_read,
        answer=first_answer if answer is not None else None,
    )
    if result.replayed:
        return PricedScan(result, price_after_scan(result=result, actor=actor, at=at))
    return PricedScan(result, priced_line(result))


def _reprice(line: SaleLine, time_line: TimeLine, sale: Sale) -> SaleLine:
    """Price a stay's line again for its corrected times, with the product it was priced with."""
    product = line.product
    if product is None or product.kind not in PRICED_ON_STOP:
        # A stay sold by hand (or a product since changed into another kind): nothing to work out.
        return line
    quote, variant = _price_of(time_line, product)
    built = _billed(quote, product)
    line.variant = variant  # a ladder's step is proposed again for the new length (a chosen one is undone)
    line.unit_price, line.explanation = built.unit_price, built.explanation
    _keep_discount(line, sale)
    recompute(line, sale.currency).save()
    _refresh_totals(sale)
    return line


def assign_customer(*, time_line_id: int, customer: Customer | None, actor: Actor, at: datetime) -> TimeLine:
    """Assign a stay to a customer (or none), audited; a stay whose sale is paid keeps the customer its
    receipt names (its sale says Alice: the stay cannot say Chloé). Every assignment goes through here."""
    with transaction.atomic():
        # The assignment checks the rights and locks the line first; refused after it, it is rolled back.
        time_line = line_service.assign_customer(line_id=time_line_id, customer=customer, actor=actor, at=at)
        paid = SaleLine.objects.filter(time_line_id=time_line.pk, sale__state=Sale.State.CLOSED)
        if paid.exists():
            raise Conflict(
                "sale_closed",
                _("This stay is paid: it keeps the customer its receipt names. Refund the sale first."),
            )
        return time_line


def _keep_discount(line: SaleLine, sale: Sale) -> None:
    """A line's discount after a new price: a percentage taken again, an amount kept up to the price."""
    if line.discount_percent is not None:
        line.discount = rounded(line.quantity * line.unit_price * line.discount_percent / 100, sale.currency)
    else:
        line.discount = min(line.discount, rounded(line.quantity * line.unit_price, sale.currency))


class Correction(NamedTuple):
    """A stay whose times were corrected, and its line on its sale priced again (None: none was)."""

    time_line: TimeLine
    sale_line: SaleLine | None


def edit_times_and_reprice(
    *, time_line_id: int, start: datetime, end: datetime | None, reason: str, actor: Actor, at: datetime
) -> Correction:
    """Correct a stay's start and end (audited) and, in the same transaction, price its line again.

    Every correction of the times goes through here (the Timestamp page, the API). The line is priced as on
    stop, with its product, while its sale is open or parked; a closed sale never changes, so the correction
    is refused and nothing changes (correct the receipt with a refund). A stay with no line is just edited.
    """
    with transaction.atomic():
        # Read before the edit, which checks the rights and locks the line (then its sale: as every stop).
        old_times = TimeLine.objects.filter(pk=time_line_id).values_list("start", "end").first()
        time_line = line_service.edit_times(
            line_id=time_line_id, start=start, end=end, reason=reason, actor=actor, at=at
        )
        line = (
            SaleLine.objects.select_related("product")
            .filter(time_line_id=time_line.pk, refund_of_line__isnull=True, sale__refund_of__isnull=True)
            .order_by("pk")
            .first()
        )
        if (time_line.start, time_line.end) == old_times:
            return Correction(time_line, None)
        if line is None:
            # A stay stopped by its correction is priced as any stop (on its sale, a new one if none).
            if time_line.end is None or (old_times is not None and old_times[1] is not None):
                return Correction(time_line, None)
            return Correction(time_line, _price_stopped(time_line, actor=actor, at=at))
        sale = lock_sale(line.sale_id)
        if sale.is_closed:
            # Raised inside the transaction: the edit and its audit entry are rolled back with it.
            raise Conflict(
                "sale_closed",
                _(
                    "The stay is paid on receipt %(number)s (sale %(sale)s), which can never change: "
                    "its times stay as they are. Correct the receipt with a refund."
                )
                % {"number": sale.number, "sale": sale.pk},
            )
        if time_line.end is None:
            return Correction(time_line, None)
        return Correction(time_line, _reprice(line, time_line, sale))


@transaction.atomic
def change_step(*, sale_id: int, line_id: int, variant_id: int, actor: Actor) -> SaleLine:
    """Charge another step of the ladder for a stay than the one the engine proposed.

    The pricing engine quotes the stay again for that step, and the line is built from the new quote, so
    the line, its VAT and its explanation always agree.
    """
    require_cashier(actor)
    sale = lock_sale(sale_id)
    require_changeable(sale)
    line = _line_of(sale, line_id)
    product = line.product
    if product is None or product.kind != Product.Kind.LADDER or line.time_line_id is None:
        raise TimetillError(
            "not_a_ladder_line", _("Only a stay priced by a price ladder has steps to choose.")
        )
    variant = product.variants.filter(pk=variant_id).first()
    if variant is None:
        raise NotFound(
            "unknown_variant",
            _("%(product)s has no step %(variant_id)s.")
            % {"product": product.internal_name, "variant_id": variant_id},
        )
    time_line = TimeLine.objects.select_related("site", "customer__group").get(pk=line.time_line_id)
    if time_line.end is None:
        raise Conflict("still_open", _("Stop the time line before choosing its step."))
    quote, charged = _price_of(time_line, product, choice=variant)
    built = _billed(quote, product)
    line.variant = charged
    line.unit_price, line.explanation = built.unit_price, built.explanation
    _keep_discount(line, sale)
    recompute(line, sale.currency).save()
    _refresh_totals(sale)
    return line


def amount_due_so_far(*, time_line: TimeLine, now: datetime) -> Quote | None:
    """What an open stay costs if it stopped now, under its site's (or group's) time product; None if none."""
    product = time_product_for(time_line.site, _group_of(time_line))
    if product is None:
        return None
    return _quote(time_line, product, time_line.end or now)


@dataclass(frozen=True)
class Due:
    """The amount due so far of one stay, or why there is none."""

    quote: Quote | None
    error: str | None = None


def amounts_due_so_far(*, time_lines: Iterable[TimeLine], now: datetime) -> dict[int, Due]:
    """amount_due_so_far for a whole pending list, in one pass: the sites' time products read once, each
    tariff worked out once (a ladder's steps in one query), then every stay priced by the engine; no query
    per stay. The lines come with their site and customer's group (visible_lines reads them so)."""
    time_lines = list(time_lines)
    defaults: dict[tuple[int, int | None], Product] = {
        (row.site_id, row.group_id): row.product
        for row in SiteTimeProduct.objects.select_related("product__vat_rate").filter(
            site_id__in={t.site_id for t in time_lines}
        )
    }
    products = list({product.pk: product for product in defaults.values()}.values())
    sites = list({t.site_id: t.site for t in time_lines}.values())
    tariffs = tariffs_for(products, sites)
    out: dict[int, Due] = {}
    for time_line in time_lines:
        group = _group_of(time_line)
        product = defaults.get((time_line.site_id, group.pk if group else None)) or defaults.get(
            (time_line.site_id, None)
        )
        if product is None:
            out[time_line.pk] = Due(None)
            continue
        tariff = tariffs[product.pk, time_line.site_id]
        if isinstance(tariff, TimetillError):
            out[time_line.pk] = Due(None, tariff.message)
            continue
        end = time_line.end or now
        try:
            quote = quote_with(
                tariff,
                start=time_line.start,
                end=max(end, time_line.start),
                group=group.name if group is not None else None,
            )
        except TimetillError as error:
            # One misconfigured tariff must not break the whole pending list.
            out[time_line.pk] = Due(None, error.message)
            continue
        out[time_line.pk] = Due(quote)
    return out


@dataclass(frozen=True)
class Charge:
    """What the till charges for a stay: its line's amount on its sale, and whether that sale is paid."""

    sale_id: int
    sale_state: str
    amount: Decimal
    currency: str

    @property
    def paid(self) -> bool:
        return self.sale_state == Sale.State.CLOSED


def charges_of(*, time_lines: Iterable[TimeLine]) -> dict[int, Charge]:
    """The charge of each stay that has a line on its sale, in one query (a stopped list)."""
    rows = SaleLine.objects.filter(
        time_line_id__in=[t.pk for t in time_lines], refund_of_line__isnull=True
    ).values_list("time_line_id", "sale_id", "sale__state", "gross", "sale__currency")
    return {
        time_line_id: Charge(sale_id, state, rounded(gross, currency), currency)
        # Newest first, so that the stay's own line wins over a later one (none is expected).
        for time_line_id, sale_id, state, gross, currency in rows.order_by("-pk")
    }


def sales_to_link(*, site_id: int, limit: int = 50) -> list[Sale]:
    """The open and parked sales of a site a stay can be linked to, the most recent first."""
    sales = Sale.objects.select_related("customer").filter(
        site_id=site_id, state__in=(Sale.State.OPEN, Sale.State.PARKED), refund_of__isnull=True
    )
    return list(sales.order_by("-created_at", "-pk")[:limit])


def unpaid_charge_of(time_line_id: int) -> Charge | None:
    """The stay's line on a sale still open or parked (still to pay); None when paid or never charged."""
    charge = charges_of(time_lines=[TimeLine(pk=time_line_id)]).get(time_line_id)
    return charge if charge is not None and charge.sale_state != Sale.State.CLOSED else None


def unpaid_message(who: str, charge: Charge) -> str:
    """What a cashier reads before hiding a stay still to pay (the Hide button's question, the refusal)."""
    return _("{who}’s stay is not paid yet: {amount} on sale {sale}.").format(
        who=who, amount=money(charge.amount, charge.currency), sale=charge.sale_id
    )


def hide_stay(
    *, time_line_id: int, hidden: bool, actor: Actor, at: datetime, unpaid_ok: bool = False
) -> TimeLine:
    """Hide a stopped stay from the lists (or show it again); one still to pay only when `unpaid_ok` says so.

    Out of sight, a stay nobody paid is lost revenue: the desk confirms first, else nothing changes."""
    with transaction.atomic():
        time_line = _lock_line(actor, time_line_id)
        charge = unpaid_charge_of(time_line.pk) if hidden and not time_line.hidden else None
        if charge is not None and not unpaid_ok:
            who = (
                time_line.customer.name if time_line.customer else (time_line.scanned_code or time_line.code)
            )
            raise Conflict("unpaid", unpaid_message(who, charge) + " " + _("Take the payment, or confirm."))
        return line_service.set_hidden(line_id=time_line.pk, hidden=hidden, actor=actor, at=at)


def _stays_of_closed_sales(site_id: int) -> QuerySet[TimeLine]:
    return TimeLine.objects.filter(
        site_id=site_id, sale_stay__sale__state=Sale.State.CLOSED, hidden=False, end__isnull=False
    )


def count_lines_of_closed_sales(*, site_id: int) -> int:
    """How many stays `hide_lines_of_closed_sales` would hide now (the button's count)."""
    return _stays_of_closed_sales(site_id).count()


def hide_lines_of_closed_sales(*, site_id: int, actor: Actor, at: datetime) -> int:
    """Hide every stopped stay of a site whose sale is closed (each hide is audited); how many were hidden."""
    require_cashier(actor)
    with transaction.atomic():
        ids = list(_stays_of_closed_sales(site_id).values_list("pk", flat=True))
        for pk in ids:
            line_service.set_hidden(line_id=pk, hidden=True, actor=actor, at=at)
    return len(ids)
