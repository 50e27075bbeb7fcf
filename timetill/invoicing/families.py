"""Verbs on families and enrolments: who pays for which child, in what shares, and in which packages."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from timetill.catalog.packages import get_package
from timetill.customers.models import Customer, Guardian
from timetill.einvoice.checks import valid_codice_fiscale
from timetill.errors import Conflict, NotFound, TimetillError
from timetill.invoicing.models import ChildShare, Enrolment, Family, FamilyChild, Payer
from timetill.sites.models import Site
from timetill.text import is_plain_text
from timetill.timelines.actors import Actor

MAX_PAYERS = 2
# Enrolments are for real dates: a year outside this is a typing mistake.
FIRST_YEAR, LAST_YEAR = 2000, 2100


class FamilyError(TimetillError):
    pass


@dataclass(frozen=True)
class PayerSpec:
    """Who an invoice is made out to, and the user (a guardian) who logs in to see theirs."""

    name: str
    address: str = ""
    tax_code: str = ""
    email: str = ""
    username: str | None = None
    country: str = ""  # for e-invoices; empty: the seller's
    pec: str = ""  # an Italian family's certified e-mail, if any
    language: str = ""  # of their invoices; empty: the site's


def _text(value: str, field: str, max_length: int, *, required: bool = False, lines: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise FamilyError("invalid_family", _("%(field)s: is required.") % {"field": field})
    printable = is_plain_text(value, lines=lines)
    if len(value) > max_length or not printable:
        raise FamilyError(
            "invalid_family",
            _("%(field)s: at most %(n)d printable characters.") % {"field": field, "n": max_length},
        )
    return value


def _user(username: str | None):
    if not username:
        return None
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise NotFound("unknown_user", _("There is no user %(name)s.") % {"name": username})
    return user


def get_family(family_id: int, *, lock: bool = False) -> Family:
    families = Family.objects.select_related("site")
    if lock:
        families = families.select_for_update(of=("self",))
    family = families.filter(pk=family_id).first()
    if family is None:
        raise NotFound("unknown_family", _("There is no family %(id)s.") % {"id": family_id})
    return family


def _customer(customer_id: int) -> Customer:
    customer = Customer.objects.filter(pk=customer_id).first()
    if customer is None:
        raise NotFound("unknown_customer", _("There is no customer %(id)s.") % {"id": customer_id})
    return customer


def _guard(user, customer: Customer) -> None:
    # A payer who logs in is a guardian of the family's children: they may check them in and out.
    if user is not None:
        Guardian.objects.get_or_create(user=user, customer=customer)


@transaction.atomic
def create_family(
    *, site_id: int, name: str, payers: tuple[PayerSpec, ...], children: tuple[int, ...] = (), actor: Actor
) -> Family:
    actor.require("manage_invoicing")
    site = Site.objects.filter(pk=site_id).first()
    if site is None:
        raise NotFound("unknown_site", _("There is no site %(id)s.") % {"id": site_id})
    name = _text(name, "name", 200, required=True)
    if not 1 <= len(payers) <= MAX_PAYERS:
        raise FamilyError("invalid_family", _("payers: a family has one or two payers."))
    family = Family.objects.create(site=site, name=name)
    for position, spec in enumerate(payers):
        Payer.objects.create(family=family, position=position, **_payer_fields(spec))
    for customer_id in children:
        add_child(family_id=family.pk, customer_id=customer_id, actor=actor)
    return family


def _payer_fields(spec: PayerSpec) -> dict:
    return {
        "user": _user(spec.username),
        "name": _text(spec.name, "payer name", 200, required=True),
        "address": _text(spec.address, "address", 500, lines=True),
        "tax_code": _text(spec.tax_code, "tax code", 40),
        "email": _text(spec.email, "e-mail", 254),
        "language": _language(spec.language),
        **_einvoice_fields(spec),
    }


def _language(value: str) -> str:
    value = (value or "").strip()
    if value and value not in dict(settings.LANGUAGES):
        raise FamilyError(
            "invalid_family",
            _("language: %(value)s is not one of %(choices)s.")
            % {"value": value, "choices": ", ".join(code for code, _name in settings.LANGUAGES)},
        )
    return value


def _einvoice_fields(spec: PayerSpec) -> dict:
    """What e-invoices need beyond the name and address: the country, the PEC; an Italian tax code checked."""
    country = _text(spec.country, "country", 2).upper()
    if country and not re.fullmatch(r"[A-Z]{2}", country):
        raise FamilyError("invalid_family", _("country: a two-letter code such as FR or IT."))
    pec = _text(spec.pec, "PEC", 254)
    if pec and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", pec):
        raise FamilyError("invalid_family", _("PEC: this is not an e-mail address."))
    tax_code = (spec.tax_code or "").strip()
    if country == "IT" and tax_code and not valid_codice_fiscale(tax_code):
        raise FamilyError(
            "invalid_family",
            _("tax code: %(code)s is not a valid codice fiscale (16 letters and digits).")
            % {"code": tax_code},
        )
    return {"country": country, "pec": pec}


@transaction.atomic
def update_family(*, family_id: int, name: str, payers: tuple[PayerSpec, ...], actor: Actor) -> Family:
    """Rename a family and rewrite its payers in order (the first, and a second for separated parents).
    A payer left out goes, unless invoices are made out to them; issued invoices keep their own copy."""
    actor.require("manage_invoicing")
    family = get_family(family_id, lock=True)
    family.name = _text(name, "name", 200, required=True)
    if not 1 <= len(payers) <= MAX_PAYERS:
        raise FamilyError("invalid_family", _("payers: a family has one or two payers."))
    fields = [_payer_fields(spec) for spec in payers]
    existing = list(family.payers.order_by("position", "pk"))
    for gone in existing[len(payers) :]:
        if gone.invoices.exists():
            raise Conflict(
                "payer_has_invoices",
                _("%(payer)s has invoices: a payer with invoices stays.") % {"payer": gone.name},
            )
        ChildShare.objects.filter(payer=gone).delete()
        gone.delete()
    family.save(update_fields=["name"])
    for position, values in enumerate(fields):
        if position < len(existing):
            payer = existing[position]
            for key, value in values.items():
                setattr(payer, key, value)
            payer.position = position
            payer.save()
        else:
            payer = Payer.objects.create(family=family, position=position, **values)
        for child in family.children.select_related("customer"):
            _guard(payer.user, child.customer)
    return family


@transaction.atomic
def link_payer_user(*, payer_id: int, user, actor: Actor) -> Payer:
    """The user who logs in as this payer (an invited parent): they see the family's invoices, and as a
    guardian of each of its children, check them in and out. Another family's payer keeps their own user."""
    if not (actor.has_right("manage_invoicing") or actor.has_right("manage_users")):
        actor.require("manage_invoicing")
    payer = Payer.objects.select_for_update(of=("self",)).select_related("family").filter(pk=payer_id).first()
    if payer is None:
        raise NotFound("unknown_payer", _("There is no payer %(id)s.") % {"id": payer_id})
    if payer.user_id not in (None, user.pk):
        raise Conflict(
            "payer_has_user",
            _("%(payer)s already logs in as %(user)s.")
            % {"payer": payer.name, "user": payer.user.get_username()},
        )
    payer.user = user
    if not payer.email and user.email:
        payer.email = user.email
    payer.save(update_fields=["user", "email"])
    for child in payer.family.children.select_related("customer"):
        _guard(user, child.customer)
    return payer


