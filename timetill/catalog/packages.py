"""Verbs on packages: create, update, duplicate and archive a bundle of monthly and Daily Time products."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from timetill.catalog.models import Package, PackageItem, Product
from timetill.errors import NotFound, TimetillError
from timetill.pricing import PricingError, parse_tariff
from timetill.text import is_plain_text
from timetill.timelines.actors import Actor

MAX_ITEMS = 30
MAX_QUANTITY = Decimal("9999")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# A package without a Daily Time product plans the working week.
DEFAULT_PLANNED_WEEKDAYS = frozenset(range(5))


@dataclass(frozen=True)
class ItemSpec:
    product_id: int
    quantity: Decimal = Decimal(1)


@dataclass(frozen=True)
class PackageSpec:
    name: str
    items: tuple[ItemSpec, ...]
    proration: str = Package.Proration.NONE
    description: str = ""


class PackageError(TimetillError):
    pass


def get_package(package_id: int, *, lock: bool = False) -> Package:
    packages = Package.objects.all()
    if lock:
        packages = packages.select_for_update()
    package = packages.filter(pk=package_id).first()
    if package is None:
        raise NotFound("unknown_package", _("There is no package %(id)s.") % {"id": package_id})
    return package


def planned_weekdays(package: Package) -> frozenset[int]:
    """The weekdays (Monday = 0) a child of this package is planned: its Daily Time's included weekdays."""
    for item in package.items.all():
        if item.product.kind == Product.Kind.DAILY_TIME and item.product.tariff:
            included = item.product.tariff.get("included") or {}
            return frozenset(i for i, day in enumerate(WEEKDAYS) if included.get(day))
    return DEFAULT_PLANNED_WEEKDAYS


def planned_days(weekdays: frozenset[int], first: date, last: date) -> int:
    """How many days from `first` to `last` (both included) fall on a planned weekday."""
    days = 0
    day = first
    while day <= last:
        days += day.weekday() in weekdays
        day += timedelta(days=1)
    return days


def _check(spec: PackageSpec) -> PackageSpec:
    name = (spec.name or "").strip()
    if not name or len(name) > 100 or not is_plain_text(name):
        raise PackageError("invalid_package", _("name: is required, at most 100 printable characters."))
    if spec.proration not in Package.Proration.values:
        raise PackageError(
            "invalid_proration",
            _("proration: %(value)r is not one of %(choices)s.")
            % {"value": spec.proration, "choices": ", ".join(Package.Proration.values)},
        )
    if not spec.items:
        raise PackageError("empty_package", _("items: a package holds at least one product."))
    if len(spec.items) > MAX_ITEMS:
        raise PackageError("invalid_package", _("items: at most %(n)d products.") % {"n": MAX_ITEMS})
    seen: set[int] = set()
    daily = 0
    for item in spec.items:
        product = Product.objects.filter(pk=item.product_id, archived=False).first()
        if product is None:
            raise NotFound("unknown_product", _("There is no product %(id)s.") % {"id": item.product_id})
        if product.pk in seen:
            raise PackageError(
                "duplicate_product", _("items: %(name)s is listed twice.") % {"name": product.internal_name}
            )
        seen.add(product.pk)
        if product.kind not in (Product.Kind.SIMPLE, Product.Kind.DAILY_TIME):
            raise PackageError(
                "invalid_package_product",
                _("items: %(name)s is neither a simple product nor a Daily Time product.")
                % {"name": product.internal_name},
            )
        try:
            quantity = Decimal(item.quantity)
        except (InvalidOperation, TypeError):
            quantity = Decimal(-1)
        if not quantity.is_finite() or quantity <= 0 or quantity > MAX_QUANTITY:
            raise PackageError(
                "invalid_quantity",
                _("items: the quantity of %(name)s must be more than 0 and at most %(max)s.")
                % {"name": product.internal_name, "max": MAX_QUANTITY},
            )
        if quantity.as_tuple().exponent < -3:  # type: ignore[operator]
            raise PackageError("invalid_quantity", _("items: a quantity has at most three decimals."))
        if product.kind == Product.Kind.DAILY_TIME:
            daily += 1
            if quantity != 1:
                raise PackageError(
                    "invalid_quantity", _("items: a Daily Time product is billed once a month (quantity 1).")
                )
            try:
                parse_tariff(product.tariff)
            except PricingError as error:
                raise PackageError(
                    "invalid_package_product",
                    _("items: the tariff of %(name)s does not validate.") % {"name": product.internal_name},
                ) from error
    return PackageSpec(
        name=name, items=spec.items, proration=spec.proration, description=(spec.description or "").strip()
    )


def _write_items(package: Package, spec: PackageSpec) -> None:
    package.items.all().delete()
    PackageItem.objects.bulk_create(
        PackageItem(package=package, product_id=item.product_id, quantity=Decimal(item.quantity), position=i)
        for i, item in enumerate(spec.items)
    )


@transaction.atomic
def create_package(*, spec: PackageSpec, actor: Actor) -> Package:
    actor.require("manage_catalog")
    spec = _check(spec)
    package = Package.objects.create(name=spec.name, description=spec.description, proration=spec.proration)
    _write_items(package, spec)
    return package


@transaction.atomic
def update_package(*, package_id: int, spec: PackageSpec, actor: Actor) -> Package:
    """Changes what future invoices bill; issued invoices copied their lines and do not change."""
    actor.require("manage_catalog")
    package = get_package(package_id, lock=True)
    spec = _check(spec)
    package.name, package.description, package.proration = spec.name, spec.description, spec.proration
    package.save()
    _write_items(package, spec)
    return package


@transaction.atomic
def duplicate_package(*, package_id: int, actor: Actor) -> Package:
    actor.require("manage_catalog")
    source = get_package(package_id)
    copy = Package.objects.create(
        name=(_("%(name)s (copy)") % {"name": source.name})[:100],
        description=source.description,
        proration=source.proration,
    )
    PackageItem.objects.bulk_create(
        PackageItem(package=copy, product_id=i.product_id, quantity=i.quantity, position=i.position)
        for i in source.items.all()
    )
    return copy


@transaction.atomic
def archive_package(*, package_id: int, archived: bool = True, actor: Actor) -> Package:
    """An archived package takes no new enrolment; its enrolments and invoices stay as they are."""
    actor.require("manage_catalog")
    package = get_package(package_id, lock=True)
    package.archived = archived
    package.save(update_fields=["archived", "updated_at"])
    return package
