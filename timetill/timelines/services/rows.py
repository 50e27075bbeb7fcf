"""The scan's one-row reads and writes as plain SQL, written once: Django spends several times longer building
a small ORM query than SQLite or PostgreSQL spend running it, and a scan makes four reads and two or three
writes (bench/README.md).

Each read selects every column of one model, converts each value with the converters the ORM itself would
apply (aware datetimes on SQLite too, worked out once per connection and model) and builds the instance with
`Model.from_db()`, as a queryset does. The statements name tables and columns from the models' metadata, never
from input; every value is a query parameter.
"""

# ruff: noqa: S608  (tables and columns come from the models, values are parameters: see above)
from collections.abc import Callable, Sequence
from datetime import datetime
from functools import cache, lru_cache
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model
from django.db.models.expressions import Col

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
        f"{scan}.client_scope = %s AND {scan}.client_id = %s LIMIT 1",
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


Converter = Callable[[Any, Any, BaseDatabaseWrapper], Any]
Plan = tuple[tuple[int, Col, tuple[Converter, ...]], ...]  # (column index, column, its converters)


@lru_cache(maxsize=64)
def _converters(wrapper: BaseDatabaseWrapper, model: type[Model]) -> Plan:
    """For each column of `model` that needs it, the converters the ORM applies to its raw value.

    Keyed by the connection's wrapper, which lives as long as its thread (the converters are its methods)."""
    plan = []
    for index, field in enumerate(model._meta.concrete_fields):
        column = field.get_col(model._meta.db_table)
        found = wrapper.ops.get_db_converters(column) + column.get_db_converters(wrapper)
        if found:
            plan.append((index, column, tuple(found)))
    return tuple(plan)


def _one(model: type[M], statement: str, params: Sequence[object]) -> M | None:
    wrapper = connections[DEFAULT_DB_ALIAS]  # this thread's connection (`connection` is a proxy to it)
    with wrapper.cursor() as cursor:
        cursor.execute(_statements(wrapper.vendor)[statement], params)
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row)
    for index, column, converters in _converters(wrapper, model):
        for convert in converters:
            values[index] = convert(values[index], column, wrapper)
    return model.from_db(wrapper.alias, None, values)


def scan_by_client_id(site_id: int, scope: str, client_id: str) -> Scan | None:
    return _one(Scan, "scan_by_client_id", [site_id, scope, client_id])


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


def insert(instance: M) -> M:
    """INSERT a new instance as `instance.save(force_insert=True)` does, its primary key set from the row.

    The same values as the ORM's insert: each field's `pre_save(add=True)` then `get_db_prep_save()`.
    No model signals are sent: none is connected to the scan's models (Scan, TimeLine, AuditEntry).
    """
    wrapper = connections[DEFAULT_DB_ALIAS]
    meta = instance._meta
    if not wrapper.features.can_return_columns_from_insert:
        instance.save(force_insert=True)  # an SQLite older than 3.35: the ORM's way
        return instance
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    values = [f.get_db_prep_save(f.pre_save(instance, True), wrapper) for f in fields]
    with wrapper.cursor() as cursor:
        cursor.execute(_insert_statement(wrapper.vendor, type(instance)), values)
        instance.pk = cursor.fetchone()[0]
    instance._state.adding = False
    instance._state.db = wrapper.alias
    return instance


def update(instance: Model, fields: Sequence[str]) -> None:
    """UPDATE some columns of a saved instance, as `instance.save(update_fields=fields)` does."""
    wrapper = connections[DEFAULT_DB_ALIAS]
    meta = instance._meta
    chosen = [meta.get_field(name) for name in fields]
    values = [f.get_db_prep_save(f.pre_save(instance, False), wrapper) for f in chosen]
    columns = ", ".join(f"{_q(f.column)} = %s" for f in chosen)
    with wrapper.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_q(meta.db_table)} SET {columns} WHERE {_q(meta.pk.column)} = %s",
            [*values, instance.pk],
        )


@lru_cache(maxsize=16)
def _insert_statement(vendor: str, model: type[Model]) -> str:
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    columns = ", ".join(_q(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    return f"INSERT INTO {_q(meta.db_table)} ({columns}) VALUES ({marks}) RETURNING {_q(meta.pk.column)}"
