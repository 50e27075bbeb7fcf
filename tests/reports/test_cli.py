"""`timetill report …`: each report as CSV, XLSX and JSON, read back; bad input is a plain message."""

import csv
import io
import json
from decimal import Decimal

import openpyxl
import pytest
import time_machine
from django.core.management import CommandError, call_command

from tests.conftest import paris
from timetill.reports.exports import BOM

TUESDAY = ["--from", "2026-03-03", "--to", "2026-03-03"]


@pytest.fixture
def afternoon():
    with time_machine.travel(paris(2026, 3, 3, 12, 30), tick=False):
        yield


def run(*args) -> str:
    out = io.StringIO()
    call_command("report", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_time_lines_as_csv_json_and_xlsx(scene, afternoon, tmp_path, capsys):
    call_command("report", "timelines", *TUESDAY, "--format", "csv")
    text = capsys.readouterr().out
    records = list(csv.DictReader(io.StringIO(text.removeprefix(BOM))))
    assert sum(Decimal(r["Amount"] or 0) for r in records) == Decimal("7.40")
    call_command("report", "timelines", *TUESDAY, "--format", "json")
    body = json.loads(capsys.readouterr().out)
    assert body["totals"] == {"count": 3, "seconds": 260 * 60, "amount": "7.400"}
    path = tmp_path / "lines.xlsx"
    call_command("report", "timelines", *TUESDAY, "--format", "xlsx", "--output", str(path))
    assert openpyxl.load_workbook(path).active.max_row == 4


def test_occupancy_and_revenue(scene, afternoon, capsys):
    call_command(
        "report", "occupancy", *TUESDAY, "--site", scene.site.slug, "--format", "json", "--bucket", "day"
    )
    body = json.loads(capsys.readouterr().out)
    assert body["summary"]["peak"] == 3 and len(body["slices"]) == 1
    call_command("report", "revenue", *TUESDAY, "--format", "csv", "--delimiter", "semicolon")
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out.removeprefix(BOM)), delimiter=";"))
    assert (
        rows[-1] == ["total", "", "3.08", "0.62", "3.70"] or rows[-1][0] == "total" and rows[-1][-1] == "3.70"
    )


def test_bad_input_is_a_plain_message(site):
    with pytest.raises(CommandError, match="ends before it starts"):
        call_command("report", "timelines", "--from", "2026-03-04", "--to", "2026-03-01")
    with pytest.raises(CommandError, match="--output"):
        call_command("report", "timelines", "--format", "xlsx")


def test_a_large_export_shows_its_progress(scene, afternoon, monkeypatch, tmp_path, capsys):
    monkeypatch.setattr("timetill.reports.management.commands.report.PROGRESS_FROM", 2)
    call_command("report", "timelines", *TUESDAY, "--output", str(tmp_path / "lines.csv"))
    assert "3/3" in capsys.readouterr().err
