"""Report fixtures: stays written straight into the time lines (the reports only read them)."""

import pytest

from timetill.timelines.models import TimeLine, Via


@pytest.fixture
def make_stay(db):
    def make(site, start, end=None, *, customer=None, **fields) -> TimeLine:
        return TimeLine.objects.create(
            site=site, customer=customer, start=start, end=end, started_via=Via.SCAN, **fields
        )

    return make
