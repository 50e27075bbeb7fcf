"""REST endpoints for customers, codes and groups: staff with track_time; a parent sees their children."""

import re
from typing import Annotated

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status
from pydantic import AfterValidator

from timetill.api_common import PlainText, RequiredText, person_actor, staff_actor
from timetill.api_messages import NOT_AN_EMAIL
from timetill.customers.codes import CODE_PATTERN
from timetill.customers.models import Code, Customer, CustomerGroup
from timetill.customers.services import (
    add_code,
    create_customer,
    remove_code,
    search_customers,
    update_customer,
)
from timetill.errors import NotFound
from timetill.timelines.actors import Actor

router = Router(tags=["customers"])

Id = Annotated[int, Field(ge=1, le=2**63 - 1)]


# An e-mail address as people type them (letters, digits and . _ % + - before the @, a domain with a dot),
# or empty: no address. Both the description and the server hold to it, so that what the description calls
# valid is accepted (Django's own check, also run, takes rarer forms such as quoted names, which nobody
# types at a front desk).
EMAIL_PATTERN = (
    r"^$|^[A-Za-z0-9_%+-]+(\.[A-Za-z0-9_%+-]+)*@"
    r"([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)


def _email(value: str) -> str:
    if value:
        try:
            if not re.fullmatch(EMAIL_PATTERN, value):
                raise DjangoValidationError(NOT_AN_EMAIL)
            validate_email(value)
        except DjangoValidationError as error:
            raise ValueError(NOT_AN_EMAIL) from error
    return value


Email = Annotated[
    str, Field(max_length=254, json_schema_extra={"pattern": EMAIL_PATTERN}), AfterValidator(_email)
]


class CodeOut(Schema):
    id: int
    kind: str
    value: str


class CustomerOut(Schema):
    id: int
    name: str
    group_id: int | None
    group: str | None = Field(None, alias="group.name")
    email: str
    codes: list[CodeOut]


class GroupOut(Schema):
    id: int
    name: str


class CodeIn(Schema):
    value: str = Field(
        ...,
        description="An EAN-13 (check digit verified), RFID UID, QR token or plate.",
        json_schema_extra={"pattern": CODE_PATTERN},
    )
    kind: str | None = Field(
        None,
        description="ean13, rfid, qr or text; guessed when omitted.",
        json_schema_extra={"pattern": "^(ean13|rfid|qr|text)$"},  # checked: `invalid_kind`
    )


class CustomerIn(Schema):
    name: RequiredText = Field(..., max_length=200)
    group_id: Id | None = None
    email: Email = ""
    codes: list[CodeIn] = Field(default_factory=list, max_length=20)


class CustomerPatch(Schema):
    name: RequiredText | None = Field(None, max_length=200)
    group_id: Id | None = Field(None, description="Another group, or null for none; omit to keep.")


def _visible(actor: Actor) -> QuerySet[Customer]:
    customers = Customer.objects.select_related("group").prefetch_related("codes")
    allowed = actor.customer_ids()
    return customers if allowed is None else customers.filter(pk__in=allowed)


def _customer(actor: Actor, customer_id: int) -> Customer:
    customer = _visible(actor).filter(pk=customer_id).first()
    if customer is None:
        raise NotFound(
            "unknown_customer", _("There is no customer %(customer_id)s.") % {"customer_id": customer_id}
        )
    return customer


def _group(group_id: int | None) -> CustomerGroup | None:
    if group_id is None:
        return None
    group = CustomerGroup.objects.filter(pk=group_id).first()
    if group is None:
        raise NotFound(
            "unknown_group", _("There is no customer group %(group_id)s.") % {"group_id": group_id}
        )
    return group


@router.get(
    "/customers", response=list[CustomerOut], summary="Search customers by name or code, or list them"
)
def list_customers(
    request: HttpRequest,
    q: Annotated[PlainText, Field(max_length=100)] = "",
    limit: Annotated[int, Field(ge=1, le=500)] = 50,
    offset: Annotated[int, Field(ge=0, le=1_000_000)] = 0,
):
    customers = _visible(person_actor(request))
    if q.strip():
        return search_customers(q, limit=limit, among=customers)
    return customers.order_by("name", "pk")[offset : offset + limit]


@router.get("/customers/{customer_id}", response=CustomerOut, summary="Get one customer with their codes")
def get_customer(request: HttpRequest, customer_id: Id):
    return _customer(person_actor(request), customer_id)


@router.post("/customers", response={201: CustomerOut}, summary="Create a customer with codes (track_time)")
def post_customer(request: HttpRequest, payload: CustomerIn):
    actor = staff_actor(request)
    customer = create_customer(
        name=payload.name,
        group=_group(payload.group_id),
        email=payload.email,
        codes=[(code.value, code.kind) for code in payload.codes],
    )
    return Status(201, _customer(actor, customer.pk))


@router.patch(
    "/customers/{customer_id}", response=CustomerOut, summary="Rename, or change the group (track_time)"
)
def patch_customer(request: HttpRequest, customer_id: Id, payload: CustomerPatch):
    actor = staff_actor(request)
    changes = {}
    if payload.name is not None:
        changes["name"] = payload.name
    if "group_id" in payload.model_fields_set:
        changes["group"] = _group(payload.group_id)
    update_customer(customer=_customer(actor, customer_id), **changes)
    return _customer(actor, customer_id)


@router.post("/customers/{customer_id}/codes", response={201: CodeOut}, summary="Add a code (track_time)")
def post_code(request: HttpRequest, customer_id: Id, payload: CodeIn):
    actor = staff_actor(request)
    code = add_code(customer=_customer(actor, customer_id), value=payload.value, kind=payload.kind)
    return Status(201, code)


@router.delete(
    "/customers/{customer_id}/codes/{code_id}", response={204: None}, summary="Remove a code (track_time)"
)
def delete_code(request: HttpRequest, customer_id: Id, code_id: Id):
    actor = staff_actor(request)
    code = Code.objects.filter(pk=code_id, customer=_customer(actor, customer_id)).first()
    if code is None:
        raise NotFound(
            "unknown_code",
            _("Customer %(customer_id)s has no code %(code_id)s.")
            % {"customer_id": customer_id, "code_id": code_id},
        )
    remove_code(code=code)
    return Status(204, None)


@router.get("/customer-groups", response=list[GroupOut], summary="Customer groups (track_time)")
def list_groups(request: HttpRequest):
    staff_actor(request)
    return CustomerGroup.objects.order_by("name")
