"""The invoicing's background jobs, started by a page or the API and carried out by the tasks worker: the
monthly run, and a month's e-invoices in one ZIP."""

from datetime import datetime

from django.db import transaction
from django_tasks import task

from timetill.exports.models import Export
from timetill.invoicing.einvoice_exports import start_einvoice_export, write_einvoice_export
from timetill.invoicing.models import InvoiceRun
from timetill.invoicing.month import Month
from timetill.invoicing.run import execute_run, start_run
from timetill.timelines.actors import Actor


@task()
def carry_out_run(run_id: int) -> dict:
    return execute_run(run_id=run_id).as_dict()


def enqueue_run(*, site_id: int, month: Month, actor: Actor, at: datetime) -> InvoiceRun:
    """Start a run of `month` (refused as start_run refuses) and leave its work to the worker; the run's
    row shows its progress meanwhile."""
    run = start_run(site_id=site_id, month=month, actor=actor, at=at)
    transaction.on_commit(lambda: carry_out_run.enqueue(run.pk))
    return run


@task()
def write_einvoice_export_task(export_id: int) -> int:
    return write_einvoice_export(export_id).done_rows


def enqueue_einvoice_export(
    *, user, actor: Actor, site_id: int | None, month: str, fmt: str, at: datetime
) -> Export:
    """Record the month's e-invoice ZIP (refused as start_einvoice_export refuses) and leave its writing to
    the worker once the row is committed; the row shows its progress meanwhile."""
    export = start_einvoice_export(user=user, actor=actor, site_id=site_id, month=month, fmt=fmt, at=at)
    transaction.on_commit(lambda: write_einvoice_export_task.enqueue(export.pk))
    return export
