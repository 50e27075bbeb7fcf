"""Errors outside the endpoints are JSON too (404, 405, 414), each error answer is in the OpenAPI description
with its codes, and what the API answers a person or a device is never cached."""

import re
from pathlib import Path

import pytest
from django.test import Client

from timetill.api import api
from timetill.api_errors import OPERATIONS
from timetill.api_openapi import documented_codes
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


SCHEMA = api.get_openapi_schema(path_prefix="/api/")
OPERATION_KEYS = {
    f"{method.upper()} {path}" for path, operations in SCHEMA["paths"].items() for method in operations
}


def _codes(method: str, path: str) -> dict[int, frozenset[str]]:
    return documented_codes(SCHEMA["paths"][path][method])


def test_every_operation_has_its_row_of_errors_and_every_row_its_operation():
    assert sorted(OPERATION_KEYS - OPERATIONS.keys()) == []  # a new operation: add its row (api_errors.py)
    assert sorted(OPERATIONS.keys() - OPERATION_KEYS) == []


def test_every_error_answer_is_documented_with_the_codes_it_may_carry():
    assert SCHEMA["components"]["schemas"]["Error"]["required"] == ["code", "message"]
    for path, operations in SCHEMA["paths"].items():
        for method, operation in operations.items():
            for status, codes in documented_codes(operation).items():
                assert codes, (method, path, status)
                assert all(f"`{code}`" in operation["responses"][status]["description"] for code in codes)
            assert {401, 414, 500} <= documented_codes(operation).keys(), (method, path)


def test_each_operation_lists_only_the_codes_it_may_give():
    me = _codes("get", "/api/me")
    assert sorted(me) == [401, 414, 500]  # no body, no parameter, no right needed: little can go wrong
    scans = _codes("post", "/api/scans")
    assert {"scan_too_old", "invalid_ean", "malformed_body"} <= scans[400]
    assert "device_not_allowed" not in scans[403]  # devices scan
    assert scans[503] == {"busy"}
    sales = _codes("get", "/api/sales")
    assert "device_not_allowed" in sales[403] and 400 not in sales and 415 not in sales
    assert "scan_too_old" not in _codes("post", "/api/customers")[400]
    assert "csrf_failed" not in _codes("get", "/api/time-lines")[403]
    assert "csrf_failed" in _codes("post", "/api/time-lines/{line_id}/stop")[403]


def test_every_error_code_of_the_description_is_explained_in_the_docs():
    codes = {
        code
        for operations in SCHEMA["paths"].values()
        for operation in operations.values()
        for listed in documented_codes(operation).values()
        for code in listed
    }
    assert sorted(code for code in codes if f"`{code}`" not in DOC) == []
    # And the docs' table names no code the description leaves out (but the 405 of a method a path lacks).
    table = set(re.findall(r"^\| \d{3} \| (.*?) \|", DOC, re.M))
    documented = {code for row in table for code in re.findall(r"`([a-z_]+)`", row)}
    back_office_only = {"invalid_group", "group_taken", "inactive_user"}  # the customers service's
    assert documented - codes <= {"method_not_allowed", *back_office_only}, documented - codes


def test_what_the_api_answers_a_person_is_not_cached(staff):
    response = staff.get("/api/time-lines")
    assert response["Cache-Control"] == "private, no-store"


def test_what_the_api_answers_a_device_is_not_cached(site, make_device):
    client = Client(headers={"Authorization": f"Bearer {make_device(site).token}"})
    assert client.get("/api/time-lines")["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_download_of_personal_data_is_not_cached(login, manager, make_customer, fmt):
    make_customer("Alice Martin")
    response = login(manager).get(f"/backoffice/customers/export.{fmt}")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"


def test_the_app_says_nothing_of_its_server(staff):
    assert "Server" not in staff.get("/api/time-lines")
