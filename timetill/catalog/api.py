"""REST endpoints for products, VAT rates, tariffs, the sites' time products, and quotes."""

import json
from datetime import timedelta
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict

from timetill.api_common import (
    TARIFF_MARK,
    TARIFF_REF,
    Instant,
    LocalOrInstant,
    PlainText,
    RequiredText,
    Slug,
    TextLines,
    decimal,
)
from timetill.billing.models import VatRate
from timetill.catalog import services
from timetill.catalog.models import Product, ProductVariant, SiteTimeProduct
from timetill.catalog.tariffs import InvalidTariff, error_fields, pricing_error
from timetill.customers.models import CustomerGroup
from timetill.errors import NotFound, TimetillError
from timetill.pricing import PricingError, Quote, quote_document
from timetill.sites.models import Site
from timetill.timelines.actors import Actor

router = Router(tags=["catalogue"])

Id = Annotated[int, Field(ge=1, le=2**63 - 1)]
Price = decimal(lower="ge0")


def _actor(request: HttpRequest) -> Actor:
    return Actor.for_user(request.user)


def _reader(request: HttpRequest) -> Actor:
    """Cashiers read the catalogue to sell; managers to manage it."""
    actor = _actor(request)
    if not actor.has_right("track_time"):
        actor.require("manage_catalog")
    return actor


def _site(slug: str) -> Site:
    site = Site.objects.filter(slug=slug).first()
    if site is None:
        raise NotFound("unknown_site", _('There is no site "%(slug)s".') % {"slug": slug})
    return site


class FieldsErrorOut(Schema):
    code: str
    message: str
    errors: list[dict[str, str]] = []


def _invalid(error: InvalidTariff) -> Status:
    return Status(422, {"code": error.code, "message": error.message, "errors": error_fields(error.errors)})


# -- schemas -----------------------------------------------------------------------------------------------


class VatRateOut(Schema):
    id: int
    name: str
    rate: Decimal
    active: bool


class VariantIn(Schema):
    label: RequiredText = Field(..., max_length=80)
    duration_minutes: int = Field(..., ge=1, le=60 * 24 * 366)
    price: Price
    barcode: PlainText | None = Field(None, max_length=64)


def _price_out(price: Decimal | None) -> Decimal | None:
    # Stored with three decimals for any currency: show 2.50, not 2.500 (but keep a real third decimal).
    if price is None:
        return None
    cents = price.quantize(Decimal("0.01"))
    return cents if cents == price else price.normalize()


class VariantOut(Schema):
    id: int
    label: str
    duration_minutes: int
    price: Decimal
    barcode: str | None

    @staticmethod
    def resolve_price(variant: ProductVariant) -> Decimal | None:
        return _price_out(variant.price)


class ProductIn(Schema):
    internal_name: RequiredText = Field(..., max_length=100, description='For staff: "Extra Hours 8-16".')
    short_name: RequiredText = Field(..., max_length=60, description='On receipts: "Extra Hours".')
    description: TextLines = Field("", max_length=2000)
    kind: Literal["simple", "ladder", "time", "daily_time"]
    vat_rate: decimal(digits=5, places=2, lower="ge0", upper=100) = Field(
        ..., description="A VAT rate in percent that exists (GET /vat-rates)."
    )
    prices_include_vat: bool = True
    price: Price | None = Field(None, description="Simple products.")
    variants: list[VariantIn] = Field([], max_length=50, description="Ladder products: the steps.")
    tariff: dict[str, Any] | None = Field(
        None,
        description="Time (rate) and Daily Time products: a tariff document (docs/tariffs.md).",
        json_schema_extra=TARIFF_MARK,
    )
    sold_by_unit: bool | None = Field(
        None,
        description="Sold in whole quantities only (2 coffees, never 1.5); default: yes for simple products "
        "and ladders, no for time and Daily Time products.",
    )

    def spec(self) -> services.ProductSpec:
        return services.ProductSpec(
            internal_name=self.internal_name,
            short_name=self.short_name,
            description=self.description,
            kind=self.kind,
            vat_rate=self.vat_rate,
            prices_include_vat=self.prices_include_vat,
            price=self.price,
            variants=tuple(
                services.VariantSpec(v.label, v.duration_minutes, v.price, v.barcode) for v in self.variants
            ),
            tariff=self.tariff,
            sold_by_unit=self.sold_by_unit,
        )


