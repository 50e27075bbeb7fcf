"""A site's opening hours: read into windows; a bad document is refused with the weekday it is about."""

from datetime import time

import pytest
from django.core.exceptions import ValidationError

from timetill.errors import TimetillError
from timetill.sites.hours import Window, parse_opening_hours, validate_opening_hours


def test_an_empty_document_means_always_open():
    assert parse_opening_hours({}) is None


def test_windows_are_sorted_and_24_00_is_midnight():
    days = parse_opening_hours({"mon": [["14:00", "18:00"], ["08:00", "12:00"]], "sat": [["09:00", "24:00"]]})
    assert days[0] == (Window(time(8), time(12)), Window(time(14), time(18)))
    assert days[5] == (Window(time(9), None),)
    assert days[1] == () and days[6] == ()


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"monday": [["08:00", "12:00"]]}, "is not a weekday"),
        ({"mon": [["08:00"]]}, "each window is [from, to]"),
        ({"mon": [["8h", "12:00"]]}, "is not a time of day"),
        ({"mon": [["18:00", "02:00"]]}, "ends before it starts"),
        ({"mon": [["08:00", "12:00"], ["11:00", "13:00"]]}, "overlap"),
        ({"tue": [["24:00", "24:00"]]}, "cannot start at 24:00"),
        (["08:00"], "weekday"),
    ],
)
def test_a_bad_document_is_refused(document, message):
    with pytest.raises(TimetillError) as caught:
        parse_opening_hours(document)
    assert caught.value.code == "invalid_opening_hours" and message in caught.value.message
    with pytest.raises(ValidationError):
        validate_opening_hours(document)
