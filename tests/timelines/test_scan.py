"""The scan service: what a code resolves to, the site's policies, bounce window, client ids, rights."""

from datetime import timedelta

import pytest

from tests.conftest import paris
from timetill.errors import TimetillError
from timetill.sites.models import Site
from timetill.timelines.actors import Actor
from timetill.timelines.models import AuditEntry, Scan, TimeLine, Via
from timetill.timelines.services.scan import scan

T0 = paris(2026, 3, 10, 9, 0)


def code_of(customer) -> str:
    return customer.codes.first().value


def test_a_customer_code_starts_a_time_line_assigned_to_the_customer(site, make_customer, cashier_actor):
    alice = make_customer("Alice")
    result = scan(site=site, code=code_of(alice), actor=cashier_actor, at=T0)
    assert result.outcome == Scan.Outcome.STARTED
    line = TimeLine.objects.get()
    assert (line.customer, line.start, line.end, line.started_via) == (alice, T0, None, Via.SCAN)
    assert line.started_by == cashier_actor.user
    assert result.message == "Alice checked in."


def test_toggle_policy_stops_the_open_line_on_the_next_scan(site, make_customer, cashier_actor):
    alice = make_customer("Alice")
    scan(site=site, code=code_of(alice), actor=cashier_actor, at=T0)
    result = scan(site=site, code=code_of(alice), actor=cashier_actor, at=T0 + timedelta(hours=2))
    assert result.outcome == Scan.Outcome.STOPPED
    line = TimeLine.objects.get()
    assert line.end == T0 + timedelta(hours=2)
    assert line.stopped_by == cashier_actor.user
    assert AuditEntry.objects.filter(time_line=line, action="stop").count() == 1


def test_show_policy_shows_the_open_line_and_starts_nothing(make_site, make_customer, cashier_actor):
    site = make_site(existing_line_policy=Site.ExistingLinePolicy.SHOW)
    alice = make_customer("Alice")
    first = scan(site=site, code=code_of(alice), actor=cashier_actor, at=T0)
    again = scan(site=site, code=code_of(alice), actor=cashier_actor, at=T0 + timedelta(minutes=30))
    assert again.outcome == Scan.Outcome.SHOWN
    assert again.time_line == first.time_line
    assert TimeLine.objects.filter(end__isnull=True).count() == 1


def test_scanning_a_time_lines_own_code_shows_it(site, make_customer, cashier_actor):
    started = scan(site=site, code=code_of(make_customer()), actor=cashier_actor, at=T0)
    result = scan(site=site, code=started.time_line.code, actor=cashier_actor, at=T0 + timedelta(minutes=5))
    assert result.outcome == Scan.Outcome.SHOWN
    assert result.time_line == started.time_line
    assert TimeLine.objects.get().end is None


def test_a_time_lines_code_is_refused_at_another_site(make_site, make_customer, cashier_actor):
    here, there = make_site(), make_site(name="Other")
    started = scan(site=here, code=code_of(make_customer()), actor=cashier_actor, at=T0)
    with pytest.raises(TimetillError) as error:
        scan(site=there, code=started.time_line.code, actor=cashier_actor, at=T0 + timedelta(minutes=5))
    assert error.value.code == "other_site"


def test_an_unknown_code_starts_an_anonymous_line_then_finds_it(site, cashier_actor):
    first = scan(site=site, code="ticket-0042", actor=cashier_actor, at=T0)
    assert first.outcome == Scan.Outcome.STARTED
    assert (first.time_line.customer, first.time_line.scanned_code) == (None, "TICKET-0042")
    again = scan(site=site, code="TICKET-0042", actor=cashier_actor, at=T0 + timedelta(hours=1))
    assert again.outcome == Scan.Outcome.SHOWN
    assert again.time_line == first.time_line


def test_an_unknown_code_is_refused_when_the_site_says_so(make_site, cashier_actor):
    site = make_site(unknown_code_policy=Site.UnknownCodePolicy.REFUSE)
    with pytest.raises(TimetillError) as error:
        scan(site=site, code="NOBODY", actor=cashier_actor, at=T0)
    assert (error.value.code, error.value.status) == ("unknown_code", 404)
    assert not TimeLine.objects.exists() and not Scan.objects.exists()


def test_the_same_code_within_the_bounce_window_is_one_scan(site, make_customer, cashier_actor):
    alice = make_customer()
    first = scan(site=site, code=code_of(alice), actor=cashier_actor, at=T0)
    bounced = scan(
        site=site, code=code_of(alice), actor=cashier_actor, at=T0 + timedelta(seconds=site.bounce_seconds)
    )
    assert bounced.outcome == Scan.Outcome.BOUNCED
    assert bounced.time_line == first.time_line
    assert TimeLine.objects.get().end is None
    assert list(Scan.objects.order_by("pk").values_list("outcome", flat=True)) == ["started", "bounced"]


