"""Codes that other apps own (a ladder step's barcode): a customer's card may not carry one, or a scan of it
would be two things. The apps above register who owns a code, since customers may not import them."""

from collections.abc import Callable, Iterable

from django.db import connection, transaction

# values -> {value: who owns it, in the manager's words ("the barcode of the ladder step Billiard 1 h")}
CodeOwners = Callable[[list[str]], dict[str, str]]
_OWNERS: list[CodeOwners] = []


# The key of the one PostgreSQL advisory lock that code-giving transactions take in turn ("TTCD").
_CODES_LOCK = 0x54544344


def hold_codes() -> None:
    """Until the current transaction ends, no other one may give a code to a card or to a ladder step.

    The two live in two tables: each has its own unique constraint, but nothing in the database keeps a card's
    code off a step's barcode. So the check "is it already used elsewhere?" and the insert must not interleave
    with another transaction's: on PostgreSQL (READ COMMITTED) a transaction waits here for the one before it
    to commit, then its check sees what that one wrote. On SQLite every transaction starts IMMEDIATE, holding
    the database's write lock already. One lock for all codes: codes are given rarely (a manager's form, an
    import), and one lock cannot deadlock nor fill PostgreSQL's lock table as 20,000 imported codes would.
    """
    if not transaction.get_connection().in_atomic_block:
        raise transaction.TransactionManagementError("hold_codes() runs inside the transaction that writes.")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CODES_LOCK])


def register_code_owners(owners: CodeOwners) -> None:
    """Called from an app's ready(): `owners` says which of some codes that app uses."""
    if owners not in _OWNERS:
        _OWNERS.append(owners)


def claimed(values: Iterable[str]) -> dict[str, str]:
    """Which of these (normalised) codes another app already uses, and for what (one query per app)."""
    wanted = list(dict.fromkeys(values))
    found: dict[str, str] = {}
    if wanted:
        for owners in _OWNERS:
            for value, owner in owners(wanted).items():
                found.setdefault(value, owner)
    return found
