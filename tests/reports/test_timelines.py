"""The time lines report: filters, states, sorting, totals; the CSV and XLSX read back against the totals."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import openpyxl
import pytest

from tests.conftest import PARIS, paris
from timetill.errors import TimetillError
from timetill.reports.exports import BOM, time_line_csv, write_xlsx
from timetill.reports.periods import Period
from timetill.reports.timelines import TimeLineFilters, time_line_rows, totals

AT = paris(2026, 3, 3, 12, 30)


def tuesday(scene, **filters) -> TimeLineFilters:
    day = paris(2026, 3, 3).date()
    return TimeLineFilters(site=scene.site, period=Period(first=day, last=day, tz=PARIS), **filters)


def codes(rows) -> list[str]:
    return [row.customer for row in rows]


def test_the_day_with_its_columns_and_totals(scene):
    rows = list(time_line_rows(tuesday(scene), at=AT))
    assert codes(rows) == ["Chloé Bernard", "Bruno Martin", "Ana Dupré"]  # latest first
    ana = rows[2]
    assert (ana.group, ana.product, ana.amount, ana.state) == ("Members", "Parking", Decimal("3.700"), "paid")
    assert ana.start == paris(2026, 3, 3, 10, 0) and ana.start.tzinfo.key == "Europe/Paris"
    assert ana.seconds == 80 * 60
    assert ana.billed_by.startswith("Receipt ")
    assert ana.started.endswith("(scan)") and ana.stopped.endswith("(manual)") or ana.stopped
    chloe = rows[0]
    assert (chloe.end, chloe.seconds, chloe.amount, chloe.state) == (None, 90 * 60, None, "open")
    bruno = rows[1]
    assert (bruno.amount, bruno.state) == (Decimal("3.700"), "stopped")
    assert bruno.billed_by.startswith("Sale ") and "open" in bruno.billed_by
    found = totals(tuesday(scene), at=AT)
    assert (found.count, found.seconds, found.amount) == (3, (80 + 90 + 90) * 60, Decimal("7.400"))


@pytest.mark.parametrize(
    ("state", "who"),
    [
        ("open", ["Chloé Bernard"]),
        ("paid", ["Ana Dupré"]),
        ("stopped", ["Bruno Martin", "Ana Dupré"]),
        ("hidden", []),
        ("invoiced", []),
    ],
)
def test_filter_by_state(scene, state, who):
    assert codes(time_line_rows(tuesday(scene, state=state), at=AT)) == who


def test_filter_by_customer_group_and_product(scene, make_product):
    members = scene.customers["ana"].group_id
    assert codes(time_line_rows(tuesday(scene, group_id=members), at=AT)) == ["Chloé Bernard", "Ana Dupré"]
    assert codes(time_line_rows(tuesday(scene, customer_text="bruno"), at=AT)) == ["Bruno Martin"]
    assert codes(time_line_rows(tuesday(scene, customer_id=scene.customers["ana"].pk), at=AT)) == [
        "Ana Dupré"
    ]
    assert codes(time_line_rows(tuesday(scene, product_id=scene.product.pk), at=AT)) == [
        "Bruno Martin",
        "Ana Dupré",
    ]
    other = make_product("simple", internal_name="Coffee", short_name="Coffee")
    assert list(time_line_rows(tuesday(scene, product_id=other.pk), at=AT)) == []


def test_sorting(scene):
    def by(order):
        return codes(time_line_rows(tuesday(scene, order=order), at=AT))

    assert by("start") == ["Ana Dupré", "Bruno Martin", "Chloé Bernard"]
    assert by("customer") == ["Ana Dupré", "Bruno Martin", "Chloé Bernard"]
    assert by("-amount") == ["Bruno Martin", "Ana Dupré", "Chloé Bernard"]  # no amount comes last
    assert by("duration") == ["Ana Dupré", "Bruno Martin", "Chloé Bernard"]
    assert by("-end") == ["Bruno Martin", "Ana Dupré", "Chloé Bernard"]


def test_other_days_and_sites_are_left_out(scene, make_site, make_stay):
    make_stay(scene.site, paris(2026, 3, 2, 23, 0), paris(2026, 3, 3, 1, 0))  # started the day before
    make_stay(make_site(), paris(2026, 3, 3, 9, 0), paris(2026, 3, 3, 10, 0))
    assert totals(tuesday(scene), at=AT).count == 3
    assert totals(TimeLineFilters(site=None, period=None), at=AT).count == 5


@pytest.mark.parametrize(
    ("field", "value", "code"), [("state", "lost", "invalid_state"), ("order", "x", "invalid_order")]
)
def test_bad_filters_are_refused(scene, field, value, code):
    with pytest.raises(TimetillError) as caught:
        list(time_line_rows(tuesday(scene, **{field: value}), at=AT))
    assert caught.value.code == code


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_the_csv_reads_back_to_the_screens_totals(scene, delimiter):
    text = "".join(time_line_csv(time_line_rows(tuesday(scene), at=AT), delimiter=delimiter))
    assert text.startswith(BOM)
    records = list(csv.DictReader(io.StringIO(text.removeprefix(BOM)), delimiter=delimiter))
    found = totals(tuesday(scene), at=AT)
    assert len(records) == found.count
    assert sum(Decimal(r["Amount"] or 0) for r in records) == found.amount
    seconds = 0
    for record in records:
        h, m, s = (int(x) for x in record["Duration"].split(":"))
        seconds += h * 3600 + m * 60 + s
    assert seconds == found.seconds
    assert {r["Customer"] for r in records} == {"Ana Dupré", "Bruno Martin", "Chloé Bernard"}
    assert records[-1]["Start"] == "2026-03-03 10:00:00"


def test_the_xlsx_reads_back_typed_to_the_screens_totals(scene, tmp_path):
    path = tmp_path / "lines.xlsx"
    with path.open("wb") as out:
        assert write_xlsx(time_line_rows(tuesday(scene), at=AT), out) == 3
    sheet = openpyxl.load_workbook(path).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    column = {name: i for i, name in enumerate(header)}
    found = totals(tuesday(scene), at=AT)
    assert len(rows) == found.count
    assert sum(Decimal(str(r[column["Amount"]] or 0)) for r in rows) == found.amount
    assert sum((r[column["Duration"]] for r in rows), timedelta()) == timedelta(seconds=found.seconds)
    ana = rows[-1]
    assert ana[column["Start"]] == paris(2026, 3, 3, 10, 0).replace(tzinfo=None)
    assert isinstance(ana[column["Amount"]], float | int)
    cells = next(sheet.iter_rows(min_row=len(rows) + 1))
    assert cells[column["Amount"]].number_format == "#,##0.00"
    assert cells[column["Duration"]].number_format == "[h]:mm:ss"
    assert rows[0][column["End"]] is None  # Chloé is still there
