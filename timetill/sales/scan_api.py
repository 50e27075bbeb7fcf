"""REST endpoints that change what a stay costs (a scan, the Stop action, a correction of its times)."""

from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from timetill.api_common import PEOPLE_AND_DEVICES, Instant, Slug, actor_of, person_actor, staff_actor
from timetill.billing.money import rounded
from timetill.customers.codes import CODE_PATTERN
from timetill.customers.models import Customer
from timetill.errors import NotFound
from timetill.sales import stays
from timetill.sales.models import SaleLine
from timetill.text import REQUIRED_TEXT_PATTERN
from timetill.timelines.api import AssignIn, EditTimesIn, LineId, TimeLineOut, site_by_slug
from timetill.timelines.models import Via
from timetill.timelines.services.scan import ScanResult

router = Router(tags=["time lines"])


class ScanIn(Schema):
    site: Slug = Field(..., description="The site's slug.")
    code: str = Field(
        ...,
        description="What the reader read: 1–64 letters, digits and . _ : / + = -.",
        json_schema_extra={"pattern": CODE_PATTERN},
    )
    client_id: str | None = Field(
        None,
        description="A client-made id (1–64 characters): a retry with the same id changes nothing.",
        # Described, and checked by the scan service (`invalid_client_id`), as any required free text.
        json_schema_extra={"pattern": REQUIRED_TEXT_PATTERN, "minLength": 1, "maxLength": 64},
    )
    scanned_at: Instant | None = Field(
        None, description="When the device scanned, with its offset (offline sync); default: on receipt."
    )


class ScanSaleOut(Schema):
    sale_id: int
    line_id: int = Field(..., description="The sale line that charges the stay.")
    amount: Decimal = Field(..., description="What the stay costs (VAT included), in the sale's currency.")
    currency: str


class ScanOut(Schema):
    outcome: str = Field(..., description="started, stopped, shown or bounced")
    message: str
    scan_id: int
    time_line: TimeLineOut
    sale: ScanSaleOut | None = Field(
        None,
        description="When the scan stopped a stay that a time product prices: the line added to its sale.",
    )


def _sale_of(line: SaleLine | None) -> dict | None:
    if line is None:
        return None
    currency = line.sale.currency
    return {
        "sale_id": line.sale_id,
        "line_id": line.pk,
        "amount": rounded(line.gross, currency),
        "currency": currency,
    }


@router.post(
    "/scans",
    response=ScanOut,
    auth=PEOPLE_AND_DEVICES,
    summary="Scan a code at a site",
    operation_id="timetill_timelines_api_post_scan",  # its id from before it moved here
    description="A scan that stops a stay (a *toggle* site) prices it on its sale (a new one if none), "
    "once. A retry with the same `client_id` answers exactly as the first time, with the header "
    "`Idempotent-Replayed: true`.",
)
def post_scan(request: HttpRequest, payload: ScanIn, response: HttpResponse):
    device = getattr(request, "device", None)
    # A device's own site came with its token: no second query for it (any other slug is looked up as usual).
    own = device is not None and device.site.slug == payload.site
    site = device.site if own else site_by_slug(payload.site)
    made: dict[int, ScanOut] = {}

    def kept(result: ScanResult, sale_line: SaleLine | None) -> dict:
        # Keyed by the attempt's scan: an attempt that lost a race was rolled back, its answer with it.
        made[id(result.scan)] = answer = _answer(result, sale_line)
        return _kept(answer)

    result, sale_line = stays.scan_and_price(
        site=site,
        code=payload.code,
        actor=actor_of(request, via=Via.SCAN),
        at=timezone.now(),
        client_id=payload.client_id,
        device_time=payload.scanned_at,
        answer=kept,
    )
    # In a header, not the body: a replayed answer is byte for byte the first one.
    response["Idempotent-Replayed"] = "true" if result.replayed else "false"
    if result.replayed:
        # Kept with the scan (a client id's): the first answer, read back by the same schema.
        answer = ScanOut.model_validate({**result.scan.answer, "scan_id": result.scan.pk})
    else:
        answer = made.get(id(result.scan)) or _answer(result, sale_line)
    answer.scan_id = result.scan.pk
    # A ScanOut itself: django-ninja dumps it as it dumps any answer, without validating it a second time.
    return answer


