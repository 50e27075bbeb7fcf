"""Rows of one model written by one INSERT run for each row (executemany), for the monthly run's lines.

Django's bulk_create sends PostgreSQL each column as an array (UNNEST), which psycopg's client-side binding
quotes element by element in Python: for the lines' JSON explanations, that was half of a run. The same
INSERT executed once per row quotes each value natively. Values are prepared by each field as Django does."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection
from django.db.models import Model


def insert_rows(model: type[Model], objs: Sequence[Model]) -> None:
    """Insert `objs` (new, unsaved) without reading their ids back."""
    if not objs:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    q = connection.ops.quote_name
    # Only the model's own quoted names are formatted in; the values are parameters.
    sql = (
        f"INSERT INTO {q(model._meta.db_table)} ({', '.join(q(f.column) for f in fields)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    rows = [[f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields] for obj in objs]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
