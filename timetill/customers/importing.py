"""Customers imported from a CSV or XLSX file: read, checked row by row (a message for each wrong row), then
imported in one transaction, either all rows or, when the manager chooses, only the valid ones.

Columns (a header row, in any order, any case): name (required), group, email, codes (several separated by
spaces, commas or semicolons; "code" is accepted too), notes. A group that does not exist yet is created.
"""

import csv
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import load_workbook

from timetill.customers.claims import claimed, hold_codes
from timetill.customers.codes import CodeError, is_line_code, is_valid_ean13, normalize_code
from timetill.customers.models import Code, Customer, CustomerGroup
from timetill.customers.search import fold

MAX_ROWS = 20_000
MAX_BYTES = 5 * 1024 * 1024
COLUMNS = ("name", "group", "email", "codes", "notes")
_ALIASES = {
    "code": "codes",
    "e-mail": "email",
    "mail": "email",
    "customer": "name",
    "customer group": "group",
}
_CODE_SPLIT = re.compile(r"[\s,;]+")


class ImportError_(Exception):  # noqa: N801 - not the built-in ImportError
    """The file as a whole cannot be read (not a CSV/XLSX, no name column, too big)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class Row:
    """One row of the file as read, with what is wrong with it (nothing: it can be imported)."""

    number: int  # the row's number in the file, header = 1, as a spreadsheet shows it
    name: str = ""
    group: str = ""
    email: str = ""
    codes: list[str] = field(default_factory=list)  # as written in the file
    notes: str = ""
    problems: list[str] = field(default_factory=list)
    values: list[str] = field(default_factory=list)  # the codes as stored, once checked

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict:
        return {
            "number": self.number, "name": self.name, "group": self.group, "email": self.email,
            "codes": self.codes, "notes": self.notes,
        }  # fmt: skip


@dataclass(frozen=True)
class Outcome:
    imported: int
    skipped: int
    groups_created: int


def _cells_of(content: bytes, filename: str) -> list[list[str]]:
    if len(content) > MAX_BYTES:
        raise ImportError_(
            "file_too_big", _("The file is larger than %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)}
        )
    if filename.lower().endswith(".xlsx"):
        try:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
            raise ImportError_(
                "unreadable_file", _("This file is not an XLSX workbook that can be read.")
            ) from error
        sheet = book.worksheets[0]
        return [
            ["" if v is None else str(v).strip() for v in row] for row in sheet.iter_rows(values_only=True)
        ]
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="strict") if _is_cp1252(content) else None
        if text is None:
            raise ImportError_(
                "unreadable_file", _("This file is neither a UTF-8 CSV nor an XLSX workbook.")
            ) from None
    if "\x00" in text:
        raise ImportError_("unreadable_file", _("This file is neither a CSV nor an XLSX workbook."))
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), dialect)]


def _is_cp1252(content: bytes) -> bool:
    try:
        content.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True


def read_rows(content: bytes, filename: str) -> list[Row]:
    """The file's rows, each already checked (`check_rows`)."""
    cells = [row for row in _cells_of(content, filename) if any(row)]
    if not cells:
        raise ImportError_("empty_file", _("The file is empty."))
    header = [_ALIASES.get(h.strip().lower(), h.strip().lower()) for h in cells[0]]
    if "name" not in header:
        raise ImportError_(
            "no_name_column",
            _("The first row must name the columns, with at least “name” (and group, email, codes, notes)."),
        )
    if len(cells) - 1 > MAX_ROWS:
        raise ImportError_(
            "too_many_rows", _("A file imports at most %(most)s customers at once.") % {"most": MAX_ROWS}
        )
    index = {column: header.index(column) for column in COLUMNS if column in header}
    rows = []
    for number, cells_of_row in enumerate(cells[1:], start=2):

        def cell(column: str, cells_of_row=cells_of_row) -> str:
            i = index.get(column)
            return cells_of_row[i] if i is not None and i < len(cells_of_row) else ""

        rows.append(
            Row(
                number=number,
                name=" ".join(cell("name").split()),
                group=" ".join(cell("group").split()),
                email=cell("email"),
                codes=[c for c in _CODE_SPLIT.split(cell("codes")) if c],
                notes=cell("notes"),
            )
        )
    check_rows(rows)
    return rows


