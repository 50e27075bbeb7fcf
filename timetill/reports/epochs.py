"""Time lines read as integer epochs (seconds) through a plain cursor: the reports' sums run in SQL, never
over model instances (a million datetimes converted one by one cost ten times the read)."""

from datetime import UTC, datetime

from django.db import connection

from timetill.timelines.models import TimeLine


def epoch_of(instant: datetime) -> int:
    """Whole seconds since 1970 (UTC); reports count time to the second."""
    return int(instant.timestamp() // 1)


def instant_of(epoch: int) -> datetime:
    return datetime.fromtimestamp(epoch, tz=UTC)


def epoch_sql(column: str) -> str:
    """SQL for a datetime column's whole seconds since 1970, on SQLite and PostgreSQL."""
    if connection.vendor == "postgresql":
        return f"FLOOR(EXTRACT(EPOCH FROM {column}))::bigint"
    return f"unixepoch({column})"


def db_instant(instant: datetime):
    """`instant` as the database compares it with a datetime column (an index can serve the comparison)."""
    return connection.ops.adapt_datetimefield_value(instant)


def table() -> tuple[str, str, str, str]:
    """The time lines' table and its quoted site, start and end columns ("end" is an SQL keyword)."""
    quote = connection.ops.quote_name
    return (
        quote(TimeLine._meta.db_table),
        quote(TimeLine._meta.get_field("site").column),
        quote(TimeLine._meta.get_field("start").column),
        quote(TimeLine._meta.get_field("end").column),
    )
