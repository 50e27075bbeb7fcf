"""Verbs of the till: open, park, add and remove lines, discount, close with payments, refund."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet, Sum
from django.utils import translation
from django.utils.translation import gettext as _

from timetill.billing.explanations import explain
from timetill.billing.frozen import PartyCopy, seller_copy
from timetill.billing.language import document_language
from timetill.billing.money import (
    DocumentLine,
    Totals,
    check_amount,
    make_document_line,
    quantum,
    rounded,
    totals_of,
)
from timetill.billing.numbering import next_number, site_scope
from timetill.billing.seller import seller_of
from timetill.catalog.models import Product, ProductVariant
from timetill.customers.models import Customer
from timetill.errors import Conflict, Forbidden, NotFound, TimetillError
from timetill.formats import money, number
from timetill.sales.models import Payment, Sale, SaleLine, SaleStay
from timetill.sales.payments import PaymentSpec, settle
from timetill.sites.models import Site
from timetill.timelines.actors import Actor
from timetill.timelines.services.clock import require_aware

MAX_QUANTITY = Decimal(1_000_000)
MAX_LINES = 500
# More of one product than this is asked about first (a finger left on a key: 100,000 coffees); a line
# worth more than TIMETILL_CONFIRM_LINE_ABOVE (in the sale's currency, default 1,000) too.
ASK_ABOVE_QUANTITY = Decimal(100)
DEFAULT_CONFIRM_LINE_ABOVE = Decimal(1000)


def ask_above_amount() -> Decimal:
    """The gross of one line above which the till asks "is that right?" (TIMETILL_CONFIRM_LINE_ABOVE)."""
    return Decimal(str(getattr(settings, "TIMETILL_CONFIRM_LINE_ABOVE", DEFAULT_CONFIRM_LINE_ABOVE)))


@dataclass(frozen=True)
class LineSpec:
    """A line to add: a product (and a ladder step), how many, and a price when it is not the product's."""

    product_id: int
    quantity: Decimal = Decimal(1)
    variant_id: int | None = None
    unit_price: Decimal | None = None  # required for time and Daily Time products added by hand
    # The cashier (or the API client) said yes to a quantity or an amount the till asks about first.
    confirmed: bool = False


@dataclass(frozen=True)
class RefundItem:
    """A line of a closed sale to refund, and how many of it (all that is left when None)."""

    line_id: int
    quantity: Decimal | None = None


# -- reading -----------------------------------------------------------------------------------------------


def require_cashier(actor: Actor, site: Site | None = None) -> None:
    """Sales are staff work: track_time, a person (a scanning device never sells)."""
    if actor.device is not None:
        raise Forbidden("devices_cannot_sell", _("A scanning device cannot use the till."))
    actor.require("track_time")


def sales_of(actor: Actor) -> QuerySet[Sale]:
    require_cashier(actor)
    return Sale.objects.select_related("site", "customer", "refund_of")


def get_sale(*, sale_id: int, actor: Actor) -> Sale:
    sale = sales_of(actor).filter(pk=sale_id).first()
    if sale is None:
        raise NotFound("unknown_sale", _("There is no sale %(sale_id)s.") % {"sale_id": sale_id})
    return sale


def lock_sale(sale_id: int) -> Sale:
    sale = Sale.objects.select_for_update(of=("self",)).select_related("site").filter(pk=sale_id).first()
    if sale is None:
        raise NotFound("unknown_sale", _("There is no sale %(sale_id)s.") % {"sale_id": sale_id})
    return sale


def require_changeable(sale: Sale) -> None:
    if sale.is_closed:
        raise Conflict(
            "sale_closed",
            _("Receipt %(number)s is closed and can never change; correct it with a refund sale.")
            % {"number": sale.number},
        )


def vat_breakdown(sale: Sale) -> Totals:
    """Net, VAT and gross of the sale, in total and per VAT rate (the billing core's rule)."""
    return totals_of(sale.lines.all(), sale.currency)


def paid(sale: Sale) -> Decimal:
    return rounded(sale.payments.aggregate(s=Sum("amount"))["s"] or Decimal(0), sale.currency)


def _refresh_totals(sale: Sale) -> Sale:
    result = vat_breakdown(sale)
    sale.net, sale.vat, sale.gross = result.net, result.vat, result.gross
    sale.save(update_fields=["net", "vat", "gross"])
    return sale


# -- opening and parking -----------------------------------------------------------------------------------


