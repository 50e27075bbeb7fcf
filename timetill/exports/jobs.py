"""Downloads written in the background, whatever they hold: an Export row records what was asked for and
the job's progress; the tasks worker writes the file into the asker's own folder; only the asker may
download it; it is removed after EXPORT_KEEP. What goes into the file is the asking app's (`write`)."""

import secrets
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from timetill.errors import Conflict, NotFound
from timetill.exports.models import Export

EXPORT_KEEP = timedelta(hours=24)

# write(export, out, progress) writes the file into `out`, calling progress(done) now and then, and returns
# how many rows or files it wrote.
Writer = Callable[[Export, BinaryIO, Callable[[int], None]], int]


def path_of(export: Export) -> Path:
    """Where the export's file is kept: the user's own folder, under a name no one can guess."""
    suffix = Path(export.file_name).suffix or ".bin"
    return Path(settings.EXPORTS_DIR) / str(export.user_id) / f"{export.token}{suffix}"


def create_export(*, user, kind: str, query: Mapping, at: datetime, file_name: str) -> Export:
    """Record an export, already checked by its app, for the worker to write. Expired exports go first."""
    purge_expired(at=at)
    return Export.objects.create(
        user=user,
        kind=kind,
        query=dict(query),
        file_name=file_name,
        token=secrets.token_hex(16),
        created_at=at,
    )


def run_export(export_id: int, *, count: Callable[[Export], int], write: Writer) -> Export:
    """Write the export's file: `count` tells how much there is to write, `write` writes it, its progress
    on the row as it goes; a failure is recorded on the row and leaves no partial file."""
    export = Export.objects.get(pk=export_id)
    target = path_of(export)
    partial = target.with_suffix(".partial")
    try:
        total = count(export)
        Export.objects.filter(pk=export.pk).update(state=Export.State.RUNNING, total_rows=total)
        target.parent.mkdir(parents=True, exist_ok=True)

        def progress(done: int) -> None:
            Export.objects.filter(pk=export.pk).update(done_rows=done)

        with partial.open("wb") as out:
            done = write(export, out, progress)
        partial.replace(target)
        Export.objects.filter(pk=export.pk).update(
            state=Export.State.DONE,
            done_rows=done,
            total_rows=max(total, done),
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


def export_of(user, export_id: int, *, kind: str | None = None) -> Export:
    """The user's own export (of `kind` when given); anyone else's is not found, as if it did not exist."""
    found = Export.objects.filter(pk=export_id, user=user)
    if kind is not None:
        found = found.filter(kind=kind)
    export = found.first()
    if export is None:
        raise NotFound("unknown_export", _("There is no such export: it may have been removed after a day."))
    return export


def is_ready(export: Export) -> bool:
    return export.state == Export.State.DONE and path_of(export).is_file()


def require_ready(export: Export) -> None:
    """Refuse (409 `export_not_ready`) an export still being written, or one that failed."""
    if not is_ready(export):
        raise Conflict(
            "export_not_ready",
            _("This export is %(state)s: download it once it is ready.")
            % {"state": export.get_state_display()},
        )


def download(export: Export, *, content_type: str) -> FileResponse:
    """A ready export's file, as an attachment under the name it was asked for with."""
    return FileResponse(
        path_of(export).open("rb"), as_attachment=True, filename=export.file_name, content_type=content_type
    )


def purge_expired(*, at: datetime) -> int:
    """Remove the exports asked for more than EXPORT_KEEP before `at`, with their files."""
    expired = list(Export.objects.filter(created_at__lt=at - EXPORT_KEEP))
    for export in expired:
        path = path_of(export)
        path.unlink(missing_ok=True)
        path.with_suffix(".partial").unlink(missing_ok=True)
    Export.objects.filter(pk__in=[export.pk for export in expired]).delete()
    return len(expired)
