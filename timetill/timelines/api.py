"""REST endpoints for scanning and time lines; each parses input, calls one service, returns its result."""

from datetime import datetime

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, FilterSchema, Query, Router, Schema

from timetill.customers.models import Customer
from timetill.errors import NotFound
from timetill.sites.models import Site
from timetill.timelines.actors import Actor
from timetill.timelines.models import Via
from timetill.timelines.services import lines as line_service
from timetill.timelines.services import scan as scan_service

router = Router(tags=["time lines"])


def actor_of(request: HttpRequest, *, via: str = Via.MANUAL) -> Actor:
    if getattr(request, "device", None) is not None:
        return Actor.for_device(request.device)
    actor = Actor.for_user(request.user, via=via)
    if actor.is_guardian_only:
        return Actor.for_user(request.user, via=Via.PARENT)
    return actor


def site_by_slug(slug: str) -> Site:
    site = Site.objects.filter(slug=slug).first()
    if site is None:
        raise NotFound("unknown_site", f'There is no site "{slug}".')
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


class ScanIn(Schema):
    site: str = Field(..., max_length=50, description="The site's slug.")
    code: str = Field(..., description="What the reader read (1–64 characters).")
    client_id: str | None = Field(None, description="A client-made id: a retry with the same id changes nothing.")
    scanned_at: datetime | None = Field(None, description="The device's time of the scan, with its offset.")


class ScanOut(Schema):
    outcome: str
    replayed: bool
    message: str
    scan_id: int
    time_line: TimeLineOut


@router.post("/scans", response=ScanOut, summary="Scan a code at a site")
def post_scan(request: HttpRequest, payload: ScanIn):
    site = site_by_slug(payload.site)
    result = scan_service.scan(
        site=site,
        code=payload.code,
        actor=actor_of(request, via=Via.SCAN),
        at=timezone.now(),
        client_id=payload.client_id,
        device_time=payload.scanned_at,
    )
    return {
        "outcome": result.outcome,
        "replayed": result.replayed,
        "message": result.message,
        "scan_id": result.scan.pk,
        "time_line": result.time_line,
    }


class TimeLineFilter(FilterSchema):
    site: str | None = Field(None, q="site__slug")
    customer: int | None = Field(None, q="customer_id")
    open: bool | None = Field(None, q="end__isnull")
    hidden: bool | None = Field(None, q="hidden")
    since: datetime | None = Field(None, q="start__gte")
    until: datetime | None = Field(None, q="start__lt")


@router.get("/time-lines", response=list[TimeLineOut], summary="List time lines (newest first)")
def list_time_lines(request: HttpRequest, filters: Query[TimeLineFilter], limit: int = 100, offset: int = 0):
    limit = max(1, min(limit, 1000))
    lines = filters.filter(line_service.visible_lines(actor_of(request)))
    return lines.order_by("-start", "-pk")[max(0, offset) : max(0, offset) + limit]


@router.get("/time-lines/{line_id}", response=TimeLineOut, summary="Get one time line")
def get_time_line(request: HttpRequest, line_id: int):
    return line_service.get_line(actor_of(request), pk=line_id)


class AssignIn(Schema):
    customer_id: int | None


@router.post("/time-lines/{line_id}/assign", response=TimeLineOut, summary="Assign a customer (or none)")
def assign(request: HttpRequest, line_id: int, payload: AssignIn):
    customer = None
    if payload.customer_id is not None:
        customer = Customer.objects.filter(pk=payload.customer_id).first()
        if customer is None:
            raise NotFound("unknown_customer", f"There is no customer {payload.customer_id}.")
    return line_service.assign_customer(line_id=line_id, customer=customer, actor=actor_of(request), at=timezone.now())


class NoteIn(Schema):
    note: str = Field(..., max_length=500)


@router.post("/time-lines/{line_id}/note", response=TimeLineOut, summary="Set the note")
def note(request: HttpRequest, line_id: int, payload: NoteIn):
    return line_service.set_note(line_id=line_id, note=payload.note, actor=actor_of(request), at=timezone.now())


@router.post("/time-lines/{line_id}/stop", response=TimeLineOut, summary="Stop an open time line now")
def stop(request: HttpRequest, line_id: int):
    return line_service.stop(line_id=line_id, actor=actor_of(request), at=timezone.now())


class HideIn(Schema):
    hidden: bool = True


@router.post("/time-lines/{line_id}/hide", response=TimeLineOut, summary="Hide (or show again) a stopped line")
def hide(request: HttpRequest, line_id: int, payload: HideIn):
    return line_service.set_hidden(line_id=line_id, hidden=payload.hidden, actor=actor_of(request), at=timezone.now())


class EditTimesIn(Schema):
    start: datetime
    end: datetime | None = None
    reason: str = Field(..., max_length=500)


@router.post("/time-lines/{line_id}/times", response=TimeLineOut, summary="Correct start and end (edit_times)")
def edit_times(request: HttpRequest, line_id: int, payload: EditTimesIn):
    return line_service.edit_times(
        line_id=line_id,
        start=payload.start,
        end=payload.end,
        reason=payload.reason,
        actor=actor_of(request),
        at=timezone.now(),
    )


class AuditOut(Schema):
    action: str
    at: datetime
    user: str | None = Field(None, alias="user.username")
    device: str | None = Field(None, alias="device.name")
    old: dict
    new: dict
    reason: str


@router.get("/time-lines/{line_id}/audit", response=list[AuditOut], summary="The audit trail of a time line")
def audit(request: HttpRequest, line_id: int):
    line = line_service.get_line(actor_of(request), pk=line_id)
    return line.audit.select_related("user", "device").all()


