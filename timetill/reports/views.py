"""The report pages (view_reports): time lines, occupancy, revenue, and their downloads."""

import tempfile
from datetime import timedelta
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from timetill.catalog.models import Product
from timetill.customers.models import CustomerGroup
from timetill.errors import TimetillError
from timetill.reports import charts, jobs, tasks
from timetill.reports.exports import DELIMITERS, csv_lines, time_line_csv, write_xlsx
from timetill.reports.forms import read_asked, read_time_line_filters
from timetill.reports.occupancy import BUCKETS, occupancy
from timetill.reports.periods import PRESETS
from timetill.reports.revenue import revenue
from timetill.reports.timelines import STATES, rows, time_lines, totals
from timetill.sites.models import Site
from timetill.web.views.common import right_required

NO_VIEW_REPORTS = gettext_lazy(
    "You do not have the right “view_reports”: ask a manager to let you see the reports."
)
PAGE_SIZE = 50


def _denied(request: HttpRequest, message: str) -> HttpResponse:
    return HttpResponse(message, status=403)


view_reports_required = right_required("view_reports", NO_VIEW_REPORTS, htmx_denied=_denied)


def _context(request: HttpRequest, tab: str, **extra) -> dict:
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "page": "reports",
        "tab": tab,
        "sites": Site.objects.order_by("name"),
        "presets": PRESETS,
        "query": request.GET,
        "query_string": query.urlencode(),
        **extra,
    }


def _refused(request: HttpRequest, tab: str, error: TimetillError, **extra) -> HttpResponse:
    return render(
        request, f"reports/{tab}.html", _context(request, tab, error=error.message, **extra), status=400
    )


@view_reports_required
def time_line_report(request: HttpRequest) -> HttpResponse:
    at = timezone.now()
    extra = {
        "states": STATES,
        "groups": CustomerGroup.objects.order_by("name"),
        "products": Product.objects.order_by("internal_name"),
    }
    try:
        filters = read_time_line_filters(request.GET, at=at)
        lines = time_lines(filters, at=at)
        found = totals(filters, at=at)
    except TimetillError as error:
        return _refused(request, "timelines", error, **extra)
    page = Paginator(lines, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/timelines.html",
        _context(
            request,
            "timelines",
            filters=filters,
            rows=list(rows(lines.filter(pk__in=[line.pk for line in page.object_list]))),
            page_obj=page,
            totals=found,
            columns=_columns(),
            can_see_invoices=request.user.has_perm("accounts.manage_invoicing"),
            background_from=jobs.BACKGROUND_FROM,
            **extra,
        ),
    )


def _columns() -> list[tuple[str, str]]:
    """The table's headers, with what each sorts by (none for those that do not sort)."""
    return [
        ("code", _("Code")),
        ("customer", _("Customer")),
        ("", _("Group")),
        ("start", _("Start")),
        ("end", _("End")),
        ("duration", _("Duration")),
        ("", _("Product")),
        ("amount", _("Amount")),
        ("", _("Sale or invoice")),
        ("", _("Started by")),
        ("", _("Stopped by")),
        ("", _("Note")),
    ]


def _download_name(filters, extension: str) -> str:
    period = filters.period
    days = f"{period.first:%Y%m%d}-{period.last:%Y%m%d}" if period is not None else "all"
    return f"time-lines-{days}.{extension}"