def new_sale(*, site: Site, customer: Customer | None, actor: Actor, at: datetime) -> Sale:
    """Create an open sale (inside the caller's transaction)."""
    require_aware(at, field="at")
    quantum(site.currency)  # refuse now a currency the till cannot round
    return Sale.objects.create(
        site=site, customer=customer, currency=site.currency, created_at=at, created_by=actor.user
    )


@transaction.atomic
def open_sale(*, site: Site, actor: Actor, at: datetime, customer: Customer | None = None) -> Sale:
    require_cashier(actor, site)
    return new_sale(site=site, customer=customer, actor=actor, at=at)


@transaction.atomic
def park(*, sale_id: int, actor: Actor, at: datetime) -> Sale:
    """Set a sale aside (a family still playing); time lines can be linked to it meanwhile."""
    require_cashier(actor)
    sale = lock_sale(sale_id)
    require_changeable(sale)
    if sale.state != Sale.State.PARKED:
        sale.state, sale.parked_at = Sale.State.PARKED, at
        sale.save(update_fields=["state", "parked_at"])
    return sale


@transaction.atomic
def resume(*, sale_id: int, actor: Actor, at: datetime) -> Sale:
    require_cashier(actor)
    sale = lock_sale(sale_id)
    require_changeable(sale)
    if sale.state != Sale.State.OPEN:
        sale.state = Sale.State.OPEN
        sale.save(update_fields=["state"])
    return sale


@transaction.atomic
def delete_empty_sale(*, sale_id: int, actor: Actor) -> None:
    """Throw away a sale opened by mistake: only while it has no line, no payment and no number.

    A stay linked to it (a check-in linked to a new sale) is unlinked and can be linked again."""
    require_cashier(actor)
    sale = lock_sale(sale_id)
    if sale.number is not None or sale.is_closed or sale.lines.exists() or sale.payments.exists():
        raise Conflict(
            "sale_not_empty",
            _("Only an empty sale can be deleted: remove its lines first, or park it."),
        )
    SaleStay.objects.filter(sale=sale).delete()  # its stays are free to be linked again
    sale.delete()


@transaction.atomic
def set_customer(*, sale_id: int, customer: Customer | None, actor: Actor) -> Sale:
    require_cashier(actor)
    sale = lock_sale(sale_id)
    require_changeable(sale)
    sale.customer = customer
    sale.save(update_fields=["customer"])
    return sale


# -- lines -------------------------------------------------------------------------------------------------


def _quantity(value: Decimal, *, refund: bool, field: str = "quantity") -> Decimal:
    try:
        value = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise TimetillError(
            "invalid_quantity", _("The quantity must be a number, such as 2."), field=field
        ) from None
    if not value.is_finite() or value.as_tuple().exponent < -3 or abs(value) > MAX_QUANTITY:  # type: ignore[operator]
        raise TimetillError(
            "invalid_quantity",
            _("The quantity must be at most {most} with at most 3 decimals.").format(
                most=number(MAX_QUANTITY)
            ),
            field=field,
        )
    if value == 0:
        raise TimetillError("invalid_quantity", _("The quantity cannot be zero."), field=field)
    if value < 0 and not refund:
        raise TimetillError(
            "negative_quantity",
            _("The quantity must be more than zero (only a refund takes back)."),
            field=field,
        )
    return value


def _whole_units(product: Product, quantity: Decimal, *, field: str = "quantity") -> None:
    """A product sold by the unit (a coffee, a ticket) is sold in whole quantities only."""
    if product.sold_by_unit and quantity != quantity.to_integral_value():
        raise TimetillError(
            "whole_units",
            _("{name} is sold by the unit: type a whole number (1, 2, 3…).").format(name=product.short_name),
            field=field,
        )


def _typed_amount(
    value: Decimal, currency_code: str, *, field: str, invalid: TimetillError, too_many_decimals: str
) -> Decimal:
    """An amount typed at the till as a Decimal within the currency's decimals, else that field's refusal."""
    try:
        value = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        value = Decimal("NaN")
    if not value.is_finite():
        raise invalid
    if value != rounded(value, currency_code):
        raise TimetillError(
            "too_many_decimals",
            too_many_decimals.format(
                amount=money(value, currency_code), digits=-quantum(currency_code).as_tuple().exponent
            ),
            field=field,
        )
    return value


