"""Rows of one model written by one INSERT run for each row (executemany), for the monthly run's lines.

Django's bulk_create sends PostgreSQL each column as an array (UNNEST), which psycopg's client-side binding
quotes element by element in Python, and makes a model instance of each row: for 10,000 lines with their
JSON explanations, that was half of a run. Here each row is a dict of field values (by attname), sent as the
drivers take them (both adapt Decimal, date and bool), and JSON is encoded by orjson."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson
from django.db import connection
from django.db.models import JSONField, Model
from psycopg.types.json import Jsonb


def _json_param(value: Any) -> Any:  # noqa: ANN401
    if value is None:
        return None
    if connection.vendor == "postgresql":
        return Jsonb(value, dumps=orjson.dumps)
    return orjson.dumps(value).decode()


def insert_values(model: type[Model], rows: Sequence[dict[str, Any]]) -> None:
    """Insert rows given as {attname: value} with every concrete field but the primary key, without
    reading their ids back."""
    if not rows:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    q = connection.ops.quote_name
    # Only the model's own quoted names are formatted in; the values are parameters.
    sql = (
        f"INSERT INTO {q(model._meta.db_table)} ({', '.join(q(f.column) for f in fields)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    names = [f.attname for f in fields]
    json_at = [i for i, f in enumerate(fields) if isinstance(f, JSONField)]
    params = []
    for row in rows:
        values = [row[name] for name in names]
        for i in json_at:
            values[i] = _json_param(values[i])
        params.append(values)
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def insert_returning(model: type[Model], objs: Sequence[Model], key: str) -> None:
    """Insert new model instances in a few multi-row statements and set their ids, read back with `key`
    (an attname unique among `objs`) to match each id to its row. Where the database cannot return rows
    from an insert, Django's bulk_create does it."""
    if not objs:
        return
    if not connection.features.can_return_rows_from_bulk_insert:
        model._default_manager.bulk_create(objs)
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    q = connection.ops.quote_name
    pk = model._meta.pk
    by_key = {getattr(obj, key): obj for obj in objs}
    key_column = next(f.column for f in fields if f.attname == key)
    returning = f"RETURNING {q(pk.column)}, {q(key_column)}"
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    for start in range(0, len(objs), 500):  # far below either database's limit of parameters
        chunk = objs[start : start + 500]
        # Only the model's own quoted names are formatted in; the values are parameters.
        sql = (
            f"INSERT INTO {q(model._meta.db_table)} ({', '.join(q(f.column) for f in fields)}) "  # noqa: S608
            f"VALUES {', '.join([row] * len(chunk))} {returning}"
        )
        params = []
        for obj in chunk:
            for f in fields:
                value = f.pre_save(obj, True)
                params.append(
                    _json_param(value) if isinstance(f, JSONField) else f.get_db_prep_save(value, connection)
                )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for new_id, owner in cursor.fetchall():
                obj = by_key[owner]
                obj.pk = new_id
                obj._state.adding = False
                obj._state.db = connection.alias