@view_reports_required
def time_line_download(request: HttpRequest, extension: str) -> HttpResponse:
    at = timezone.now()
    try:
        filters = read_time_line_filters(request.GET, at=at)
        lines = time_lines(filters, at=at)
    except TimetillError as error:
        return HttpResponse(error.message, status=400, content_type="text/plain; charset=utf-8")
    name = _download_name(filters, extension)
    if extension == "xlsx" and lines.count() > jobs.BACKGROUND_FROM:
        # Minutes of openpyxl: offered as a background export rather than written while the browser waits.
        return render(
            request,
            "reports/export_start.html",
            {"page": "reports", "query": request.GET.urlencode(), "count": lines.count(), "name": name},
        )
    if extension == "csv":
        delimiter = DELIMITERS.get(request.GET.get("delimiter", "comma"), ",")
        response = StreamingHttpResponse(
            (line.encode() for line in time_line_csv(rows(lines), delimiter=delimiter)),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    # openpyxl's write-only workbook goes to a temporary file (rows on disk, not in memory), then streams.
    out = tempfile.TemporaryFile()
    write_xlsx(rows(lines), out)
    out.seek(0)
    return FileResponse(
        out,
        as_attachment=True,
        filename=name,
        content_type=jobs.XLSX,
    )


def _occupancy(request: HttpRequest):
    at = timezone.now()
    asked = read_asked(request.GET, at=at, site_required=True)
    return occupancy(site=asked.site, period=asked.period, bucket=request.GET.get("bucket") or "hour", at=at)


@view_reports_required
def occupancy_report(request: HttpRequest) -> HttpResponse:
    extra = {"buckets": BUCKETS, "weekdays": charts.WEEKDAYS}
    try:
        report = _occupancy(request)
    except TimetillError as error:
        return _refused(request, "occupancy", error, **extra)
    summary, previous = report.summary, report.previous
    heat = {(cell.weekday, cell.hour): cell for cell in report.heat}
    heat_rows = []
    for index, day in enumerate(charts.WEEKDAYS):
        cells = []
        for hour in range(24):
            cell = heat.get((index, hour))
            colour = charts.heat_colour(cell.rate if cell is not None else None)
            cells.append((hour, 50 + hour * 30, cell, colour))
        heat_rows.append((day, 24 + index * 32, cells))
    return render(
        request,
        "reports/occupancy.html",
        _context(
            request,
            "occupancy",
            report=report,
            summary=summary,
            previous=previous,
            chart=charts.occupancy_chart(report, nonce=str(request.csp_nonce)),
            slices=[(charts.slice_label(report, i), s) for i, s in enumerate(report.slices)],
            heat_rows=heat_rows,
            average_stay=timedelta(seconds=summary.average_stay_seconds or 0),
            previous_average_stay=timedelta(seconds=previous.average_stay_seconds or 0),
            hour_labels=[(hour, 50 + hour * 30) for hour in range(0, 24, 3)],
            **extra,
        ),
    )


def occupancy_csv_rows(report) -> tuple[list[str], list[list]]:
    headers = [
        _("Start"),
        _("End"),
        _("Occupied (h)"),
        _("Open (h)"),
        _("Capacity"),
        _("Rate"),
        _("Present on average"),
    ]
    tz = report.site.tz
    body = [
        [
            s.start.astimezone(tz).isoformat(),
            s.end.astimezone(tz).isoformat(),
            f"{s.occupied_seconds / 3600:.4f}",
            f"{s.open_seconds / 3600:.4f}",
            s.capacity,
            "" if s.rate is None else str(s.rate),
            "" if s.average_present is None else str(s.average_present),
        ]
        for s in report.slices
    ]
    return headers, body


@view_reports_required
def occupancy_download(request: HttpRequest) -> HttpResponse:
    try:
        report = _occupancy(request)
    except TimetillError as error:
        return HttpResponse(error.message, status=400, content_type="text/plain; charset=utf-8")
    headers, body = occupancy_csv_rows(report)
    delimiter = DELIMITERS.get(request.GET.get("delimiter", "comma"), ",")
    response = HttpResponse(
        "".join(csv_lines(headers, body, delimiter=delimiter)), content_type="text/csv; charset=utf-8"
    )
    period = report.summary.period
    response["Content-Disposition"] = (
        f'attachment; filename="occupancy-{report.site.slug}-{period.first:%Y%m%d}-{period.last:%Y%m%d}.csv"'
    )
    return response


@view_reports_required
def revenue_report(request: HttpRequest) -> HttpResponse:
    try:
        asked = read_asked(request.GET, at=timezone.now(), site_required=False)
        found = revenue(site=asked.site, period=asked.period)
    except TimetillError as error:
        return _refused(request, "revenue", error)
    tables = [
        (_("By product"), found.by_product, "by-product"),
        (_("By customer group"), found.by_group, "by-group"),
        (_("Sales beside invoices"), found.by_source, "by-source"),
    ]
    return render(
        request,
        "reports/revenue.html",
        _context(request, "revenue", asked=asked, revenue=found, tables=tables),
    )


# -- large exports, written in the background --------------------------------------------------------------


@require_POST
@view_reports_required
def export_start(request: HttpRequest) -> HttpResponse:
    """Ask for the XLSX of the time lines the posted query selects; then its page, with its progress."""
    query = QueryDict(request.POST.get("query", "")[:2000])
    at = timezone.now()
    try:
        filters = read_time_line_filters(query, at=at)
        export = tasks.enqueue_export(
            user=request.user, query=query, at=at, file_name=_download_name(filters, "xlsx")
        )
    except TimetillError as error:
        return HttpResponse(error.message, status=400, content_type="text/plain; charset=utf-8")
    return redirect("reports-export", pk=export.pk)


def _export(request: HttpRequest, pk: int):
    try:
        return jobs.export_of(request.user, pk, kind=jobs.KIND)
    except TimetillError as error:
        raise Http404(error.message) from error


@view_reports_required
def export_page(request: HttpRequest, pk: int) -> HttpResponse:
    export = _export(request, pk)
    return render(
        request,
        "reports/export.html",
        {"page": "reports", "export": export, "back_query": urlencode(export.query)},
    )


@view_reports_required
def export_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar of an export, polled by its page until the file is ready."""
    return render(request, "reports/_export_progress.html", {"export": _export(request, pk)})


@view_reports_required
def export_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The file of the user's own export, once written."""
    export = _export(request, pk)
    if not jobs.is_ready(export):
        raise Http404(_("This export is not ready."))
    return jobs.download(export, content_type=jobs.XLSX)
