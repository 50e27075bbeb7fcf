"""Bodies that are not JSON, are binary, or are too large: a JSON 4xx with a code, never an HTML 500."""

import pytest
from django.conf import settings
from django.test import Client

from timetill.timelines.models import Scan

BAD_BODIES = [
    (b'{"site": "front", "code": "\xff\xfe"}', "application/json"),  # not UTF-8
    (b'{"site": "front", "code": ', "application/json"),  # cut short
    (b"[" * 100_000, "application/json"),  # nested deeper than any parser should follow
    ('{"site": "front", "code": "ABC"}'.encode("utf-16"), "application/json"),  # UTF-16, with its BOM
    ('{"site": "front", "code": "ABC"}'.encode("utf-16-le"), "application/json"),  # UTF-16, no BOM
    ('{"site": "front", "code": "ABC"}'.encode("utf-8-sig"), "application/json"),  # a BOM
    (b'{"site": "front", "code": "ABC", "n": NaN}', "application/json"),
]
OTHER_MEDIA_TYPES = [
    (b"\x00\x01\x02\xff\xfe binary", "application/octet-stream"),
    (b"site=front&code=ABC", "application/x-www-form-urlencoded"),
    (b"<scan><code>ABC</code></scan>", "application/xml"),
    (b'{"site": "front", "code": "ABC"}', "text/plain"),
    (b'{"site": "front", "code": "ABC"}', "application/json; charset=utf-16"),
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


@pytest.mark.parametrize(("body", "content_type"), OTHER_MEDIA_TYPES)
def test_a_body_of_another_media_type_is_a_415(client, unchanged, body, content_type):
    with unchanged():
        response = client.post("/api/scans", body, content_type=content_type)
    assert response.status_code == 415, response.content[:200]
    assert response.json()["code"] == "unsupported_media_type"


def test_a_key_given_twice_is_a_400(client, site, make_customer, unchanged):
    code = make_customer().codes.get().value
    body = f'{{"site": "{site.slug}", "code": "{code}", "code": "OTHER"}}'
    with unchanged():
        response = client.post("/api/scans", body, content_type="application/json")
    assert (response.status_code, response.json()["code"]) == (400, "duplicate_key")
    assert "code" in response.json()["message"]


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


NOT_OBJECTS = ["[]", "[1, 2]", "null", "0", "12.5", '"a string"', "true"]


@pytest.mark.parametrize("body", NOT_OBJECTS)
def test_a_body_that_is_not_an_object_changes_nothing(cashier, site, make_customer, unchanged, body):
    # Each of these endpoints has only optional fields: such a body was taken as {} and changed data.
    from tests.api.helpers import open_line

    customer = make_customer("Ada")
    line = open_line(cashier, site, customer)
    client = Client()
    client.force_login(cashier)
    with unchanged():
        for path, method in [
            (f"/api/time-lines/{line.pk}/hide", client.post),
            (f"/api/customers/{customer.pk}", client.patch),
        ]:
            response = method(path, body, content_type="application/json")
            assert (response.status_code, response.json()["code"]) == (422, "body_not_object"), path
    from timetill.sales.models import Sale

    response = client.post("/api/sales", body, content_type="application/json")
    assert response.status_code == 422 and not Sale.objects.exists()
