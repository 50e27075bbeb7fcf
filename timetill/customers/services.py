"""Verbs on customers: creating them, adding codes (checked and normalised), finding them."""

import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from timetill.customers.claims import claimed, hold_codes
from timetill.customers.codes import CodeError, is_line_code, is_valid_ean13, normalize_code
from timetill.customers.models import Code, Customer, CustomerGroup, Guardian
from timetill.customers.search import MAX_QUERY, fold


class CustomerError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def new_qr_token() -> str:
    return "QR-" + secrets.token_hex(6).upper()


_UNSET = object()


def _clean_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise CustomerError("invalid_name", _("A customer needs a name."))
    if len(name) > 200:
        raise CustomerError("invalid_name", _("A name has at most 200 characters."))
    return name


@transaction.atomic
def add_code(*, customer: Customer, value: str, kind: str | None = None) -> Code:
    """Give a customer a code that no card, ladder step or time line carries, checked and written while no
    other transaction gives a code (claims.hold_codes)."""
    try:
        value = normalize_code(value)
    except CodeError as error:
        raise CustomerError(error.code, error.message) from error
    if kind is None:
        kind = Code.Kind.EAN13 if is_valid_ean13(value) else Code.Kind.TEXT
    if kind not in Code.Kind.values:
        raise CustomerError(
            "invalid_kind",
            _("“%(kind)s” is not a code kind (%(kinds)s).")
            % {"kind": kind, "kinds": ", ".join(Code.Kind.values)},
        )
    if kind == Code.Kind.EAN13 and not is_valid_ean13(value):
        raise CustomerError("invalid_ean", _("%(code)s is not a valid EAN-13.") % {"code": value})
    if is_line_code(value):
        raise CustomerError(
            "code_reserved",
            _("%(code)s has the form of a time line's own code (TL and 10 digits or letters A-F).")
            % {"code": value},
        )
    hold_codes()
    owner = claimed([value]).get(value)
    if owner is not None:
        raise CustomerError(
            "code_reserved",
            _("{code} is already {owner}: a card cannot carry it.").format(code=value, owner=owner),
        )
    try:
        with transaction.atomic():
            return Code.objects.create(customer=customer, value=value, kind=kind)
    except IntegrityError as error:
        raise CustomerError(
            "code_taken", _("The code %(code)s already belongs to a customer.") % {"code": value}
        ) from error


@transaction.atomic
def create_customer(
    *,
    name: str,
    group: CustomerGroup | None = None,
    email: str = "",
    codes: list[tuple[str, str | None]] = (),
) -> Customer:
    customer = Customer.objects.create(name=_clean_name(name), group=group, email=_clean_email(email))
    for value, kind in codes:
        add_code(customer=customer, value=value, kind=kind)
    return customer


def _clean_email(email: str) -> str:
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError as error:
            raise CustomerError(
                "invalid_email", _("%(email)s is not an e-mail address.") % {"email": email[:80]}
            ) from error
    return email


@transaction.atomic
def update_customer(
    *,
    customer: Customer,
    name: str | None = None,
    group: CustomerGroup | None | object = _UNSET,
    email: str | None = None,
    notes: str | None = None,
    language: str | None = None,
) -> Customer:
    """Rename a customer and/or move them to another group (None: no group); omitted fields stay."""
    fields = []
    if language is not None:
        if language and language not in dict(settings.LANGUAGES):
            raise CustomerError("invalid_language", _("Choose a language from the list."))
        customer.language = language
        fields.append("language")
    if email is not None:
        customer.email = _clean_email(email)
        fields.append("email")
    if notes is not None:
        customer.notes = notes.strip()[:5000]
        fields.append("notes")
    if name is not None:
        customer.name = _clean_name(name)
        fields.append("name")
    if group is not _UNSET:
        customer.group = group
        fields.append("group")
    if fields:
        customer.save(update_fields=fields)
    return customer


def remove_code(*, code: Code) -> None:
    """Forget a code (a lost card): time lines keep their own codes and scans keep what was read."""
    code.delete()


@transaction.atomic
def add_guardian(*, customer: Customer, user: AbstractBaseUser) -> Guardian:
    """Let a person (a parent) check this customer in and out and see their stays."""
    if not user.is_active:
        raise CustomerError("inactive_user", _("%(name)s is deactivated.") % {"name": user.get_username()})
    guardian, _created = Guardian.objects.get_or_create(customer=customer, user=user)
    return guardian


@transaction.atomic
def remove_guardian(*, guardian: Guardian) -> None:
    guardian.delete()


def _clean_group_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise CustomerError("invalid_group", _("A group needs a name."))
    if len(name) > 100:
        raise CustomerError("invalid_group", _("A group's name has at most 100 characters."))
    return name


@transaction.atomic
def create_group(*, name: str) -> CustomerGroup:
    name = _clean_group_name(name)
    if CustomerGroup.objects.filter(name__iexact=name).exists():
        raise CustomerError("group_taken", _("There is already a group “%(name)s”.") % {"name": name})
    return CustomerGroup.objects.create(name=name)


@transaction.atomic
def rename_group(*, group: CustomerGroup, name: str) -> CustomerGroup:
    name = _clean_group_name(name)
    if CustomerGroup.objects.filter(name__iexact=name).exclude(pk=group.pk).exists():
        raise CustomerError("group_taken", _("There is already a group “%(name)s”.") % {"name": name})
    group.name = name
    group.save(update_fields=["name"])
    return group


def search_customers(
    query: str, *, limit: int = 20, among: QuerySet[Customer] | None = None
) -> QuerySet[Customer]:
    """THE customer search (the customers list, the Timestamp page, the API): the name ignoring accents and
    case ("lea" finds Léa), or any part of one of their codes ("0015" finds 2000000000015)."""
    query = query.strip()[:MAX_QUERY]
    if not query:
        return Customer.objects.none()
    among = Customer.objects.all() if among is None else among
    matches = Q(search_name__contains=fold(query))
    code_part = query.upper()  # codes are stored upper-case
    matches |= Q(pk__in=Code.objects.filter(value__contains=code_part).values("customer_id"))
    return among.filter(matches).select_related("group").order_by("name", "pk")[:limit]
