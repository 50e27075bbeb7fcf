"""The time lines of a period: filters, sorting, totals, and the rows the page and the downloads show."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from timetill.errors import TimetillError
from timetill.reports.links import amount_of, with_billing
from timetill.reports.periods import Period
from timetill.sales.models import Sale
from timetill.sites.models import Site
from timetill.timelines.models import TimeLine

STATES = {
    "open": gettext_lazy("Open"),
    "stopped": gettext_lazy("Stopped"),
    "hidden": gettext_lazy("Hidden"),
    "paid": gettext_lazy("Paid"),
    "invoiced": gettext_lazy("Invoiced"),
}
# What a column header sorts by (a leading "-" for the other way); empty values come last either way.
ORDERS = {
    "start": ("start",),
    "end": ("end",),
    "code": ("code",),
    "customer": ("customer__name", "start"),
    "duration": ("duration",),
    "amount": ("amount",),
}
DEFAULT_ORDER = "-start"


class ReportError(TimetillError):
    pass


@dataclass(frozen=True)
class TimeLineFilters:
    """Which time lines: those that started in `period` (all when None), at `site` (all when None)…"""

    site: Site | None
    period: Period | None
    customer_id: int | None = None
    customer_text: str = ""  # part of a name, or a code
    group_id: int | None = None
    product_id: int | None = None
    state: str = ""  # one of STATES, or "" for any
    order: str = DEFAULT_ORDER


@dataclass(frozen=True)
class Totals:
    count: int
    seconds: int
    amount: Decimal


@dataclass(frozen=True)
class TimeLineRow:
    """One time line as the report shows it: local times at its site, amounts as Decimal."""

    id: int
    code: str
    site: str
    customer: str
    group: str
    start: datetime  # local, aware
    end: datetime | None
    seconds: int
    product: str
    amount: Decimal | None
    currency: str
    billed_by: str  # "Receipt 12", "Sale 40 (open)", "Invoice F2026-000001", "Invoiced"
    sale_id: int | None
    started: str  # who and how: "anna (scan)"
    stopped: str
    note: str
    state: str
    invoice_id: int | None = None


def check_filters(filters: TimeLineFilters) -> None:
    """Refuse a state or an order that is not one (the reader calls it, so that an export asked for is refused
    at once rather than failing in the worker)."""
    if filters.state and filters.state not in STATES:
        raise ReportError(
            "invalid_state",
            _("“%(state)s” is not a state: choose one of %(choices)s.")
            % {"state": filters.state[:20], "choices": ", ".join(STATES)},
        )
    if filters.order.lstrip("-") not in ORDERS:
        raise ReportError(
            "invalid_order",
            _("“%(order)s” cannot be sorted on: choose one of %(choices)s.")
            % {"order": filters.order[:20], "choices": ", ".join(ORDERS)},
        )


def _state_filter(state: str) -> Q:
    return {
        "open": Q(end__isnull=True),
        "stopped": Q(end__isnull=False, hidden=False),
        "hidden": Q(hidden=True),
        "paid": Q(sale_state=Sale.State.CLOSED),
        "invoiced": Q(invoiced=True),
    }[state]


def time_lines(filters: TimeLineFilters, *, at: datetime) -> QuerySet:
    """The filtered, sorted time lines, annotated with their `duration` (up to `at` when open) and billing."""
    check_filters(filters)
    lines = TimeLine.objects.all()
    if filters.site is not None:
        lines = lines.filter(site=filters.site)
    if filters.period is not None:
        lines = lines.filter(start__gte=filters.period.start, start__lt=filters.period.end)
    if filters.customer_id is not None:
        lines = lines.filter(customer_id=filters.customer_id)
    if filters.customer_text:
        text = filters.customer_text.strip()
        lines = lines.filter(
            Q(customer__name__icontains=text)
            | Q(customer__codes__value=text)
            | Q(code=text.upper())
            | Q(scanned_code=text)
        ).distinct()
    if filters.group_id is not None:
        lines = lines.filter(customer__group_id=filters.group_id)
    lines = with_billing(lines).annotate(
        duration=ExpressionWrapper(Coalesce(F("end"), Value(at)) - F("start"), output_field=DurationField())
    )
    if filters.product_id is not None:
        lines = lines.filter(product_ref=filters.product_id)
    if filters.state:
        lines = lines.filter(_state_filter(filters.state))
    descending = filters.order.startswith("-")
    terms = (*ORDERS[filters.order.lstrip("-")], "pk")
    return lines.order_by(
        *(F(term).desc(nulls_last=True) if descending else F(term).asc(nulls_last=True) for term in terms)
    )


def totals(filters: TimeLineFilters, *, at: datetime) -> Totals:
    """How many lines, how much time, how much money: summed in the database."""
    lines = time_lines(filters, at=at).order_by()
    found = lines.aggregate(count=Count("pk"), time=Sum("duration"))
    time = found["time"] or timedelta()
    return Totals(
        count=found["count"], seconds=int(time.total_seconds()), amount=amount_of(lines.values("pk"))
    )


_VALUES = (
    "pk",
    "code",
    "site__name",
    "site__time_zone",
    "site__currency",
    "customer__name",
    "customer__group__name",
    "scanned_code",
    "start",
    "end",
    "duration",
    "product_name",
    "amount",
    "sale_ref",
    "sale_number",
    "sale_state",
    "invoice_ref",
    "invoice_number",
    "invoiced",
    "hidden",
    "started_by__username",
    "started_device__name",
    "started_via",
    "stopped_by__username",
    "stopped_device__name",
    "stopped_via",
    "note",
)


def _who(user: str | None, device: str | None, via: str) -> str:
    if not via:
        return ""
    return f"{user or device or '—'} ({via})"


def _billed_by(values: dict) -> str:
    if values["sale_state"] == Sale.State.CLOSED:
        return _("Receipt %(number)s") % {"number": values["sale_number"]}
    if values["sale_ref"] is not None:
        return _("Sale %(id)s (%(state)s)") % {
            "id": values["sale_ref"],
            "state": Sale.State(values["sale_state"]).label.lower(),
        }
    if values["invoice_number"]:
        return _("Invoice %(number)s") % {"number": values["invoice_number"]}
    if values["invoiced"]:
        return _("Invoiced")
    return ""


def _state(values: dict) -> str:
    if values["end"] is None:
        return "open"
    if values["sale_state"] == Sale.State.CLOSED:
        return "paid"
    if values["invoiced"]:
        return "invoiced"
    return "hidden" if values["hidden"] else "stopped"


def rows(lines: QuerySet, *, chunk_size: int = 2000) -> Iterator[TimeLineRow]:
    """Each line of `lines` (from `time_lines`) as a row, read in chunks (bounded memory for a million)."""
    zones: dict[str, object] = {}
    for values in lines.values(*_VALUES).iterator(chunk_size=chunk_size):
        tz = zones.get(values["site__time_zone"])
        if tz is None:
            tz = zones[values["site__time_zone"]] = Site(time_zone=values["site__time_zone"]).tz
        yield TimeLineRow(
            id=values["pk"],
            code=values["code"],
            site=values["site__name"],
            customer=values["customer__name"] or values["scanned_code"] or "",
            group=values["customer__group__name"] or "",
            start=values["start"].astimezone(tz),
            end=values["end"].astimezone(tz) if values["end"] is not None else None,
            seconds=int(values["duration"].total_seconds()),
            product=values["product_name"] or "",
            amount=values["amount"],
            currency=values["site__currency"],
            billed_by=_billed_by(values),
            sale_id=values["sale_ref"],
            started=_who(
                values["started_by__username"], values["started_device__name"], values["started_via"]
            ),
            stopped=_who(
                values["stopped_by__username"], values["stopped_device__name"], values["stopped_via"]
            ),
            note=values["note"],
            state=_state(values),
            invoice_id=values["invoice_ref"],
        )


def time_line_rows(filters: TimeLineFilters, *, at: datetime) -> Iterator[TimeLineRow]:
    return rows(time_lines(filters, at=at))
