"""Changing a time line by hand: assign, note, stop, hide, edit times; rights and the audit trail."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction

from tests.conftest import paris
from timetill.errors import TimetillError
from timetill.timelines.actors import Actor
from timetill.timelines.models import AuditEntry, TimeLine, Via
from timetill.timelines.services import lines
from timetill.timelines.services.scan import check_in, scan

T0 = paris(2026, 6, 2, 9, 0)


@pytest.fixture
def open_line(site, make_customer, cashier_actor) -> TimeLine:
    return check_in(site=site, customer=make_customer("Alice"), actor=cashier_actor, at=T0)


def test_the_database_refuses_a_second_open_line_for_a_customer(site, make_customer):
    alice = make_customer()
    TimeLine.objects.create(site=site, customer=alice, start=T0, started_via=Via.MANUAL)
    with pytest.raises(IntegrityError), transaction.atomic():
        TimeLine.objects.create(site=site, customer=alice, start=T0, started_via=Via.MANUAL)


def test_the_database_refuses_an_end_before_the_start(site):
    with pytest.raises(IntegrityError), transaction.atomic():
        TimeLine.objects.create(site=site, start=T0, end=T0 - timedelta(seconds=1), started_via=Via.MANUAL)


def test_check_in_twice_is_refused(site, open_line, cashier_actor):
    with pytest.raises(TimetillError) as error:
        check_in(site=site, customer=open_line.customer, actor=cashier_actor, at=T0 + timedelta(hours=1))
    assert error.value.code == "already_open"


def test_assign_a_customer_to_an_anonymous_line_is_audited(site, make_customer, cashier_actor):
    line = scan(site=site, code="CARD-77", actor=cashier_actor, at=T0).time_line
    bob = make_customer("Bob")
    lines.assign_customer(line_id=line.pk, customer=bob, actor=cashier_actor, at=T0 + timedelta(minutes=1))
    line.refresh_from_db()
    assert line.customer == bob
    entry = AuditEntry.objects.get(action="assign")
    assert (entry.old["customer"], entry.new["customer_name"], entry.user) == (
        None,
        "Bob",
        cashier_actor.user,
    )


def test_assigning_a_customer_who_is_already_here_is_refused(site, open_line, cashier_actor):
    other = scan(site=site, code="CARD-78", actor=cashier_actor, at=T0).time_line
    with pytest.raises(TimetillError) as error:
        lines.assign_customer(line_id=other.pk, customer=open_line.customer, actor=cashier_actor, at=T0)
    assert error.value.code == "already_open"
    other.refresh_from_db()
    assert other.customer is None


def test_note_is_kept_and_audited(open_line, cashier_actor):
    lines.set_note(line_id=open_line.pk, note="  desk 4  ", actor=cashier_actor, at=T0)
    open_line.refresh_from_db()
    assert open_line.note == "desk 4"
    assert AuditEntry.objects.get(action="note").new == {"note": "desk 4"}


def test_stop_then_hide_then_stop_again_is_refused(open_line, cashier_actor):
    with pytest.raises(TimetillError) as error:
        lines.set_hidden(line_id=open_line.pk, hidden=True, actor=cashier_actor, at=T0)
    assert error.value.code == "still_open"
    lines.stop(line_id=open_line.pk, actor=cashier_actor, at=T0 + timedelta(hours=1))
    lines.set_hidden(line_id=open_line.pk, hidden=True, actor=cashier_actor, at=T0 + timedelta(hours=1))
    open_line.refresh_from_db()
    assert (open_line.end, open_line.hidden) == (T0 + timedelta(hours=1), True)
    with pytest.raises(TimetillError) as error:
        lines.stop(line_id=open_line.pk, actor=cashier_actor, at=T0 + timedelta(hours=2))
    assert error.value.code == "already_stopped"


def test_edit_times_needs_the_right(open_line, cashier_actor):
    with pytest.raises(TimetillError) as error:
        lines.edit_times(
            line_id=open_line.pk,
            start=T0 - timedelta(minutes=5),
            end=None,
            reason="late scan",
            actor=cashier_actor,
            at=T0 + timedelta(hours=1),
        )
    assert (error.value.code, error.value.status) == ("forbidden", 403)
    open_line.refresh_from_db()
    assert open_line.start == T0


def test_edit_times_keeps_who_when_old_new_and_why(open_line, manager_actor):
    new_start, new_end = T0 - timedelta(minutes=10), T0 + timedelta(hours=3)
    lines.edit_times(
        line_id=open_line.pk,
        start=new_start,
        end=new_end,
        reason="forgot to scan out",
        actor=manager_actor,
        at=T0 + timedelta(hours=4),
    )
    open_line.refresh_from_db()
    assert (open_line.start, open_line.end) == (new_start, new_end)
    entry = AuditEntry.objects.get(action="edit_times")
    assert entry.old == {"start": "2026-06-02T07:00:00+00:00", "end": None}
    assert entry.new == {"start": "2026-06-02T06:50:00+00:00", "end": "2026-06-02T10:00:00+00:00"}
    assert (entry.reason, entry.user, entry.at) == (
        "forgot to scan out",
        manager_actor.user,
        T0 + timedelta(hours=4),
    )


@pytest.mark.parametrize(
    ("start_delta", "end_delta", "reason", "code"),
    [
        (timedelta(0), timedelta(minutes=-1), "typo", "end_before_start"),
        (timedelta(0), timedelta(hours=1), "   ", "reason_required"),
        (timedelta(days=2), None, "future", "time_in_future"),
    ],
)
def test_bad_time_edits_are_refused_and_change_nothing(
    open_line, manager_actor, start_delta, end_delta, reason, code
):
    with pytest.raises(TimetillError) as error:
        lines.edit_times(
            line_id=open_line.pk,
            start=T0 + start_delta,
            end=None if end_delta is None else T0 + end_delta,
            reason=reason,
            actor=manager_actor,
            at=T0 + timedelta(hours=2),
        )
    assert error.value.code == code
    open_line.refresh_from_db()
    assert (open_line.start, open_line.end) == (T0, None)
    assert not AuditEntry.objects.filter(action="edit_times").exists()


def test_a_naive_edit_is_refused(open_line, manager_actor):
    with pytest.raises(TimetillError) as error:
        lines.edit_times(
            line_id=open_line.pk,
            start=T0.replace(tzinfo=None),
            end=None,
            reason="x",
            actor=manager_actor,
            at=T0,
        )
    assert error.value.code == "naive_time"


def test_the_audit_trail_cannot_be_altered(open_line, manager_actor):
    lines.set_note(line_id=open_line.pk, note="first", actor=manager_actor, at=T0)
    entry = AuditEntry.objects.get()
    entry.reason = "rewritten"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    assert AuditEntry.objects.get().reason == ""


def test_a_parent_sees_and_stops_only_their_own_children(site, make_customer, make_parent, cashier_actor):
    mine, theirs = make_customer("Léa"), make_customer("Other child")
    parent = Actor.for_user(make_parent(mine), via=Via.PARENT)
    my_line = check_in(site=site, customer=mine, actor=parent, at=T0)
    their_line = check_in(site=site, customer=theirs, actor=cashier_actor, at=T0)
    assert list(lines.visible_lines(parent)) == [my_line]
    with pytest.raises(TimetillError) as error:
        lines.stop(line_id=their_line.pk, actor=parent, at=T0 + timedelta(hours=1))
    assert error.value.code == "unknown_time_line"
    with pytest.raises(TimetillError) as error:
        check_in(site=site, customer=theirs, actor=parent, at=T0)
    assert error.value.code == "not_your_child"
    lines.stop(line_id=my_line.pk, actor=parent, at=T0 + timedelta(hours=8))
    my_line.refresh_from_db()
    assert (my_line.stopped_via, my_line.end) == (Via.PARENT, T0 + timedelta(hours=8))