def test_just_after_the_bounce_window_the_scan_counts(site, make_customer, cashier_actor):
    alice = make_customer()
    scan(site=site, code=code_of(alice), actor=cashier_actor, at=T0)
    later = T0 + timedelta(seconds=site.bounce_seconds, microseconds=1)
    assert scan(site=site, code=code_of(alice), actor=cashier_actor, at=later).outcome == Scan.Outcome.STOPPED


def test_a_bounce_window_of_zero_disables_it(make_site, make_customer, cashier_actor):
    site = make_site(bounce_seconds=0)
    alice = make_customer()
    scan(site=site, code=code_of(alice), actor=cashier_actor, at=T0)
    assert scan(site=site, code=code_of(alice), actor=cashier_actor, at=T0).outcome == Scan.Outcome.STOPPED


def test_a_retried_client_id_changes_nothing_and_answers_as_the_first_time(
    site, make_customer, cashier_actor
):
    alice = make_customer()
    first = scan(site=site, code=code_of(alice), actor=cashier_actor, at=T0, client_id="kiosk-1:0001")
    retry = scan(
        site=site,
        code=code_of(alice),
        actor=cashier_actor,
        at=T0 + timedelta(hours=3),
        client_id="kiosk-1:0001",
    )
    assert (retry.outcome, retry.time_line, retry.scan, retry.replayed) == (
        Scan.Outcome.STARTED,
        first.time_line,
        first.scan,
        True,
    )
    assert Scan.objects.count() == 1
    assert TimeLine.objects.get().end is None


def test_a_client_id_reused_for_another_code_is_refused(site, make_customer, cashier_actor):
    scan(site=site, code=code_of(make_customer()), actor=cashier_actor, at=T0, client_id="dup")
    with pytest.raises(TimetillError) as error:
        scan(site=site, code=code_of(make_customer()), actor=cashier_actor, at=T0, client_id="dup")
    assert error.value.code == "client_id_reused"
    assert Scan.objects.count() == 1


def test_an_offline_scan_synced_later_counts_at_the_devices_time(site, make_customer, cashier_actor):
    alice = make_customer()
    arrived = T0 - timedelta(minutes=40)
    result = scan(
        site=site, code=code_of(alice), actor=cashier_actor, at=T0, device_time=arrived, client_id="k:1"
    )
    assert result.time_line.start == arrived
    assert (result.scan.device_time, result.scan.received_at) == (arrived, T0)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "empty_code"),
        ("   ", "empty_code"),
        ("X" * 65, "code_too_long"),
        ("AB\x00CD", "malformed_code"),
        ("has space", "malformed_code"),
        ("\u00e9t\u00e9", "malformed_code"),
        ("4006381333932", "invalid_ean"),
    ],
)
def test_bad_codes_are_refused_and_change_nothing(site, cashier_actor, raw, code):
    with pytest.raises(TimetillError) as error:
        scan(site=site, code=raw, actor=cashier_actor, at=T0)
    assert error.value.code == code
    assert error.value.message
    assert not Scan.objects.exists() and not TimeLine.objects.exists()


def test_a_naive_time_is_refused(site, cashier_actor):
    with pytest.raises(TimetillError) as error:
        scan(site=site, code="ABC", actor=cashier_actor, at=T0.replace(tzinfo=None))
    assert error.value.code == "naive_time"


def test_a_device_time_in_the_future_is_refused(site, cashier_actor):
    with pytest.raises(TimetillError) as error:
        scan(site=site, code="ABC", actor=cashier_actor, at=T0, device_time=T0 + timedelta(hours=1))
    assert error.value.code == "time_in_future"
    assert not TimeLine.objects.exists()


def test_without_track_time_a_user_may_only_scan_their_own_children(site, make_customer, make_parent):
    child, other = make_customer("Léa"), make_customer("Someone else")
    parent = Actor.for_user(make_parent(child), via=Via.PARENT)
    assert scan(site=site, code=code_of(child), actor=parent, at=T0).outcome == Scan.Outcome.STARTED
    for code in (code_of(other), "UNKNOWN-CARD"):
        with pytest.raises(TimetillError) as error:
            scan(site=site, code=code, actor=parent, at=T0)
        assert (error.value.code, error.value.status) == ("not_your_child", 403)
    assert TimeLine.objects.count() == 1


def test_a_device_scans_only_at_its_own_site(make_site, make_customer, make_device):
    home, elsewhere = make_site(), make_site()
    device = Actor.for_device(make_device(home).device)
    alice = make_customer()
    assert scan(site=home, code=code_of(alice), actor=device, at=T0).time_line.started_via == Via.DEVICE
    with pytest.raises(TimetillError) as error:
        scan(site=elsewhere, code=code_of(alice), actor=device, at=T0 + timedelta(minutes=1))
    assert error.value.code == "wrong_site"


def test_one_customer_may_be_open_at_two_sites_but_not_twice_at_one(make_site, make_customer, cashier_actor):
    a, b = make_site(), make_site()
    alice = make_customer()
    scan(site=a, code=code_of(alice), actor=cashier_actor, at=T0)
    scan(site=b, code=code_of(alice), actor=cashier_actor, at=T0)
    assert TimeLine.objects.filter(customer=alice, end__isnull=True).count() == 2
