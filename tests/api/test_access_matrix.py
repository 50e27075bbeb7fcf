"""Who may call what: every operation of the OpenAPI description × every role, with the expected answer.

The operations come from the description itself, so a new endpoint without an expectation here fails
`test_every_operation_has_an_expectation`. Bodies are made from the description (schema-valid, so that the
endpoint's own rights check answers, not the body's validation); ids are real where the scene has the
thing, else unknown: a right is checked before anything is looked up, so a refused role gets its 403 either
way. "ok" means the role passes the rights check: any answer but 401 and 403 (and never a 5xx).
"""

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client

from tests.api.helpers import open_line
from tests.catalog.conftest import make_product  # noqa: F401 - the fixture
from timetill.api import api
from timetill.api_common import TARIFF_REF
from timetill.sales.services import LineSpec, add_line, open_sale
from timetill.timelines.actors import Actor

ROLES = ("anonymous", "guardian", "cashier", "manager", "device", "other_device")
UNKNOWN = 987654
SCHEMA = api.get_openapi_schema(path_prefix="/api/")
OPERATIONS = {
    operation["operationId"]: (method.upper(), path, operation)
    for path, methods in SCHEMA["paths"].items()
    for method, operation in methods.items()
}

# Expected answers per role, in ROLES' order: anonymous, guardian, cashier, manager, device, other device.
STAFF = "401 403 ok ok 403 403"  # track_time (cashiers, managers): the desk, the till, reading the catalogue
MANAGERS = (
    "401 403 403 ok 403 403"  # a manager's right: manage_catalog, manage_sites, manage_invoicing, edit_times
)
PEOPLE = "401 ok ok ok 403 403"  # every person; a parent sees only their own children's
EXPECTED = {
    "timetill_api_me": "401 ok ok ok ok ok",
    # Time lines and scans: devices scan and read at their own site only.
    "timetill_timelines_api_post_scan": "401 ok ok ok ok 403",
    "timetill_timelines_api_list_time_lines": "401 ok ok ok ok ok",  # each its own (a device its site's)
    "timetill_timelines_api_get_time_line": "401 ok ok ok ok 404",  # another site's line: unknown
    "timetill_timelines_api_stop": PEOPLE,
    "timetill_timelines_api_audit": PEOPLE,
    "timetill_timelines_api_assign": STAFF,
    "timetill_timelines_api_note": STAFF,
    "timetill_timelines_api_hide": STAFF,
    "timetill_timelines_api_edit_times": MANAGERS,
    # Customers.
    "timetill_customers_api_list_customers": PEOPLE,
    "timetill_customers_api_get_customer": PEOPLE,
    "timetill_customers_api_post_customer": STAFF,
    "timetill_customers_api_patch_customer": STAFF,
    "timetill_customers_api_post_code": STAFF,
    "timetill_customers_api_delete_code": STAFF,
    "timetill_customers_api_list_groups": STAFF,
    # Sites and devices.
    "timetill_sites_api_list_sites": PEOPLE,
    "timetill_sites_api_get_site": PEOPLE,
    "timetill_sites_api_list_devices": MANAGERS,
    "timetill_sites_api_post_device": MANAGERS,
    "timetill_sites_api_revoke": MANAGERS,
    # The catalogue: cashiers read it to sell, managers change it.
    "timetill_catalog_api_vat_rates": STAFF,
    "timetill_catalog_api_list_products": STAFF,
    "timetill_catalog_api_get_product": STAFF,
    "timetill_catalog_api_export_tariff": STAFF,
    "timetill_catalog_api_quote_product": STAFF,
    "timetill_catalog_api_quote": STAFF,
    "timetill_catalog_api_site_time_products": STAFF,
    "timetill_catalog_api_create_product": MANAGERS,
    "timetill_catalog_api_update_product": MANAGERS,
    "timetill_catalog_api_delete_product": MANAGERS,
    "timetill_catalog_api_duplicate_product": MANAGERS,
    "timetill_catalog_api_import_tariff": MANAGERS,
    "timetill_catalog_api_set_site_time_product": MANAGERS,
    "timetill_catalog_packages_api_list_packages": MANAGERS,
    "timetill_catalog_packages_api_create_package": MANAGERS,
    "timetill_catalog_packages_api_get_package": MANAGERS,
    "timetill_catalog_packages_api_update_package": MANAGERS,
    "timetill_catalog_packages_api_duplicate_package": MANAGERS,
    "timetill_catalog_packages_api_archive_package": MANAGERS,
    # The till.
    "timetill_sales_api_list_sales": STAFF,
    "timetill_sales_api_open_sale": STAFF,
    "timetill_sales_api_get_sale": STAFF,
    "timetill_sales_api_add_line": STAFF,
    "timetill_sales_api_remove_line": STAFF,
    "timetill_sales_api_set_discount": STAFF,
    "timetill_sales_api_change_step": STAFF,
    "timetill_sales_api_park": STAFF,
    "timetill_sales_api_resume": STAFF,
    "timetill_sales_api_close": STAFF,
    "timetill_sales_api_refund": STAFF,
    "timetill_sales_api_receipt": STAFF,
    "timetill_sales_api_link": STAFF,
    "timetill_sales_api_checkout": STAFF,
    "timetill_sales_api_due": STAFF,
    "timetill_sales_api_hide_paid": STAFF,
    # Families and monthly invoicing: manage_invoicing.
    "timetill_invoicing_api_list_families": MANAGERS,
    "timetill_invoicing_api_create_family": MANAGERS,
    "timetill_invoicing_api_get_family": MANAGERS,
    "timetill_invoicing_api_add_child": MANAGERS,
    "timetill_invoicing_api_set_shares": MANAGERS,
    "timetill_invoicing_api_list_enrolments": MANAGERS,
    "timetill_invoicing_api_enrol": MANAGERS,
    "timetill_invoicing_api_end_enrolment": MANAGERS,
    "timetill_invoicing_api_start_run": MANAGERS,
    "timetill_invoicing_api_list_runs": MANAGERS,
    "timetill_invoicing_api_get_run": MANAGERS,
    "timetill_invoicing_api_list_invoices": MANAGERS,
    "timetill_invoicing_api_get_invoice": MANAGERS,
    "timetill_invoicing_api_accept_line": MANAGERS,
    "timetill_invoicing_api_issue": MANAGERS,
    "timetill_invoicing_api_issue_month": MANAGERS,
    "timetill_invoicing_api_credit": MANAGERS,
    "timetill_invoicing_api_pay": MANAGERS,
    "timetill_invoicing_api_family_balance": MANAGERS,
    # E-invoices: invoicing managers any; a person (a payer) their own only, any other is unknown (404).
    "timetill_invoicing_einvoice_api_invoice_einvoice": PEOPLE,
    "timetill_invoicing_einvoice_api_credit_note_einvoice": PEOPLE,
    "timetill_invoicing_einvoice_api_month_einvoices": MANAGERS,
    # Reports: view_reports (managers).
    "timetill_reports_api_time_line_report": MANAGERS,
    "timetill_reports_api_occupancy_report": MANAGERS,
    "timetill_reports_api_revenue_report": MANAGERS,
    "timetill_reports_api_start_export": MANAGERS,
    "timetill_reports_api_get_export": MANAGERS,
    "timetill_reports_api_export_file": MANAGERS,
}
# Text values tried in turn against a field's pattern: an instant, a date, a month, plain text.
_CAR_PARK_TARIFF = Path(__file__).resolve().parents[2] / "docs" / "examples" / "car-park.json"
_TEXT_CANDIDATES = ("2026-03-02T09:00:00+01:00", "2026-03-01", "2026-03", "x", "X1", "cash")


