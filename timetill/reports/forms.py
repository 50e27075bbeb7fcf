"""What a report page or an API call asks for, read from its query string into typed filters."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils.translation import gettext as _

from timetill.customers.models import CustomerGroup
from timetill.errors import NotFound, TimetillError
from timetill.reports.periods import Period, read_period
from timetill.reports.timelines import DEFAULT_ORDER, TimeLineFilters, check_filters
from timetill.sites.models import Site


@dataclass(frozen=True)
class Asked:
    site: Site | None
    period: Period


def _int(value: str | None, *, field: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except ValueError:
        raise TimetillError(
            "invalid_input",
            _("%(field)s: “%(value)s” is not a number.") % {"field": field, "value": value[:20]},
        ) from None
    if not 0 < number < 2**62:
        raise TimetillError("invalid_input", _("%(field)s: out of range.") % {"field": field})
    return number


def read_site(slug: str | None, *, required: bool) -> Site | None:
    if slug:
        site = Site.objects.filter(slug=slug[:50]).first()
        if site is None:
            raise NotFound("unknown_site", _("There is no site “%(slug)s”.") % {"slug": slug[:50]})
        return site
    if required:
        site = Site.objects.order_by("name").first()
        if site is None:
            raise NotFound("no_site", _("No site is set up yet."))
        return site
    return None


def read_asked(
    query: Mapping[str, str], *, at: datetime, site_required: bool, default: Site | None = None
) -> Asked:
    site = read_site(query.get("site"), required=False) or (default if site_required else None)
    if site is None and site_required:
        site = read_site(None, required=True)
    tz = site.tz if site is not None else Site(time_zone=settings.TIME_ZONE).tz
    period = read_period(
        tz=tz, at=at, first=query.get("from"), last=query.get("to"), preset=query.get("preset") or None
    )
    return Asked(site=site, period=period)


def read_time_line_filters(
    query: Mapping[str, str], *, at: datetime, default: Site | None = None
) -> TimeLineFilters:
    asked = read_asked(query, at=at, site_required=False, default=default)
    group = _int(query.get("group"), field=_("Group"))
    if group is not None and not CustomerGroup.objects.filter(pk=group).exists():
        raise NotFound("unknown_group", _("There is no customer group %(id)d.") % {"id": group})
    filters = TimeLineFilters(
        site=asked.site,
        period=asked.period,
        customer_id=_int(query.get("customer"), field=_("Customer")),
        customer_text=(query.get("q") or "")[:100],
        group_id=group,
        product_id=_int(query.get("product"), field=_("Product")),
        state=(query.get("state") or "")[:20],
        order=(query.get("order") or DEFAULT_ORDER)[:20],
    )
    check_filters(filters)
    return filters
