"""Schemathesis against the running app: for every operation, generated requests as a manager, a cashier, a
parent and a device, sent over real HTTP to the test server; no answer may be a 5xx or stray from the OpenAPI
description (status, error code, content type, body schema). Bounded to 25 examples per operation and role.

The test server shares the test's in-memory SQLite connection (pytest-django's live server does so), so each
case runs in the test's transaction, rolled back after it; the scene is made once per module, committed,
and the tables are emptied after the module: no table flush after each of the hundreds of cases."""

import pytest
import requests
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.test import Client
from django.utils.crypto import get_random_string
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.conftest import PASSWORD, seed_reference_data
from tests.invoicing.triggers import lift
from timetill.accounts.services import create_user
from timetill.api import api
from timetill.customers.codes import make_ean13
from timetill.customers.models import Guardian
from timetill.customers.services import create_customer
from timetill.sites.models import Site
from timetill.sites.services import register_device

# The API answers the same on either database; the PostgreSQL pass leaves this out (Makefile).
pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]
schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = 25
ROLES = ["manager", "cashier", "guardian", "device"]


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
def server(request, django_db_setup, django_db_blocker):
    """The test server's address and, per role, an HTTP session: a site, its device, a child and its parent.

    The live server is asked for here, not as an argument: named by a test, it would make each test a
    transactional one (pytest-django), flushing the tables after each of the hundreds of cases."""
    live_server = request.getfixturevalue("live_server")
    # The server thread checks "old" connections after each answer, when the test may have ended and
    # closed the database to it again; the connection it shares is the test's, never its to close.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    assert connection.vendor == "sqlite" and connection.is_in_memory_db(), "the server must share the test's"
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
    yield live_server.url, sessions
    for session in sessions.values():
        session.close()
    with django_db_blocker.unblock():
        # What the fuzzing made must not meet the next tests; the migrations' own rows come back.
        lift()  # no issued invoice is left (each case rolled back), but the flush must not depend on it
        call_command("flush", interactive=False, verbosity=0)
        seed_reference_data()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(params=ROLES)
def caller(request, server):
    base_url, sessions = server
    return base_url, sessions[request.param]


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same requests on every run: a failure is reproducible, the run time steady
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_to_its_description(case, caller):
    base_url, session = caller
    case.call_and_validate(base_url=base_url, session=session, checks=CHECKS)