def _answer(result: ScanResult, sale_line: SaleLine | None) -> ScanOut:
    """The scan's answer. Worked out before the scan's row is written (timetill/timelines/services/scan.py),
    so without the scan's id, which post_scan sets in the answer it gives."""
    body = {
        "outcome": result.outcome,
        "message": result.message,
        "scan_id": 0,  # a stand-in for the schema, replaced by post_scan
        "time_line": result.time_line,
        "sale": _sale_of(sale_line),
    }
    return ScanOut.model_validate(body)


def _kept(answer: ScanOut) -> dict:
    """What a retry with the same client id gets back, as JSON values, kept with the scan. By alias: the form
    the response schema reads back (its `site.slug`), so a replay validates as it is."""
    kept = answer.model_dump(mode="json", by_alias=True)
    kept["scan_id"] = None  # not known yet; a replay gets the scan's own
    return kept


@router.post(
    "/time-lines/{line_id}/assign",
    response=TimeLineOut,
    summary="Assign a customer (or none)",
    operation_id="timetill_timelines_api_assign",  # its id from before it moved here
    description="A stay whose sale is paid keeps its customer: 409 `sale_closed`, nothing changes.",
)
def assign(request: HttpRequest, line_id: LineId, payload: AssignIn):
    actor = staff_actor(request)  # the right first: whether a customer exists is told to staff only
    customer = None
    if payload.customer_id is not None:
        customer = Customer.objects.filter(pk=payload.customer_id).first()
        if customer is None:
            raise NotFound(
                "unknown_customer",
                _("There is no customer %(customer_id)s.") % {"customer_id": payload.customer_id},
            )
    return stays.assign_customer(time_line_id=line_id, customer=customer, actor=actor, at=timezone.now())


class HideIn(Schema):
    hidden: bool = True
    confirm_unpaid: bool = Field(
        False,
        description="Hide it although its sale is not paid yet (the cashier said so); without it such a stay "
        "is refused with 409 `unpaid`.",
    )


@router.post(
    "/time-lines/{line_id}/hide",
    response=TimeLineOut,
    summary="Hide (or show again) a stopped line",
    operation_id="timetill_timelines_api_hide",  # its id from before it moved here
    description="A stay priced on a sale still open or parked is money still to take: hiding it is refused "
    "with 409 `unpaid` (the message says how much, on which sale) and nothing changes, unless "
    "`confirm_unpaid` is true.",
)
def hide(request: HttpRequest, line_id: LineId, payload: HideIn):
    return stays.hide_stay(
        time_line_id=line_id,
        hidden=payload.hidden,
        unpaid_ok=payload.confirm_unpaid,
        actor=person_actor(request),
        at=timezone.now(),
    )


@router.post(
    "/time-lines/{line_id}/stop",
    response=TimeLineOut,
    summary="Stop an open time line now",
    operation_id="timetill_timelines_api_stop",  # its id from before it moved here
    description="The stopped stay is priced on its sale (a new one if none) when a time product prices "
    "stays at its site.",
)
def stop(request: HttpRequest, line_id: LineId):
    time_line, _c = stays.stop_and_price(time_line_id=line_id, actor=person_actor(request), at=timezone.now())
    return time_line


@router.post(
    "/time-lines/{line_id}/times",
    response=TimeLineOut,
    summary="Correct start and end (edit_times)",
    operation_id="timetill_timelines_api_edit_times",  # its id from before it moved here
    description="Kept in the audit trail with its reason. A stay priced on an open or parked sale is priced "
    "again for the new times (a ladder's step is proposed again); when its sale is closed the correction "
    "is refused with 409 `sale_closed` and nothing changes: a paid receipt is corrected with a refund.",
)
def edit_times(request: HttpRequest, line_id: LineId, payload: EditTimesIn):
    corrected = stays.edit_times_and_reprice(
        time_line_id=line_id,
        start=payload.start,
        end=payload.end,
        reason=payload.reason,
        actor=person_actor(request),
        at=timezone.now(),
    )
    return corrected.time_line
