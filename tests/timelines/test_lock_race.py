"""A scan and a check-in by hand take the same lock on a customer (PostgreSQL), so that, started at the same
instant on their own connections, they open one stay between them, never two."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.utils import timezone

from timetill.errors import Conflict
from timetill.sales import stays
from timetill.sites.models import Site
from timetill.timelines.actors import Actor
from timetill.timelines.models import Scan, TimeLine
from timetill.timelines.services import scan as scan_service

pytestmark = pytest.mark.django_db(transaction=True)

N = 12  # each way: 24 threads, each on its own connection


def test_scans_and_check_ins_by_hand_at_once_open_one_stay(
    make_site, make_customer, make_device, manager_actor
):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's lock: SQLite runs one writer at a time (see test_sqlite_write_queue)")
    show = make_site(existing_line_policy=Site.ExistingLinePolicy.SHOW, bounce_seconds=0)
    customer = make_customer()
    code = customer.codes.get().value
    kiosk = Actor.for_device(make_device(show).device)
    barrier = threading.Barrier(2 * N, timeout=30)

    def by_scan(_index: int) -> str:
        try:
            barrier.wait()
            result, _line = stays.scan_and_price(
                site=show, code=code, actor=kiosk, at=timezone.now(), answer=lambda r, s: {}
            )
            return result.outcome
        finally:
            connection.close()

    def by_hand(_index: int) -> str:
        try:
            barrier.wait()
            scan_service.check_in(site=show, customer=customer, actor=manager_actor, at=timezone.now())
            return "checked in"
        except Conflict as refusal:
            return refusal.code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2 * N) as pool:
        scans = [pool.submit(by_scan, i) for i in range(N)]
        hands = [pool.submit(by_hand, i) for i in range(N)]
        scan_outcomes = [future.result() for future in scans]
        hand_outcomes = [future.result() for future in hands]

    lines = TimeLine.objects.filter(site=show, customer=customer)
    assert lines.count() == 1 and lines.get().end is None
    started = scan_outcomes.count("started") + hand_outcomes.count("checked in")
    assert started == 1, (scan_outcomes, hand_outcomes)
    assert set(scan_outcomes) <= {"started", "shown"}
    assert set(hand_outcomes) <= {"checked in", "already_open"}
    assert Scan.objects.filter(site=show).count() == N
