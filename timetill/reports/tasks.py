"""The reports' background job: a large export, asked for on a page and written by the tasks worker."""

from collections.abc import Mapping
from datetime import datetime

from django.db import transaction
from django_tasks import task

from timetill.exports.models import Export
from timetill.reports.jobs import start_export, write_export


@task()
def write_export_task(export_id: int) -> int:
    return write_export(export_id).done_rows


def enqueue_export(*, user, query: Mapping[str, str], at: datetime, file_name: str) -> Export:
    """Record the export (refused as start_export refuses) and leave its writing to the worker once the row
    is committed; the row shows its progress meanwhile."""
    export = start_export(user=user, query=query, at=at, file_name=file_name)
    transaction.on_commit(lambda: write_export_task.enqueue(export.pk))
    return export
