"""Large XLSX exports as background jobs: asked for on the page, written by the worker with its progress,
read back equal to the screen's totals, downloadable by their owner only, removed after a day."""

import io
import re
from datetime import timedelta
from decimal import Decimal

import openpyxl
import pytest
import time_machine

from tests.conftest import paris
from timetill.exports.models import Export
from timetill.reports import jobs

TUESDAY = "from=2026-03-03&to=2026-03-03"
AT = paris(2026, 3, 3, 12, 30)


@pytest.fixture(autouse=True)
def exports_dir(settings, tmp_path):
    settings.EXPORTS_DIR = tmp_path / "exports"
    return settings.EXPORTS_DIR


@pytest.fixture
def small_threshold(monkeypatch):
    """Two time lines are "large" here: the scene's three go to the background."""
    monkeypatch.setattr(jobs, "BACKGROUND_FROM", 2)


@pytest.fixture
def afternoon():
    with time_machine.travel(AT, tick=False):
        yield


def ask(client, capture, query: str):
    with capture(execute=True):
        response = client.post("/reports/exports/", {"query": query})
    assert response.status_code == 302, response.content[:300]
    return response["Location"]


def test_a_large_export_runs_in_the_background_and_reads_back_to_the_screens_totals(
    login, manager, scene, afternoon, small_threshold, django_capture_on_commit_callbacks, work, exports_dir
):
    client = login(manager)
    query = f"{TUESDAY}&site={scene.site.slug}"
    html = client.get(f"/reports/?{query}").content.decode()
    assert "XLSX (prepared in the background)" in html
    offer = client.get(f"/reports/time-lines.xlsx?{query}")
    assert offer.status_code == 200 and "Prepare the XLSX" in offer.content.decode()
    page_url = ask(client, django_capture_on_commit_callbacks, query)
    export = Export.objects.get()
    assert page_url == f"/reports/exports/{export.pk}/"
    waiting = client.get(page_url).content.decode()
    assert 'data-state="queued"' in waiting and "hx-get" in waiting
    work()
    done = client.get(f"/reports/exports/{export.pk}/progress/").content.decode()
    assert 'data-state="done"' in done and "hx-get" not in done and "Ready: 3 time lines." in done
    export.refresh_from_db()
    assert (export.state, export.done_rows, export.total_rows) == ("done", 3, 3)
    stored = jobs.path_of(export)
    assert stored.parent == exports_dir / str(manager.pk) and stored.is_file()
    assert not list(exports_dir.rglob("*.partial"))
    response = client.get(f"/reports/exports/{export.pk}/download/")
    assert response.status_code == 200
    assert 'filename="time-lines-20260303-20260303.xlsx"' in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header, *rows = sheet.iter_rows(values_only=True)
    column = {name: i for i, name in enumerate(header)}
    # The screen's figures: 3 lines, 80 + 90 + 90 minutes, 3.70 + 3.70.
    assert 'data-total="count">3<' in html and 'data-total="amount">7.40<' in html
    assert len(rows) == 3
    assert sum((r[column["Duration"]] for r in rows), timedelta()) == timedelta(minutes=260)
    assert sum(Decimal(str(r[column["Amount"]] or 0)) for r in rows) == Decimal("7.40")
    assert {r[column["Customer"]] for r in rows} == {"Ana Dupré", "Bruno Martin", "Chloé Bernard"}


def test_a_small_export_is_still_streamed_at_once(login, manager, scene, afternoon):
    response = login(manager).get(f"/reports/time-lines.xlsx?{TUESDAY}")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.max_row == 4
    assert Export.objects.count() == 0


def test_only_its_owner_sees_or_downloads_an_export(
    login,
    make_user,
    manager,
    cashier,
    client,
    scene,
    afternoon,
    small_threshold,
    django_capture_on_commit_callbacks,
    work,
):
    ask(login(manager), django_capture_on_commit_callbacks, TUESDAY)
    work()
    export = Export.objects.get()
    urls = [f"/reports/exports/{export.pk}/{tail}" for tail in ("", "progress/", "download/")]
    other = make_user("manager")
    for url in urls:
        assert login(other).get(url).status_code == 404  # another manager's export does not exist for them
        assert login(cashier).get(url).status_code == 403
    client.logout()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert login(cashier).post("/reports/exports/", {"query": TUESDAY}).status_code == 403
    assert Export.objects.count() == 1
    assert login(manager).get(urls[2]).status_code == 200


