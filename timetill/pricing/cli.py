"""`timetill quote TARIFF.json --start ISO --end ISO [--group NAME] [--json] [--stays FILE]`: price a stay."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, NoReturn, TextIO

from .errors import PricingError, TariffError
from .quote import Quote
from .spans import describe_duration, to_us
from .tariff import Tariff, load_tariff

MAX_FILE_BYTES = 5_000_000


class UsageError(Exception):
    """Bad command-line arguments, reported on one line."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def _parser() -> _Parser:
    parser = _Parser(
        prog="timetill quote",
        description="Price a stay (or, with --stays, a period's stays) with a tariff and explain it.",
        epilog="Timestamps are ISO 8601; without a UTC offset they are read in the tariff's time zone "
        "(refused when the tariff names none).",
    )
    parser.add_argument("tariff", metavar="TARIFF.json", help="the tariff document")
    parser.add_argument("--start", help="entry, e.g. 2026-03-02T10:00 or 2026-03-02T10:00+01:00")
    parser.add_argument("--end", help="exit (an open stay: now, to price it so far)")
    parser.add_argument("--group", help="the customer group, for its own price")
    parser.add_argument("--stays", metavar="FILE", help="CSV or JSON of start/end pairs (Daily Time)")
    parser.add_argument("--json", action="store_true", help="print the quote as JSON")
    return parser


def main(argv: list[str]) -> int:
    """Runs the command; returns the exit code (0, or 2 with one line on stderr for any bad input)."""
    try:
        args = _parser().parse_args(argv)
        tariff = load_tariff(_read(args.tariff))
        quote = _quote(tariff, args)
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    except TariffError as exc:
        return _fail(f"{args.tariff}: {'; '.join(exc.errors)}")
    except (UsageError, PricingError) as exc:
        return _fail(str(exc))
    if args.json:
        sys.stdout.write(json.dumps(quote.to_dict(), indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(render(quote))
    return 0


def _fail(message: str) -> int:
    sys.stderr.write(f"timetill quote: error: {' '.join(message.split())}\n")
    return 2


def _read(path: str) -> str:
    file = Path(path)
    try:
        if file.stat().st_size > MAX_FILE_BYTES:
            raise UsageError(f"{path}: larger than {MAX_FILE_BYTES} bytes")
        data = file.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{path}: is a directory") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot be read ({exc.strerror})") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError(f"{path}: is not UTF-8 text") from None


def _quote(tariff: Tariff, args: argparse.Namespace) -> Quote:
    if args.stays is not None:
        if args.start is not None or args.end is not None:
            raise UsageError("give either --start and --end, or --stays")
        return tariff.quote(stays=read_stays(args.stays), group=args.group)
    if args.start is None or args.end is None:
        raise UsageError("--start and --end are required (or --stays FILE)")
    end = args.end
    if end == "now":
        end = datetime.now().astimezone()
    return tariff.quote(args.start, end, group=args.group)


def read_stays(path: str) -> list[tuple[str, str]]:
    """Start/end pairs from a JSON list ([{"start":…, "end":…}] or [[start, end]]) or a CSV file."""
    text = _read(path)
    if text.lstrip().startswith(("[", "{")):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise UsageError(f"{path}: not valid JSON (line {exc.lineno}: {exc.msg})") from None
        if isinstance(data, dict) and isinstance(data.get("stays"), list):
            data = data["stays"]
        if not isinstance(data, list):
            raise UsageError(f"{path}: expected a list of stays")
        return [_pair(item, f"{path}: stays[{i}]") for i, item in enumerate(data)]
    pairs = []
    rows = [row for row in csv.reader(io.StringIO(text)) if any(cell.strip() for cell in row)]
    if rows and rows[0] and rows[0][0].strip().lower() == "start":
        rows = rows[1:]
    for n, row in enumerate(rows, start=1):
        if len(row) != 2:
            raise UsageError(f"{path}: row {n} should have two columns, start and end")
        pairs.append((row[0].strip(), row[1].strip()))
    return pairs


def _pair(item: Any, where: str) -> tuple[str, str]:
    if isinstance(item, dict) and isinstance(item.get("start"), str) and isinstance(item.get("end"), str):
        return item["start"], item["end"]
    if isinstance(item, list) and len(item) == 2 and all(isinstance(x, str) for x in item):
        return item[0], item[1]
    raise UsageError(f'{where}: expected {{"start": …, "end": …}} or [start, end]')


def render(quote: Quote, out: TextIO | None = None) -> str:
    """The explanation as text: one row per line, then the total."""
    tz = quote.time_zone
    start, end = quote.start.astimezone(tz), quote.end.astimezone(tz)
    where = tz.key if tz is not None else "UTC"
    title = quote.tariff or f"{quote.kind} tariff"
    length = describe_duration(to_us(quote.end) - to_us(quote.start))
    rows = [
        f"{title} ({quote.kind}, {quote.currency})" + (f", group {quote.group}" if quote.group else ""),
        f"Stay: {start:%Y-%m-%d %H:%M} → {end:%Y-%m-%d %H:%M} ({length}, {where})",
        "",
    ]
    for line in quote.lines:
        span = ""
        if line.start is not None and line.end is not None:
            a, b = line.start.astimezone(tz), line.end.astimezone(tz)
            span = (
                f"{a:%d/%m %H:%M}–{b:%H:%M}" if a.date() == b.date() else f"{a:%d/%m %H:%M}–{b:%d/%m %H:%M}"
            )
        detail = ""
        if line.unit_price is not None and line.unit:
            detail = f"{_qty(line.quantity)} × {line.unit} at {line.unit_price.amount} / {line.price_per}"
        rows.append(f"  {line.label:<44} {span:<24} {detail:<32} {line.amount.amount:>10}")
    rows.append(f"  {'Total':<44} {'':<24} {'':<32} {quote.total.amount:>10} {quote.currency}")
    if quote.vat is not None:
        v = quote.vat
        rows.append(f"  VAT {v.rate}%: net {v.net.amount}, VAT {v.tax.amount}, gross {v.gross.amount}")
    if quote.choices:
        rows.append(
            "  Steps: "
            + ", ".join(
                f"{c.label} {c.price.amount}" + (" (proposed)" if c.proposed else "") for c in quote.choices
            )
        )
    return "\n".join(rows) + "\n"


def _qty(quantity: Decimal) -> str:
    return f"{quantity:f}"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
