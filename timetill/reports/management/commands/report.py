"""`timetill report timelines|occupancy|revenue --from --to --format csv|xlsx|json`: a report to a file or
the standard output, with a progress bar on large exports."""

import json
import sys
from datetime import date, datetime
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from tqdm import tqdm

from timetill.errors import TimetillError
from timetill.reports.api import occupancy_data
from timetill.reports.exports import DELIMITERS, csv_lines, time_line_csv, write_xlsx
from timetill.reports.forms import read_asked, read_time_line_filters
from timetill.reports.occupancy import occupancy
from timetill.reports.revenue import revenue
from timetill.reports.timelines import rows, time_lines, totals
from timetill.reports.views import occupancy_csv_rows

# Past this many rows an export shows its progress on the standard error.
PROGRESS_FROM = 10_000


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "__dataclass_fields__"):
        return {name: _plain(getattr(value, name)) for name in value.__dataclass_fields__}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


class Command(BaseCommand):
    help = "Write a report (time lines, occupancy or revenue) for a period as CSV, XLSX or JSON."

    def add_arguments(self, parser):
        parser.add_argument("report", choices=("timelines", "occupancy", "revenue"))
        parser.add_argument("--from", dest="first", help="first local day, YYYY-MM-DD")
        parser.add_argument("--to", dest="last", help="last local day, YYYY-MM-DD")
        parser.add_argument("--preset", help="today, yesterday, this_week, last_week, this_month, last_month")
        parser.add_argument("--site", help="a site's slug (occupancy: the first site when left out)")
        parser.add_argument("--format", choices=("csv", "xlsx", "json"), default="csv")
        parser.add_argument("--delimiter", choices=tuple(DELIMITERS), default="comma")
        parser.add_argument("--bucket", choices=("hour", "day", "week"), default="hour")
        parser.add_argument("--state", help="time lines: open, stopped, hidden, paid or invoiced")
        parser.add_argument(
            "--output", "-o", help="the file to write (default: the standard output; XLSX needs one)"
        )

    def handle(self, *args, **options):
        query = {
            "from": options["first"],
            "to": options["last"],
            "preset": options["preset"],
            "site": options["site"],
        }
        query["state"] = options["state"]
        if options["format"] == "xlsx" and not options["output"]:
            raise CommandError(_("An XLSX workbook goes to a file: give --output FILE.xlsx."))
        if options["format"] == "xlsx" and options["report"] != "timelines":
            raise CommandError(_("XLSX is for time lines; occupancy and revenue come as CSV or JSON."))
        try:
            self._write(options, {key: value for key, value in query.items() if value})
        except TimetillError as error:
            raise CommandError(error.message) from error

    def _out(self, options, binary: bool = False):
        if options["output"]:
            if binary:
                return open(options["output"], "wb")  # noqa: SIM115 - closed by the caller
            return open(options["output"], "w", encoding="utf-8", newline="")  # noqa: SIM115
        return sys.stdout.buffer if binary else sys.stdout

    def _write(self, options, query: dict) -> None:
        at = timezone.now()
        kind, fmt = options["report"], options["format"]
        delimiter = DELIMITERS[options["delimiter"]]
        if kind == "timelines":
            filters = read_time_line_filters(query, at=at)
            found = totals(filters, at=at)
            lines = time_lines(filters, at=at)
            bar = tqdm(total=found.count, unit=" lines", file=sys.stderr, disable=found.count < PROGRESS_FROM)
            with bar:
                tracked = (bar.update(1) or row for row in rows(lines))
                out = self._out(options, binary=fmt == "xlsx")
                try:
                    if fmt == "xlsx":
                        write_xlsx(tracked, out)
                    elif fmt == "csv":
                        out.writelines(time_line_csv(tracked, delimiter=delimiter))
                    else:
                        json.dump(
                            {"totals": _plain(found), "items": [_plain(row) for row in tracked]},
                            out,
                            ensure_ascii=False,
                        )
                finally:
                    if options["output"]:
                        out.close()
            if options["output"]:
                self.stderr.write(f"{found.count} time lines written to {options['output']}")
            return
        if kind == "occupancy":
            asked = read_asked(query, at=at, site_required=True)
            report = occupancy(site=asked.site, period=asked.period, bucket=options["bucket"], at=at)
            out = self._out(options)
            if fmt == "csv":
                headers, body = occupancy_csv_rows(report)
                out.writelines(csv_lines(headers, body, delimiter=delimiter))
            else:
                json.dump(_plain(occupancy_data(report)), out)
        else:
            asked = read_asked(query, at=at, site_required=False)
            found = revenue(site=asked.site, period=asked.period)
            out = self._out(options)
            if fmt == "csv":
                body = [["product", line.name, line.net, line.vat, line.gross] for line in found.by_product]
                body += [["group", line.name, line.net, line.vat, line.gross] for line in found.by_group]
                body += [["source", line.name, line.net, line.vat, line.gross] for line in found.by_source]
                body.append(["total", "", found.total.net, found.total.vat, found.total.gross])
                out.writelines(csv_lines(["by", "name", "net", "vat", "gross"], body, delimiter=delimiter))
            else:
                json.dump(_plain(found), out, ensure_ascii=False)
        if options["output"]:
            out.close()