class ProductOut(Schema):
    id: int
    internal_name: str
    short_name: str
    description: str
    kind: str
    vat_rate: Decimal = Field(..., alias="vat_rate.rate")
    prices_include_vat: bool
    price: Decimal | None
    variants: list[VariantOut]
    tariff: dict[str, Any] | None
    sold_by_unit: bool
    archived: bool

    @staticmethod
    def resolve_variants(product: Product) -> list[ProductVariant]:
        return list(product.variants.all())

    @staticmethod
    def resolve_price(product: Product) -> Decimal | None:
        return _price_out(product.price)


class QuoteLineOut(Schema):
    code: str
    kind: str
    label: str
    from_: str | None = Field(None, alias="from")
    to: str | None
    quantity: str
    unit: str
    unit_price: str | None
    price_per: str
    amount: str


class QuoteOut(Schema):
    tariff: str
    kind: str
    currency: str
    start: str
    end: str
    duration_seconds: str
    group: str | None
    total: str
    prices_include_vat: bool
    lines: list[dict[str, Any]]
    vat: dict[str, str] | None = None
    choices: list[dict[str, Any]] = []


def _quote_out(quote: Quote) -> dict[str, Any]:
    return quote.to_dict()


class DeletedOut(Schema):
    id: int
    archived: bool


# -- VAT rates and products --------------------------------------------------------------------------------


@router.get("/vat-rates", response=list[VatRateOut], summary="The VAT rates products may carry")
def vat_rates(request: HttpRequest):
    _reader(request)
    return VatRate.objects.all()


def _products():
    return Product.objects.select_related("vat_rate").prefetch_related("variants")


@router.get("/products", response=list[ProductOut], summary="List products")
def list_products(request: HttpRequest, archived: bool = False, kind: str | None = None):
    _reader(request)
    products = _products().filter(archived=archived)
    if kind:
        products = products.filter(kind=kind)
    return products


@router.post(
    "/products", response={201: ProductOut, 422: FieldsErrorOut}, summary="Create a product (manage_catalog)"
)
def create_product(request: HttpRequest, payload: ProductIn):
    try:
        product = services.create_product(spec=payload.spec(), actor=_actor(request))
    except InvalidTariff as error:
        return _invalid(error)
    return Status(201, _products().get(pk=product.pk))


@router.get("/products/{product_id}", response=ProductOut, summary="Get a product")
def get_product(request: HttpRequest, product_id: Id):
    _reader(request)
    return _products().filter(pk=product_id).first() or services.get_product(product_id)


@router.put(
    "/products/{product_id}", response={200: ProductOut, 422: FieldsErrorOut}, summary="Change a product"
)
def update_product(request: HttpRequest, product_id: Id, payload: ProductIn):
    try:
        services.update_product(product_id=product_id, spec=payload.spec(), actor=_actor(request))
    except InvalidTariff as error:
        return _invalid(error)
    return Status(200, _products().get(pk=product_id))


@router.delete(
    "/products/{product_id}",
    response=DeletedOut,
    summary="Delete a product (one that was sold is archived: past sales keep their lines)",
)
def delete_product(request: HttpRequest, product_id: Id):
    result = services.delete_product(product_id=product_id, actor=_actor(request))
    return {"id": result.product_id, "archived": result.archived}


@router.post("/products/{product_id}/duplicate", response={201: ProductOut}, summary="Duplicate a product")
def duplicate_product(request: HttpRequest, product_id: Id):
    copy = services.duplicate_product(product_id=product_id, actor=_actor(request))
    return Status(201, _products().get(pk=copy.pk))


# -- tariffs -----------------------------------------------------------------------------------------------


