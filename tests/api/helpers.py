"""Setting the scene through the services, so that each test exercises only the endpoint it is about."""

from datetime import UTC, datetime, timedelta

from timetill.customers.models import Customer
from timetill.sites.models import Site
from timetill.timelines.actors import Actor
from timetill.timelines.models import TimeLine, Via
from timetill.timelines.services import scan as scan_service


def scan_as(user, site: Site, customer: Customer, *, minutes_ago: int = 30) -> dict:
    """Check a customer in (minutes_ago) as a staff user; returns what the API would have said."""
    result = scan_service.scan(
        site=site,
        code=customer.codes.first().value,
        actor=Actor.for_user(user, via=Via.SCAN),
        at=datetime.now(UTC) - timedelta(minutes=minutes_ago),
    )
    return {"outcome": result.outcome, "time_line": {"id": result.time_line.pk}}


def open_line(user, site: Site, customer: Customer, *, minutes_ago: int = 30) -> TimeLine:
    return TimeLine.objects.get(pk=scan_as(user, site, customer, minutes_ago=minutes_ago)["time_line"]["id"])
