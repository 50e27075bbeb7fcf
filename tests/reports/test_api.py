"""The reports' API: every role's access, the JSON it answers, errors as {code, message}, OpenAPI."""

import pytest
import time_machine

from tests.conftest import paris

ENDPOINTS = ["/reports/time-lines", "/reports/occupancy", "/reports/revenue"]
TUESDAY = {"from": "2026-03-03", "to": "2026-03-03"}


@pytest.fixture
def afternoon():
    with time_machine.travel(paris(2026, 3, 3, 12, 30), tick=False):
        yield


@pytest.mark.parametrize("path", ENDPOINTS)
def test_who_may_call_each_report(
    api_as,
    api_device,
    make_user,
    make_device,
    site,
    path,
):
    assert api_as(None).get(path)[0] == 401
    for role in ("cashier", "parent"):
        status, body = api_as(make_user(role)).get(path)
        assert (status, body["code"]) == (403, "forbidden") and "view_reports" in body["message"]
    status, body = api_device(make_device(site).token).get(path)
    assert (status, body["code"]) == (403, "device_not_allowed")
    assert api_as(make_user("manager")).get(path)[0] == 200


def test_time_lines_with_totals_and_pages(api_as, manager, scene, afternoon):
    api = api_as(manager)
    status, body = api.get("/reports/time-lines", {**TUESDAY, "order": "start", "page_size": 2})
    assert status == 200
    assert body["totals"] == {"count": 3, "seconds": 260 * 60, "amount": "7.400"}
    assert [item["customer"] for item in body["items"]] == ["Ana Dupré", "Bruno Martin"]
    assert body["items"][0]["start"] == "2026-03-03T10:00:00+01:00"
    status, body = api.get("/reports/time-lines", {**TUESDAY, "order": "start", "page_size": 2, "page": 2})
    assert [item["customer"] for item in body["items"]] == ["Chloé Bernard"]
    assert body["items"][0]["state"] == "open"


def test_occupancy_and_revenue(api_as, manager, scene, afternoon):
    api = api_as(manager)
    status, body = api.get("/reports/occupancy", {**TUESDAY, "site": scene.site.slug, "bucket": "hour"})
    assert status == 200
    assert body["summary"]["peak"] == 3 and body["summary"]["occupied_seconds"] == 260 * 60
    assert body["summary"]["peak_at"] == "2026-03-03T10:00:00Z"
    assert len(body["slices"]) == 13 and len(body["heat"]) == 13  # midnight to 12:30
    status, body = api.get("/reports/revenue", TUESDAY)
    assert body["total"]["gross"] == "3.70" and body["sources"] == ["sales", "invoices", "credit_notes"]
    assert body["by_group"][0]["name"] == "Members"


@pytest.mark.parametrize(
    ("path", "query", "status", "code"),
    [
        ("/reports/time-lines", {"from": "2026-03-04", "to": "2026-03-01"}, 400, "end_before_start"),
        ("/reports/time-lines", {"state": "lost"}, 400, "invalid_state"),
        ("/reports/time-lines", {"group": "999"}, 404, "unknown_group"),
        ("/reports/occupancy", {"bucket": "minute"}, 400, "invalid_bucket"),
        ("/reports/occupancy", {"site": "nowhere"}, 404, "unknown_site"),
        ("/reports/revenue", {"preset": "someday"}, 400, "invalid_preset"),
        ("/reports/revenue", {"from": "1999-01-01"}, 400, "invalid_date"),
    ],
)
def test_errors_are_json_with_a_code(api_as, manager, site, path, query, status, code):
    answer, body = api_as(manager).get(path, query)
    assert (answer, body["code"]) == (status, code)
    assert body["message"]


def test_the_openapi_description_lists_the_reports(client):
    schema = client.get("/api/openapi.json").json()
    for path in ENDPOINTS:
        operation = schema["paths"][f"/api{path}"]["get"]
        assert {"200", "400", "403"} <= set(operation["responses"])
    names = {p["name"] for p in schema["paths"]["/api/reports/occupancy"]["get"]["parameters"]}
    assert {"from", "to", "site", "bucket", "preset"} <= names