@router.get("/products/{product_id}/tariff", summary="Export the tariff as a JSON document")
def export_tariff(request: HttpRequest, product_id: Id, site: Slug | None = None):
    _reader(request)
    document = services.export_tariff(
        product=services.get_product(product_id), site=_site(site) if site else None
    )
    response = HttpResponse(
        json.dumps(document, indent=2, ensure_ascii=False) + "\n", content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="tariff-{product_id}.json"'
    return response


@router.put(
    "/products/{product_id}/tariff",
    response={200: ProductOut, 422: FieldsErrorOut},
    summary="Import a tariff document (the whole body); errors name their fields",
    openapi_extra={"requestBody": {"content": {"application/json": {"schema": {"$ref": TARIFF_REF}}}}},
)
def import_tariff(request: HttpRequest, product_id: Id):
    # The raw body, so that bad JSON, binary or oversized documents get the engine's own messages.
    try:
        services.import_tariff(product_id=product_id, document=request.body, actor=_actor(request))
    except InvalidTariff as error:
        return _invalid(error)
    return Status(200, _products().get(pk=product_id))


class ProductQuoteIn(Schema):
    site: Slug
    start: Instant | None = Field(None, description="Default: now minus the duration.")
    end: Instant | None = None
    minutes: int | None = Field(None, ge=0, le=60 * 24 * 366, description="Or a duration from now.")
    group: PlainText | None = Field(None, max_length=100, description="A customer group's name.")


@router.post(
    "/products/{product_id}/quote",
    response={200: QuoteOut, 422: FieldsErrorOut},
    summary="The price of a stay with this product (start and end, or a duration in minutes)",
)
def quote_product(request: HttpRequest, product_id: Id, payload: ProductQuoteIn):
    _reader(request)
    start, end = payload.start, payload.end
    if payload.minutes is not None:
        start = start or (end - timedelta(minutes=payload.minutes) if end else timezone.now())
        end = start + timedelta(minutes=payload.minutes)
    if start is None or end is None:
        # A rule on fields together, which the description (each field optional) cannot say.
        raise TimetillError("period_required", _("Give the stay's start and end, or its minutes."))
    product, site = services.get_product(product_id), _site(payload.site)
    try:
        quote = services.quote_for(product=product, site=site, start=start, end=end, group=payload.group)
    except InvalidTariff as error:
        return _invalid(error)
    services.require_known_group(payload.group, services.tariff_of(product, site=site).groups)
    return Status(200, _quote_out(quote))


class QuoteIn(Schema):
    tariff: dict[str, Any] = Field(
        ..., description="A tariff document (docs/tariffs.md).", json_schema_extra=TARIFF_MARK
    )
    start: LocalOrInstant = Field(
        ..., description="ISO 8601, years 2000 to 2099; without offset, read in the tariff's zone."
    )
    end: LocalOrInstant
    group: PlainText | None = Field(None, max_length=100)


@router.post(
    "/quote",
    response={200: QuoteOut, 422: FieldsErrorOut},
    summary="Quote a tariff document for a stay: total, currency and the explanation lines",
)
def quote(request: HttpRequest, payload: QuoteIn):
    _reader(request)
    try:
        result = quote_document(payload.tariff, payload.start, payload.end, payload.group)
    except PricingError as error:
        typed = pricing_error(error)
        if isinstance(typed, InvalidTariff):
            return _invalid(typed)
        return Status(422, {"code": typed.code, "message": typed.message, "errors": []})
    services.require_known_group(payload.group, payload.tariff.get("groups") or {})
    return Status(200, _quote_out(result))


# -- time products of sites --------------------------------------------------------------------------------


class TimeProductIn(Schema):
    # Unknown keys are refused: a misspelt "product" must not read as "no product" and remove the pricing.
    model_config = ConfigDict(extra="forbid")

    group: PlainText | None = Field(
        None, max_length=100, description="A customer group's name; none: everyone."
    )
    product_id: Id | None = Field(
        None,
        description="The time product; required: an explicit null removes the choice (an empty body is "
        "refused with `product_required` and changes nothing).",
    )


class TimeProductOut(Schema):
    group: str | None = Field(None, alias="group.name")
    product_id: int
    product: str = Field(..., alias="product.internal_name")


@router.get(
    "/sites/{slug}/time-products", response=list[TimeProductOut], summary="The time products of a site"
)
def site_time_products(request: HttpRequest, slug: Slug):
    _reader(request)
    return SiteTimeProduct.objects.filter(site=_site(slug)).select_related("group", "product")


@router.put(
    "/sites/{slug}/time-products",
    response=list[TimeProductOut],
    summary="Choose the time product that prices stays at a site (for everyone, or for a group)",
)
def set_site_time_product(request: HttpRequest, slug: Slug, payload: TimeProductIn):
    actor = _actor(request)
    actor.require("manage_catalog")  # before any lookup: what exists is told to managers only
    if "product_id" not in payload.model_fields_set:
        raise TimetillError(
            "product_required", _("Say which product prices stays here (product_id), or null to remove it.")
        )
    site = _site(slug)
    group = None
    if payload.group:
        group = CustomerGroup.objects.filter(name=payload.group).first()
        if group is None:
            raise NotFound(
                "unknown_group", _('There is no customer group "%(group)s".') % {"group": payload.group}
            )
    product = services.get_product(payload.product_id) if payload.product_id else None
    services.set_site_time_product(site=site, group=group, product=product, actor=actor)
    return SiteTimeProduct.objects.filter(site=site).select_related("group", "product")