def test_an_export_not_written_yet_cannot_be_downloaded(
    login, manager, scene, afternoon, small_threshold, django_capture_on_commit_callbacks
):
    client = login(manager)
    ask(client, django_capture_on_commit_callbacks, TUESDAY)
    export = Export.objects.get()
    assert client.get(f"/reports/exports/{export.pk}/download/").status_code == 404


def test_bad_filters_are_refused_before_anything_is_queued(login, manager, site, afternoon):
    response = login(manager).post("/reports/exports/", {"query": "from=2026-03-04&to=2026-03-01"})
    assert response.status_code == 400 and "ends before it starts" in response.content.decode()
    assert Export.objects.count() == 0


def test_an_export_is_removed_with_its_file_after_a_day(
    login, manager, scene, small_threshold, django_capture_on_commit_callbacks, work
):
    client = login(manager)
    with time_machine.travel(AT, tick=False):
        ask(client, django_capture_on_commit_callbacks, TUESDAY)
        work()
    first = Export.objects.get()
    assert jobs.path_of(first).is_file()
    with time_machine.travel(AT + timedelta(hours=23), tick=False):
        ask(client, django_capture_on_commit_callbacks, TUESDAY)
    assert Export.objects.count() == 2  # within the day: kept
    with time_machine.travel(AT + timedelta(hours=24, minutes=1), tick=False):
        ask(client, django_capture_on_commit_callbacks, TUESDAY)
        assert not jobs.path_of(first).exists()
        assert not Export.objects.filter(pk=first.pk).exists()
        assert client.get(f"/reports/exports/{first.pk}/download/").status_code == 404


def test_a_failed_export_says_why_and_leaves_no_file(
    login, manager, scene, afternoon, small_threshold, django_capture_on_commit_callbacks, work, exports_dir
):
    client = login(manager)
    ask(client, django_capture_on_commit_callbacks, f"{TUESDAY}&site={scene.site.slug}")
    export = Export.objects.get()
    Export.objects.filter(pk=export.pk).update(query={"site": "gone", "from": "2026-03-03"})
    work()
    html = client.get(f"/reports/exports/{export.pk}/").content.decode()
    assert 'data-state="failed"' in html and re.search(r"There is no site .gone.", html)
    assert not [path for path in exports_dir.rglob("*") if path.is_file()]


def test_the_api_asks_polls_and_downloads_an_export(
    api_as, make_user, manager, scene, afternoon, django_capture_on_commit_callbacks, work
):
    api = api_as(manager)
    with django_capture_on_commit_callbacks(execute=True):
        status, body = api.post("/reports/exports", {**dict(x.split("=") for x in TUESDAY.split("&"))})
    assert status == 202 and body["state"] == "queued"
    assert body["file_name"] == "time-lines-20260303-20260303.xlsx"
    export_id = body["id"]
    status, body = api.get(f"/reports/exports/{export_id}/file")
    assert (status, body["code"]) == (409, "export_not_ready")
    work()
    status, body = api.get(f"/reports/exports/{export_id}")
    assert (status, body["state"], body["done_rows"], body["percent"]) == (200, "done", 3, 100)
    response = api.client.get(f"/api/reports/exports/{export_id}/file")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header, *rows = sheet.iter_rows(values_only=True)
    column = {name: i for i, name in enumerate(header)}
    status, screen = api.get("/reports/time-lines", dict(x.split("=") for x in TUESDAY.split("&")))
    assert len(rows) == screen["totals"]["count"] == 3
    seconds = sum((r[column["Duration"]] for r in rows), timedelta()).total_seconds()
    assert seconds == screen["totals"]["seconds"]
    assert sum(Decimal(str(r[column["Amount"]] or 0)) for r in rows) == Decimal(screen["totals"]["amount"])
    other = api_as(make_user("manager"))
    for path in (f"/reports/exports/{export_id}", f"/reports/exports/{export_id}/file"):
        status, body = other.get(path)
        assert (status, body["code"]) == (404, "unknown_export")
    status, body = api.post("/reports/exports", {"from": "2026-03-04", "to": "2026-03-01"})
    assert (status, body["code"]) == (400, "end_before_start")
    assert Export.objects.count() == 1
