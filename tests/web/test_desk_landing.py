"""Where a cashier lands, the demo a newcomer tries, and what a refused request writes to the server log."""

import logging
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command

from tests.conftest import paris
from timetill.accounts.services import profile_of
from timetill.sites.localtime import local_date
from timetill.timelines.models import TimeLine


def _site_shown(html: str) -> str:
    return html.split('name="site" value="')[1].split('"')[0]


def test_the_timestamp_page_opens_at_the_cashiers_last_site(login, cashier, make_site):
    make_site(name="A car park", slug="aaa-parking")
    cowork = make_site(name="Coworking", slug="cowork")
    client = login(cashier)
    assert (
        _site_shown(client.get("/timestamp/").content.decode()) == "aaa-parking"
    )  # no site of their own yet
    client.get(f"/timestamp/?site={cowork.slug}")
    assert _site_shown(client.get("/timestamp/").content.decode()) == "cowork"
    assert _site_shown(client.get("/till/").content.decode()) == "cowork"


def test_the_timestamp_page_opens_at_the_cashiers_own_site(login, cashier, make_site):
    make_site(name="A car park", slug="aaa-parking")
    cowork = make_site(name="Coworking", slug="cowork")
    profile = profile_of(cashier)
    profile.default_site = cowork
    profile.save()
    assert _site_shown(login(cashier).get("/timestamp/").content.decode()) == "cowork"


@pytest.mark.django_db
def test_the_demo_cashier_starts_at_the_coworking_whose_codes_the_readme_gives(capsys):
    with time_machine.travel(paris(2026, 3, 2, 14, 0), tick=False):  # a Monday: last week had a weekend
        call_command("demo")
    cashier = get_user_model().objects.get(username="cashier")
    assert profile_of(cashier).default_site.slug == "cowork"
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    before, after = readme.split("type `", 1)
    first_code = after.split("`")[0]
    # The README's first code is a coworker's, and it says where to scan it.
    assert TimeLine.objects.filter(customer__codes__value=first_code, site__slug="cowork").exists()
    assert "Coworking Bellecour" in before[-300:] + after[:300]


@pytest.mark.django_db
def test_the_demo_daycare_has_no_stays_at_the_weekend():
    with time_machine.travel(paris(2026, 3, 2, 14, 0), tick=False):
        call_command("demo")
    days = [local_date(line.start, line.site.tz) for line in TimeLine.objects.filter(site__slug="daycare")]
    assert days and all(day.weekday() < 5 for day in days)


def test_a_refused_request_is_one_line_in_the_log_without_a_traceback(login, make_user, caplog):
    client = login(make_user("parent"))
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/timestamp/")
    assert response.status_code == 403
    records = [r for r in caplog.records if r.name == "django.request"]
    assert records and all(r.exc_info is None for r in records)
    assert "Forbidden" in records[0].getMessage()
