"""REST endpoints for sites (read) and their devices (manage_sites): register shows a token once, revoke."""

from datetime import datetime
from typing import Annotated

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status
from pydantic import StringConstraints

from timetill.api_common import NoControl, Slug, person_actor, staff_actor
from timetill.errors import NotFound
from timetill.sites.models import Device, Site
from timetill.sites.services import register_device, revoke_device
from timetill.text import REQUIRED_TEXT_PATTERN

router = Router(tags=["sites and devices"])

Id = Annotated[int, Field(ge=1, le=2**63 - 1)]


class SiteOut(Schema):
    slug: str
    name: str
    time_zone: str
    currency: str
    capacity: int
    existing_line_policy: str
    unknown_code_policy: str
    bounce_seconds: int
    max_stay_minutes: int | None
    family_check_in: bool = Field(..., description="Parents check their children in and out here.")
    max_offline_days: int = Field(..., description="A device's scan older than this many days is refused.")


class DeviceOut(Schema):
    id: int
    name: str
    site: str = Field(..., alias="site.slug")
    token_hint: str = Field(..., description="The token's first characters, to tell devices apart.")
    created_at: datetime
    last_seen_at: datetime | None
    revoked_at: datetime | None
    active: bool = Field(..., alias="is_active")


class DeviceIn(Schema):
    name: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=100),
        NoControl,
        Field(json_schema_extra={"pattern": REQUIRED_TEXT_PATTERN}),
    ]


class IssuedDeviceOut(Schema):
    device: DeviceOut
    token: str = Field(..., description="Shown this once: only its hash is stored.")


def _site(slug: str) -> Site:
    site = Site.objects.filter(slug=slug).first()
    if site is None:
        raise NotFound("unknown_site", _('There is no site "%(slug)s".') % {"slug": slug})
    return site


@router.get("/sites", response=list[SiteOut], summary="List sites")
def list_sites(request: HttpRequest):
    person_actor(request)
    return Site.objects.order_by("name")


@router.get("/sites/{slug}", response=SiteOut, summary="Get one site")
def get_site(request: HttpRequest, slug: Slug):
    person_actor(request)
    return _site(slug)


@router.get("/sites/{slug}/devices", response=list[DeviceOut], summary="A site's devices (manage_sites)")
def list_devices(request: HttpRequest, slug: Slug):
    staff_actor(request, "manage_sites")
    return _site(slug).devices.select_related("site").order_by("name", "pk")


@router.post(
    "/sites/{slug}/devices",
    response={201: IssuedDeviceOut},
    summary="Register a device; its token is shown once (manage_sites)",
)
def post_device(request: HttpRequest, slug: Slug, payload: DeviceIn):
    staff_actor(request, "manage_sites")
    issued = register_device(site=_site(slug), name=payload.name)
    return Status(201, {"device": issued.device, "token": issued.token})


@router.post(
    "/devices/{device_id}/revoke", response=DeviceOut, summary="Revoke a device's token (manage_sites)"
)
def revoke(request: HttpRequest, device_id: Id):
    staff_actor(request, "manage_sites")
    device = Device.objects.select_related("site").filter(pk=device_id).first()
    if device is None:
        raise NotFound("unknown_device", _("There is no device %(device_id)s.") % {"device_id": device_id})
    return revoke_device(device=device, at=timezone.now())
