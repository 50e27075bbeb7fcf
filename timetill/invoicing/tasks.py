"""The monthly run as a background job: started by a page or the API, carried out by the tasks worker."""

from datetime import datetime

from django.db import transaction
from django_tasks import task

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
