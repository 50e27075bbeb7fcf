"""On PostgreSQL the scan's statements are prepared once per connection and then run by name, in the same
round trips as before; a batch that fails, or a server that lost them, never leaves a scan unable to run
them (timetill/timelines/services/prepared.py)."""

import secrets

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from timetill.sales import stays
from timetill.sites.models import Site
from timetill.timelines.actors import Actor
from timetill.timelines.models import Scan, TimeLine
from timetill.timelines.services import rows

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's prepared statements: SQLite's driver keeps its statements compiled itself")


@pytest.fixture
def toggle(make_site) -> Site:
    return make_site(existing_line_policy=Site.ExistingLinePolicy.TOGGLE, bounce_seconds=0)


def _scan(site: Site, code: str, actor: Actor) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        result, _ = stays.scan_and_price(
            site=site,
            code=code,
            actor=actor,
            at=timezone.now(),
            client_id=secrets.token_hex(4),
            answer=lambda r, s: {},
        )
    return result.outcome, [q["sql"] for q in queries.captured_queries]


def _prepared_names() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements")
        return {name for (name,) in cursor.fetchall()}


def _fresh_read(value: int) -> rows.Read:
    # A statement this connection has never seen (the suite's connection lives across tests).
    return rows.Read(f"SELECT %s::int + 1 AS fresh_{secrets.token_hex(6)}", [value])


def test_a_scan_prepares_its_statements_once_then_runs_them_by_name(toggle, make_device, make_customer):
    kiosk = Actor.for_device(make_device(toggle).device)
    first, second = (make_customer().codes.get().value for _ in range(2))
    assert _scan(toggle, first, kiosk)[0] == Scan.Outcome.STARTED
    assert _scan(toggle, first, kiosk)[0] == Scan.Outcome.STOPPED
    names = _prepared_names()
    assert any(name.startswith("timetill_") for name in names)

    # Another customer's check-in and check-out: every statement by name, none prepared again.
    for expected in (Scan.Outcome.STARTED, Scan.Outcome.STOPPED):
        outcome, sql = _scan(toggle, second, kiosk)
        assert outcome == expected
        batches = [s for s in sql if s not in ("BEGIN", "COMMIT")]
        assert batches
        assert not any("PREPARE" in s for s in sql), sql
        assert all(part.startswith("EXECUTE timetill_") for s in batches for part in s.split("; ")), sql
    assert _prepared_names() == names
    line = TimeLine.objects.get(customer__codes__value=second)
    assert line.end is not None


def test_a_batch_that_fails_before_its_statements_are_prepared_prepares_them_again():
    read = _fresh_read(1)
    with pytest.raises(DatabaseError), transaction.atomic():
        with connection.cursor() as cursor:
            try:
                cursor.execute("SELECT 1 / 0")
            except DatabaseError:
                pass  # the transaction is now aborted: the batch's PREPARE is refused with the rest
        rows.batch([read])
    # Were the name kept, the server would not know it ("prepared statement does not exist").
    assert rows.batch([read]) == [(2,)]
    assert rows.batch([read]) == [(2,)]


def test_statements_the_server_lost_are_prepared_again():
    read = _fresh_read(41)
    assert rows.batch([read]) == [(42,)]
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")  # what a pooler's reset, or DISCARD ALL, does
    with pytest.raises(DatabaseError, match="does not exist"):
        rows.batch([read])
    assert rows.batch([read]) == [(42,)]


def test_prepared_statements_can_be_turned_off(monkeypatch, toggle, make_device, make_customer):
    monkeypatch.setenv("TIMETILL_POSTGRES_PREPARE", "0")
    kiosk = Actor.for_device(make_device(toggle).device)
    code = make_customer().codes.get().value
    for expected in (Scan.Outcome.STARTED, Scan.Outcome.STOPPED):
        outcome, sql = _scan(toggle, code, kiosk)
        assert outcome == expected
        assert not any("PREPARE" in s or "EXECUTE" in s for s in sql), sql
    assert TimeLine.objects.get().end is not None
