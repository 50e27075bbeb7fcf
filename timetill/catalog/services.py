"""Verbs on the catalogue: create, update, duplicate, delete products; import and export tariffs; quote."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, prefetch_related_objects
from django.utils.translation import gettext as _

from timetill.billing.models import VatRate
from timetill.catalog.models import Product, ProductVariant, SiteTimeProduct
from timetill.catalog.tariffs import (
    InvalidTariff,
    checked_document,
    ladder_document,
    pricing_error,
    tariff_at,
)
from timetill.customers.claims import hold_codes
from timetill.customers.codes import CodeError, is_line_code, normalize_code
from timetill.customers.models import Code, CustomerGroup
from timetill.errors import Conflict, NotFound, TimetillError
from timetill.pricing import PricingError, Quote, Tariff
from timetill.sites.models import Site
from timetill.text import is_plain_text
from timetill.timelines.actors import Actor

MAX_PRICE = Decimal("99999999.999")
MAX_STEPS = 50


@dataclass(frozen=True)
class VariantSpec:
    """A ladder step as entered: its label, duration in minutes, price, and optional barcode."""

    label: str
    duration_minutes: int
    price: Decimal
    barcode: str | None = None


@dataclass(frozen=True)
class ProductSpec:
    """Everything a product is made of, as a form or the API gives it."""

    internal_name: str
    short_name: str
    kind: str
    vat_rate: Decimal
    prices_include_vat: bool = True
    description: str = ""
    price: Decimal | None = None  # simple products
    variants: tuple[VariantSpec, ...] = ()  # ladder products
    tariff: dict[str, Any] | None = None  # time and Daily Time products
    # Whole quantities only at the till; None: the kind's default (goods and ladder steps yes, time no).
    sold_by_unit: bool | None = None


@dataclass(frozen=True)
class Deleted:
    """What delete_product did: deleted outright, or archived because past sales refer to it."""

    product_id: int
    archived: bool


@dataclass(frozen=True)
class _Checked:
    spec: ProductSpec
    vat: VatRate
    tariff: dict[str, Any] | None = field(default=None)


# -- reading -----------------------------------------------------------------------------------------------


def vat_rate_of(rate: Decimal | str | int) -> VatRate:
    """The active VAT rate with this percentage; unknown_vat_rate when there is none."""
    try:
        value = Decimal(str(rate))
    except InvalidOperation:
        raise TimetillError(
            "unknown_vat_rate", _("%(rate)s is not a VAT rate.") % {"rate": repr(rate)}
        ) from None
    found = VatRate.objects.filter(rate=value, active=True).first() if value.is_finite() else None
    if found is None:
        known = ", ".join(
            f"{r:f}" for r in VatRate.objects.filter(active=True).values_list("rate", flat=True)
        )
        raise TimetillError(
            "unknown_vat_rate",
            _("There is no VAT rate of %(rate)s %% (known: %(known)s).") % {"rate": rate, "known": known},
        )
    return found


def get_product(product_id: int, *, lock: bool = False) -> Product:
    products = Product.objects.select_related("vat_rate")
    if lock:
        products = products.select_for_update(of=("self",))
    product = products.filter(pk=product_id).first()
    if product is None:
        raise NotFound(
            "unknown_product", _("There is no product %(product_id)s.") % {"product_id": product_id}
        )
    return product


def time_product_id_for(*, site_id: int, group_id: int | None) -> int | None:
    """The id of the product that prices stays at this site for this group: the group's own, else the
    site's. One small query: every check-out by scan asks it, most often of a site that prices nothing."""
    choices = dict(SiteTimeProduct.objects.filter(site_id=site_id).values_list("group_id", "product_id"))
    return choices.get(group_id) if group_id in choices else choices.get(None)


def time_product_for(site: Site, group: CustomerGroup | None) -> Product | None:
    """The product that prices stays at this site for this group: the group's own, else the site's."""
    product_id = time_product_id_for(site_id=site.pk, group_id=group.pk if group is not None else None)
    if product_id is None:
        return None
    return Product.objects.select_related("vat_rate").get(pk=product_id)


# -- checking ----------------------------------------------------------------------------------------------


