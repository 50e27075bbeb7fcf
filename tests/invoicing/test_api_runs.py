"""The monthly run through the API (a background job carried out by the worker) and the command line."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command

from timetill.invoicing.models import InvoiceLine, InvoiceRun

from ..conftest import paris

NOW = paris(2026, 11, 2, 9, 0)


@pytest.fixture
def november(make_family, package, make_enrolment, product_week, make_stay):
    _family, (lea,) = make_family("Martin")
    make_enrolment(lea, package, date(2026, 9, 1))
    product_week(lea)
    make_stay(lea, paris(2026, 10, 20, 8, 0), None)
    return lea


@pytest.mark.parametrize(("role", "status"), [("nobody", 401), ("cashier", 403), ("manager", 202)])
def test_only_managers_start_a_run(
    api_as, daycare, november, manager, cashier, role, status, django_capture_on_commit_callbacks
):
    user = {"nobody": None, "cashier": cashier, "manager": manager}[role]
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        code, body = api_as(user).post("/invoicing/runs", {"site_id": daycare.pk, "month": "2026-11"})
    assert code == status, body


def test_a_run_started_by_the_api_is_carried_out_by_the_worker_and_shows_its_summary(
    api_as, daycare, november, manager, django_capture_on_commit_callbacks, work
):
    api = api_as(manager)
    with time_machine.travel(NOW, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            status, run = api.post("/invoicing/runs", {"site_id": daycare.pk, "month": "2026-11"})
        assert (status, run["state"], run["percent"]) == (202, "running", 0)
        status, again = api.post("/invoicing/runs", {"site_id": daycare.pk, "month": "2026-11"})
        assert (status, again["code"]) == (409, "run_in_progress")
        work()
        status, done = api.get(f"/invoicing/runs/{run['id']}")
    assert (done["state"], done["percent"], done["done_families"]) == ("done", 100, 1)
    assert done["summary"]["total"] == "478.00" and done["summary"]["to_review"] == 1
    assert "still open" in done["summary"]["warnings"][0]
    status, invoices = api.get("/invoices", {"month": "2026-11"})
    extra = next(line for line in invoices[0]["lines"] if line["kind"] == "extra_time")
    assert extra["blocks_issue"] and len(extra["days"]) == 5
    status, accepted = api.post(f"/invoice-lines/{extra['id']}/accept", {"reason": "Picked up at 16:00"})
    assert (status, accepted["blocks_issue"], accepted["accepted_reason"]) == (
        200,
        False,
        "Picked up at 16:00",
    )


@pytest.mark.parametrize(
    ("month", "status", "code"),
    [
        ("2026-12", 400, "month_not_begun"),
        ("2026-13", 400, "invalid_month"),
        ("11/2026", 422, "invalid_input"),
    ],
)
def test_bad_months_are_refused_with_a_json_error(api_as, daycare, november, manager, month, status, code):
    with time_machine.travel(NOW, tick=False):
        answer, body = api_as(manager).post("/invoicing/runs", {"site_id": daycare.pk, "month": month})
    assert (answer, body["code"]) == (status, code)
    assert not InvoiceRun.objects.exists()


def test_the_command_runs_a_month_with_a_progress_line_and_a_summary(daycare, november, capsys):
    with time_machine.travel(NOW, tick=False):
        call_command("invoicing", "run", "--month", "2026-11")
    out = capsys.readouterr().out
    assert "2026-11: 1/1 families (100 %)" in out
    assert "1 families, 1 draft invoices, total 478.00 EUR, 1 line(s) to review" in out
    assert "to review: Léa Martin: stay from 20/10/2026 08:00 still open" in out
    assert InvoiceLine.objects.get(kind="extra_time").gross == Decimal("38.00")


def test_the_command_refuses_a_month_not_begun(daycare, november):
    from django.core.management.base import CommandError

    with time_machine.travel(NOW, tick=False), pytest.raises(CommandError, match="month_not_begun"):
        call_command("invoicing", "run", "--month", "2027-01")


def test_the_command_issues_a_month_and_exports_it_as_csv(daycare, november, tmp_path, capsys):
    import csv

    from timetill.invoicing.models import InvoiceLine as Line
    from timetill.invoicing.review import accept_line
    from timetill.timelines.actors import Actor

    with time_machine.travel(NOW, tick=False):
        call_command("invoicing", "run", "--month", "2026-11")
        call_command("invoicing", "issue", "--month", "2026-11")
        assert "still a draft: Parent1 Martin" in capsys.readouterr().out
        accept_line(
            line_id=Line.objects.get(kind="extra_time").pk,
            reason="Left at 16:00",
            actor=Actor.operator(),
            at=NOW,
        )
        call_command("invoicing", "issue", "--month", "2026-11")
        assert "issued F2026-000001: Parent1 Martin, 478.00 EUR" in capsys.readouterr().out
        target = tmp_path / "invoices.csv"
        call_command("invoicing", "export", "--month", "2026-11", "--output", str(target))
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert [(r["number"], r["payer"], r["gross"], r["payment_state"]) for r in rows] == [
        ("F2026-000001", "Parent1 Martin", "478.00", "issued")
    ]
