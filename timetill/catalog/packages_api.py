"""REST endpoints for packages: bundles of monthly and Daily Time products, with their proration rule."""

from decimal import Decimal
from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from timetill.api_common import RequiredText, TextLines, decimal
from timetill.catalog import packages as services
from timetill.catalog.models import Package
from timetill.timelines.actors import Actor

router = Router(tags=["packages"])

Id = Annotated[int, Field(ge=1, le=2**63 - 1)]


class ErrorOut(Schema):
    code: str
    message: str


# Every refusal is a JSON {code, message}; listed so that the OpenAPI description says so.
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


def _manager(request: HttpRequest) -> Actor:
    actor = Actor.for_user(request.user)
    if not actor.has_right("manage_invoicing"):
        actor.require("manage_catalog")
    return actor


class PackageItemIn(Schema):
    product_id: Id
    quantity: decimal(digits=7, places=3, lower="gt0") = Decimal(1)


class PackageIn(Schema):
    name: RequiredText = Field(..., max_length=100, description='e.g. "Package 8-16".')
    description: TextLines = Field("", max_length=2000)
    proration: Literal["none", "calendar_days", "planned_days"] = "none"
    items: list[PackageItemIn] = Field(..., min_length=1, max_length=services.MAX_ITEMS)

    def spec(self) -> services.PackageSpec:
        return services.PackageSpec(
            name=self.name,
            description=self.description,
            proration=self.proration,
            items=tuple(services.ItemSpec(i.product_id, i.quantity) for i in self.items),
        )


class PackageItemOut(Schema):
    product_id: int
    product: str = Field(..., alias="product.internal_name")
    kind: str = Field(..., alias="product.kind")
    quantity: Decimal


class PackageOut(Schema):
    id: int
    name: str
    description: str
    proration: str
    archived: bool
    items: list[PackageItemOut]

    @staticmethod
    def resolve_items(package: Package):
        return list(package.items.select_related("product"))


class ArchiveIn(Schema):
    archived: bool = True


@router.get(
    "/packages",
    response={200: list[PackageOut], **ERRORS},
    summary="List packages (manage_catalog or manage_invoicing)",
)
def list_packages(request: HttpRequest, archived: bool = False):
    _manager(request)
    return Package.objects.filter(archived=archived).prefetch_related("items__product")


@router.post("/packages", response={201: PackageOut, **ERRORS}, summary="Create a package (manage_catalog)")
def create_package(request: HttpRequest, payload: PackageIn):
    package = services.create_package(spec=payload.spec(), actor=Actor.for_user(request.user))
    return Status(201, package)


@router.get("/packages/{package_id}", response={200: PackageOut, **ERRORS}, summary="Get a package")
def get_package(request: HttpRequest, package_id: Id):
    _manager(request)
    return services.get_package(package_id)


@router.put(
    "/packages/{package_id}",
    response={200: PackageOut, **ERRORS},
    summary="Change a package (manage_catalog)",
)
def update_package(request: HttpRequest, package_id: Id, payload: PackageIn):
    return services.update_package(
        package_id=package_id, spec=payload.spec(), actor=Actor.for_user(request.user)
    )


@router.post(
    "/packages/{package_id}/duplicate",
    response={201: PackageOut, **ERRORS},
    summary="Duplicate a package (manage_catalog)",
)
def duplicate_package(request: HttpRequest, package_id: Id):
    return Status(201, services.duplicate_package(package_id=package_id, actor=Actor.for_user(request.user)))


@router.post(
    "/packages/{package_id}/archive",
    response={200: PackageOut, **ERRORS},
    summary="Archive a package (no new enrolment) or bring it back (manage_catalog)",
)
def archive_package(request: HttpRequest, package_id: Id, payload: ArchiveIn):
    return services.archive_package(
        package_id=package_id, archived=payload.archived, actor=Actor.for_user(request.user)
    )
