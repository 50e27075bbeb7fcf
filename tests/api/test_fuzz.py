"""Schemathesis against the app: for every operation, generated requests as a manager, a cashier, a parent and
a device, sent in-process to Django's WSGI application (the one gunicorn serves, with every middleware:
sessions, CSRF, the device token, the error shapes); no answer may be a 5xx or stray from the OpenAPI
description (status, error code, content type, headers, body schema), data valid by the description is not
refused as malformed, and data outside it is refused.

Bounded for CI: 25 generated requests per operation and role on SQLite (5 on PostgreSQL), 100 per operation
(derandomised: the same ones on every run, so a failure is reproducible and the run time steady), without
schemathesis' coverage phase (every boundary and wrong type of every field: about 45 requests per operation
and role). The rights are the access matrix's (test_access_matrix.py), the bounds of each field the targeted
tests'. A deeper run:

    TIMETILL_FUZZ_EXAMPLES=200 TIMETILL_FUZZ_COVERAGE=1 .venv/bin/pytest tests/api/test_fuzz.py

The WSGI application runs in the test's thread, on the test's database connection: each generated request
runs in a savepoint of the test's transaction, rolled back after it, so every request meets the same scene.
The scene is made once per module, committed, and the tables are emptied after the module: no table flush
after each of the hundreds of cases, no server thread, no socket."""

import os
from datetime import timedelta
from decimal import Decimal

import pytest
import requests
import schemathesis
from django.contrib.auth import get_user_model
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import Client
from django.utils import timezone
from django.utils.crypto import get_random_string
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    missing_required_header,
    negative_data_rejection,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from tests.conftest import seed_reference_data
from tests.invoicing.triggers import lift
from timetill.api import api
from timetill.api_errors import OPERATIONS
from timetill.catalog.models import Package, Product
from timetill.customers.models import Code, Customer
from timetill.demo import load_demo
from timetill.exports.models import Export
from timetill.invoicing.models import CreditNote, Enrolment, Family, Invoice, InvoiceLine, InvoiceRun
from timetill.sales.models import Sale, SaleLine
from timetill.sales.services import LineSpec, add_line, open_sale
from timetill.sites.models import Device, Site
from timetill.sites.services import register_device
from timetill.timelines.actors import Actor
from timetill.timelines.models import TimeLine, Via

# On SQLite 25 requests per operation and role; the PostgreSQL pass runs 5 (Makefile: POSTGRES_FUZZ_EXAMPLES),
# for what one database refuses and the other takes.
pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]
schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/"))
EXAMPLES = int(os.environ.get("TIMETILL_FUZZ_EXAMPLES", "25"))
schema.config.phases.coverage.enabled = os.environ.get("TIMETILL_FUZZ_COVERAGE") == "1"
ROLES = ["manager", "cashier", "guardian", "device"]

# The 400s that data valid by the description may still get: rules on what is stored (a sale's state, a
# product's kind, the site's currency and its decimals), on the clock (a scan too old, a month not begun) or
# on two fields together (an end before its start), which no JSON Schema can say. Each is in docs/api.md.
# A 400 of any other code, or a 422 but those below, on such data is a constraint the description misses.
RULES_BEYOND_THE_DESCRIPTION = frozenset(
    """
    already_refunded before_site_existed code_reserved confirm_large_line currency_mismatch
    duplicate_product einvoice_data_missing empty_invoice empty_sale end_before_start end_required
    invalid_barcode invalid_date invalid_discount invalid_ean invalid_email invalid_family
    invalid_opening_hours invalid_package_product invalid_price invalid_product invalid_quantity
    invalid_quote invalid_share invalid_steps lines_to_review month_not_begun negative_price
    no_enrolment no_line no_tariff no_variants nonexistent_local_time not_a_ladder_line
    not_a_time_product not_in_family not_issued nothing_to_refund nothing_to_review other_site overpaid
    package_archived period_not_started period_required period_too_long price_required product_required
    refund_discount refund_mismatch refund_of_refund scan_too_old time_in_future too_many_decimals
    too_many_lines
    underpaid unknown_currency unknown_payer unknown_vat_rate variant_required whole_units
    """.split()
)


