"""The stays of a site's children over a period, read as epoch microseconds through a plain cursor.

A month of a large daycare is 100,000 stays or more: reading them as model instances (or even through
`.values_list()`, which converts each datetime) costs ten times what the database takes, so the run reads
integers, converted by the database itself."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import connection

from timetill.timelines.models import TimeLine

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class RawStay:
    id: int
    start: int  # microseconds since the epoch, UTC
    end: int | None  # None: still open


def micros(instant: datetime) -> int:
    delta = instant - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def instant(us: int) -> datetime:
    return EPOCH + timedelta(microseconds=us)


def _epoch_us(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"(EXTRACT(EPOCH FROM {column}) * 1000000)::bigint"
    # SQLite keeps "YYYY-MM-DD HH:MM:SS[.ffffff]" in UTC: whole seconds, then the six digits after the dot.
    return (
        f"(CAST(strftime('%%s', {column}) AS INTEGER) * 1000000"
        f" + CAST(substr({column} || '.000000', 21, 6) AS INTEGER))"
    )


def read_stays(
    *, site_id: int, start: datetime, end: datetime, customer_id: int | None = None
) -> dict[int, list[RawStay]]:
    """Each customer's stays at the site (or one customer's) that overlap [start, end), open ones
    included, oldest first."""
    table = TimeLine._meta.db_table
    q = connection.ops.quote_name
    # Only quoted names and fixed expressions are formatted in; the values are parameters.
    sql = (
        f"SELECT {q('customer_id')}, {q('id')}, {_epoch_us(q('start'))}, "  # noqa: S608
        f"CASE WHEN {q('end')} IS NULL THEN NULL ELSE {_epoch_us(q('end'))} END "
        f"FROM {q(table)} WHERE {q('site_id')} = %s AND {q('customer_id')} IS NOT NULL "
        f"AND {q('start')} < %s AND ({q('end')} IS NULL OR {q('end')} > %s) "
        + (f"AND {q('customer_id')} = %s " if customer_id is not None else "")
        + f"ORDER BY {q('customer_id')}, {q('start')}"
    )
    adapt = connection.ops.adapt_datetimefield_value
    stays: dict[int, list[RawStay]] = defaultdict(list)
    with connection.cursor() as cursor:
        params = [site_id, adapt(end), adapt(start)] + ([customer_id] if customer_id is not None else [])
        cursor.execute(sql, params)
        for owner, line_id, a, b in cursor.fetchall():
            stays[owner].append(RawStay(line_id, a, b))
    return stays
