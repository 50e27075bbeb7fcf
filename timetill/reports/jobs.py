"""The time lines' XLSX as a background job (the exports app's machinery): asked for on a page or the API,
written by the tasks worker with its progress on the Export row."""

from collections.abc import Mapping
from datetime import datetime

from timetill.exports.jobs import (
    EXPORT_KEEP,
    create_export,
    download,
    export_of,
    is_ready,
    path_of,
    purge_expired,
    require_ready,
    run_export,
)
from timetill.exports.models import Export
from timetill.reports.exports import XLSX, write_xlsx
from timetill.reports.forms import read_time_line_filters
from timetill.reports.timelines import rows, time_lines, totals

__all__ = [
    "EXPORT_KEEP",
    "XLSX",
    "download",
    "export_of",
    "is_ready",
    "path_of",
    "purge_expired",
    "require_ready",
    "start_export",
    "write_export",
]

KIND = Export.Kind.TIME_LINES_XLSX
# Past this many time lines an XLSX is written in the background: openpyxl writes a few thousand rows a
# second, so a smaller one is ready within a request.
BACKGROUND_FROM = 20_000
# The filters an export keeps (what the time lines page's query string may hold).
QUERY_KEYS = ("site", "preset", "from", "to", "q", "customer", "group", "product", "state", "order")


def start_export(*, user, query: Mapping[str, str], at: datetime, file_name: str) -> Export:
    """Record an export of the time lines `query` asks for (refused as the page refuses bad filters) and leave
    its writing to the worker (tasks.enqueue_export). Expired exports go first."""
    kept = {key: str(query[key])[:100] for key in QUERY_KEYS if query.get(key)}
    read_time_line_filters(kept, at=at)  # bad input is refused now, in the asker's words
    return create_export(user=user, kind=KIND, query=kept, at=at, file_name=file_name)


def write_export(export_id: int) -> Export:
    """Write the export's workbook (the filters as they read when it was asked for), its progress on its row
    every PROGRESS_EVERY lines; a failure is recorded on the row and leaves no partial file."""

    def count(export: Export) -> int:
        return totals(read_time_line_filters(export.query, at=export.created_at), at=export.created_at).count

    def write(export: Export, out, progress) -> int:
        filters = read_time_line_filters(export.query, at=export.created_at)
        return write_xlsx(rows(time_lines(filters, at=export.created_at)), out, progress=progress)

    return run_export(export_id, count=count, write=write)