# A month's e-invoice ZIP: a month of the right shape may not exist (2026-13) or not have ended yet.
OPERATION_RULES = {"POST /api/invoicing/einvoices/exports": {"invalid_month", "month_not_ended"}}


# The 422s that data valid by the description may get where the operation documents them: a tariff document's
# rules beyond its schema (docs/tariffs.md: bands that overlap, steps out of order), and rules on a quote's
# times and its tariff together, which no JSON Schema can say: an end before its start, a wall time without
# an offset for a tariff that names no time zone, or one the clocks skip or repeat in the tariff's zone.
DOCUMENT_RULES = frozenset(
    {"invalid_tariff", "end_before_start", "naive_datetime", "nonexistent_time", "ambiguous_time"}
)


def _documented_422(key: str) -> set[str]:
    codes, status = set(), None
    for word in OPERATIONS[key].split():
        if word.isdigit():
            status = word
        elif status == "422":
            codes.add(word)
    return codes


def valid_data_is_not_refused_as_malformed(ctx, response, case):
    """Schemathesis' positive-data acceptance, but for the rules above."""
    key = f"{case.method} {case.path}"
    if response.status_code == 400:
        code = response.json().get("code")
        if code in RULES_BEYOND_THE_DESCRIPTION or code in OPERATION_RULES.get(key, set()):
            return None
    if response.status_code == 422:
        code = response.json().get("code")
        if code in DOCUMENT_RULES and code in _documented_422(key):
            return None
    return positive_data_acceptance(ctx, response, case)


def invalid_data_is_refused(ctx, response, case):
    """Schemathesis' negative-data rejection, which knows no 414: a query made too long by invalid values
    (a list of hundreds of customers) is refused before it is read, as `uri_too_long`."""
    if response.status_code == 414 and response.json().get("code") == "uri_too_long":
        return None
    return negative_data_rejection(ctx, response, case)


# Not `ignored_auth` (these sessions carry their cookie on every request, whatever auth the case sends), nor
# `use_after_free` and `ensure_resource_availability` (each case is rolled back: nothing a case made is left
# for the next one to find or miss).
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    valid_data_is_not_refused_as_malformed,
    invalid_data_is_refused,
    missing_required_header,
    unsupported_method,
]


def _session_of(user) -> requests.Session:
    client = Client()
    client.force_login(user)
    token = get_random_string(32)
    session = requests.Session()
    session.headers["X-CSRFToken"] = token
    session.cookies.set("sessionid", client.cookies["sessionid"].value)
    session.cookies.set("csrftoken", token)
    return session


# The scene's objects by path parameter: each operation's identifiers point at one of them about half the
# time (the rest are schemathesis' own, mostly unknown: the 404s), so that operations are exercised past
# their lookup. A path with two identifiers gets a pair that belongs together (a sale and one of its lines).
SCENE: dict[str, list[dict]] = {}


def _scene_ids() -> dict[str, list[dict]]:
    def ids(model, **filters):
        return [
            {"id": pk} for pk in model.objects.filter(**filters).order_by("pk").values_list("pk", flat=True)
        ]

    def rename(rows, name):
        return [{name: row["id"]} for row in rows]

    sale_lines = [
        {"sale_id": sale, "line_id": line}
        for line, sale in SaleLine.objects.order_by("pk").values_list("pk", "sale_id")
    ]
    codes = [
        {"customer_id": c, "code_id": k}
        for k, c in Code.objects.order_by("pk").values_list("pk", "customer_id")
    ]
    return {
        "/api/time-lines/{line_id}": rename(ids(TimeLine), "line_id"),
        "/api/customers/{customer_id}/codes/{code_id}": codes,
        "/api/customers/{customer_id}": rename(ids(Customer), "customer_id"),
        "/api/children/{customer_id}": rename(ids(Customer, group__name="Famiglie"), "customer_id"),
        "/api/sites/{slug}": [
            {"slug": slug} for slug in Site.objects.order_by("pk").values_list("slug", flat=True)
        ],
        "/api/devices/{device_id}": rename(ids(Device), "device_id"),
        "/api/products/{product_id}": rename(ids(Product), "product_id"),
        "/api/sales/{sale_id}/lines/{line_id}": sale_lines,
        "/api/sales/{sale_id}": rename(ids(Sale), "sale_id"),
        "/api/packages/{package_id}": rename(ids(Package), "package_id"),
        "/api/families/{family_id}": rename(ids(Family), "family_id"),
        "/api/enrolments/{enrolment_id}": rename(ids(Enrolment), "enrolment_id"),
        "/api/invoicing/runs/{run_id}": rename(ids(InvoiceRun), "run_id"),
        "/api/invoices/{invoice_id}": rename(ids(Invoice), "invoice_id"),
        "/api/invoice-lines/{line_id}": rename(ids(InvoiceLine), "line_id"),
        "/api/credit-notes/{credit_note_id}": rename(ids(CreditNote), "credit_note_id"),
        "/api/reports/exports/{export_id}": rename(ids(Export), "export_id"),
    }