def _role_statuses(spec: str) -> dict[str, str]:
    return dict(zip(ROLES, spec.split(), strict=True))


@pytest.fixture
def scene(make_site, make_customer, make_parent, make_device, make_user, make_product):  # noqa: F811
    here = make_site(name="Daycare", slug="daycare", family_check_in=True)
    child = make_customer("Léa")
    cashier, manager = make_user("cashier"), make_user("manager")
    line = open_line(cashier, here, child)
    product = make_product("simple", internal_name="Coffee", short_name="Coffee", price=Decimal("2.00"))
    sale = open_sale(site=here, actor=Actor.operator(), at=line.start)
    sale_line = add_line(sale_id=sale.pk, spec=LineSpec(product.pk, Decimal(1)), actor=Actor.operator())
    device = make_device(here, "Kiosk")
    other_device = make_device(make_site(name="Elsewhere", slug="elsewhere"), "Gate")
    return {
        "people": {"guardian": make_parent(child), "cashier": cashier, "manager": manager},
        "tokens": {"device": device.token, "other_device": other_device.token},
        "ids": {
            "line_id": line.pk,
            "customer_id": child.pk,
            "code_id": child.codes.get().pk,
            "slug": here.slug,
            "device_id": device.device.pk,
            "product_id": product.pk,
            "sale_id": sale.pk,
        },
        "sale_line_id": sale_line.pk,
        "code": child.codes.get().value,
    }