def _unit_price(value: Decimal, currency_code: str, *, refund: bool) -> Decimal:
    value = _typed_amount(
        value,
        currency_code,
        field="unit_price",
        invalid=TimetillError(
            "invalid_amount", _("The price must be an amount, such as 12.50."), field="unit_price"
        ),
        too_many_decimals=_("The price {amount} has too many decimals: at most {digits}."),
    )
    value = check_amount(value, currency_code, "unit_price")
    if value < 0 and not refund:
        raise TimetillError(
            "negative_price", _("A price cannot be negative (only a refund pays back)."), field="unit_price"
        )
    return value


def _confirm_large(spec: LineSpec, line: DocumentLine, currency_code: str) -> None:
    """A quantity or an amount that is likely a slip is asked about: refused until it is confirmed."""
    if spec.confirmed or (abs(line.quantity) <= ASK_ABOVE_QUANTITY and abs(line.gross) <= ask_above_amount()):
        return
    raise TimetillError(
        "confirm_large_line",
        _("{quantity} × {name} is {total}: is that right?").format(
            quantity=number(line.quantity), name=line.text, total=money(line.gross, currency_code)
        ),
        field="quantity",
    )


def next_position(sale: Sale) -> int:
    last = sale.lines.order_by("-position").values_list("position", flat=True).first()
    return (last or 0) + 1


def save_line(
    sale: Sale,
    line: DocumentLine,
    *,
    product: Product | None,
    name: str,
    variant: ProductVariant | None = None,
    time_line_id: int | None = None,
    refund_of_line: SaleLine | None = None,
) -> SaleLine:
    """Write a document line built by the billing core onto the sale (callers have checked the inputs)."""
    if sale.lines.count() >= MAX_LINES:
        raise TimetillError("too_many_lines", _("A sale has at most %(most)s lines.") % {"most": MAX_LINES})
    return SaleLine.objects.create(
        sale=sale,
        position=next_position(sale),
        product=product,
        variant=variant,
        name=name[:200],
        short_name=line.text[:200],
        quantity=line.quantity,
        unit_price=line.unit_price,
        vat_rate=line.vat_spec.rate,
        vat_category=line.vat_spec.category.value,
        vat_exemption_reason=line.vat_spec.exemption_reason,
        vat_exemption_code=line.vat_spec.exemption_code,
        prices_include_vat=line.prices_include_vat,
        discount=line.discount,
        net=line.net,
        vat=line.vat,
        gross=line.gross,
        explanation=line.explanation,
        time_line_id=time_line_id,
        refund_of_line=refund_of_line,
    )


def recompute(line: SaleLine, currency_code: str) -> SaleLine:
    """The line's amounts worked out again by the billing core (after a discount or a new price)."""
    built = make_document_line(
        text=line.short_name,
        quantity=line.quantity,
        unit_price=line.unit_price,
        discount=line.discount,
        vat_spec=line.vat_spec,
        prices_include_vat=line.prices_include_vat,
        currency=currency_code,
    )
    line.net, line.vat, line.gross = built.net, built.vat, built.gross
    return line


@transaction.atomic
def add_line(*, sale_id: int, spec: LineSpec, actor: Actor) -> SaleLine:
    """Add a product to an open or parked sale, at its price (or the one given), with its VAT copied."""
    require_cashier(actor)
    sale = lock_sale(sale_id)
    require_changeable(sale)
    refund = sale.is_refund
    quantity = _quantity(spec.quantity, refund=refund)
    product = Product.objects.select_related("vat_rate").filter(pk=spec.product_id).first()
    if product is None:
        raise NotFound("unknown_product", _("There is no product {id}.").format(id=spec.product_id))
    if product.archived:
        raise Conflict(
            "product_archived",
            _("{name} was deleted and can no longer be sold.").format(name=product.internal_name),
        )
    _whole_units(product, quantity)
    variant = None
    short_name = product.short_name
    price = product.price
    if product.kind == Product.Kind.LADDER:
        variant = product.variants.filter(pk=spec.variant_id).first() if spec.variant_id else None
        if variant is None:
            raise TimetillError(
                "variant_required",
                _("Choose a step of {name}.").format(name=product.internal_name),
                field="variant_id",
            )
        short_name, price = f"{product.short_name} {variant.label}", variant.price
    elif spec.variant_id is not None:
        raise TimetillError(
            "no_variants", _("{name} has no steps.").format(name=product.internal_name), field="variant_id"
        )
    if spec.unit_price is not None:
        price = spec.unit_price
    if price is None:
        # Daily Time or a time product added by hand: its amount is entered by hand.
        raise TimetillError(
            "price_required",
            _("Type the price of {name}.").format(name=product.internal_name),
            field="unit_price",
        )
    unit_price = _unit_price(price, sale.currency, refund=refund)
    built = make_document_line(
        text=short_name,
        quantity=quantity,
        unit_price=unit_price,
        vat_spec=product.vat_rate.spec,
        prices_include_vat=product.prices_include_vat,
        currency=sale.currency,
    )
    _confirm_large(spec, built, sale.currency)
    line = save_line(sale, built, product=product, variant=variant, name=product.internal_name)
    _refresh_totals(sale)
    return line


