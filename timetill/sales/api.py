"""REST endpoints of the till: sales, lines, payments, receipts, refunds, and time lines at the till."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from timetill.api_common import Slug, decimal
from timetill.customers.models import Customer
from timetill.errors import NotFound
from timetill.sales import services, stays
from timetill.sales.receipt import receipt_of
from timetill.sales.receipt_pdf import receipt_pdf_response
from timetill.sites.models import Site
from timetill.timelines.actors import Actor
from timetill.timelines.services.lines import get_line

router = Router(tags=["till"])

Id = Annotated[int, Field(ge=1, le=2**63 - 1)]
# Amounts and quantities typed at the till; the sale's currency says how many decimals an amount has.
Amount = decimal()
# More than zero, as the till checks with its own codes (only a refund takes back, and it says how much).
Quantity = decimal(lower="gt0", lower_checked_by="negative_quantity")
Payment = decimal(lower="gt0", lower_checked_by="invalid_payment")


def _actor(request: HttpRequest) -> Actor:
    actor = Actor.for_user(request.user)
    services.require_cashier(actor)
    return actor


def _receipt(sale_id: int, actor: Actor) -> Any:
    return receipt_of(services.get_sale(sale_id=sale_id, actor=actor))


# -- schemas -----------------------------------------------------------------------------------------------


class SaleLineOut(Schema):
    id: int
    product_id: int | None
    variant_id: int | None
    time_line_id: int | None
    name: str
    short_name: str
    quantity: Decimal
    unit_price: Decimal
    vat_rate: Decimal
    prices_include_vat: bool
    discount: Decimal
    net: Decimal
    vat: Decimal
    gross: Decimal
    details: list[str]
    explanation: dict[str, Any] | None
    refund_of_line_id: int | None


class VatLineOut(Schema):
    rate: Decimal
    net: Decimal
    vat: Decimal
    gross: Decimal


class SalePaymentOut(Schema):
    method: str
    amount: Decimal
    tendered: Decimal | None
    change: Decimal | None


class SaleOut(Schema):
    sale_id: int
    state: str
    number: int | None
    title: str
    site: str
    site_slug: str
    currency: str
    customer_id: int | None
    customer: str | None
    created_at: datetime
    closed_at: datetime | None
    refund_of_id: int | None
    refund_of_number: int | None
    lines: list[SaleLineOut]
    vat_lines: list[VatLineOut]
    net: Decimal
    vat: Decimal
    gross: Decimal
    paid: Decimal
    change: Decimal
    payments: list[SalePaymentOut]
    time_lines: list[int]


class SaleSummaryOut(Schema):
    id: int
    state: str
    number: int | None
    site: str = Field(..., alias="site.slug")
    customer_id: int | None
    currency: str
    gross: Decimal
    created_at: datetime
    closed_at: datetime | None
    refund_of_id: int | None


class OpenIn(Schema):
    site: Slug
    customer_id: Id | None = None


class LineIn(Schema):
    product_id: Id
    quantity: Quantity = Decimal(1)
    variant_id: Id | None = None
    unit_price: Amount | None = Field(None, description="Only to price a product by hand (Daily Time).")
    confirm_large: bool = Field(
        False,
        description="Yes to a line the till asks about first: more than 100 of one product, or worth more "
        "than the server's TIMETILL_CONFIRM_LINE_ABOVE (default 1,000 in the sale's currency); without it "
        "such a line is refused with `confirm_large_line` and nothing changes.",
    )


class DiscountIn(Schema):
    amount: decimal(lower="ge0") | None = None
    percent: decimal(digits=5, places=2, lower="ge0", upper=100) | None = None


class StepIn(Schema):
    variant_id: Id


class SalePaymentIn(Schema):
    method: Literal["cash", "card", "other"]
    amount: Payment = Field(..., description="Cash: what was handed over (change is worked out).")


class CloseIn(Schema):
    payments: list[SalePaymentIn] = Field([], max_length=20)


class RefundItemIn(Schema):
    line_id: Id
    quantity: Quantity | None = None


class RefundIn(Schema):
    lines: list[RefundItemIn] | None = Field(None, max_length=500, description="None: refund everything.")


class LinkIn(Schema):
    sale_id: Id | None = Field(None, description="An open or parked sale; none: a new sale.")


class DueOut(Schema):
    time_line_id: int
    quote: dict[str, Any] | None


class HiddenOut(Schema):
    hidden: int


# -- sales -------------------------------------------------------------------------------------------------


@router.get("/sales", response=list[SaleSummaryOut], summary="List sales (newest first)")
def list_sales(
    request: HttpRequest,
    site: Slug | None = None,
    state: Literal["open", "parked", "closed"] | None = None,
    limit: Annotated[int, Field(ge=1, le=1000)] = 100,
    offset: Annotated[int, Field(ge=0, le=1_000_000)] = 0,
):
    sales = services.sales_of(_actor(request))
    if site:
        sales = sales.filter(site__slug=site)
    if state:
        sales = sales.filter(state=state)
    return sales[offset : offset + limit]


@router.post("/sales", response={201: SaleOut}, summary="Open a sale")
def open_sale(request: HttpRequest, payload: OpenIn):
    actor = _actor(request)
    site = Site.objects.filter(slug=payload.site).first()
    if site is None:
        raise NotFound("unknown_site", _('There is no site "%(site)s".') % {"site": payload.site})
    customer = None
    if payload.customer_id is not None:
        customer = Customer.objects.filter(pk=payload.customer_id).first()
        if customer is None:
            raise NotFound(
                "unknown_customer",
                _("There is no customer %(customer_id)s.") % {"customer_id": payload.customer_id},
            )
    sale = services.open_sale(site=site, customer=customer, actor=actor, at=timezone.now())
    return Status(201, receipt_of(sale))


@router.get("/sales/{sale_id}", response=SaleOut, summary="A sale with its lines, VAT and payments")
def get_sale(request: HttpRequest, sale_id: Id):
    return _receipt(sale_id, _actor(request))


@router.post(
    "/sales/{sale_id}/lines",
    response={201: SaleOut},
    summary="Add a line",
    description="A product sold by the unit takes whole quantities only (`whole_units`); a line of more "
    "than 100 units or worth more than TIMETILL_CONFIRM_LINE_ABOVE needs `confirm_large: true` "
    "(`confirm_large_line`). A refusal names the field in plain words in `message`, and its path in `field`.",
)
def add_line(request: HttpRequest, sale_id: Id, payload: LineIn):
    actor = _actor(request)
    spec = services.LineSpec(
        payload.product_id,
        payload.quantity,
        payload.variant_id,
        payload.unit_price,
        confirmed=payload.confirm_large,
    )
    services.add_line(sale_id=sale_id, spec=spec, actor=actor)
    return Status(201, _receipt(sale_id, actor))


@router.delete("/sales/{sale_id}/lines/{line_id}", response=SaleOut, summary="Remove a line")
def remove_line(request: HttpRequest, sale_id: Id, line_id: Id):
    actor = _actor(request)
    services.remove_line(sale_id=sale_id, line_id=line_id, actor=actor)
    return _receipt(sale_id, actor)


@router.post("/sales/{sale_id}/lines/{line_id}/discount", response=SaleOut, summary="Discount a line")
def set_discount(request: HttpRequest, sale_id: Id, line_id: Id, payload: DiscountIn):
    actor = _actor(request)
    services.set_discount(
        sale_id=sale_id, line_id=line_id, amount=payload.amount, percent=payload.percent, actor=actor
    )
    return _receipt(sale_id, actor)


@router.post(
    "/sales/{sale_id}/lines/{line_id}/step", response=SaleOut, summary="Charge another step of a price ladder"
)
def change_step(request: HttpRequest, sale_id: Id, line_id: Id, payload: StepIn):
    actor = _actor(request)
    stays.change_step(sale_id=sale_id, line_id=line_id, variant_id=payload.variant_id, actor=actor)
    return _receipt(sale_id, actor)


@router.post("/sales/{sale_id}/park", response=SaleOut, summary="Park a sale")
def park(request: HttpRequest, sale_id: Id):
    actor = _actor(request)
    services.park(sale_id=sale_id, actor=actor, at=timezone.now())
    return _receipt(sale_id, actor)


@router.post("/sales/{sale_id}/resume", response=SaleOut, summary="Take a parked sale back")
def resume(request: HttpRequest, sale_id: Id):
    actor = _actor(request)
    services.resume(sale_id=sale_id, actor=actor, at=timezone.now())
    return _receipt(sale_id, actor)


@router.post(
    "/sales/{sale_id}/close",
    response=SaleOut,
    summary="Pay and close (split payments; cash over the amount due gives change): gives the number",
)
def close(request: HttpRequest, sale_id: Id, payload: CloseIn):
    actor = _actor(request)
    payments = [services.PaymentSpec(p.method, p.amount) for p in payload.payments]
    services.close_sale(sale_id=sale_id, payments=payments, actor=actor, at=timezone.now())
    return _receipt(sale_id, actor)


@router.post(
    "/sales/{sale_id}/refund",
    response={201: SaleOut},
    summary="Refund lines of a closed sale",
)
def refund(request: HttpRequest, sale_id: Id, payload: RefundIn):
    actor = _actor(request)
    items = None
    if payload.lines is not None:
        items = [services.RefundItem(item.line_id, item.quantity) for item in payload.lines]
    sale = services.refund(sale_id=sale_id, items=items, actor=actor, at=timezone.now())
    return Status(201, receipt_of(sale))


@router.get("/sales/{sale_id}/receipt.pdf", summary="The receipt as a PDF", response={200: None})
def receipt(request: HttpRequest, sale_id: Id):
    data = _receipt(sale_id, _actor(request))
    return receipt_pdf_response(data)


# -- time lines at the till --------------------------------------------------------------------------------


@router.post(
    "/time-lines/{line_id}/sale",
    response=SaleOut,
    summary="Link a time line to an open or parked sale, or a new one (a stopped one is priced at once)",
)
def link(request: HttpRequest, line_id: Id, payload: LinkIn):
    actor = _actor(request)
    sale = stays.link_time_line(time_line_id=line_id, sale_id=payload.sale_id, actor=actor, at=timezone.now())
    return receipt_of(sale)


@router.post(
    "/time-lines/{line_id}/checkout",
    response=SaleOut,
    summary="Stop a time line now and add its priced line (with the explanation) to its sale",
)
def checkout(request: HttpRequest, line_id: Id):
    actor = _actor(request)
    time_line, _sale = stays.stop_and_price(time_line_id=line_id, actor=actor, at=timezone.now())
    sale_id = stays.sale_id_of(time_line)
    if sale_id is None:
        raise NotFound(
            "no_time_product", _("The stay is stopped; no time product prices stays at this site.")
        )
    return _receipt(sale_id, actor)


@router.get("/time-lines/{line_id}/due", response=DueOut, summary="What an open stay costs so far")
def due(request: HttpRequest, line_id: Id):
    actor = _actor(request)
    time_line = get_line(actor, pk=line_id)
    quote = stays.amount_due_so_far(time_line=time_line, now=timezone.now())
    return {"time_line_id": time_line.pk, "quote": quote.to_dict() if quote else None}


@router.post(
    "/sites/{slug}/hide-paid-time-lines",
    response=HiddenOut,
    summary="Hide every time line linked to a closed sale at a site",
)
def hide_paid(request: HttpRequest, slug: Slug):
    actor = _actor(request)
    site = Site.objects.filter(slug=slug).first()
    if site is None:
        raise NotFound("unknown_site", _('There is no site "%(slug)s".') % {"slug": slug})
    return {"hidden": stays.hide_lines_of_closed_sales(site_id=site.pk, actor=actor, at=timezone.now())}
