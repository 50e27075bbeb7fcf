"""REST endpoints for families, their payers and children, and enrolments in packages."""

from datetime import date
from decimal import Decimal
from typing import Annotated

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.responses import Status

from timetill.api_common import PlainText
from timetill.invoicing import families as services
from timetill.invoicing.models import Enrolment, Family
from timetill.timelines.actors import Actor

router = Router(tags=["invoicing"])

Id = Annotated[int, Field(ge=1, le=2**63 - 1)]


class ErrorOut(Schema):
    code: str
    message: str


# Every refusal is a JSON {code, message}; listed so that the OpenAPI description says so.
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


def manager(request: HttpRequest) -> Actor:
    actor = Actor.for_user(request.user)
    actor.require("manage_invoicing")
    return actor


# -- families ----------------------------------------------------------------------------------------------


class PayerIn(Schema):
    name: PlainText = Field(..., max_length=200, description="Who the invoices are made out to.")
    address: str = Field("", max_length=500)
    tax_code: PlainText = Field("", max_length=40)
    email: PlainText = Field("", max_length=254)
    username: PlainText | None = Field(
        None, max_length=150, description="The guardian who logs in to see them."
    )


class FamilyIn(Schema):
    site_id: Id
    name: PlainText = Field(..., max_length=200)
    payers: list[PayerIn] = Field(..., min_length=1, max_length=services.MAX_PAYERS)
    children: list[Id] = Field([], max_length=20, description="Customer ids of the children.")


class PayerOut(Schema):
    id: int
    name: str
    address: str
    tax_code: str
    email: str
    username: str | None = Field(None, alias="user.username")


class ShareOut(Schema):
    payer_id: int
    percent: Decimal


class ChildOut(Schema):
    customer_id: int
    name: str = Field(..., alias="customer.name")
    shares: list[ShareOut]

    @staticmethod
    def resolve_shares(child) -> list[dict]:
        return [{"payer_id": s.payer_id, "percent": s.percent} for s in child.shares.all()]


class FamilyOut(Schema):
    id: int
    site_id: int
    name: str
    payers: list[PayerOut]
    children: list[ChildOut]

    @staticmethod
    def resolve_payers(family: Family):
        return list(family.payers.select_related("user"))

    @staticmethod
    def resolve_children(family: Family):
        return list(family.children.select_related("customer").prefetch_related("shares"))


class ChildIn(Schema):
    customer_id: Id


class ShareIn(Schema):
    payer_id: Id
    percent: Decimal = Field(..., gt=0, le=100, max_digits=5, decimal_places=2)


class SharesIn(Schema):
    shares: list[ShareIn] = Field(..., max_length=services.MAX_PAYERS)


@router.get(
    "/families", response={200: list[FamilyOut], **ERRORS}, summary="List families (manage_invoicing)"
)
def list_families(request: HttpRequest, site_id: Id | None = None):
    manager(request)
    families = Family.objects.all()
    if site_id is not None:
        families = families.filter(site_id=site_id)
    return families


@router.post("/families", response={201: FamilyOut, **ERRORS}, summary="Create a family (manage_invoicing)")
def create_family(request: HttpRequest, payload: FamilyIn):
    family = services.create_family(
        site_id=payload.site_id,
        name=payload.name,
        payers=tuple(services.PayerSpec(**p.dict()) for p in payload.payers),
        children=tuple(payload.children),
        actor=manager(request),
    )
    return Status(201, family)


@router.get("/families/{family_id}", response={200: FamilyOut, **ERRORS}, summary="A family")
def get_family(request: HttpRequest, family_id: Id):
    manager(request)
    return services.get_family(family_id)


@router.post(
    "/families/{family_id}/children", response={201: FamilyOut, **ERRORS}, summary="Add a child to a family"
)
def add_child(request: HttpRequest, family_id: Id, payload: ChildIn):
    services.add_child(family_id=family_id, customer_id=payload.customer_id, actor=manager(request))
    return Status(201, services.get_family(family_id))


@router.put(
    "/children/{customer_id}/shares",
    response={200: FamilyOut, **ERRORS},
    summary="Split a child's invoices between the family's payers (percentages adding up to 100; empty: "
    "all to the first payer)",
)
def set_shares(request: HttpRequest, customer_id: Id, payload: SharesIn):
    services.set_shares(
        customer_id=customer_id,
        shares={s.payer_id: s.percent for s in payload.shares},
        actor=manager(request),
    )
    return services.get_family(Family.objects.get(children__customer_id=customer_id).pk)


# -- enrolments --------------------------------------------------------------------------------------------


class EnrolmentIn(Schema):
    customer_id: Id
    package_id: Id
    start: date
    end: date | None = Field(None, description="The last day enrolled (included); empty: open.")


class EnrolmentEndIn(Schema):
    end: date = Field(..., description="The last day enrolled (included).")


class EnrolmentOut(Schema):
    id: int
    customer_id: int
    child: str = Field(..., alias="customer.name")
    package_id: int
    package: str = Field(..., alias="package.name")
    start: date
    end: date | None


@router.get(
    "/enrolments", response={200: list[EnrolmentOut], **ERRORS}, summary="Enrolments, history included"
)
def list_enrolments(request: HttpRequest, customer_id: Id | None = None, package_id: Id | None = None):
    manager(request)
    enrolments = Enrolment.objects.select_related("customer", "package")
    if customer_id is not None:
        enrolments = enrolments.filter(customer_id=customer_id)
    if package_id is not None:
        enrolments = enrolments.filter(package_id=package_id)
    return enrolments


@router.post(
    "/enrolments",
    response={201: EnrolmentOut, **ERRORS},
    summary="Enrol a child in a package from a date (to a date); an overlap is refused",
)
def enrol(request: HttpRequest, payload: EnrolmentIn):
    enrolment = services.enrol(
        customer_id=payload.customer_id,
        package_id=payload.package_id,
        start=payload.start,
        end=payload.end,
        actor=manager(request),
        at=timezone.now(),
    )
    return Status(201, enrolment)


@router.post(
    "/enrolments/{enrolment_id}/end", response={200: EnrolmentOut, **ERRORS}, summary="End an enrolment"
)
def end_enrolment(request: HttpRequest, enrolment_id: Id, payload: EnrolmentEndIn):
    return services.end_enrolment(enrolment_id=enrolment_id, end=payload.end, actor=manager(request))
