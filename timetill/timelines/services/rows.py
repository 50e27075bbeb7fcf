"""The scan's one-row reads and writes as plain SQL, written once: Django spends several times longer building
a small ORM query than SQLite or PostgreSQL spend running it, and a scan makes four reads and two or three
writes (bench/README.md).

On PostgreSQL, reads and writes that do not depend on each other's results go to the server together, as one
query string of several statements (`batch`): one round trip instead of one each. Each statement still runs
with a snapshot of its own (READ COMMITTED), so a read that follows a row lock in the same batch sees what
the lock's previous holder committed. Each is prepared once per connection and then run by name
(`prepared`): the server plans it once instead of on every scan.

Each read selects every column of one model, converts each value with the converters the ORM itself would
apply (aware datetimes on SQLite too, worked out once per connection and model) and builds the instance with
`Model.from_db()`, as a queryset does. The statements name tables and columns from the models' metadata, never
from input; every value is a query parameter.
"""

# ruff: noqa: S608  (tables and columns come from the models, values are parameters: see above)
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache, lru_cache
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model
from django.db.models.expressions import Col

from timetill.customers.models import Code, Customer
from timetill.timelines.models import Scan, TimeLine
from timetill.timelines.services import prepared

M = TypeVar("M", bound=Model)
# PostgreSQL's "prepared statement does not exist".
_UNKNOWN_STATEMENT = "26000"


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
        "line_by_code": f"SELECT {_columns(TimeLine)} FROM {line} WHERE {line}.code = %s LIMIT 1",
        "customer_by_code": f"SELECT {_columns(Customer)} FROM {customer} "
        f"INNER JOIN {code} ON {code}.customer_id = {customer}.id WHERE {code}.value = %s LIMIT 1",
        # A replay: the scan with its line and the line's customer, in one read.
        "replay": f"SELECT {_columns(Scan)}, {_columns(TimeLine)}, {_columns(Customer)} FROM {scan} "
        f"LEFT JOIN {line} ON {line}.id = {scan}.time_line_id "
        f"LEFT JOIN {customer} ON {customer}.id = {line}.customer_id WHERE {scan}.site_id = %s AND "
        f"{scan}.client_scope = %s AND {scan}.client_id = %s LIMIT 1",
        # The bounce window's scan with its line, in one read.
        "bounce": f"SELECT {_columns(Scan)}, {_columns(TimeLine)} FROM {scan} "
        f"LEFT JOIN {line} ON {line}.id = {scan}.time_line_id WHERE {scan}.site_id = %s AND "
        f"{scan}.code = %s AND {scan}.scanned_at BETWEEN %s AND %s AND {scan}.outcome <> %s "
        f"ORDER BY {scan}.scanned_at DESC LIMIT 1",
        # Locks (PostgreSQL), held to the end of the transaction: a customer's, or an unknown code's at a
        # site. Advisory locks live in the server's memory: unlike a row lock (FOR UPDATE), taking one writes
        # nothing to the table or its log. A customer's takes one 64-bit key, a code's two 32-bit keys: the
        # two key spaces never overlap.
        "lock_customer": "SELECT pg_advisory_xact_lock(%s)",
        "lock_code": "SELECT pg_advisory_xact_lock(%s, %s)",
        # Locked on PostgreSQL (the customer's lock is already held: the same order as a stop's UPDATE), so
        # that a read later in the batch sees what a sale did with the line (the till's `to price?` read).
        "open_line_of_customer": f"SELECT {_columns(TimeLine)} FROM {line} WHERE {line}.site_id = %s AND "
        f"{line}.customer_id = %s AND {line}.{end} IS NULL LIMIT 1"
        + (" FOR UPDATE" if vendor == "postgresql" else ""),
        # A new line's id taken before its row is written (PostgreSQL), so that the line and its scan, which
        # refers to it, are written in one batch.
        "next_line_id": f"SELECT nextval(pg_get_serial_sequence('{TimeLine._meta.db_table}', "
        f"'{TimeLine._meta.pk.column}'))",
        # `scanned_code <> ''` (a code is never empty) is the partial unique index's own condition: with it, a
        # plan made once for any code (a prepared statement's) still uses that index.
        "open_line_of_code": f"SELECT {_columns(TimeLine)} FROM {line} WHERE {line}.site_id = %s AND "
        f"{line}.customer_id IS NULL AND {line}.scanned_code = %s AND {line}.scanned_code <> '' AND "
        f"{line}.{end} IS NULL LIMIT 1",
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


