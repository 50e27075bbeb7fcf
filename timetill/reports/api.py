"""The reports' REST endpoints (view_reports): time lines for a period, occupancy, revenue from time."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from timetill.api_common import DATE_PATTERN, PlainText, staff_actor
from timetill.reports import jobs, tasks
from timetill.reports.forms import read_asked, read_time_line_filters
from timetill.reports.occupancy import BUCKETS, Occupancy, Summary, occupancy
from timetill.reports.periods import PRESETS
from timetill.reports.revenue import revenue
from timetill.reports.timelines import ORDERS, STATES, rows, time_lines, totals

router = Router(tags=["reports"])
MAX_PAGE_SIZE = 500


class ErrorOut(Schema):
    code: str
    message: str


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]


def _described(pattern: str, **more) -> dict:
    """What the report's reader checks (its own codes: `invalid_preset`, `invalid_date`…), said in the
    description; the values are still read by the reports, which answer with those codes."""
    return {"json_schema_extra": {"pattern": pattern, **more}}


_SLUG = "^[-A-Za-z0-9_]{1,50}$"
_ID = "^[1-9][0-9]{0,17}$"  # an id, as the reader takes it (below 2⁶²)
_PRESET = f"^({'|'.join(PRESETS)})$"
_STATE = f"^({'|'.join(STATES)})$"
_ORDER = f"^-?({'|'.join(ORDERS)})$"
_BUCKET = f"^({'|'.join(BUCKETS)})$"
# A day, or empty: as if left out (the report pages' forms send their empty fields, and the reader takes
# them so; the API says it).
_DAY_OR_EMPTY = f"^$|{DATE_PATTERN}"
MAX_PAGE = 10**6


class PeriodQuery(Schema):
    # A site's slug; for occupancy, the first site when left out.
    site: str | None = Field(None, **_described(_SLUG))
    preset: str | None = Field(None, **_described(_PRESET))
    # Local days at the site, year-month-day; one alone is that day; neither: today.
    from_: str | None = Field(None, alias="from", **_described(_DAY_OR_EMPTY))
    to: str | None = Field(None, **_described(_DAY_OR_EMPTY))

    def as_query(self) -> dict:
        return {"site": self.site, "preset": self.preset, "from": self.from_, "to": self.to}


class TimeLineQuery(PeriodQuery):
    q: PlainText | None = Field(None, max_length=100)  # part of a customer's name, or a code
    customer: str | None = Field(None, **_described(_ID))
    group: str | None = Field(None, **_described(_ID))
    product: str | None = Field(None, **_described(_ID))
    state: str | None = Field(None, **_described(_STATE))
    # start, end, code, customer, duration, amount; a leading "-" reverses.
    order: str | None = Field(None, **_described(_ORDER))
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(100, ge=1, le=MAX_PAGE_SIZE)

    def as_query(self) -> dict:
        return {
            **super().as_query(),
            **{name: getattr(self, name) for name in ("q", "customer", "group", "product", "state", "order")},
        }


class ReportTimeLineOut(Schema):
    id: int
    code: str
    site: str
    customer: str
    group: str
    start: datetime
    end: datetime | None
    seconds: int
    product: str
    amount: Decimal | None
    currency: str
    billed_by: str
    sale_id: int | None
    invoice_id: int | None
    started: str
    stopped: str
    note: str
    state: str


class TotalsOut(Schema):
    count: int
    seconds: int
    amount: Decimal


class TimeLinesOut(Schema):
    first_day: str
    last_day: str
    totals: TotalsOut
    page: int
    page_size: int
    items: list[ReportTimeLineOut]


@router.get(
    "/reports/time-lines",
    response={200: TimeLinesOut, **ERRORS},
    summary="Time lines for a period, filtered and sorted, with totals (view_reports)",
    description="Query `from` and `to` (local days at the site, YYYY-MM-DD) or `preset`; `site`, `q`, "
    "`customer`, `group`, `product`, `state`, `order`, `page`, `page_size` (at most 500).",
)
def time_line_report(request: HttpRequest, query: Query[TimeLineQuery]):
    staff_actor(request, "view_reports")
    at = timezone.now()
    filters = read_time_line_filters(query.as_query(), at=at)
    size, page = query.page_size, query.page
    lines = time_lines(filters, at=at)
    chosen = list(lines.values_list("pk", flat=True)[(page - 1) * size : page * size])
    items = list(rows(lines.filter(pk__in=chosen)))
    return {
        "first_day": filters.period.first.isoformat(),
        "last_day": filters.period.last.isoformat(),
        "totals": totals(filters, at=at),
        "page": page,
        "page_size": size,
        "items": items,
    }


class SliceOut(Schema):
    start: datetime
    end: datetime
    occupied_seconds: int
    open_seconds: int
    rate: Decimal | None
    average_present: Decimal | None


class SummaryOut(Schema):
    first_day: str
    last_day: str
    capacity: int
    occupied_seconds: int
    open_seconds: int
    outside_hours_seconds: int
    rate: Decimal | None
    peak: int
    peak_at: datetime | None
    stays: int
    average_stay_seconds: int | None
    measured_until: datetime


class HeatOut(Schema):
    weekday: int
    hour: int
    occupied_seconds: int
    open_seconds: int
    rate: Decimal | None


class OccupancyOut(Schema):
    site: str
    bucket: str
    summary: SummaryOut
    previous: SummaryOut
    slices: list[SliceOut]
    heat: list[HeatOut]


class OccupancyQuery(PeriodQuery):
    bucket: str = Field("hour", **_described(_BUCKET))


def _summary(summary: Summary) -> dict:
    return {
        "first_day": summary.period.first.isoformat(),
        "last_day": summary.period.last.isoformat(),
        "rate": summary.rate,
        **{
            name: getattr(summary, name)
            for name in (
                "capacity",
                "occupied_seconds",
                "open_seconds",
                "outside_hours_seconds",
                "peak",
                "peak_at",
                "stays",
                "average_stay_seconds",
                "measured_until",
            )
        },
    }


def occupancy_data(report: Occupancy) -> dict:
    return {
        "site": report.site.slug,
        "bucket": report.bucket,
        "summary": _summary(report.summary),
        "previous": _summary(report.previous),
        "slices": [
            {
                "start": s.start,
                "end": s.end,
                "occupied_seconds": s.occupied_seconds,
                "open_seconds": s.open_seconds,
                "rate": s.rate,
                "average_present": s.average_present,
            }
            for s in report.slices
        ],
        "heat": [
            {
                "weekday": c.weekday,
                "hour": c.hour,
                "occupied_seconds": c.occupied_seconds,
                "open_seconds": c.open_seconds,
                "rate": c.rate,
            }
            for c in report.heat
        ],
    }


@router.get(
    "/reports/occupancy",
    response={200: OccupancyOut, **ERRORS},
    summary="Occupancy of a site by hour, day or week, with the peak and the previous period (view_reports)",
    description="rate = time occupied ÷ (capacity × open time), counted within the site's opening hours when "
    "it has them; open stays count up to now. Query `site`, `from`, `to` or `preset`, `bucket`.",
)
def occupancy_report(request: HttpRequest, query: Query[OccupancyQuery]):
    staff_actor(request, "view_reports")
    at = timezone.now()
    asked = read_asked(query.as_query(), at=at, site_required=True)
    return occupancy_data(occupancy(site=asked.site, period=asked.period, bucket=query.bucket, at=at))


class RevenueLineOut(Schema):
    name: str
    net: Decimal
    vat: Decimal
    gross: Decimal


class RevenueOut(Schema):
    first_day: str
    last_day: str
    sources: list[str]
    by_product: list[RevenueLineOut]
    by_group: list[RevenueLineOut]
    by_source: list[RevenueLineOut]
    total: RevenueLineOut


@router.get(
    "/reports/revenue",
    response={200: RevenueOut, **ERRORS},
    summary="Revenue from time by product and customer group: net, VAT, gross (view_reports)",
    description="From paid sales that bill stays (refunds on the day they were paid back), the lines of "
    "issued invoices on their issue date and those of credit notes, negative, on theirs (never drafts); "
    "`sources` lists them in the order of `by_source`.",
)
def revenue_report(request: HttpRequest, query: Query[PeriodQuery]):
    staff_actor(request, "view_reports")
    asked = read_asked(query.as_query(), at=timezone.now(), site_required=False)
    found = revenue(site=asked.site, period=asked.period)
    return {
        "first_day": asked.period.first.isoformat(),
        "last_day": asked.period.last.isoformat(),
        "sources": list(found.sources),
        "by_product": found.by_product,
        "by_group": found.by_group,
        "by_source": found.by_source,
        "total": found.total,
    }


# -- large exports, written in the background --------------------------------------------------------------


class ExportIn(Schema):
    """The time lines to export, as the time lines report filters them."""

    site: str | None = Field(None, max_length=50, **_described(_SLUG))
    preset: str | None = Field(None, max_length=20, **_described(_PRESET))
    from_: str | None = Field(None, alias="from", max_length=20, **_described(_DAY_OR_EMPTY))
    to: str | None = Field(None, max_length=20, **_described(_DAY_OR_EMPTY))
    q: PlainText | None = Field(None, max_length=100)
    customer: str | None = Field(None, max_length=20, **_described(_ID))
    group: str | None = Field(None, max_length=20, **_described(_ID))
    product: str | None = Field(None, max_length=20, **_described(_ID))
    state: str | None = Field(None, max_length=20, **_described(_STATE))
    order: str | None = Field(None, max_length=20, **_described(_ORDER))

    def as_query(self) -> dict:
        names = ("site", "preset", "to", "q", "customer", "group", "product", "state", "order")
        return {"from": self.from_, **{name: getattr(self, name) for name in names}}


class ExportOut(Schema):
    id: int
    state: str  # queued, running, done, failed
    file_name: str
    total_rows: int
    done_rows: int
    percent: int
    size: int
    error: str
    created_at: datetime
    finished_at: datetime | None
    query: dict


@router.post(
    "/reports/exports",
    response={202: ExportOut, **ERRORS},
    summary="Ask for the XLSX of time lines, written in the background (view_reports)",
    description="The body holds the time lines report's filters (`site`, `from`, `to` or `preset`, `q`, "
    "`customer`, `group`, `product`, `state`, `order`). The workbook is written by the tasks worker; poll "
    "`GET /api/reports/exports/{id}` for its progress, then download `…/file`. Only the user who asked sees "
    "it; it is removed a day later.",
)
def start_export(request: HttpRequest, payload: ExportIn):
    staff_actor(request, "view_reports")
    at = timezone.now()
    query = {key: value for key, value in payload.as_query().items() if value}
    filters = read_time_line_filters(query, at=at)
    period = filters.period
    name = f"time-lines-{period.first:%Y%m%d}-{period.last:%Y%m%d}.xlsx"
    return Status(202, tasks.enqueue_export(user=request.user, query=query, at=at, file_name=name))


@router.get(
    "/reports/exports/{export_id}",
    response={200: ExportOut, **ERRORS},
    summary="An export's progress (its asker only; view_reports)",
)
def get_export(request: HttpRequest, export_id: Id):
    staff_actor(request, "view_reports")
    return jobs.export_of(request.user, export_id, kind=jobs.KIND)


@router.get(
    "/reports/exports/{export_id}/file",
    response={200: None, 409: ErrorOut, **ERRORS},
    summary="Download an export's XLSX once written (its asker only; view_reports)",
    description="`export_not_ready` (409) while it is being written or when it failed.",
)
def export_file(request: HttpRequest, export_id: Id):
    staff_actor(request, "view_reports")
    export = jobs.export_of(request.user, export_id, kind=jobs.KIND)
    jobs.require_ready(export)
    return jobs.download(export, content_type=jobs.XLSX)