def _line_of(sale: Sale, line_id: int) -> SaleLine:
    line = sale.lines.filter(pk=line_id).first()
    if line is None:
        raise NotFound(
            "unknown_line",
            _("Sale %(sale)s has no line %(line_id)s.") % {"sale": sale.pk, "line_id": line_id},
        )
    return line


@transaction.atomic
def remove_line(*, sale_id: int, line_id: int, actor: Actor) -> Sale:
    """Remove a line; a time line priced by it is unlinked from the sale, to be linked (and priced) again."""
    require_cashier(actor)
    sale = lock_sale(sale_id)
    require_changeable(sale)
    line = _line_of(sale, line_id)
    if line.time_line_id is not None:
        SaleStay.objects.filter(sale=sale, time_line_id=line.time_line_id).delete()
    line.delete()
    return _refresh_totals(sale)


@transaction.atomic
def set_discount(
    *,
    sale_id: int,
    line_id: int,
    actor: Actor,
    amount: Decimal | None = None,
    percent: Decimal | None = None,
) -> SaleLine:
    """A discount on a line, as an amount or a percentage of it (neither: no discount)."""
    require_cashier(actor)
    sale = lock_sale(sale_id)
    require_changeable(sale)
    if sale.is_refund:
        raise TimetillError("refund_discount", _("A refund line keeps the discount of the line it refunds."))
    line = _line_of(sale, line_id)
    if amount is not None and percent is not None:
        raise TimetillError(
            "invalid_discount",
            _("Give a discount as an amount or as a percentage, not both."),
            field="percent",
        )
    base = rounded(line.quantity * line.unit_price, sale.currency)
    if percent is not None:
        percent = Decimal(percent)
        if not percent.is_finite() or not 0 <= percent <= 100 or percent.as_tuple().exponent < -2:  # type: ignore[operator]
            raise TimetillError(
                "invalid_discount",
                _("A discount in percent is between 0 and 100, with at most 2 decimals."),
                field="percent",
            )
        discount = rounded(base * percent / 100, sale.currency)
    elif amount is not None:
        discount = _discount_amount(amount, sale.currency)
    else:
        discount = Decimal(0)
    if discount > base:
        raise TimetillError(
            "invalid_discount",
            _("The discount of {discount} is more than the line ({line}).").format(
                discount=money(discount, sale.currency), line=money(base, sale.currency)
            ),
            field="amount",
        )
    line.discount, line.discount_percent = discount, percent
    recompute(line, sale.currency).save()
    _refresh_totals(sale)
    return line


def _discount_amount(value: Decimal, currency_code: str) -> Decimal:
    value = _typed_amount(
        value,
        currency_code,
        field="amount",
        invalid=TimetillError(
            "invalid_discount", _("The discount must be an amount, such as 0.50."), field="amount"
        ),
        too_many_decimals=_("The discount {amount} has too many decimals: at most {digits}."),
    )
    if value < 0:
        raise TimetillError("invalid_discount", _("A discount cannot be negative."), field="amount")
    return rounded(value, currency_code)


# -- closing -----------------------------------------------------------------------------------------------


def business_name(site: Site) -> str:
    """The name the business goes by before its legal identity is entered (settings, else the site)."""
    return getattr(settings, "TIMETILL_BUSINESS_NAME", "") or site.name


def copy_of(sale: Sale) -> dict:
    """What the sale's receipt shows of the seller, the site and the customer, as they are now.

    Closing stores it on the sale (Sale.frozen); the receipt of a closed sale reads only that copy.
    """
    site = sale.site
    customer = sale.customer
    language = document_language(customer.language if customer is not None else "", site.language)
    with translation.override(language):
        # The explanations as the receipt prints them, in its customer's language, kept with the receipt.
        details = {str(line.pk): list(explain(line.explanation, site.tz)) for line in sale.lines.all()}
    return {
        "seller": seller_copy(seller_of(site), fallback_name=business_name(site)).to_dict(),
        "site": {"name": site.name, "slug": site.slug, "time_zone": site.time_zone},
        "customer": PartyCopy(customer.name).to_dict() if customer is not None else None,
        "refund_of_number": sale.refund_of.number if sale.refund_of_id else None,
        "language": language,
        "details": details,
    }


