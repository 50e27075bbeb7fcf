"""Downloads: CSV (UTF-8 with a BOM, comma or semicolon) streamed row by row, and XLSX written by openpyxl in
write-only mode (typed cells: dates, durations, amounts with a number format) to a temporary file."""

import csv
from collections.abc import Callable, Iterable, Iterator
from datetime import timedelta
from typing import IO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from timetill.reports.timelines import TimeLineRow

BOM = "\ufeff"  # so that spreadsheets read the accents of a UTF-8 file
DELIMITERS = {"comma": ",", "semicolon": ";"}
DATE_FORMAT = "yyyy-mm-dd hh:mm:ss"
DURATION_FORMAT = "[h]:mm:ss"
AMOUNT_FORMAT = "#,##0.00"


def time_line_headers() -> list[str]:
    return [
        _("Code"),
        _("Site"),
        _("Customer"),
        _("Group"),
        _("Start"),
        _("End"),
        _("Duration"),
        _("Product"),
        _("Amount"),
        _("Currency"),
        _("Sale or invoice"),
        _("Started by"),
        _("Stopped by"),
        _("Note"),
        _("State"),
    ]


def _csv_time(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S") if value is not None else ""


def _hms(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}"


def time_line_csv_values(row: TimeLineRow) -> list:
    return [
        row.code,
        row.site,
        row.customer,
        row.group,
        _csv_time(row.start),
        _csv_time(row.end),
        _hms(row.seconds),
        row.product,
        f"{row.amount:.2f}" if row.amount is not None else "",
        row.currency,
        row.billed_by,
        row.started,
        row.stopped,
        row.note,
        row.state,
    ]


class _Line:
    """csv.writer's file: hands back the line it was given."""

    def write(self, text: str) -> str:
        return text


def csv_lines(headers: list[str], rows: Iterable[list], *, delimiter: str = ",") -> Iterator[str]:
    """The CSV text, line by line, starting with the BOM: for a streaming response or a file."""
    writer = csv.writer(_Line(), delimiter=delimiter)
    yield BOM + writer.writerow(headers)
    for values in rows:
        yield writer.writerow(values)


def time_line_csv(rows: Iterable[TimeLineRow], *, delimiter: str = ",") -> Iterator[str]:
    return csv_lines(time_line_headers(), (time_line_csv_values(row) for row in rows), delimiter=delimiter)


def _cell(sheet, value, number_format: str | None = None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if number_format:
        cell.number_format = number_format
    return cell


def write_xlsx(
    rows: Iterable[TimeLineRow], out: IO[bytes], *, progress: Callable[[int], None] | None = None
) -> int:
    """Write the time lines to `out` as an XLSX workbook, streaming: openpyxl's write-only sheet keeps rows on
    disk, not in memory. Local dates as dates (no time zone: spreadsheets have none), durations as durations,
    amounts as numbers with two decimals. Returns how many rows were written."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Time lines"))
    sheet.append(time_line_headers())
    count = 0
    for row in rows:
        sheet.append(
            [
                row.code,
                row.site,
                row.customer,
                row.group,
                _cell(sheet, row.start.replace(tzinfo=None), DATE_FORMAT),
                _cell(sheet, row.end.replace(tzinfo=None), DATE_FORMAT) if row.end is not None else None,
                _cell(sheet, timedelta(seconds=row.seconds), DURATION_FORMAT),
                row.product,
                _cell(sheet, row.amount, AMOUNT_FORMAT) if row.amount is not None else None,
                row.currency,
                row.billed_by,
                row.started,
                row.stopped,
                row.note,
                row.state,
            ]
        )
        count += 1
        if progress is not None and count % 10_000 == 0:
            progress(count)
    workbook.save(out)
    return count
