"""Local wall time at a site: DST gaps refused, repeated hours read as the first unless asked, day bounds."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from timetill.errors import TimetillError
from timetill.sites.localtime import (
    format_for_input,
    from_local,
    is_ambiguous,
    local_date,
    local_day_bounds,
    parse_local,
)

PARIS = ZoneInfo("Europe/Paris")


def test_an_ordinary_wall_time_becomes_the_instant_it_names():
    assert from_local(datetime(2026, 7, 14, 23, 50), PARIS) == datetime(2026, 7, 14, 21, 50, tzinfo=UTC)


def test_a_wall_time_skipped_when_clocks_go_forward_is_refused():
    # 29 March 2026: Paris jumps from 02:00 to 03:00; 02:30 never shows on a clock.
    with pytest.raises(TimetillError) as caught:
        from_local(datetime(2026, 3, 29, 2, 30), PARIS)
    assert caught.value.code == "nonexistent_local_time"
    assert "does not exist" in caught.value.message


def test_the_minutes_around_the_gap_exist():
    assert from_local(datetime(2026, 3, 29, 1, 59), PARIS) == datetime(2026, 3, 29, 0, 59, tzinfo=UTC)
    assert from_local(datetime(2026, 3, 29, 3, 0), PARIS) == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)


def test_a_repeated_wall_time_is_its_first_occurrence_by_default():
    # 25 October 2026: 03:00 CEST becomes 02:00 CET; 02:30 happens at 00:30 UTC and again at 01:30 UTC.
    wall = datetime(2026, 10, 25, 2, 30)
    assert is_ambiguous(wall, PARIS)
    assert from_local(wall, PARIS) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_a_repeated_wall_time_can_be_its_second_occurrence():
    wall = datetime(2026, 10, 25, 2, 30)
    assert from_local(wall, PARIS, second_occurrence=True) == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)


def test_second_occurrence_changes_nothing_outside_the_repeated_hour():
    wall = datetime(2026, 10, 25, 4, 0)
    assert not is_ambiguous(wall, PARIS)
    assert from_local(wall, PARIS, second_occurrence=True) == from_local(wall, PARIS)


def test_instants_come_back_in_utc_so_they_compare_equal():
    # PEP 495: a fold=1 local time never compares equal across zones; UTC avoids that trap.
    instant = from_local(datetime(2026, 10, 25, 2, 30), PARIS, second_occurrence=True)
    assert instant.tzinfo is UTC
    assert instant == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)


def test_a_naive_wall_time_is_required():
    with pytest.raises(ValueError, match="naive"):
        from_local(datetime(2026, 1, 1, tzinfo=UTC), PARIS)


def test_local_days_last_23_or_25_hours_on_dst_days():
    spring_start, spring_end = local_day_bounds(date(2026, 3, 29), PARIS)
    autumn_start, autumn_end = local_day_bounds(date(2026, 10, 25), PARIS)
    assert spring_end - spring_start == timedelta(hours=23)
    assert autumn_end - autumn_start == timedelta(hours=25)
    assert spring_start == datetime(2026, 3, 28, 23, 0, tzinfo=UTC)


def test_the_local_date_is_the_sites_not_utcs():
    late_evening = datetime(2026, 7, 14, 22, 30, tzinfo=UTC)  # 00:30 on the 15th in Paris
    assert local_date(late_evening, PARIS) == date(2026, 7, 15)


def test_form_values_round_trip():
    instant = datetime(2026, 3, 29, 1, 15, tzinfo=UTC)  # 03:15 CEST
    text = format_for_input(instant, PARIS)
    assert text == "2026-03-29T03:15"
    assert parse_local(text, PARIS, field="Start") == instant
    assert format_for_input(None, PARIS) == ""


@pytest.mark.parametrize(
    ("text", "code"),
    [("", "missing_time"), ("tomorrow", "invalid_time"), ("2026-02-30T10:00", "invalid_time")],
)
def test_unreadable_form_values_are_refused(text, code):
    with pytest.raises(TimetillError) as caught:
        parse_local(text, PARIS, field="End")
    assert caught.value.code == code
    assert caught.value.message.startswith("End")