def _resolve(schema: dict) -> dict:
    while "$ref" in schema:
        schema = SCHEMA["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _value(schema: dict, name: str, scene: dict):
    """A schema-valid value, taken from the scene where the field names something the scene has."""
    if schema.get("$ref") == TARIFF_REF:
        return json.loads(_CAR_PARK_TARIFF.read_text())  # a documented tariff
    schema = _resolve(schema)
    if "anyOf" in schema:
        return _value(next(s for s in schema["anyOf"] if s.get("type") != "null"), name, scene)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if name == "site" and kind == "string":
        return scene["ids"]["slug"]
    if name == "code" and kind == "string":
        return scene["code"]
    if kind == "string" or "format" in schema:
        if schema.get("format") == "date-time":
            return _TEXT_CANDIDATES[0]
        if schema.get("format") == "date":
            return _TEXT_CANDIDATES[1]
        if "pattern" in schema:
            return next(text for text in _TEXT_CANDIDATES if re.search(schema["pattern"], text))
        return "x" * max(1, schema.get("minLength", 1))
    if kind == "integer":
        return scene["ids"].get(name, max(1, schema.get("minimum", 1)))
    if kind == "number":
        return 1
    if kind == "boolean":
        return True
    if kind == "array":
        return [_value(schema["items"], name, scene)] * schema.get("minItems", 0)
    if kind == "object" or "properties" in schema:
        return {
            key: _value(sub, key, scene)
            for key, sub in schema.get("properties", {}).items()
            if key in schema.get("required", ())
        }
    return "x"


def _path(path: str, scene: dict) -> str:
    ids = scene["ids"]
    if "/lines/{line_id}" in path:
        path = path.replace("{line_id}", str(scene["sale_line_id"]))
    for name in ("line_id", "customer_id", "code_id", "slug", "device_id", "product_id", "sale_id"):
        path = path.replace("{" + name + "}", str(ids[name]))
    # Things the scene does not have (packages, families, runs, invoices…): rights come first anyway.
    while "{" in path:
        start = path.index("{")
        path = path[:start] + str(UNKNOWN) + path[path.index("}") + 1 :]
    return path


def _client(role: str, scene: dict) -> Client:
    if role in scene["tokens"]:
        return Client(headers={"Authorization": f"Bearer {scene['tokens'][role]}"})
    client = Client()
    if role in scene["people"]:
        client.force_login(scene["people"][role])
    return client


def test_every_operation_has_an_expectation():
    assert sorted(set(OPERATIONS) - set(EXPECTED)) == []
    assert sorted(set(EXPECTED) - set(OPERATIONS)) == []


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("operation_id", sorted(OPERATIONS))
def test_each_role_gets_the_expected_answer(scene, operation_id, role):
    if operation_id not in EXPECTED:
        pytest.fail(f"{operation_id} has no expectation in EXPECTED: say who may call it")
    method, path, operation = OPERATIONS[operation_id]
    body = None
    if "requestBody" in operation:
        body = _value(operation["requestBody"]["content"]["application/json"]["schema"], "", scene)
    url = _path(path, scene)
    client = _client(role, scene)
    kwargs = {"content_type": "application/json"} if body is not None else {}
    response = getattr(client, method.lower())(url, json.dumps(body) if body is not None else None, **kwargs)
    expected = _role_statuses(EXPECTED[operation_id])[role]
    got = response.status_code
    assert got < 500, (operation_id, role, response.content[:300])
    if expected == "ok":
        assert got not in (401, 403), (operation_id, role, got, response.content[:300])
    else:
        assert got == int(expected), (operation_id, role, got, response.content[:300])
