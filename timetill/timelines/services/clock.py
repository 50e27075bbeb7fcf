"""Checks on instants handed to services: aware only, not from the future, not before their site existed."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from timetill.errors import TimetillError
from timetill.formats import local_time
from timetill.sites.models import Site

# A device's clock may run a little ahead of the server's; more than this is a wrong clock, not skew.
MAX_CLOCK_SKEW = timedelta(minutes=5)


# The instants services check, named as a person reads them in a message.
_FIELD_WORDS = {
    "scanned_at": _lazy("The time of the scan"),
    "start": _lazy("The start"),
    "end": _lazy("The end"),
    "at": _lazy("The time"),
}


def _named(field: str) -> str:
    return str(_FIELD_WORDS.get(field.lower(), field.replace("_", " ").capitalize()))


def require_aware(value: datetime, *, field: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise TimetillError(
            "naive_time",
            _("{field} has no time zone: send it with its offset, such as 2026-03-02T09:15:00+01:00.").format(
                field=_named(field)
            ),
        )
    return value


def require_not_future(value: datetime, *, field: str, now: datetime, tz: ZoneInfo | None = None) -> datetime:
    """Refuse an instant past the clock skew; the message speaks wall-clock time (the site's, with `tz`)."""
    if value > now + MAX_CLOCK_SKEW:
        raise TimetillError(
            "time_in_future",
            _("{field}, {value}, is in the future (it is {now} now).").format(
                field=_named(field), value=local_time(value, tz), now=local_time(now, tz)
            ),
        )
    return value


def require_not_before_site(value: datetime, *, site: Site, field: str) -> datetime:
    """Nothing happens at a site before it existed: such an instant is a wrong clock or a typing error."""
    if value < site.created_at:
        raise TimetillError(
            "before_site_existed",
            _("{field}, {value}, is before {site} existed ({created}).").format(
                field=_named(field),
                value=local_time(value, site.tz),
                site=site.name,
                created=local_time(site.created_at, site.tz),
            ),
        )
    return value


def require_plausible_scan_time(value: datetime, *, site: Site, now: datetime) -> datetime:
    """A device's own time of a scan: not ahead of the server, not older than the site lets a device sync."""
    require_not_future(value, field="scanned_at", now=now, tz=site.tz)
    oldest = now - timedelta(days=site.max_offline_days)
    if value < oldest:
        raise TimetillError(
            "scan_too_old",
            _(
                "The time of the scan, {value}, is more than {days} days ago; {site} refuses scans that old."
            ).format(value=local_time(value, site.tz), days=site.max_offline_days, site=site.name),
        )
    return require_not_before_site(value, site=site, field="scanned_at")
