"""The scan's one-row reads as plain SQL, written once: Django spends several times longer building a small
ORM query than SQLite or PostgreSQL spend running it, and a scan makes four of them (bench/README.md).

Each read selects every column of one model and goes through `Model.objects.raw()`, so values are converted
exactly as the ORM converts them (aware datetimes on SQLite too). The statements name tables and columns from
the models' metadata, never from input; every value is a query parameter.
"""

# ruff: noqa: S608  (tables and columns come from the models, values are parameters: see above)
from collections.abc import Sequence
from datetime import datetime
from functools import cache
from typing import TypeVar

from django.db import connection
from django.db.models import Model

from timetill.customers.models import Code, Customer
from timetill.timelines.models import Scan, TimeLine

M = TypeVar("M", bound=Model)


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _columns(model: type[Model]) -> str:
    table = _q(model._meta.db_table)
    return ", ".join(f"{table}.{_q(field.column)}" for field in model._meta.concrete_fields)


@cache
def _statements(vendor: str) -> dict[str, str]:
    """The statements of one database vendor (quoting is the vendor's)."""
    scan, line = _q(Scan._meta.db_table), _q(TimeLine._meta.db_table)
    customer, code = _q(Customer._meta.db_table), _q(Code._meta.db_table)
    end = _q("end")  # a reserved word
    return {
        "scan_by_client_id": f"SELECT {_columns(Scan)} FROM {scan} WHERE {scan}.site_id = %s AND "
        f"{scan}.client_id = %s LIMIT 1",
        # The bounce window: the latest scan of this code at this site that was not itself a bounce.
        "recent_scan": f"SELECT {_columns(Scan)} FROM {scan} WHERE {scan}.site_id = %s AND {scan}.code = %s "
        f"AND {scan}.scanned_at BETWEEN %s AND %s AND {scan}.outcome <> %s "
        f"ORDER BY {scan}.scanned_at DESC LIMIT 1",
        "line_by_code": f"SELECT {_columns(TimeLine)} FROM {line} WHERE {line}.code = %s LIMIT 1",
        "line_by_pk": f"SELECT {_columns(TimeLine)} FROM {line} WHERE {line}.id = %s LIMIT 1",
        "customer_by_code": f"SELECT {_columns(Customer)} FROM {customer} "
        f"INNER JOIN {code} ON {code}.customer_id = {customer}.id WHERE {code}.value = %s LIMIT 1",
        "customer_by_pk": f"SELECT {_columns(Customer)} FROM {customer} WHERE {customer}.id = %s LIMIT 1",
        "open_line_of_customer": f"SELECT {_columns(TimeLine)} FROM {line} WHERE {line}.site_id = %s AND "
        f"{line}.customer_id = %s AND {line}.{end} IS NULL LIMIT 1",
        "open_line_of_code": f"SELECT {_columns(TimeLine)} FROM {line} WHERE {line}.site_id = %s AND "
        f"{line}.customer_id IS NULL AND {line}.scanned_code = %s AND {line}.{end} IS NULL LIMIT 1",
    }


def _one(model: type[M], statement: str, params: Sequence[object]) -> M | None:
    sql = _statements(connection.vendor)[statement]
    return next(iter(model.objects.raw(sql, params)), None)


def scan_by_client_id(site_id: int, client_id: str) -> Scan | None:
    return _one(Scan, "scan_by_client_id", [site_id, client_id])


def recent_scan(site_id: int, code: str, since: datetime, until: datetime) -> Scan | None:
    # Raw parameters skip the ORM's adaptation: SQLite stores datetimes as naive UTC text.
    adapt = connection.ops.adapt_datetimefield_value
    return _one(Scan, "recent_scan", [site_id, code, adapt(since), adapt(until), Scan.Outcome.BOUNCED])


def line_by_code(code: str) -> TimeLine | None:
    return _one(TimeLine, "line_by_code", [code])


def line_by_pk(pk: int) -> TimeLine | None:
    return _one(TimeLine, "line_by_pk", [pk])


def customer_by_code(code: str) -> Customer | None:
    return _one(Customer, "customer_by_code", [code])


def customer_by_pk(pk: int) -> Customer | None:
    return _one(Customer, "customer_by_pk", [pk])


def open_line_of_customer(site_id: int, customer_id: int) -> TimeLine | None:
    return _one(TimeLine, "open_line_of_customer", [site_id, customer_id])


def open_line_of_code(site_id: int, code: str) -> TimeLine | None:
    return _one(TimeLine, "open_line_of_code", [site_id, code])
