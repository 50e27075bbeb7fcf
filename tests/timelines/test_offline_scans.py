"""The oldest offline scan a site accepts: a kiosk syncing later keeps its scans' times, within the limit."""

from datetime import UTC, timedelta

import pytest

from tests.conftest import paris
from timetill.errors import TimetillError
from timetill.timelines.models import Scan
from timetill.timelines.services.scan import scan

pytestmark = pytest.mark.django_db
NOW = paris(2026, 3, 30, 9, 0).astimezone(UTC)  # the Monday after the clocks went forward in Paris


def test_a_scan_within_the_limit_keeps_its_time(site, cashier_actor):
    site.max_offline_scan_hours = 72
    site.save()
    made = NOW - timedelta(hours=71, minutes=59)
    assert paris(2026, 3, 30, 9, 0) - timedelta(hours=71, minutes=59) != made  # wall-clock hours: one more
    result = scan(site=site, code="TICKET-1", actor=cashier_actor, at=NOW, device_time=made)
    assert result.time_line.start == made


def test_a_scan_older_than_the_site_accepts_is_refused_in_local_time(site, cashier_actor):
    site.max_offline_scan_hours = 24
    site.save()
    with pytest.raises(TimetillError) as refused:
        scan(site=site, code="TICKET-1", actor=cashier_actor, at=NOW, device_time=NOW - timedelta(hours=31))
    assert refused.value.code == "scan_too_old"
    # 31 real hours before Monday 09:00, across the night the clocks went forward, is Sunday 01:00 in Paris.
    assert "29/03/2026 01:00" in refused.value.message and "24 hours" in refused.value.message
    assert not Scan.objects.exists()
    # `at` given in local time counts real hours too.
    local_now = paris(2026, 3, 30, 9, 0)
    kept = scan(
        site=site, code="TICKET-2", actor=cashier_actor, at=local_now, device_time=NOW - timedelta(hours=23.5)
    )
    assert kept.time_line.start == NOW - timedelta(hours=23.5)