def _text(value: str, field_name: str, max_length: int, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise TimetillError("invalid_product", _("%(field_name)s: is required.") % {"field_name": field_name})
    if len(value) > max_length or not (is_plain_text(value) or field_name == "description"):
        raise TimetillError(
            "invalid_product",
            _("%(field_name)s: at most %(max_length)s printable characters.")
            % {"field_name": field_name, "max_length": max_length},
        )
    return value


def _price(value: Decimal | None, field_name: str) -> Decimal:
    if value is None:
        raise TimetillError("invalid_price", _("%(field_name)s: is required.") % {"field_name": field_name})
    value = Decimal(value)
    if not value.is_finite() or value < 0:
        raise TimetillError(
            "invalid_price",
            _("%(field_name)s: %(value)s must be zero or more.") % {"field_name": field_name, "value": value},
        )
    if value > MAX_PRICE:
        raise TimetillError(
            "invalid_price",
            _("%(field_name)s: %(value)s is too large.") % {"field_name": field_name, "value": value},
        )
    if value != value.quantize(CENT):
        # A till takes cents: 7.505 would be shown as 7.51 and then refused at the till.
        raise TimetillError(
            "invalid_price",
            _("%(field_name)s: %(problem)s")
            % {"field_name": field_name, "problem": price_decimals_message(value)},
        )
    return value


CENT = Decimal("0.01")


def price_decimals_message(value: Decimal) -> str:
    message = _("A price has at most 2 decimals (%(cut)s, not %(value)s).")
    return (message % {"cut": value.quantize(CENT, rounding=ROUND_DOWN), "value": value})[:200]


def check_step_barcode(raw: str) -> str:
    """A ladder step's barcode as stored, or a TimetillError: a real code (an EAN-13 with its right check
    digit), never a customer's card nor the form of a time line's own code, never cut to fit."""
    try:
        value = normalize_code(raw)
    except CodeError as error:
        raise TimetillError("invalid_barcode", error.message) from error
    if is_line_code(value):
        raise TimetillError(
            "invalid_barcode", _("%(value)s has the form of a time line's own code.") % {"value": value}
        )
    owner = Code.objects.filter(value=value).select_related("customer").first()
    if owner is not None:
        raise TimetillError(
            "invalid_barcode",
            _("%(value)s is the card code of %(customer)s.")
            % {"value": value, "customer": owner.customer.name},
        )
    return value


def sold_by_unit_by_default(kind: str) -> bool:
    """Goods and ladder steps are counted (2 coffees); time is measured (1.5 hours of a desk)."""
    return kind in (Product.Kind.SIMPLE, Product.Kind.LADDER)


def _check(spec: ProductSpec) -> _Checked:
    if spec.kind not in Product.Kind.values:
        raise TimetillError(
            "invalid_kind",
            _("kind: %(kind)s is not one of %(kinds)s.")
            % {"kind": repr(spec.kind), "kinds": ", ".join(Product.Kind.values)},
        )
    if spec.sold_by_unit is None:
        spec = replace(spec, sold_by_unit=sold_by_unit_by_default(spec.kind))
    spec = replace(
        spec,
        internal_name=_text(spec.internal_name, "internal_name", 100),
        short_name=_text(spec.short_name, "short_name", 60),
        description=_text(spec.description, "description", 2000, required=False),
    )
    vat = vat_rate_of(spec.vat_rate)
    document = None
    if spec.kind == Product.Kind.SIMPLE:
        spec = replace(spec, price=_price(spec.price, "price"), variants=())
    elif spec.kind == Product.Kind.LADDER:
        spec = replace(spec, price=None, variants=_check_steps(spec.variants))
    else:
        if spec.tariff is None:
            raise InvalidTariff(["(document): " + _("a tariff is required")])
        document = checked_document(
            spec.tariff, kind=spec.kind, vat_rate=vat.rate, prices_include_vat=spec.prices_include_vat
        )
        spec = replace(spec, price=None, variants=())
    return _Checked(spec, vat, document)


def _check_steps(variants: tuple[VariantSpec, ...]) -> tuple[VariantSpec, ...]:
    if not variants:
        raise TimetillError("invalid_steps", _("variants: a price ladder needs at least one step."))
    if len(variants) > MAX_STEPS:
        raise TimetillError("invalid_steps", _("variants: at most %(most)s steps.") % {"most": MAX_STEPS})
    if any((v.barcode or "").strip() for v in variants):
        hold_codes()  # until the steps are written: no card may take one of their barcodes meanwhile
    steps = []
    for i, v in enumerate(variants):
        where = f"variants[{i}]"
        if not isinstance(v.duration_minutes, int) or v.duration_minutes <= 0:
            raise TimetillError(
                "invalid_steps",
                _("%(where)s.duration_minutes: must be a whole number above zero.") % {"where": where},
            )
        barcode = (v.barcode or "").strip() or None
        if barcode is not None:
            try:
                barcode = check_step_barcode(barcode)
            except TimetillError as error:
                raise TimetillError(
                    "invalid_steps",
                    _("%(where)s.barcode: %(message)s") % {"where": where, "message": error.message},
                ) from error
        steps.append(
            VariantSpec(
                _text(v.label, f"{where}.label", 80),
                v.duration_minutes,
                _price(v.price, f"{where}.price"),
                barcode,
            )
        )
    steps.sort(key=lambda s: s.duration_minutes)
    for before, after in zip(steps, steps[1:], strict=False):
        if before.duration_minutes == after.duration_minutes:
            raise TimetillError(
                "invalid_steps",
                _("variants: two steps last %(minutes)s minutes.") % {"minutes": after.duration_minutes},
            )
    return tuple(steps)


def _write(product: Product, checked: _Checked) -> Product:
    spec = checked.spec
    product.internal_name = spec.internal_name
    product.short_name = spec.short_name
    product.description = spec.description
    product.kind = spec.kind
    product.vat_rate = checked.vat
    product.prices_include_vat = spec.prices_include_vat
    product.price = spec.price
    product.tariff = checked.tariff
    product.sold_by_unit = bool(spec.sold_by_unit)
    product.save()
    product.variants.all().delete()
    try:
        with transaction.atomic():
            ProductVariant.objects.bulk_create(
                ProductVariant(
                    product=product,
                    label=v.label,
                    duration_minutes=v.duration_minutes,
                    price=v.price,
                    barcode=v.barcode,
                )
                for v in spec.variants
            )
    except IntegrityError as error:
        raise Conflict("barcode_taken", _("A step's barcode is already used by another product.")) from error
    return product


# -- verbs -------------------------------------------------------------------------------------------------


@transaction.atomic
def create_product(*, spec: ProductSpec, actor: Actor) -> Product:
    actor.require("manage_catalog")
    return _write(Product(), _check(spec))


@transaction.atomic
def update_product(*, product_id: int, spec: ProductSpec, actor: Actor) -> Product:
    """Change a product. Past sales keep what they copied (names, prices, VAT); only new sales change."""
    actor.require("manage_catalog")
    checked = _check(spec)
    product = get_product(product_id, lock=True)
    if product.archived:
        raise Conflict("product_archived", _("This product was deleted; it is kept only for past sales."))
    return _write(product, checked)


@transaction.atomic
def duplicate_product(*, product_id: int, actor: Actor) -> Product:
    """A copy named "… (copy)", with its steps (without barcodes, which are unique) and tariff."""
    actor.require("manage_catalog")
    source = get_product(product_id)
    copy = Product.objects.create(
        internal_name=f"{source.internal_name} (copy)"[:100],
        short_name=source.short_name,
        description=source.description,
        kind=source.kind,
        vat_rate=source.vat_rate,
        prices_include_vat=source.prices_include_vat,
        price=source.price,
        tariff=source.tariff,
        sold_by_unit=source.sold_by_unit,
    )
    ProductVariant.objects.bulk_create(
        ProductVariant(product=copy, label=v.label, duration_minutes=v.duration_minutes, price=v.price)
        for v in source.variants.all()
    )
    return copy


@transaction.atomic
def delete_product(*, product_id: int, actor: Actor) -> Deleted:
    """Delete a product; one that was sold, or that anything else keeps (a package's items, an accepted
    invoice line), is archived instead, so past sales keep their lines and the package its items."""
    actor.require("manage_catalog")
    product = get_product(product_id, lock=True)
    # No longer the time product of any site, either way.
    product.site_defaults.all().delete()
    if not product.sale_lines.exists():
        pk = product.pk
        try:
            with transaction.atomic():
                product.delete()
        except ProtectedError:
            pass
        else:
            return Deleted(pk, archived=False)
    if not product.archived:
        product.archived = True
        product.save(update_fields=["archived", "updated_at"])
    return Deleted(product.pk, archived=True)


@transaction.atomic
def import_tariff(*, product_id: int, document: dict[str, Any] | str | bytes, actor: Actor) -> Product:
    """Replace a time or Daily Time product's tariff with a document (a dict or JSON text)."""
    actor.require("manage_catalog")
    product = get_product(product_id, lock=True)
    if product.kind not in (Product.Kind.TIME, Product.Kind.DAILY_TIME):
        raise TimetillError("no_tariff", _("Only time and Daily Time products have a tariff document."))
    if product.archived:
        raise Conflict("product_archived", _("This product was deleted; it is kept only for past sales."))
    product.tariff = checked_document(
        document,
        kind=product.kind,
        vat_rate=product.vat_rate.rate,
        prices_include_vat=product.prices_include_vat,
    )
    product.save(update_fields=["tariff", "updated_at"])
    return product


def export_tariff(*, product: Product, site: Site | None = None) -> dict[str, Any]:
    """The product's tariff document; a ladder's steps become a ladder document in the site's currency."""
    if product.kind == Product.Kind.SIMPLE:
        raise TimetillError("no_tariff", _("A simple product has no tariff."))
    if product.kind == Product.Kind.LADDER:
        return _ladder_document(product, site)
    assert product.tariff is not None
    return dict(product.tariff)


def _ladder_document(product: Product, site: Site | None) -> dict[str, Any]:
    return ladder_document(
        ((v.label, v.duration_minutes, v.price) for v in product.variants.all()),
        currency=site.currency if site is not None else "EUR",
        time_zone=site.time_zone if site is not None else "Europe/Paris",
        name=product.short_name,
        vat_rate=product.vat_rate.rate,
        prices_include_vat=product.prices_include_vat,
    )


def tariff_of(product: Product, *, site: Site) -> Tariff:
    """The tariff that prices a stay with this product at this site (its currency and time zone)."""
    if product.kind == Product.Kind.SIMPLE:
        raise TimetillError(
            "not_a_time_product", _("%(product)s is not priced by time.") % {"product": product.internal_name}
        )
    document = _ladder_document(product, site) if product.kind == Product.Kind.LADDER else product.tariff
    assert document is not None
    return tariff_at(document, currency=site.currency, time_zone=site.time_zone)


def quote_for(
    *,
    product: Product,
    site: Site,
    start: datetime,
    end: datetime,
    group: str | None = None,
    choice: str | None = None,
) -> Quote:
    """The price of a stay (start → end) with this product at this site, for a customer group if given.

    `choice` is a ladder step's label the cashier chose instead of the proposed one.
    """
    tariff = tariff_of(product, site=site)
    try:
        return tariff.quote(start, end, group=group, choice=choice)
    except PricingError as error:
        raise pricing_error(error) from error


def known_groups(tariff_groups: Iterable[str]) -> list[str]:
    """The groups a quote may be asked for: the customers' groups, and those the tariff prices."""
    names = set(CustomerGroup.objects.values_list("name", flat=True)) | set(tariff_groups)
    return sorted(names, key=str.casefold)


def require_known_group(group: str | None, tariff_groups: Iterable[str]) -> None:
    """Refuse a quote for a group nobody has: the tariff would quietly price it for everyone."""
    if group is None:
        return
    names = known_groups(tariff_groups)
    if group.casefold() not in {name.casefold() for name in names}:
        raise NotFound(
            "unknown_group",
            _("There is no customer group “%(group)s”: give one of %(groups)s, or none.")
            % {"group": group[:40], "groups": ", ".join(names) or _("(none yet)")},
        )


def tariffs_for(products: list[Product], sites: list[Site]) -> dict[tuple[int, int], Tariff | TimetillError]:
    """The tariff of each product at each site, worked out once for a whole list (a pending list prices
    hundreds of stays with a few tariffs); a product that cannot price there (a tariff in another currency)
    maps to its error. A ladder's steps are read in one query for every ladder."""
    # What product.variants.all() gives each ladder, in one query for all (the model's order).
    prefetch_related_objects([p for p in products if p.kind == Product.Kind.LADDER], "variants")
    found: dict[tuple[int, int], Tariff | TimetillError] = {}
    for product in products:
        for site in sites:
            try:
                found[product.pk, site.pk] = tariff_of(product, site=site)
            except TimetillError as error:
                found[product.pk, site.pk] = error
    return found


def quote_with(tariff: Tariff, *, start: datetime, end: datetime, group: str | None = None) -> Quote:
    """quote_for with a tariff already worked out (tariffs_for): the price of a stay, its errors typed."""
    try:
        return tariff.quote(start, end, group=group)
    except PricingError as error:
        raise pricing_error(error) from error


@transaction.atomic
def set_site_time_product(
    *, site: Site, group: CustomerGroup | None, product: Product | None, actor: Actor
) -> SiteTimeProduct | None:
    """Choose the time product of a site (for everyone, or for one group); None removes the choice."""
    actor.require("manage_catalog")
    rows = SiteTimeProduct.objects.filter(site=site, group=group)
    if product is None:
        rows.delete()
        return None
    if not product.is_timed:
        raise TimetillError(
            "not_a_time_product", _("%(product)s is not priced by time.") % {"product": product.internal_name}
        )
    if product.archived:
        raise Conflict("product_archived", _("This product was deleted; it is kept only for past sales."))
    tariff_of(product, site=site)  # refuse now a tariff in another currency than the site's
    row, _new = SiteTimeProduct.objects.update_or_create(
        site=site, group=group, defaults={"product": product}
    )
    return row
