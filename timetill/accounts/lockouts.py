"""Who django-axes has locked out after too many wrong passwords, since when; the login page's answer to
them, and the manager's unlock."""

import math
from dataclasses import dataclass
from datetime import datetime

from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from timetill.accounts.audit import record_change


@dataclass(frozen=True)
class Lockout:
    """A username locked out from one address or more: from its last wrong password to the cool-off's end."""

    since: datetime
    until: datetime
    addresses: int


def _locking_attempts(at: datetime):
    # An attempt locks out while it has reached the limit and its last failure is within the cool-off.
    return AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
        attempt_time__gt=at - settings.AXES_COOLOFF_TIME,
    )


def lockouts(usernames: list[str], *, at: datetime) -> dict[str, Lockout]:
    """The lockouts in force at `at` of these usernames (one query, for the users list)."""
    found: dict[str, Lockout] = {}
    attempts = _locking_attempts(at).filter(username__in=usernames).order_by("attempt_time")
    for attempt in attempts.only("username", "attempt_time"):
        earlier = found.get(attempt.username)
        since = attempt.attempt_time if earlier is None else earlier.since
        found[attempt.username] = Lockout(
            since=since,
            until=attempt.attempt_time + settings.AXES_COOLOFF_TIME,
            addresses=1 if earlier is None else earlier.addresses + 1,
        )
    return found


def lockout_of(user: AbstractBaseUser, *, at: datetime) -> Lockout | None:
    return lockouts([user.get_username()], at=at).get(user.get_username())


def unlock(*, by: AbstractBaseUser | None, user: AbstractBaseUser, at: datetime) -> bool:
    """Let a locked-out person log in again at once, from every address; recorded. False if not locked out."""
    with transaction.atomic():
        lockout = lockout_of(user, at=at)
        if lockout is None:
            return False
        reset(username=user.get_username())
        record_change(
            by=by, at=at, subject="user", subject_id=user.pk, label=user.get_username(), action="unlock",
            old={"locked_out_since": lockout.since.isoformat()}, new={"locked_out_since": None},
        )  # fmt: skip
    return True


def locked_out(
    request: HttpRequest, credentials: dict | None = None, *args: object, **kwargs: object
) -> HttpResponse:
    """django-axes' answer to a locked-out login: the login page again, saying why, for how long, and who
    can help; the right password does not get in meanwhile."""
    username = str((credentials or {}).get("username") or request.POST.get("username", ""))
    now = timezone.now()
    last = (
        _locking_attempts(now)
        .filter(username=username, ip_address=get_client_ip_address(request))
        .order_by("-attempt_time")
        .values_list("attempt_time", flat=True)
        .first()
    )
    left = (last + settings.AXES_COOLOFF_TIME - now) if last else settings.AXES_COOLOFF_TIME
    form = AuthenticationForm(request, initial={"username": username})
    context = {
        "form": form,
        "locked_out_minutes": max(1, math.ceil(left.total_seconds() / 60)),
        "next": request.POST.get("next", request.GET.get("next", "")),
    }
    return render(request, "registration/login.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
