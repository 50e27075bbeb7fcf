"""Lifting the issued-invoice triggers around a transactional test's flush, in the test harness only.

A transactional (live-server) test ends with a flush, which on SQLite is a DELETE of every table: the
triggers refuse it for issued invoices. A test that issues invoices lifts them just before the flush, and
the suite's reference-data fixture puts them back before the next test (tests/conftest.py)."""

from django.db import connection

from timetill.invoicing.immutable import statements

_lifted = False


def lift() -> None:
    global _lifted
    with connection.cursor() as cursor:
        for sql in statements(connection.vendor, create=False):
            cursor.execute(sql)
    _lifted = True


def restore_if_lifted() -> None:
    global _lifted
    if not _lifted:
        return
    with connection.cursor() as cursor:
        for sql in statements(connection.vendor, create=False) + statements(connection.vendor, create=True):
            cursor.execute(sql)
    _lifted = False
