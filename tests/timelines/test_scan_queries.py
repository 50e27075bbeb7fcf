"""A scan talks to the database a fixed, small number of times: each count below is a round trip, so that it
cannot grow back unnoticed. On PostgreSQL the reads that do not wait on each other's results go together (the
code's customer with the client id's earlier scan; the lock with the bounce window and the open line), and a
stop with its audit entry. A behaviour test: it counts statements (real BEGIN and COMMIT: a transactional
test), it times nothing."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.conftest import paris
from timetill.sales import stays
from timetill.sites.models import Site
from timetill.timelines.actors import Actor
from timetill.timelines.models import AuditEntry, Scan, TimeLine

pytestmark = pytest.mark.django_db(transaction=True)

NOW = paris(2026, 3, 4, 15, 0)

# Statements per scan, by database: one round trip each on PostgreSQL. SQLite runs them one by one (it is in
# the process: a statement costs no round trip) and needs no row lock (one writer at a time).
EXPECTED = {
    "postgresql": {
        # the customer + the client id's earlier scan; BEGIN; lock + bounce + open line (locked) + "anything
        # to price?" + a new line's id; the line + the scan; COMMIT
        "check-in": 5,
        # ...; lock + bounce + open line + "anything to price?" + (an id); the stop + its audit entry + the
        # scan; COMMIT
        "check-out": 5,
        # ...; lock + bounce (with its line) + open line + ...; the scan; COMMIT
        "bounce": 5,
        # the customer + the earlier scan (with its line and customer): nothing written
        "replay": 1,
    },
    "sqlite": {"check-in": 8, "check-out": 10, "bounce": 6, "replay": 2},
}


def _scan(site: Site, code: str, actor: Actor, client_id: str | None = None) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        result, _ = stays.scan_and_price(
            site=site, code=code, actor=actor, at=timezone.now(), client_id=client_id, answer=lambda r, s: {}
        )
    return result.outcome, [q["sql"] for q in queries.captured_queries]


@pytest.fixture
def toggle(make_site) -> Site:
    return make_site(existing_line_policy=Site.ExistingLinePolicy.TOGGLE, bounce_seconds=5)


@pytest.fixture
def kiosk(toggle, make_device) -> Actor:
    return Actor.for_device(make_device(toggle).device)


def test_a_scan_makes_a_fixed_number_of_round_trips(toggle, kiosk, make_customer):
    expected = EXPECTED.get(connection.vendor)
    if expected is None:
        pytest.skip(f"no expected counts for {connection.vendor}")
    code = make_customer().codes.get().value
    counts = {}
    with time_machine.travel(NOW, tick=False):
        outcome, sql = _scan(toggle, code, kiosk, client_id="k-1")
        assert outcome == Scan.Outcome.STARTED
        counts["check-in"] = sql
        outcome, sql = _scan(toggle, code, kiosk)
        assert outcome == Scan.Outcome.BOUNCED
        counts["bounce"] = sql
        outcome, sql = _scan(toggle, code, kiosk, client_id="k-1")
        assert outcome == Scan.Outcome.STARTED  # the first answer again
        counts["replay"] = sql
    with time_machine.travel(NOW + timedelta(minutes=20), tick=False):
        outcome, sql = _scan(toggle, code, kiosk, client_id="k-2")
        assert outcome == Scan.Outcome.STOPPED
        counts["check-out"] = sql

    assert {name: len(sql) for name, sql in counts.items()} == expected, counts
    # Nothing lost on the way: one line, stopped, its stop in the audit trail, every scan kept.
    line = TimeLine.objects.get()
    assert line.end == NOW + timedelta(minutes=20)
    assert list(AuditEntry.objects.values_list("action", "time_line_id")) == [("stop", line.pk)]
    assert sorted(Scan.objects.values_list("outcome", flat=True)) == ["bounced", "started", "stopped"]