@transaction.atomic
def add_child(*, family_id: int, customer_id: int, actor: Actor) -> FamilyChild:
    actor.require("manage_invoicing")
    family = get_family(family_id)
    customer = _customer(customer_id)
    existing = FamilyChild.objects.filter(customer=customer).select_related("family").first()
    if existing is not None:
        raise Conflict(
            "child_in_family",
            _("%(child)s is already a child of the family %(family)s.")
            % {"child": customer.name, "family": existing.family.name},
        )
    child = FamilyChild.objects.create(family=family, customer=customer)
    for payer in family.payers.all():
        _guard(payer.user, customer)
    return child


@transaction.atomic
def set_shares(*, customer_id: int, shares: dict[int, Decimal], actor: Actor) -> list[ChildShare]:
    """Split a child's invoice lines between the family's payers by percentage (adding up to 100).
    An empty split bills everything to the first payer again."""
    actor.require("manage_invoicing")
    child = FamilyChild.objects.filter(customer_id=customer_id).select_related("family").first()
    if child is None:
        raise NotFound(
            "unknown_child", _("Customer %(id)s is not a child of any family.") % {"id": customer_id}
        )
    payers = {p.pk: p for p in child.family.payers.all()}
    checked: dict[int, Decimal] = {}
    for payer_id, raw in shares.items():
        if payer_id not in payers:
            raise FamilyError(
                "unknown_payer", _("Payer %(id)s is not a payer of this family.") % {"id": payer_id}
            )
        try:
            percent = Decimal(str(raw))
        except InvalidOperation:
            percent = Decimal(-1)
        if not percent.is_finite() or not 0 < percent <= 100 or percent.as_tuple().exponent < -2:  # type: ignore[operator]
            raise FamilyError(
                "invalid_share",
                _("A share is a percentage above 0 and at most 100, with two decimals at most."),
            )
        checked[payer_id] = percent
    if checked and sum(checked.values()) != 100:
        raise FamilyError(
            "invalid_share",
            _("The shares add up to %(total)s %%, not 100 %%.") % {"total": f"{sum(checked.values()):f}"},
        )
    child.shares.all().delete()
    return [ChildShare.objects.create(child=child, payer_id=p, percent=v) for p, v in checked.items()]


