"""Time in Europe/Paris: stays across a DST change and midnight last their real elapsed time."""

from datetime import UTC, timedelta

import time_machine
from django.utils import timezone

from tests.conftest import paris
from timetill.timelines.models import Scan
from timetill.timelines.services.scan import scan


def code_of(customer) -> str:
    return customer.codes.first().value


def elapsed(line) -> timedelta:
    return line.end - line.start


def scan_in_and_out(site, customer, actor, arrive, leave):
    """Scan a card with the clock frozen at `arrive`, then at `leave`; return the stopped line."""
    with time_machine.travel(arrive, tick=False):
        scan(site=site, code=code_of(customer), actor=actor, at=timezone.now())
    with time_machine.travel(leave, tick=False):
        return scan(site=site, code=code_of(customer), actor=actor, at=timezone.now()).time_line


def test_a_stay_across_the_spring_forward_night_lasts_one_hour(site, make_customer, cashier_actor):
    # 29 March 2026: Paris clocks jump from 02:00 to 03:00, so 01:30 → 03:30 on the wall is one real hour.
    line = scan_in_and_out(
        site, make_customer(), cashier_actor, paris(2026, 3, 29, 1, 30), paris(2026, 3, 29, 3, 30)
    )
    assert elapsed(line) == timedelta(hours=1)
    assert timezone.localtime(line.end, site.tz).strftime("%H:%M %Z") == "03:30 CEST"


def test_a_stay_across_the_fall_back_night_lasts_three_hours(site, make_customer, cashier_actor):
    # 25 October 2026: 03:00 CEST becomes 02:00 CET, so 01:30 → 03:30 on the wall is three real hours.
    line = scan_in_and_out(
        site, make_customer(), cashier_actor, paris(2026, 10, 25, 1, 30), paris(2026, 10, 25, 3, 30)
    )
    assert elapsed(line) == timedelta(hours=3)


def test_times_are_stored_in_utc_and_shown_in_the_sites_zone(site, make_customer, cashier_actor):
    alice = make_customer()
    with time_machine.travel(paris(2026, 7, 14, 23, 50), tick=False):
        line = scan(site=site, code=code_of(alice), actor=cashier_actor, at=timezone.now()).time_line
    line.refresh_from_db()
    assert line.start.utcoffset() == timedelta(0)
    assert line.start.hour == 21
    assert timezone.localtime(line.start, site.tz).strftime("%d/%m %H:%M") == "14/07 23:50"


def test_a_stay_across_midnight_and_the_month_end(site, make_customer, cashier_actor):
    line = scan_in_and_out(
        site, make_customer(), cashier_actor, paris(2026, 1, 31, 22, 15), paris(2026, 2, 1, 1, 5)
    )
    assert elapsed(line) == timedelta(hours=2, minutes=50)
    assert timezone.localtime(line.start, site.tz).date() != timezone.localtime(line.end, site.tz).date()


def test_the_bounce_window_holds_across_the_fall_back_hour(site, make_customer, cashier_actor):
    # The wall clock repeats 02:00-03:00; two scans 3 seconds apart in real time are still one scan.
    alice = make_customer()
    # Arithmetic on aware datetimes in one zone is wall-clock arithmetic in Python: add in UTC.
    first = paris(2026, 10, 25, 2, 59, 58).astimezone(UTC)  # first pass through the repeated hour (CEST)
    second = first + timedelta(seconds=3)  # real time: the wall now reads 02:00:01 CET
    scan(site=site, code=code_of(alice), actor=cashier_actor, at=first)
    assert timezone.localtime(second, site.tz).hour == 2
    assert (
        scan(site=site, code=code_of(alice), actor=cashier_actor, at=second).outcome == Scan.Outcome.BOUNCED
    )
