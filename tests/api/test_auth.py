"""Who may call what: sessions, CSRF, device tokens (revoked, unknown, other site), rights; /me; the docs."""

from datetime import UTC, datetime

import pytest
from django.test import Client
from django.utils.crypto import get_random_string

from tests.api.helpers import scan_as
from timetill.sites.services import revoke_device


def test_no_authentication_is_a_401_in_json(api_as, site, make_customer):
    code = make_customer().codes.get().value
    status, body = api_as(None).post("/scans", {"site": site.slug, "code": code})
    assert (status, body["code"]) == (401, "not_authenticated")
    assert api_as(None).get("/time-lines")[0] == 401


def test_a_session_without_track_time_is_a_403(api_as, make_user, site, make_customer, unchanged):
    code = make_customer().codes.get().value
    api = api_as(make_user("parent"))  # no right and no child
    with unchanged():
        status, body = api.post("/scans", {"site": site.slug, "code": code})
    assert (status, body["code"]) == (403, "forbidden")
    assert "track_time" in body["message"]
    for path in ("/time-lines", "/customers", "/customer-groups", "/sites"):
        assert api.get(path)[0] == 403, path


def test_unsafe_methods_with_a_session_need_the_csrf_token(cashier, site, make_customer, unchanged):
    code = make_customer().codes.get().value
    client = Client(enforce_csrf_checks=True)
    client.force_login(cashier)
    with unchanged():
        response = client.post(
            "/api/scans", {"site": site.slug, "code": code}, content_type="application/json"
        )
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"

    # What a page of the app gives the browser: the csrftoken cookie, echoed in the X-CSRFToken header.
    token = get_random_string(32)
    client.cookies["csrftoken"] = token
    response = client.post(
        "/api/scans",
        {"site": site.slug, "code": code},
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 200, response.content
    assert response.json()["outcome"] == "started"


def test_safe_methods_with_a_session_need_no_csrf_token(cashier):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cashier)
    assert client.get("/api/time-lines").status_code == 200


def test_a_device_token_needs_no_csrf_token(site, make_device, make_customer):
    code = make_customer().codes.get().value
    client = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {make_device(site).token}"})
    response = client.post("/api/scans", {"site": site.slug, "code": code}, content_type="application/json")
    assert response.status_code == 200


def test_a_revoked_token_is_refused(api_device, site, make_device, make_customer, unchanged):
    code = make_customer().codes.get().value
    issued = make_device(site)
    revoke_device(device=issued.device, at=datetime.now(UTC))
    with unchanged():
        status, body = api_device(issued.token).post("/scans", {"site": site.slug, "code": code})
    assert (status, body["code"]) == (401, "revoked_token")
    assert "revoked" in body["message"]


@pytest.mark.parametrize("token", ["ttd_not-a-token", "something-else", "ttd_" + "x" * 300, ""])
def test_an_unknown_token_is_refused(api_device, site, make_device, make_customer, unchanged, token):
    code = make_customer().codes.get().value
    make_device(site)
    with unchanged():
        status, body = api_device(token).post("/scans", {"site": site.slug, "code": code})
    assert status == 401
    assert body["code"] in ("invalid_token", "not_authenticated")


def test_a_bad_token_is_refused_even_with_a_session(cashier, site):
    client = Client(headers={"Authorization": "Bearer ttd_forged"})
    client.force_login(cashier)
    response = client.get("/api/time-lines")
    assert (response.status_code, response.json()["code"]) == (401, "invalid_token")


def test_another_sites_token_cannot_scan_here(
    api_device, site, make_site, make_device, make_customer, unchanged
):
    code = make_customer().codes.get().value
    elsewhere = make_device(make_site(name="Car park", slug="car-park"))
    with unchanged():
        status, body = api_device(elsewhere.token).post("/scans", {"site": site.slug, "code": code})
    assert (status, body["code"]) == (403, "wrong_site")


def test_a_device_may_only_scan_and_read_its_sites_lines(
    api_device, site, make_device, make_customer, unchanged
):
    device = api_device(make_device(site).token)
    status, scanned = device.post("/scans", {"site": site.slug, "code": make_customer().codes.get().value})
    assert status == 200
    line_id = scanned["time_line"]["id"]
    assert device.get(f"/time-lines/{line_id}")[0] == 200
    with unchanged():
        for method, path, data in [
            ("post", f"/time-lines/{line_id}/stop", {}),
            ("post", f"/time-lines/{line_id}/note", {"note": "x"}),
            ("post", f"/time-lines/{line_id}/assign", {"customer_id": None}),
            ("post", f"/time-lines/{line_id}/hide", {}),
            ("get", f"/time-lines/{line_id}/audit", None),
            ("get", "/customers", None),
            ("post", "/customers", {"name": "Eve"}),
            ("get", "/customer-groups", None),
            ("get", "/sites", None),
            ("get", f"/sites/{site.slug}/devices", None),
            ("post", f"/sites/{site.slug}/devices", {"name": "Another"}),
        ]:
            status, body = getattr(device, method)(path, data)
            assert (status, body["code"]) == (403, "device_not_allowed"), path


def test_a_device_reads_only_its_own_sites_lines(
    api_device, site, make_site, make_device, make_customer, cashier
):
    other = make_site(name="Annex", slug="annex")
    line_here = scan_as(cashier, site, make_customer())["time_line"]["id"]
    line_there = scan_as(cashier, other, make_customer())["time_line"]["id"]
    device = api_device(make_device(site).token)
    status, lines = device.get("/time-lines")
    assert [line["id"] for line in lines] == [line_here]
    status, body = device.get(f"/time-lines/{line_there}")
    assert (status, body["code"]) == (404, "unknown_time_line")


def test_me_tells_who_is_calling(api_as, api_device, manager, make_parent, make_customer, site, make_device):
    status, body = api_as(manager).get("/me")
    assert status == 200
    assert body["kind"] == "user" and body["name"] == manager.username
    assert {"track_time", "edit_times", "manage_sites"} <= set(body["rights"])

    child = make_customer("Lea")
    status, body = api_as(make_parent(child)).get("/me")
    assert (body["rights"], body["children"]) == ([], [child.pk])

    issued = make_device(site, name="Door")
    status, body = api_device(issued.token).get("/me")
    assert body == {
        "kind": "device",
        "name": "Door",
        "site": site.slug,
        "rights": ["track_time"],
        "children": [],
    }


def test_the_openapi_description_and_docs_page_are_served_offline(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert "/api/scans" in schema["paths"]
    assert {"DeviceToken", "PersonSession"} <= set(schema["components"]["securitySchemes"])
    page = client.get("/api/docs")
    assert page.status_code == 200
    html = page.content.decode()
    # The page's script and styles come from the app's own static files, not from a CDN.
    assert "/static/ninja/" in html
    assert "cdn." not in html and "unpkg" not in html
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css"):
        if asset in html:
            assert client.get(f"/static/ninja/{asset}").status_code == 200
