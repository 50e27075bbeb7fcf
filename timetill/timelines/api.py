"""REST endpoints for time lines; scanning and stopping, which the till prices, are in sales/scan_api.py."""

from datetime import datetime
from typing import Annotated

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, FilterLookup, FilterSchema, Query, Router, Schema

from timetill.api_common import (
    PEOPLE_AND_DEVICES,
    Instant,
    PlainText,
    RequiredText,
    Slug,
    actor_of,
    person_actor,
)
from timetill.errors import NotFound
from timetill.sites.models import Site
from timetill.timelines.services import lines as line_service

router = Router(tags=["time lines"])

# Database ids are 64-bit; a larger number in a path is simply not found.
LineId = Annotated[int, Field(ge=1, le=2**63 - 1)]


def site_by_slug(slug: str) -> Site:
    site = Site.objects.filter(slug=slug).first()
    if site is None:
        raise NotFound("unknown_site", _('There is no site "%(slug)s".') % {"slug": slug})
    return site


class TimeLineOut(Schema):
    id: int
    code: str
    site: str = Field(..., alias="site.slug")
    customer_id: int | None
    customer_name: str | None = Field(None, alias="customer.name")
    scanned_code: str
    start: datetime
    end: datetime | None
    note: str
    started_via: str
    stopped_via: str
    hidden: bool
    invoiced: bool


class TimeLineFilter(FilterSchema):
    site: Annotated[Slug | None, FilterLookup("site__slug")] = None
    customer: Annotated[LineId | None, FilterLookup("customer_id")] = None
    open: Annotated[bool | None, FilterLookup("end__isnull")] = None
    hidden: Annotated[bool | None, FilterLookup("hidden")] = None
    since: Annotated[Instant | None, FilterLookup("start__gte")] = None
    until: Annotated[Instant | None, FilterLookup("start__lt")] = None


@router.get(
    "/time-lines",
    response=list[TimeLineOut],
    auth=PEOPLE_AND_DEVICES,
    summary="List time lines (newest first)",
    description="Staff see every line, a parent their children's, a device its site's.",
)
def list_time_lines(
    request: HttpRequest,
    filters: Query[TimeLineFilter],
    limit: Annotated[int, Field(ge=1, le=1000)] = 100,
    offset: Annotated[int, Field(ge=0, le=1_000_000)] = 0,
):
    lines = filters.filter(line_service.visible_lines(actor_of(request)))
    return lines.order_by("-start", "-pk")[offset : offset + limit]


@router.get(
    "/time-lines/{line_id}", response=TimeLineOut, auth=PEOPLE_AND_DEVICES, summary="Get one time line"
)
def get_time_line(request: HttpRequest, line_id: LineId):
    return line_service.get_line(actor_of(request), pk=line_id)


class AssignIn(Schema):
    customer_id: LineId | None


# POST /time-lines/{line_id}/assign is in timetill.sales.scan_api: a paid stay keeps its customer.


class NoteIn(Schema):
    note: PlainText = Field(..., max_length=500)


@router.post("/time-lines/{line_id}/note", response=TimeLineOut, summary="Set the note")
def note(request: HttpRequest, line_id: LineId, payload: NoteIn):
    return line_service.set_note(
        line_id=line_id, note=payload.note, actor=person_actor(request), at=timezone.now()
    )


# POST /time-lines/{line_id}/hide is in timetill.sales.scan_api: a stay still to pay is hidden once confirmed.


class EditTimesIn(Schema):
    start: Instant
    end: Instant | None = None
    reason: RequiredText = Field(..., max_length=500)


# POST /time-lines/{line_id}/times is in timetill.sales.scan_api: a correction prices the stay again.


class AuditOut(Schema):
    action: str
    at: datetime
    user: str | None = Field(None, description="The user's name when they acted.")
    device: str | None = Field(None, description="The device's name when it acted.")
    old: dict
    new: dict
    reason: str


@router.get("/time-lines/{line_id}/audit", response=list[AuditOut], summary="The audit trail of a time line")
def audit(request: HttpRequest, line_id: LineId):
    line = line_service.get_line(person_actor(request), pk=line_id)
    return [
        {
            "action": entry.action,
            "at": entry.at,
            "user": entry.user_name or None,
            "device": entry.device_name or None,
            "old": entry.old,
            "new": entry.new,
            "reason": entry.reason,
        }
        for entry in line.audit.all()
    ]