@transaction.atomic
def close_sale(*, sale_id: int, payments: Sequence[PaymentSpec], actor: Actor, at: datetime) -> Sale:
    """Record the payments and close the sale, giving it the next receipt number. Change is given in cash."""
    require_cashier(actor)
    require_aware(at, field="at")
    sale = lock_sale(sale_id)
    require_changeable(sale)
    if not sale.lines.exists():
        raise TimetillError("empty_sale", _("There is nothing to pay: the sale has no lines."))
    if sale.time_lines.filter(end__isnull=True).exists():
        raise Conflict("time_line_open", _("A time line of this sale is still running; stop it first."))
    _refresh_totals(sale)
    rows = settle(due=sale.gross, payments=payments, currency_code=sale.currency).rows
    for position, row in enumerate(rows, 1):
        row.sale, row.position = sale, position
    Payment.objects.bulk_create(rows)
    # Drawn last: the site's receipt counter stays locked only until this transaction ends (no gap).
    sale.number = next_number(scope=site_scope(sale.site_id), series="receipt", year=None).value
    sale.state, sale.closed_at, sale.closed_by = Sale.State.CLOSED, at, actor.user
    sale.frozen = copy_of(sale)
    sale.save(update_fields=["number", "state", "closed_at", "closed_by", "frozen"])
    return sale


def change_given(sale: Sale) -> Decimal:
    return rounded(sale.payments.aggregate(s=Sum("change"))["s"] or Decimal(0), sale.currency)


# -- refunds -----------------------------------------------------------------------------------------------


@transaction.atomic
def refund(*, sale_id: int, actor: Actor, at: datetime, items: Sequence[RefundItem] | None = None) -> Sale:
    """An open refund sale taking back lines of a closed sale (all of them when no items are given)."""
    require_cashier(actor)
    original = lock_sale(sale_id)
    if not original.is_closed:
        raise Conflict("sale_not_closed", _("Only a closed sale is refunded; change an open sale instead."))
    if original.is_refund:
        raise TimetillError("refund_of_refund", _("A refund cannot itself be refunded."))
    lines = {line.pk: line for line in original.lines.all()}
    if items is None:
        items = [RefundItem(pk) for pk in lines]
    wanted: list[tuple[SaleLine, Decimal]] = []
    for position, item in enumerate(items):
        line = lines.get(item.line_id)
        if line is None:
            raise NotFound(
                "unknown_line",
                _("Receipt {number} has no line {line}.").format(number=original.number, line=item.line_id),
                field=f"lines[{position}].line_id",
            )
        taken_back = -(line.refund_lines.aggregate(s=Sum("quantity"))["s"] or Decimal(0))
        left = line.quantity - taken_back
        where = f"lines[{position}].quantity"
        quantity = left if item.quantity is None else _quantity(item.quantity, refund=False, field=where)
        if line.product is not None:
            _whole_units(line.product, quantity, field=where)
        if quantity > left or left <= 0:
            raise TimetillError(
                "already_refunded",
                _("{name}: {left} left to refund, not {quantity}.").format(
                    name=line.short_name, left=number(left), quantity=number(quantity)
                ),
                field=where,
            )
        wanted.append((line, quantity))
    if not wanted:
        raise TimetillError("nothing_to_refund", _("Choose at least one line to refund."))
    sale = new_sale(site=original.site, customer=original.customer, actor=actor, at=at)
    sale.refund_of = original
    sale.save(update_fields=["refund_of"])
    for line, quantity in wanted:
        share = (
            line.discount
            if quantity == line.quantity
            else rounded(line.discount * quantity / line.quantity, sale.currency)
        )
        built = make_document_line(
            text=line.short_name,
            quantity=-quantity,
            unit_price=line.unit_price,
            vat_spec=line.vat_spec,
            prices_include_vat=line.prices_include_vat,
            currency=sale.currency,
            discount=-share,
            explanation=line.explanation,
        )
        save_line(
            sale, built, product=line.product, variant=line.variant, name=line.name, refund_of_line=line
        )
    return _refresh_totals(sale)
