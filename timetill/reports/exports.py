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

# What an XLSX file is, to a browser.
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

BOM = "\ufeff"  # so that spreadsheets read the accents of a UTF-8 file
DELIMITERS = {"comma": ",", "semicolon": ";"}
DATE_FORMAT = "yyyy-mm-dd hh:mm:ss"
DURATION_FORMAT = "[h]:mm:ss"
AMOUNT_FORMAT = "#,##0.00"
PROGRESS_EVERY = 2_000


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


def write_xlsx(
    rows: Iterable[TimeLineRow], out: IO[bytes], *, progress: Callable[[int], None] | None = None
) -> int:
    """Write the time lines to `out` as an XLSX workbook, streaming: openpyxl's write-only sheet keeps rows on
    disk, not in memory. Local dates as dates (no time zone: spreadsheets have none), durations as durations,
    amounts as numbers with two decimals. Returns how many rows were written; `progress(n)` every
    PROGRESS_EVERY rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Time lines"))
    sheet.append(time_line_headers())
    # The typed cells are made and styled once and given each row's value: the write-only sheet serialises a
    # row as soon as it is appended, and making and styling four cells a row was a third of openpyxl's time.
    start, end, duration, amount = (
        _styled(sheet, DATE_FORMAT),
        _styled(sheet, DATE_FORMAT),
        _styled(sheet, DURATION_FORMAT),
        _styled(sheet, AMOUNT_FORMAT),
    )
    append = sheet.append
    count = 0
    for row in rows:
        start.value = row.start.replace(tzinfo=None)
        duration.value = timedelta(seconds=row.seconds)
        if row.end is not None:
            end.value = row.end.replace(tzinfo=None)
        if row.amount is not None:
            amount.value = row.amount
        # An empty text is no cell at all (None), not a cell holding "": fewer cells to write, same sheet.
        append(
            [
                row.code,
                row.site,
                row.customer or None,
                row.group or None,
                start,
                end if row.end is not None else None,
                duration,
                row.product or None,
                amount if row.amount is not None else None,
                row.currency,
                row.billed_by or None,
                row.started or None,
                row.stopped or None,
                row.note or None,
                row.state,
            ]
        )
        count += 1
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(count)
    workbook.save(out)
    return count


def _styled(sheet, number_format: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet)
    cell.number_format = number_format
    return cell
