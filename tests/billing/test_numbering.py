"""Gapless numbers: formats per series, a rollback gives its number back, real concurrent connections."""

import threading
from collections import defaultdict

import pytest
from django.conf import settings
from django.db import connection, transaction

from timetill.billing.models import Counter
from timetill.billing.numbering import BUSINESS, format_number, next_number, site_scope
from timetill.errors import TimetillError

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
CONNECTIONS = 8
NUMBERS = 1000


def draw(series="invoice", year=2026, scope=BUSINESS):
    with transaction.atomic():
        return next_number(scope=scope, series=series, year=year)


@pytest.mark.django_db
def test_each_series_counts_from_one_per_scope_and_year_in_its_own_format():
    assert [draw().text for _ in range(3)] == ["F2026-000001", "F2026-000002", "F2026-000003"]
    assert draw(year=2027).text == "F2027-000001"
    assert draw("credit_note").text == "A2026-000001"
    assert draw(scope=site_scope(7)).text == "F2026-000001"
    receipt = draw("receipt", year=None, scope=site_scope(7))
    assert (receipt.value, receipt.text) == (1, "1")
    assert format_number(series="invoice", year=2026, value=123) == "F2026-000123"


@pytest.mark.django_db
def test_a_rolled_back_document_gives_its_number_back():
    draw()
    with pytest.raises(RuntimeError), transaction.atomic():
        assert next_number(scope=BUSINESS, series="invoice", year=2026).value == 2
        raise RuntimeError("the document could not be saved")
    assert draw().value == 2
    assert Counter.objects.get(scope=BUSINESS, series="invoice", year=2026).last == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("series", "year", "code"),
    [("invoice", None, "year_required"), ("receipt", 2026, "no_year"), ("quote", 2026, "unknown_series")],
)
def test_a_series_asked_wrongly_is_refused_and_draws_nothing(series, year, code):
    with pytest.raises(TimetillError) as caught:
        draw(series, year)
    assert caught.value.code == code
    assert not Counter.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_number_is_drawn_only_inside_the_transaction_that_saves_the_document():
    with pytest.raises(TimetillError) as caught:
        next_number(scope=BUSINESS, series="invoice", year=2026)
    assert caught.value.code == "no_transaction"


@pytest.mark.postgres_only
@pytest.mark.skipif(
    not ON_POSTGRES, reason="SQLite serialises writers: the race needs PostgreSQL connections"
)
@pytest.mark.django_db(transaction=True)
def test_a_thousand_numbers_over_eight_connections_in_two_series_have_no_gap_and_no_duplicate():
    start = threading.Barrier(CONNECTIONS)
    drawn: dict[str, list[int]] = defaultdict(list)
    failures: list[BaseException] = []
    lock = threading.Lock()

    def worker(i: int) -> None:
        try:
            start.wait()
            for n in range(NUMBERS // CONNECTIONS):
                series = "invoice" if (i + n) % 2 else "credit_note"
                with transaction.atomic():
                    number = next_number(scope=BUSINESS, series=series, year=2026)
                    if n % 10 == 3:
                        # Every tenth document fails after drawing: its number must be drawn again.
                        transaction.set_rollback(True)
                        continue
                with lock:
                    drawn[series].append(number.value)
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(CONNECTIONS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert failures == []
    kept = sum(len(values) for values in drawn.values())
    assert kept == NUMBERS - CONNECTIONS * len(range(3, NUMBERS // CONNECTIONS, 10))
    for series, values in drawn.items():
        assert sorted(values) == list(range(1, len(values) + 1)), series
        assert Counter.objects.get(scope=BUSINESS, series=series, year=2026).last == len(values)
