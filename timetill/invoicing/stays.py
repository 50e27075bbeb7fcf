"""The stays of a site's children over a period, read as epoch microseconds through a plain cursor.

A month of a large daycare is 100,000 stays or more: reading them as model instances (or even through
`.values_list()`, which converts each datetime) costs ten times what the database takes, so the run reads
integers: converted by PostgreSQL itself, parsed from SQLite's text by the C parser of datetime."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.db import connection

from timetill.timelines.models import TimeLine

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


# A stay as the run reads it: (time line id, start, end), instants in microseconds since the epoch (UTC),
# end None while still open. Plain tuples: a month of a large daycare makes 100,000 of them.
RawStay = tuple[int, int, int | None]
US = timedelta(microseconds=1)
NAIVE_EPOCH = datetime(1970, 1, 1)


def micros(instant: datetime) -> int:
    delta = instant - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def instant(us: int) -> datetime:
    return EPOCH + timedelta(microseconds=us)


def read_stays(
    *, site_id: int, start: datetime, end: datetime, customer_id: int | None = None
) -> dict[int, list[RawStay]]:
    """Each customer's stays at the site (or one customer's) that overlap [start, end), open ones
    included, oldest first."""
    table = TimeLine._meta.db_table
    q = connection.ops.quote_name
    postgres = connection.vendor == "postgresql"
    if postgres:
        # PostgreSQL converts exactly (EXTRACT gives a numeric) and sends integers.
        def column(name: str) -> str:
            return f"(EXTRACT(EPOCH FROM {q(name)}) * 1000000)::bigint"
    else:
        # SQLite keeps "YYYY-MM-DD HH:MM:SS[.ffffff]" in UTC: read as text (no converter) and parsed by
        # datetime.fromisoformat, half the cost of SQLite's own date functions.
        def column(name: str) -> str:
            return f"{q(name)} || ''"

    # Only quoted names and fixed expressions are formatted in; the values are parameters.
    sql = (
        f"SELECT {q('customer_id')}, {q('id')}, {column('start')}, {column('end')} "  # noqa: S608
        f"FROM {q(table)} WHERE {q('site_id')} = %s AND {q('customer_id')} IS NOT NULL "
        f"AND {q('start')} < %s AND ({q('end')} IS NULL OR {q('end')} > %s) "
        + (f"AND {q('customer_id')} = %s " if customer_id is not None else "")
        # In the order of the site's index on (site, start): no sort of the whole month; each customer's
        # stays come oldest first all the same.
        + f"ORDER BY {q('start')}"
    )
    adapt = connection.ops.adapt_datetimefield_value
    stays: dict[int, list[RawStay]] = {}
    parse, epoch = datetime.fromisoformat, NAIVE_EPOCH
    with connection.cursor() as cursor:
        params = [site_id, adapt(end), adapt(start)] + ([customer_id] if customer_id is not None else [])
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(2000):  # streamed: the rows are not all held twice
            for owner, line_id, a, b in rows:
                owned = stays.get(owner)
                if owned is None:
                    owned = stays[owner] = []
                if not postgres:
                    a = (parse(a) - epoch) // US
                    b = None if b is None else (parse(b) - epoch) // US
                owned.append((line_id, a, b))
    return stays
