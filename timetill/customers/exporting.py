"""Customers written out as CSV or XLSX, in the columns the import reads back."""

import csv
import io

from django.db.models import QuerySet
from openpyxl import Workbook

from timetill.customers.importing import COLUMNS
from timetill.customers.models import Customer


def _rows(customers: QuerySet[Customer]):
    for customer in customers.select_related("group").prefetch_related("codes").order_by("name", "pk"):
        yield [
            customer.name,
            customer.group.name if customer.group else "",
            customer.email,
            " ".join(code.value for code in customer.codes.all()),
            customer.notes,
        ]


def to_csv(customers: QuerySet[Customer]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows(_rows(customers))
    return out.getvalue().encode("utf-8-sig")  # with a BOM, so that spreadsheets read the accents right


def to_xlsx(customers: QuerySet[Customer]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Customers")
    sheet.append(list(COLUMNS))
    for row in _rows(customers):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
