"""Amounts, quantities and lengths of time are written one way everywhere, as the language writes them."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.formats import date_format

from timetill.formats import duration, money, number
from timetill.web.board import LineRow

D = Decimal


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "€1,234.50"), ("fr", "1\u202f234,50\u00a0€"), ("it", "€\u00a01.234,50")],
)
def test_money_follows_the_language_with_thousands_separators(language, expected):
    with translation.override(language):
        assert money(D("1234.5"), "EUR") == expected


def test_money_keeps_a_part_of_a_cent_and_shows_other_currencies():
    with translation.override("en"):
        assert money(D("0.125"), "EUR") == "€0.125"
        assert money(D("-2"), "EUR") == "-€2.00"
        assert money(D("1500"), "CHF") == "CHF1,500.00"
        assert money(None, "EUR") == ""


def test_quantities_without_trailing_zeros_and_with_separators():
    with translation.override("en"):
        assert number(D("100000.000")) == "100,000"
        assert number(D("1.500")) == "1.5"
    with translation.override("fr"):
        assert number(D("1.500")) == "1,5"


@pytest.mark.parametrize(
    ("length", "expected"),
    [
        (timedelta(minutes=45), "45 min"),
        (timedelta(hours=2, minutes=5), "2 h 05"),
        (timedelta(hours=27, minutes=1), "27 h 01"),
        (timedelta(seconds=-5), "0 min"),
    ],
)
def test_a_length_of_time_never_reads_as_minutes_and_seconds(length, expected):
    with translation.override("en"):
        assert duration(length) == expected


def test_the_desk_shows_elapsed_time_in_hours_and_minutes():
    row = LineRow(line=None, elapsed=timedelta(hours=27, minutes=1), started_today=False)
    assert row.elapsed_label == "27 h 01"


@pytest.mark.parametrize(
    ("language", "written"), [("it", "08 dicembre 2026"), ("fr", "8 décembre 2026"), ("en", "Dec. 8, 2026")]
)
def test_a_date_names_its_month_as_the_language_writes_it_inside_a_sentence(language, written):
    with translation.override(language):  # Django's Italian would write "08 Dicembre 2026"
        assert date_format(date(2026, 12, 8)) == written
