"""The back office's trail of changes: one verb that writes an entry, called inside the changing service's
transaction so that a change and its entry are kept or lost together."""

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser

from timetill.accounts.models import Change


def record_change(
    *,
    by: AbstractBaseUser | None,
    at: datetime,
    subject: str,
    subject_id: int | None,
    label: str,
    action: str,
    old: dict | None = None,
    new: dict | None = None,
) -> Change:
    """Write who changed what, when, old → new. Only the fields that differ are kept of a modification."""
    old = dict(old or {})
    new = dict(new or {})
    if old and new:
        changed = {key for key in old.keys() | new.keys() if old.get(key) != new.get(key)}
        old = {key: old.get(key) for key in sorted(changed)}
        new = {key: new.get(key) for key in sorted(changed)}
    return Change.objects.create(
        at=at,
        by=by if by is not None and by.is_authenticated else None,
        subject=subject,
        subject_id=subject_id,
        subject_label=label[:200],
        action=action,
        old=old,
        new=new,
    )


def changes_of(*, subject: str, subject_id: int, limit: int = 50) -> list[Change]:
    return list(Change.objects.filter(subject=subject, subject_id=subject_id).select_related("by")[:limit])
