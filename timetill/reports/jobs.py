"""Large exports as background jobs: asked for on a page, written by the tasks worker with its progress on
the Export row, kept in the asker's own folder, downloadable by them only, removed after EXPORT_KEEP."""

import secrets
from collections.abc import Mapping
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from timetill.errors import NotFound
from timetill.reports.exports import write_xlsx
from timetill.reports.forms import read_time_line_filters
from timetill.reports.models import Export
from timetill.reports.timelines import rows, time_lines, totals

# Past this many time lines an XLSX is written in the background: openpyxl writes a few thousand rows a
# second, so a smaller one is ready within a request.
BACKGROUND_FROM = 20_000
EXPORT_KEEP = timedelta(hours=24)
# The filters an export keeps (what the time lines page's query string may hold).
QUERY_KEYS = ("site", "preset", "from", "to", "q", "customer", "group", "product", "state", "order")


def path_of(export: Export) -> Path:
    """Where the export's file is kept: the user's own folder, under a name no one can guess."""
    return Path(settings.EXPORTS_DIR) / str(export.user_id) / f"{export.token}.xlsx"


def start_export(*, user, query: Mapping[str, str], at: datetime, file_name: str) -> Export:
    """Record an export of the time lines `query` asks for (refused as the page refuses bad filters) and leave
    its writing to the worker (tasks.enqueue_export). Expired exports go first."""
    kept = {key: str(query[key])[:100] for key in QUERY_KEYS if query.get(key)}
    read_time_line_filters(kept, at=at)  # bad input is refused now, in the asker's words
    purge_expired(at=at)
    return Export.objects.create(
        user=user, query=kept, file_name=file_name, token=secrets.token_hex(16), created_at=at
    )


def write_export(export_id: int) -> Export:
    """Write the export's workbook (the filters as they read when it was asked for), its progress on its row
    every PROGRESS_EVERY lines; a failure is recorded on the row and leaves no partial file."""
    export = Export.objects.get(pk=export_id)
    target = path_of(export)
    partial = target.with_suffix(".partial")
    try:
        filters = read_time_line_filters(export.query, at=export.created_at)
        total = totals(filters, at=export.created_at).count
        Export.objects.filter(pk=export.pk).update(state=Export.State.RUNNING, total_rows=total)
        target.parent.mkdir(parents=True, exist_ok=True)

        def progress(done: int) -> None:
            Export.objects.filter(pk=export.pk).update(done_rows=done)

        with partial.open("wb") as out:
            count = write_xlsx(rows(time_lines(filters, at=export.created_at)), out, progress=progress)
        partial.replace(target)
        Export.objects.filter(pk=export.pk).update(
            state=Export.State.DONE,
            done_rows=count,
            total_rows=max(total, count),
            size=target.stat().st_size,
            finished_at=timezone.now(),
        )
    except BaseException as error:
        partial.unlink(missing_ok=True)
        message = getattr(error, "message", None) or str(error) or type(error).__name__
        Export.objects.filter(pk=export.pk).update(
            state=Export.State.FAILED, error=message[:500], finished_at=timezone.now()
        )
        raise
    export.refresh_from_db()
    return export


def export_of(user, export_id: int) -> Export:
    """The user's own export; anyone else's is not found, as if it did not exist."""
    export = Export.objects.filter(pk=export_id, user=user).first()
    if export is None:
        raise NotFound("unknown_export", _("There is no such export: it may have been removed after a day."))
    return export


def purge_expired(*, at: datetime) -> int:
    """Remove the exports asked for more than EXPORT_KEEP before `at`, with their files."""
    expired = list(Export.objects.filter(created_at__lt=at - EXPORT_KEEP))
    for export in expired:
        path = path_of(export)
        path.unlink(missing_ok=True)
        path.with_suffix(".partial").unlink(missing_ok=True)
    Export.objects.filter(pk__in=[export.pk for export in expired]).delete()
    return len(expired)
