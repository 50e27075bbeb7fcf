"""Errors outside the endpoints are JSON too (404, 405, 414), each error answer is in the OpenAPI description
with its codes, and what the API answers a person or a device is never cached."""

import re
from pathlib import Path

import pytest
from django.test import Client

from timetill.api import api
from timetill.api_openapi import ERROR_STATUSES
from timetill.middleware import MAX_API_URL_LENGTH

DOC = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text()


@pytest.fixture
def staff(cashier):
    client = Client()
    client.force_login(cashier)
    return client


def test_a_method_an_endpoint_does_not_have_is_a_json_405(staff):
    response = staff.put("/api/scans", b"{}", content_type="application/json")
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "method_not_allowed"
    assert "POST" in response["Allow"]


def test_an_unknown_api_address_is_a_json_404(staff):
    response = staff.get("/api/no-such-thing")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_an_address_too_long_is_a_json_414(staff):
    response = staff.get("/api/time-lines", {"site": "x" * MAX_API_URL_LENGTH})
    assert response.status_code == 414
    assert response.json()["code"] == "uri_too_long"


def test_every_operation_documents_every_error_answer_with_its_codes():
    schema = api.get_openapi_schema(path_prefix="/api/")
    assert schema["components"]["schemas"]["Error"]["required"] == ["code", "message"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status in ERROR_STATUSES:
                answer = operation["responses"].get(status)
                assert answer is not None, (method, path, status)
                assert answer["content"]["application/json"]["schema"], (method, path, status)


def test_every_error_code_of_the_description_is_explained_in_the_docs():
    codes = {code for _, listed in ERROR_STATUSES.values() for code in listed}
    assert not sorted(code for code in codes if f"`{code}`" not in DOC)
    # And the docs name no code the description leaves out.
    table = set(re.findall(r"^\| \d{3} \| (.*?) \|", DOC, re.M))
    documented = {code for row in table for code in re.findall(r"`([a-z_]+)`", row)}
    assert documented <= codes, documented - codes


def test_what_the_api_answers_a_person_is_not_cached(staff):
    response = staff.get("/api/time-lines")
    assert response["Cache-Control"] == "private, no-store"


def test_what_the_api_answers_a_device_is_not_cached(site, make_device):
    client = Client(headers={"Authorization": f"Bearer {make_device(site).token}"})
    assert client.get("/api/time-lines")["Cache-Control"] == "private, no-store"


def test_the_app_says_nothing_of_its_server(staff):
    assert "Server" not in staff.get("/api/time-lines")