def _model(wrapper: BaseDatabaseWrapper, model: type[M], values: list) -> M | None:
    """One model's instance from its columns' raw values; None for the empty side of a LEFT JOIN."""
    if values[0] is None:  # the primary key, the first concrete field
        return None
    for index, column, converters in _converters(wrapper, model):
        for convert in converters:
            values[index] = convert(values[index], column, wrapper)
    return model.from_db(wrapper.alias, None, values)


def _instances(wrapper: BaseDatabaseWrapper, models: Sequence[type[Model]], row: Sequence | None) -> tuple:
    """The instances of `models` whose columns follow one another in `row` (None each when no row); without
    models, the row's values as they are (an empty tuple when no row)."""
    if not models:
        return tuple(row) if row is not None else ()
    if row is None:
        return (None,) * len(models)
    found, start = [], 0
    for model in models:
        width = len(model._meta.concrete_fields)
        found.append(_model(wrapper, model, list(row[start : start + width])))
        start += width
    return tuple(found)


@dataclass(frozen=True)
class Read:
    """One statement of a batch: its name (in `_statements`) or its SQL, its parameters, and the models
    whose columns its one row holds, in order (none: a statement run for its effect, such as a lock)."""

    statement: str
    params: Sequence[object]
    models: tuple[type[Model], ...] = ()


def _run(wrapper: BaseDatabaseWrapper, statements: Sequence[Read]) -> list[Sequence | None]:
    """Each statement's first row (None: no row, or none returned). PostgreSQL gets them as one query string:
    psycopg's client-side binding (Django's default) sends it with its parameters in one round trip and
    hands each statement's result in turn; each statement is run by name, prepared once per connection
    (`prepared`). Other databases get them one by one (SQLite's driver keeps each statement compiled)."""
    known = _statements(wrapper.vendor)
    sqls = [known.get(read.statement, read.statement) for read in statements]
    rows: list[Sequence | None] = []
    with wrapper.cursor() as cursor:
        if wrapper.vendor == "postgresql":
            return _run_postgresql(wrapper, cursor, sqls, [p for read in statements for p in read.params])
        for sql, read in zip(sqls, statements, strict=True):
            cursor.execute(sql, read.params)
            rows.append(cursor.fetchone() if cursor.description else None)
    return rows


def _run_postgresql(wrapper: BaseDatabaseWrapper, cursor: Any, sqls: list[str], params: list) -> list:
    driver = wrapper.connection
    sent = prepared.plan(driver, sqls)
    try:
        cursor.execute("; ".join([*sent.prepares, *sent.statements]), params)
    except DatabaseError as error:
        prepared.forget(driver, sent.introduced)
        if getattr(error.__cause__, "sqlstate", None) == _UNKNOWN_STATEMENT:
            prepared.forget_all(driver)  # a pooler, or DISCARD ALL: the next scan prepares them again
        raise
    rows: list[Sequence | None] = []
    for index in range(len(sent.prepares) + len(sqls)):
        if index:
            cursor.nextset()
        if index >= len(sent.prepares):
            rows.append(cursor.fetchone() if cursor.description else None)
    return rows


def batch(reads: Sequence[Read]) -> list[tuple]:
    """Run the reads in order, each giving one row at most; for each, the instances of its models."""
    wrapper = connections[DEFAULT_DB_ALIAS]  # this thread's connection (`connection` is a proxy to it)
    rows = _run(wrapper, reads)
    return [_instances(wrapper, read.models, row) for read, row in zip(reads, rows, strict=True)]


def replay_read(site_id: int, scope: str, client_id: str) -> Read:
    """The scan a client id made, with its line and the line's customer (Scan, TimeLine, Customer)."""
    return Read("replay", [site_id, scope, client_id], (Scan, TimeLine, Customer))


def line_by_code_read(code: str) -> Read:
    return Read("line_by_code", [code], (TimeLine,))


def customer_by_code_read(code: str) -> Read:
    return Read("customer_by_code", [code], (Customer,))


