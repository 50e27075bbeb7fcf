"""Schemathesis against the app: for every operation, generated requests as a manager, a cashier, a parent
and a device; no answer may be a 5xx or stray from the OpenAPI description (status, content type, body
schema). Bounded to 25 examples per operation and role, so that it takes a few minutes at most.

Requests go through the app's WSGI entry point (timetill.wsgi, what gunicorn serves) with the whole
middleware stack, in the test's own transaction: no server thread, no table flush after each operation."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from django.utils.crypto import get_random_string
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from timetill.api import api
from timetill.wsgi import application

# The API answers the same on either database; the PostgreSQL pass leaves this out (Makefile).
pytestmark = pytest.mark.fuzz
schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = 25


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The WSGI entry point closes "old" connections at each request's start and end, which on PostgreSQL
    closes the test's own connection mid-transaction (Django's test client unhooks the same handler)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(params=["manager", "cashier", "guardian", "device"])
def caller(request, make_site, make_customer, make_user, make_parent, make_device):
    """Headers and cookies of one role, with a scene to act on: a site, its device, a child and a line."""
    site = make_site(name="Daycare", slug="daycare", family_check_in=True)
    child = make_customer("Léa")
    if request.param == "device":
        return {"Authorization": f"Bearer {make_device(site).token}"}
    user = make_parent(child) if request.param == "guardian" else make_user(request.param)
    client = Client()
    client.force_login(user)
    token = get_random_string(32)
    return {
        "X-CSRFToken": token,
        "Cookie": f"sessionid={client.cookies['sessionid'].value}; csrftoken={token}",
    }


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same requests on every run: a failure is reproducible, the run time steady
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_to_its_description(case, caller):
    case.call_and_validate(app=application, headers=caller, checks=CHECKS)
