"""Bodies that are not JSON, are binary, or are too large: a JSON 4xx with a code, never an HTML 500."""

import pytest
from django.conf import settings
from django.test import Client

from timetill.timelines.models import Scan

BAD_BODIES = [
    (b"\x00\x01\x02\xff\xfe binary", "application/octet-stream"),
    (b'{"site": "front", "code": "\xff\xfe"}', "application/json"),  # not UTF-8
    (b'{"site": "front", "code": ', "application/json"),  # cut short
    (b"site=front&code=ABC", "application/x-www-form-urlencoded"),
    (b"<scan><code>ABC</code></scan>", "application/xml"),
    (b"[" * 100_000, "application/json"),  # nested deeper than any parser should follow
]


@pytest.fixture(params=["device", "session"])
def client(request, site, make_device, cashier):
    if request.param == "device":
        return Client(headers={"Authorization": f"Bearer {make_device(site).token}"})
    client = Client()
    client.force_login(cashier)
    return client


@pytest.mark.parametrize(("body", "content_type"), BAD_BODIES)
def test_a_body_that_is_not_json_is_a_400(client, unchanged, body, content_type):
    with unchanged():
        response = client.post("/api/scans", body, content_type=content_type)
    assert response.status_code == 400, response.content[:200]
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json()["code"] == "malformed_body"


def test_an_empty_body_is_a_422(client, unchanged):
    with unchanged():
        response = client.post("/api/scans", b"", content_type="application/json")
    assert (response.status_code, response.json()["code"]) == (422, "invalid_input")


@pytest.mark.parametrize(
    "content_type", ["application/json", "multipart/form-data; boundary=x", "text/plain"]
)
def test_an_oversized_body_is_a_413(client, site, unchanged, content_type):
    padding = "A" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    body = f'{{"site": "{site.slug}", "code": "ABC", "pad": "{padding}"}}'
    with unchanged():
        response = client.post("/api/scans", body, content_type=content_type)
    assert response.status_code == 413, response.content[:200]
    assert response.json()["code"] == "body_too_large"
    assert Scan.objects.count() == 0


def test_a_malformed_multipart_body_with_a_session_is_a_400(cashier, unchanged):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cashier)
    with unchanged():
        response = client.post(
            "/api/scans", b"--x\r\nnot a part", content_type="multipart/form-data; boundary=x"
        )
    assert response.status_code in (400, 403)
    assert response.json()["code"] in ("malformed_body", "csrf_failed")
