"""Schemathesis against the app: for every operation, generated requests as a manager, a cashier, a parent and
a device, sent in-process to Django's WSGI application (the one gunicorn serves, with every middleware:
sessions, CSRF, the device token, the error shapes); no answer may be a 5xx or stray from the OpenAPI
description (status, error code, content type, headers, body schema), data valid by the description is not
refused as malformed, and data outside it is refused.

Bounded for CI: 10 generated requests per operation and role, 40 per operation (derandomised: the same ones
on every run, so a failure is reproducible and the run time steady), without schemathesis' coverage phase
(every boundary and wrong type of every field: about 45 requests per operation and role). The rights are the
access matrix's (test_access_matrix.py), the bounds of each field the targeted tests'. A deeper run:

    TIMETILL_FUZZ_EXAMPLES=200 TIMETILL_FUZZ_COVERAGE=1 .venv/bin/pytest tests/api/test_fuzz.py

The WSGI application runs in the test's thread, on the test's database connection: each generated request
runs in a savepoint of the test's transaction, rolled back after it, so every request meets the same scene.
The scene is made once per module, committed, and the tables are emptied after the module: no table flush
after each of the hundreds of cases, no server thread, no socket."""

import os

import pytest
import requests
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import Client
from django.utils.crypto import get_random_string
from hypothesis import HealthCheck, settings
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

from tests.conftest import PASSWORD, seed_reference_data
from tests.invoicing.triggers import lift
from timetill.accounts.services import create_user
from timetill.api import api
from timetill.api_errors import OPERATIONS
from timetill.customers.codes import make_ean13
from timetill.customers.models import Guardian
from timetill.customers.services import create_customer
from timetill.sites.models import Site
from timetill.sites.services import register_device

# The API answers the same on either database; the PostgreSQL pass leaves this out (Makefile).
pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]
schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/"))
EXAMPLES = int(os.environ.get("TIMETILL_FUZZ_EXAMPLES", "10"))
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


# The 422s that data valid by the description may get where the operation documents them: a tariff document
# is a bare object to the description (its rules are docs/tariffs.md's, the engine's to check), and a quote's
# end before its start is a rule on two fields.
DOCUMENT_RULES = frozenset({"invalid_tariff", "end_before_start"})


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
    negative_data_rejection,
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


@pytest.fixture(scope="module")
def app(django_db_setup, django_db_blocker):
    """Django's WSGI application and, per role, the headers and cookies of its session: a site, its device,
    a child and its parent.

    Module-scoped, so that each test (an operation as a role) is not a transactional one flushing the tables
    after it: the scene is committed once and the tables are emptied after the module."""
    # As Django's test client does: a request must not close the test's connection when it ends (the
    # "old connection" check would, in the test's transaction).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    with django_db_blocker.unblock():
        seed_reference_data()
        site = Site.objects.create(
            name="Daycare", slug="daycare", time_zone="Europe/Paris", family_check_in=True
        )
        child = create_customer(name="Léa", codes=[(make_ean13("200000000999"), "ean13")])
        users = {role: create_user(username=f"fuzz-{role}", password=PASSWORD, role=role)
                 for role in ("manager", "cashier", "parent")}  # fmt: skip
        Guardian.objects.create(user=users["parent"], customer=child)
        sessions = {
            "manager": _session_of(users["manager"]),
            "cashier": _session_of(users["cashier"]),
            "guardian": _session_of(users["parent"]),
            "device": requests.Session(),
        }
        sessions["device"].headers["Authorization"] = (
            f"Bearer {register_device(site=site, name='Kiosk').token}"
        )
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