@schema.hook
def flatmap_case(context, case):
    """About half the time, a positive case's path identifiers are the scene's."""
    path = case.operation.path
    choices = next((rows for prefix, rows in SCENE.items() if path.startswith(prefix)), None)
    # Only a positive case: schemathesis does not judge a negative one again, and would take a real
    # identifier in place of its invalid one for invalid data accepted.
    negative = case._meta is not None and not case._meta.generation.mode.is_positive
    if not choices or not case.path_parameters or negative:
        return st.just(case)

    def point(row):
        if row is not None:
            case.path_parameters = {**case.path_parameters, **row}
        return case

    return st.one_of(st.none(), st.sampled_from(choices)).map(point)


def _extras(now, manager, customers) -> None:
    """What the demo has not: a sale open at the till, beside its parked one, and a manager's export."""
    cowork = Site.objects.get(slug="cowork")
    actor = Actor(user=manager, via=Via.MANUAL)
    product = Product.objects.filter(kind=Product.Kind.SIMPLE, archived=False).order_by("pk").first()
    sale = open_sale(site=cowork, actor=actor, at=now - timedelta(minutes=20), customer=customers[0])
    add_line(sale_id=sale.pk, spec=LineSpec(product.pk, Decimal(1)), actor=actor)
    Export.objects.create(
        user=manager, file_name="time-lines.xlsx", token=get_random_string(32), created_at=now
    )


@pytest.fixture(scope="module")
def app(django_db_setup, django_db_blocker):
    """Django's WSGI application and, per role, the headers and cookies of its session, over the demo's
    three sites (timetill/demo.py): time lines open and stopped, sales, products, packages, families,
    enrolments, invoices issued and paid, a credit note; and a device of the daycare.

    Module-scoped, so that each test (an operation as a role) is not a transactional one flushing the tables
    after it: the scene is committed once and the tables are emptied after the module."""
    # As Django's test client does: a request must not close the test's connection when it ends (the
    # "old connection" check would, in the test's transaction).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    with django_db_blocker.unblock():
        seed_reference_data()
        now = timezone.now()
        load_demo(now=now)
        users = {
            user.username: user
            for user in get_user_model().objects.filter(username__in=("demo", "cashier", "parent"))
        }
        _extras(now, users["demo"], list(Customer.objects.order_by("pk")))
        sessions = {
            "manager": _session_of(users["demo"]),
            "cashier": _session_of(users["cashier"]),
            "guardian": _session_of(users["parent"]),
            "device": requests.Session(),
        }
        sessions["device"].headers["Authorization"] = (
            f"Bearer {register_device(site=Site.objects.get(slug='daycare'), name='Kiosk').token}"
        )
        SCENE.update(_scene_ids())
    # Made after the suite's settings (tests/conftest.py: the documented-errors middleware) are in place.
    yield WSGIHandler(), sessions
    with django_db_blocker.unblock():
        # What the fuzzing made must not meet the next tests; the migrations' own rows come back.
        lift()  # no issued invoice is left (each case rolled back), but the flush must not depend on it
        call_command("flush", interactive=False, verbosity=0)
        seed_reference_data()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(params=ROLES)
def caller(request, app):
    application, sessions = app
    return application, sessions[request.param]


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same requests on every run: a failure is reproducible, the run time steady
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_to_its_description(case, caller):
    application, session = caller
    # The session gives its headers and cookies; the request goes to the application in-process.
    with transaction.atomic():
        try:
            case.call_and_validate(app=application, session=session, checks=CHECKS)
        finally:
            transaction.set_rollback(True)
