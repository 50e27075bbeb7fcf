"""Rows of one model written as plain values in a few statements, for the monthly run's drafts and lines.

Django's bulk_create makes a model instance of each row and prepares each value through its field, and on
PostgreSQL sends each column as an array (UNNEST) that psycopg's client-side binding quotes element by
element in Python: for 10,000 lines and 5,000 drafts, that was most of a run's writes. Here each row is a
dict of field values (by attname), sent as the drivers take them (both adapt Decimal, date, bool and int;
datetimes are prepared by their field, JSON encoded by orjson):

- on PostgreSQL by COPY (psycopg 3's `cursor.copy`, rows written by its C adapters, the server parsing
  them as it parses an INSERT's; the triggers and constraints fire as for an INSERT);
- on SQLite by multi-row `INSERT`s, as many rows a statement as its limit of parameters allows. Not one
  prepared single-row `INSERT` run for every row (`executemany`): SQLite runs a table's triggers (those
  that guard issued invoices) at a cost for every step of a statement, which made that twice as slow for
  the lines.

Ids are not read back: a caller that needs them reads them by a unique key.

A datetime is prepared once per distinct value (a run's drafts share their creation time)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import orjson
from django.db import connection
from django.db.models import DateTimeField, Field, JSONField, Model


def _fields(model: type[Model]) -> list[Field]:
    return [f for f in model._meta.concrete_fields if not f.primary_key]


def defaults(model: type[Model]) -> dict[str, Any]:
    """What a new instance of the model holds before any value is given (by attname): each field's
    default, else an empty text or None, for rows that leave fields out."""
    return {f.attname: f.get_default() for f in _fields(model)}


def _preparers(fields: list[Field]) -> list[tuple[int, Any]]:
    """The columns whose values a driver does not take as they are, and how each is prepared: JSON as its
    text (the server parses it as an INSERT's), datetimes by their field."""
    out = []
    for i, f in enumerate(fields):
        if isinstance(f, JSONField):
            out.append((i, lambda v: None if v is None else orjson.dumps(v).decode()))
        elif isinstance(f, DateTimeField):
            out.append((i, _once(lambda v, f=f: f.get_db_prep_save(v, connection))))
    return out


def _once(prepare: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`prepare` run once per distinct value (of one batch of rows)."""
    seen: dict[Any, Any] = {}

    def prepared(value: Any) -> Any:  # noqa: ANN401
        found = seen.get(value, seen)
        if found is seen:
            found = seen[value] = prepare(value)
        return found

    return prepared


def _params(fields: list[Field], rows: Sequence[dict[str, Any]]) -> list[list[Any]]:
    names = [f.attname for f in fields]
    prepare = _preparers(fields)
    params = []
    for row in rows:
        values = [row[name] for name in names]
        for i, how in prepare:
            values[i] = how(values[i])
        params.append(values)
    return params


def insert_values(model: type[Model], rows: Sequence[dict[str, Any]]) -> None:
    """Insert rows given as {attname: value} with every concrete field but the primary key, without
    reading their ids back."""
    if not rows:
        return
    fields = _fields(model)
    q = connection.ops.quote_name
    columns = ", ".join(q(f.column) for f in fields)
    table = q(model._meta.db_table)
    postgres = connection.vendor == "postgresql"
    params = _params(fields, rows)
    with connection.cursor() as cursor:
        if postgres:
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:  # noqa: S608
                for values in params:
                    copy.write_row(values)
            return
        one = "(" + ", ".join(["%s"] * len(fields)) + ")"
        step = _rows_per_statement(len(fields))
        for start in range(0, len(params), step):
            chunk = params[start : start + step]
            # Only the model's own quoted names are formatted in; the values are parameters.
            sql = f"INSERT INTO {table} ({columns}) VALUES {', '.join([one] * len(chunk))}"  # noqa: S608
            cursor.execute(sql, [value for values in chunk for value in values])


def _rows_per_statement(columns: int) -> int:
    limit = connection.features.max_query_params or 65_535
    return max(1, min(500, limit // columns))
