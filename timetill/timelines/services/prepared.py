"""The scan's statements prepared once per PostgreSQL connection, then run by name (`EXECUTE`).

PostgreSQL parses and plans every statement it is sent as text; the scan's few statements, sent on every scan,
cost the server more to plan than to run (`bench/README.md`: about 0.5 ms of its CPU a scan). A statement
prepared once (`PREPARE name AS …`) is planned once per connection, or a few times, and the connections are
kept open (`CONN_MAX_AGE=None`).

`EXECUTE` goes in the same query string as the rest of a batch, so the batches keep their one round trip
(`rows.batch`): a statement first seen on a connection is prepared by a `PREPARE` put before it in that same
string. Prepared statements belong to the connection, not to a transaction: a rollback keeps them, and a
batch that fails part way may leave some made. So a name is never used twice on one connection: when a batch
that prepares fails, what it prepared is forgotten, and the statements are prepared again under new names
next time (the old ones, unused, go with the connection).

A connection pooler that hands one client's statements to several server sessions (PgBouncer's transaction
mode) loses them: `TIMETILL_POSTGRES_PREPARE=0` sends every statement as text instead (see
docs/deployment.md).
"""

import os
import threading
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field

# Enough for the scan's statements and a few more; past it, new statements are sent as text.
MOST_PER_CONNECTION = 64


def enabled() -> bool:
    return os.environ.get("TIMETILL_POSTGRES_PREPARE", "1").strip().lower() not in ("0", "false", "no", "off")


@dataclass
class _Session:
    """What one connection has prepared: each statement's name, and the last number given."""

    names: dict[str, str] = field(default_factory=dict)
    numbered: int = 0


# Keyed by the driver's connection object: a new connection (after a close or a lost one) starts empty. Each
# connection belongs to one thread; the lock guards the dictionary itself (threaded workers).
_sessions: "weakref.WeakKeyDictionary[object, _Session]" = weakref.WeakKeyDictionary()
_sessions_guard = threading.Lock()


def _session(connection: object) -> _Session:
    with _sessions_guard:
        session = _sessions.get(connection)
        if session is None:
            session = _sessions[connection] = _Session()
        return session


def _placeholders(sql: str) -> str | None:
    """`sql` with its `%s` numbered `$1`, `$2`, …, as PREPARE takes them; None if it holds any other `%`
    (which the driver's own placeholder syntax would read)."""
    parts = sql.split("%s")
    if any("%" in part for part in parts):
        return None
    numbered = [parts[0]]
    for number, part in enumerate(parts[1:], start=1):
        numbered.append(f"${number}{part}")
    return "".join(numbered)


@dataclass(frozen=True)
class Plan:
    """A batch as sent: the statements to prepare first (`PREPARE`, no parameters), then each statement, by
    name where it is prepared; and the names the batch introduced (forgotten if it fails)."""

    prepares: list[str]
    statements: list[str]
    introduced: list[str]


def plan(connection: object, sqls: Sequence[str]) -> Plan:
    """How to send `sqls` (each with `%s` placeholders) on this driver connection."""
    if not enabled():
        return Plan([], list(sqls), [])
    session = _session(connection)
    prepares, statements, introduced = [], [], []
    for sql in sqls:
        name = session.names.get(sql)
        if name is None and len(session.names) < MOST_PER_CONNECTION:
            numbered = _placeholders(sql)
            if numbered is not None:
                session.numbered += 1
                name = session.names[sql] = f"timetill_{session.numbered}"
                prepares.append(f"PREPARE {name} AS {numbered}")
                introduced.append(sql)
        if name is None:
            statements.append(sql)
            continue
        count = sql.count("%s")
        statements.append(f"EXECUTE {name}({', '.join(['%s'] * count)})" if count else f"EXECUTE {name}")
    return Plan(prepares, statements, introduced)


def forget(connection: object, introduced: Sequence[str]) -> None:
    """A batch that prepared `introduced` failed: which of them exist is unknown, so none is used again
    (the next batch prepares them under new names)."""
    session = _session(connection)
    for sql in introduced:
        session.names.pop(sql, None)


def forget_all(connection: object) -> None:
    """The server no longer knows this connection's statements (it said so): prepare them all again, under
    new names (some may still exist)."""
    _session(connection).names.clear()
