"""A back-office change and its entry in the trail, kept or lost together: the customers and sites apps sit
beside accounts (they may not import it), so the back office writes the entry around their services."""

from collections.abc import Callable
from typing import TypeVar

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from timetill.accounts.audit import record_change

T = TypeVar("T")


def audited(
    request: HttpRequest,
    *,
    subject: str,
    action: str,
    change: Callable[[], T],
    snapshot: Callable[[T], dict] | None = None,
    before: dict | None = None,
    label: Callable[[T], str] = str,
    subject_id: Callable[[T], int | None] = lambda obj: getattr(obj, "pk", None),
) -> T:
    """Run `change` (a service call) and record it, in one transaction."""
    with transaction.atomic():
        result = change()
        after = snapshot(result) if snapshot and result is not None else {}
        record_change(
            by=request.user,
            at=timezone.now(),
            subject=subject,
            subject_id=subject_id(result),
            label=label(result),
            action=action,
            old=before,
            new=after,
        )
    return result
