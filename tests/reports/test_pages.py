"""The report pages: who may open them, what they show, their downloads, bad input told plainly."""

import csv
import io

import openpyxl
import pytest
import time_machine

from tests.conftest import paris
from timetill.reports.exports import BOM

PAGES = [
    "/reports/",
    "/reports/occupancy/",
    "/reports/revenue/",
    "/reports/time-lines.csv",
    "/reports/time-lines.xlsx",
    "/reports/occupancy.csv",
    "/reports/exports/1/",
    "/reports/exports/1/progress/",
    "/reports/exports/1/download/",
]
TUESDAY = "from=2026-03-03&to=2026-03-03"


@pytest.fixture
def afternoon():
    with time_machine.travel(paris(2026, 3, 3, 12, 30), tick=False):
        yield


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_is_sent_to_log_in(client, url, site):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.parametrize("role", ["cashier", "parent"])
@pytest.mark.parametrize("url", PAGES)
def test_without_view_reports_it_is_the_403_page(login, make_user, role, url, site):
    response = login(make_user(role)).get(url)
    assert response.status_code == 403
    assert "view_reports" in response.content.decode()


def test_the_manager_sees_the_link_and_the_cashier_does_not(login, manager, cashier, site):
    assert 'href="/reports/"' in login(manager).get("/timestamp/").content.decode()
    assert 'href="/reports/"' not in login(cashier).get("/timestamp/").content.decode()


def test_the_time_lines_page_and_its_downloads_agree(login, manager, scene, afternoon):
    client = login(manager)
    page = client.get(f"/reports/?{TUESDAY}&site={scene.site.slug}")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-total="count">3<' in html and "2 h 50" not in html
    assert 'data-total="amount">7.40<' in html
    assert "Ana Dupré" in html and "Chloé Bernard" in html
    response = client.get(f"/reports/time-lines.csv?{TUESDAY}&site={scene.site.slug}&delimiter=semicolon")
    text = b"".join(response.streaming_content).decode()
    assert text.startswith(BOM)
    records = list(csv.DictReader(io.StringIO(text.removeprefix(BOM)), delimiter=";"))
    assert len(records) == 3
    response = client.get(f"/reports/time-lines.xlsx?{TUESDAY}&site={scene.site.slug}")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.max_row == 4
    assert 'filename="time-lines-20260303-20260303.xlsx"' in response["Content-Disposition"]


def test_the_page_sorts_filters_and_pages(login, manager, scene, afternoon):
    client = login(manager)
    html = client.get(f"/reports/?{TUESDAY}&state=open").content.decode()
    assert "Chloé Bernard" in html and "Ana Dupré" not in html
    html = client.get(f"/reports/?{TUESDAY}&order=start").content.decode()
    assert html.index("Ana Dupré") < html.index("Chloé Bernard")


def test_the_occupancy_page_with_its_chart_heat_map_and_csv(login, manager, scene, afternoon):
    client = login(manager)
    html = client.get(f"/reports/occupancy/?{TUESDAY}&site={scene.site.slug}").content.decode()
    # 80 + 90 + 90 minutes over 10 places × 24 h … measured up to 12:30: 260 min ÷ (10 × 750 min) = 3.5 %.
    assert 'data-figure="rate">3.5 %<' in html
    assert 'data-figure="peak">3<' in html
    assert "<svg" in html and 'id="heat-map"' in html and 'class="peak"' in html
    assert "kozea" not in html  # no script from the web
    response = client.get(f"/reports/occupancy.csv?{TUESDAY}&site={scene.site.slug}&bucket=day")
    rows = list(csv.reader(io.StringIO(response.content.decode().removeprefix(BOM))))
    assert rows[0][:3] == ["Start", "End", "Occupied (h)"]
    assert rows[1][2] == f"{260 / 60:.4f}"


def test_the_revenue_page(login, manager, scene, afternoon):
    html = login(manager).get(f"/reports/revenue/?{TUESDAY}").content.decode()
    assert 'data-figure="gross">3.70<' in html
    assert "Members" in html and "Parking" in html
    assert "issued invoices on their issue date" in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("from=2026-03-04&to=2026-03-01", "ends before it starts"),
        ("from=yesterday", "is not a date"),
        ("preset=someday", "is not a period"),
        ("from=2020-01-01&to=2026-01-01", "at most 731 days"),
        ("state=lost", "is not a state"),
        ("group=abc", "is not a number"),
    ],
)
def test_bad_input_is_a_plain_message(login, manager, site, query, message):
    response = login(manager).get(f"/reports/?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()


def test_an_unknown_bucket_or_site_on_the_occupancy_page(login, manager, site):
    client = login(manager)
    assert "is not hour, day or week" in client.get("/reports/occupancy/?bucket=minute").content.decode()
    response = client.get("/reports/occupancy/?site=nowhere")
    assert response.status_code == 400 and "There is no site" in response.content.decode()