def check_rows(rows: list[Row]) -> None:
    """Write each row's problems in its `problems`, in the manager's words: against the database and against
    the other rows of the file (a code twice)."""
    seen: dict[str, int] = {}
    wanted = []
    for row in rows:
        row.problems = []
        if not row.name:
            row.problems.append(_("The name is missing."))
        elif len(row.name) > 200:
            row.problems.append(_("The name is longer than 200 characters."))
        if len(row.group) > 100:
            row.problems.append(_("The group's name is longer than 100 characters."))
        if row.email:
            try:
                validate_email(row.email)
            except ValidationError:
                row.problems.append(_("“%(email)s” is not an e-mail address.") % {"email": row.email[:80]})
        normalised = []
        for raw in row.codes:
            try:
                value = normalize_code(raw)
            except CodeError as error:
                row.problems.append(
                    _("Code “%(code)s”: %(problem)s") % {"code": raw[:70], "problem": error.message}
                )
                continue
            if is_line_code(value):
                row.problems.append(
                    _("Code %(code)s has the form of a time line's own code.") % {"code": value}
                )
            elif value in seen:
                row.problems.append(
                    _("Code %(code)s is also on row %(row)s.") % {"code": value, "row": seen[value]}
                )
            else:
                seen[value] = row.number
                normalised.append(value)
                wanted.append(value)
        row.values = normalised
    taken = dict(
        Code.objects.filter(value__in=wanted).values_list("value", "customer__name")
    )  # one query for the whole file
    others = claimed(wanted)
    for row in rows:
        for value in row.values:
            if value in taken:
                row.problems.append(
                    _("Code %(code)s already belongs to %(owner)s.") % {"code": value, "owner": taken[value]}
                )
            elif value in others:
                row.problems.append(
                    _("Code {code} is already {owner}.").format(code=value, owner=others[value])
                )


@transaction.atomic
def import_rows(rows: list[Row], *, valid_only: bool) -> Outcome:
    """Import the rows in one transaction, checked again here (a code may have been given meanwhile). With a
    wrong row and not `valid_only`, nothing is imported."""
    hold_codes()  # no card or ladder step may take one of the file's codes between the check and the insert
    check_rows(rows)
    wrong = [row for row in rows if not row.ok]
    if wrong and not valid_only:
        raise ImportError_(
            "rows_wrong",
            ngettext(
                "%(count)s row is wrong (row %(row)s: %(problem)s); nothing was imported.",
                "%(count)s rows are wrong (row %(row)s: %(problem)s); nothing was imported.",
                len(wrong),
            )
            % {"count": len(wrong), "row": wrong[0].number, "problem": wrong[0].problems[0]},
        )
    good = [row for row in rows if row.ok]
    groups = {g.name.casefold(): g for g in CustomerGroup.objects.all()}
    created_groups = 0
    for row in good:
        key = row.group.casefold()
        if row.group and key not in groups:
            groups[key] = CustomerGroup.objects.create(name=row.group)
            created_groups += 1
    customers = [
        Customer(
            name=row.name, search_name=fold(row.name),  # bulk_create does not call save(), which folds it
            group=groups.get(row.group.casefold()) if row.group else None,
            email=row.email, notes=row.notes[:5000],
        )
        for row in good
    ]  # fmt: skip
    Customer.objects.bulk_create(customers, batch_size=1000)
    codes = [
        Code(
            customer=customer, value=value, kind=Code.Kind.EAN13 if is_valid_ean13(value) else Code.Kind.TEXT
        )
        for customer, row in zip(customers, good, strict=True)
        for value in row.values
    ]
    Code.objects.bulk_create(codes, batch_size=1000)
    return Outcome(imported=len(good), skipped=len(wrong), groups_created=created_groups)


def rows_from_dicts(data: list[dict]) -> list[Row]:
    return [Row(**{k: v for k, v in item.items() if k not in ("problems", "values")}) for item in data]
