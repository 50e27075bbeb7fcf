"""Checks on instants handed to services: aware only, not from the future, not before their site existed."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from timetill.errors import TimetillError
from timetill.sites.models import Site

# A device's clock may run a little ahead of the server's; more than this is a wrong clock, not skew.
MAX_CLOCK_SKEW = timedelta(minutes=5)


def require_aware(value: datetime, *, field: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise TimetillError(
            "naive_time",
            f"{field}: {value.isoformat()} has no time zone; send an offset such as +01:00 or Z.",
        )
    return value


def require_not_future(value: datetime, *, field: str, now: datetime, tz: ZoneInfo | None = None) -> datetime:
    """Refuse an instant past the clock skew; with `tz`, the message speaks the site's wall-clock time."""
    if value > now + MAX_CLOCK_SKEW:
        if tz is None:
            raise TimetillError("time_in_future", f"{field}: {value.isoformat()} is in the future.")
        shown, current = value.astimezone(tz), now.astimezone(tz)
        raise TimetillError(
            "time_in_future",
            f"{field}: {shown:%d/%m/%Y %H:%M} is in the future (it is {current:%H:%M} now).",
        )
    return value


def require_not_before_site(value: datetime, *, site: Site, field: str) -> datetime:
    """Nothing happens at a site before it existed: such an instant is a wrong clock or a typing error."""
    if value < site.created_at:
        raise TimetillError(
            "before_site_existed",
            _("%(field)s: %(value)s is before %(site)s existed (%(created)s).")
            % {
                "field": field,
                "value": value.isoformat(),
                "site": site.name,
                "created": site.created_at.astimezone(site.tz).strftime("%Y-%m-%d"),
            },
        )
    return value


def require_plausible_scan_time(value: datetime, *, site: Site, now: datetime) -> datetime:
    """A device's own time of a scan: not ahead of the server, not older than the site lets a device sync."""
    require_not_future(value, field="scanned_at", now=now)
    oldest = now - timedelta(days=site.max_offline_days)
    if value < oldest:
        raise TimetillError(
            "scan_too_old",
            _("scanned_at: %(value)s is more than %(days)s days ago; %(site)s refuses scans that old.")
            % {"value": value.isoformat(), "days": site.max_offline_days, "site": site.name},
        )
    return require_not_before_site(value, site=site, field="scanned_at")