def bounce_read(site_id: int, code: str, since: datetime, until: datetime) -> Read:
    """The latest scan of the code at the site in the window that was not itself a bounce, and its line."""
    # Raw parameters skip the ORM's adaptation: SQLite stores datetimes as naive UTC text.
    adapt = connection.ops.adapt_datetimefield_value
    params = [site_id, code, adapt(since), adapt(until), Scan.Outcome.BOUNCED]
    return Read("bounce", params, (Scan, TimeLine))


def open_line_of_customer_read(site_id: int, customer_id: int) -> Read:
    return Read("open_line_of_customer", [site_id, customer_id], (TimeLine,))


def open_line_of_code_read(site_id: int, code: str) -> Read:
    return Read("open_line_of_code", [site_id, code], (TimeLine,))


def batches() -> bool:
    """Whether a batch of statements goes to the database in one round trip (PostgreSQL), so that a read
    that may turn out needless costs little there."""
    return connection.vendor == "postgresql"


def reserves_ids() -> bool:
    """Whether a new time line's id can be taken before its row is written (`next_line_id_read`)."""
    return connection.vendor == "postgresql"


def next_line_id_read() -> Read:
    """A new time line's id, from its sequence (PostgreSQL): one value."""
    return Read("next_line_id", [])


def lock_customer_read(customer_id: int) -> Read:
    return Read("lock_customer", [customer_id])


def lock_code_read(site_id: int, key: int) -> Read:
    return Read("lock_code", [site_id, key])


def _insert(wrapper: BaseDatabaseWrapper, instance: Model) -> Read:
    # The same values as the ORM's insert: each field's `pre_save(add=True)` then `get_db_prep_save()`; the
    # primary key too when it was set beforehand (a reserved id).
    with_pk = instance.pk is not None
    fields = [f for f in instance._meta.concrete_fields if with_pk or not f.primary_key]
    values = [f.get_db_prep_save(f.pre_save(instance, True), wrapper) for f in fields]
    return Read(_insert_statement(wrapper.vendor, type(instance), with_pk), values)


def _update(wrapper: BaseDatabaseWrapper, instance: Model, fields: Sequence[str]) -> Read:
    meta = instance._meta
    chosen = [meta.get_field(name) for name in fields]
    values = [f.get_db_prep_save(f.pre_save(instance, False), wrapper) for f in chosen]
    columns = ", ".join(f"{_q(f.column)} = %s" for f in chosen)
    sql = f"UPDATE {_q(meta.db_table)} SET {columns} WHERE {_q(meta.pk.column)} = %s"
    return Read(sql, [*values, instance.pk])


def write(*, updates: Sequence[tuple[Model, Sequence[str]]] = (), inserts: Sequence[Model] = ()) -> None:
    """UPDATE some columns of saved instances, then INSERT new ones, in that order and in one batch.

    As `save(update_fields=…)` and `save(force_insert=True)` do, each new instance's primary key set from
    its row. No model signals are sent: none is connected to the scan's models (Scan, TimeLine, AuditEntry).
    """
    wrapper = connections[DEFAULT_DB_ALIAS]
    if inserts and not wrapper.features.can_return_columns_from_insert:
        # An SQLite older than 3.35: the ORM's way, one by one.
        for instance, fields in updates:
            instance.save(update_fields=fields)
        for instance in inserts:
            instance.save(force_insert=True)
        return
    statements = [_update(wrapper, instance, fields) for instance, fields in updates]
    statements += [_insert(wrapper, instance) for instance in inserts]
    keys = _run(wrapper, statements)[len(updates) :]
    for instance, key in zip(inserts, keys, strict=True):
        instance.pk = key[0]
        instance._state.adding = False
        instance._state.db = wrapper.alias


def insert(instance: M) -> M:
    """INSERT a new instance as `instance.save(force_insert=True)` does, its primary key set from the row."""
    write(inserts=[instance])
    return instance


def update(instance: Model, fields: Sequence[str]) -> None:
    """UPDATE some columns of a saved instance, as `instance.save(update_fields=fields)` does."""
    write(updates=[(instance, fields)])


@lru_cache(maxsize=16)
def _insert_statement(vendor: str, model: type[Model], with_pk: bool = False) -> str:
    meta = model._meta
    fields = [f for f in meta.concrete_fields if with_pk or not f.primary_key]
    columns = ", ".join(_q(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    return f"INSERT INTO {_q(meta.db_table)} ({columns}) VALUES ({marks}) RETURNING {_q(meta.pk.column)}"
