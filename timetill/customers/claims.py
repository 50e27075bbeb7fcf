"""Codes that other apps own (a ladder step's barcode): a customer's card may not carry one, or a scan of it
would be two things. The apps above register who owns a code, since customers may not import them."""

from collections.abc import Callable, Iterable

# values -> {value: who owns it, in the manager's words ("the barcode of the ladder step Billiard 1 h")}
CodeOwners = Callable[[list[str]], dict[str, str]]
_OWNERS: list[CodeOwners] = []


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