def shares_of(child: FamilyChild) -> list[tuple[Payer, Decimal]]:
    """Who pays what share of this child's lines: the split, else the family's first payer wholly."""
    split = [(s.payer, s.percent) for s in child.shares.select_related("payer").order_by("payer__position")]
    if split:
        return split
    first = child.family.payers.order_by("position", "pk").first()
    return [(first, Decimal(100))] if first is not None else []


# -- enrolments -------------------------------------------------------------------------------------------


def _date(value: date | None, field: str) -> date | None:
    if value is None:
        return None
    if not isinstance(value, date) or isinstance(value, datetime):
        raise FamilyError("invalid_date", _("%(field)s: is not a date.") % {"field": field})
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise FamilyError(
            "invalid_date",
            _("%(field)s: %(date)s is not between %(first)d and %(last)d.")
            % {"field": field, "date": value.isoformat(), "first": FIRST_YEAR, "last": LAST_YEAR},
        )
    return value


def _refuse_overlap(customer: Customer, package_id: int, start: date, end: date | None, exclude: int | None):
    others = Enrolment.objects.filter(customer=customer, package_id=package_id).filter(
        Q(end__isnull=True) | Q(end__gte=start)
    )
    if end is not None:
        others = others.filter(start__lte=end)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    clash = others.order_by("start").first()
    if clash is not None:
        until = clash.end.isoformat() if clash.end else _("open end")
        raise Conflict(
            "enrolment_overlap",
            _("%(child)s is already enrolled in %(package)s from %(start)s to %(end)s.")
            % {
                "child": customer.name,
                "package": clash.package.name,
                "start": clash.start.isoformat(),
                "end": until,
            },
        )


@transaction.atomic
def enrol(
    *, customer_id: int, package_id: int, start: date, end: date | None = None, actor: Actor, at: datetime
) -> Enrolment:
    """Enrol a child of a family in a package from `start`, to `end` (the last day, included) or open."""
    actor.require("manage_invoicing")
    start = _date(start, "start")
    end = _date(end, "end")
    if start is None:
        raise FamilyError("invalid_date", _("start: is required."))
    if end is not None and end < start:
        raise FamilyError(
            "end_before_start",
            _("The enrolment ends (%(end)s) before it starts (%(start)s).")
            % {"end": end.isoformat(), "start": start.isoformat()},
        )
    customer = _customer(customer_id)
    if not FamilyChild.objects.filter(customer=customer).exists():
        raise FamilyError(
            "not_in_family",
            _("%(child)s is not a child of any family: add them to one first.") % {"child": customer.name},
        )
    # Lock the package so two enrolments of one child cannot both pass the overlap check.
    package = get_package(package_id, lock=True)
    if package.archived:
        raise FamilyError("package_archived", _("%(package)s is archived.") % {"package": package.name})
    _refuse_overlap(customer, package.pk, start, end, None)
    return Enrolment.objects.create(
        customer=customer, package=package, start=start, end=end, created_at=at, created_by=actor.user
    )


@transaction.atomic
def end_enrolment(*, enrolment_id: int, end: date, actor: Actor) -> Enrolment:
    """Set the last day of an enrolment (the history stays: nothing is deleted)."""
    actor.require("manage_invoicing")
    enrolment = (
        Enrolment.objects.select_for_update()
        .select_related("customer", "package")
        .filter(pk=enrolment_id)
        .first()
    )
    if enrolment is None:
        raise NotFound("unknown_enrolment", _("There is no enrolment %(id)s.") % {"id": enrolment_id})
    end = _date(end, "end")
    if end is None or end < enrolment.start:
        raise FamilyError(
            "end_before_start",
            _("The enrolment ends (%(end)s) before it starts (%(start)s).")
            % {"end": end.isoformat() if end else "-", "start": enrolment.start.isoformat()},
        )
    _refuse_overlap(enrolment.customer, enrolment.package_id, enrolment.start, end, enrolment.pk)
    enrolment.end = end
    enrolment.save(update_fields=["end"])
    return enrolment
