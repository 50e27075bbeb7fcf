"""API test helpers: clients for a person or a device, a snapshot of what must not change, PostgreSQL only."""

import json

import pytest
from django.db import connection
from django.test import Client

from timetill.customers.models import Code, Customer, Guardian
from timetill.sites.models import Device
from timetill.timelines.models import AuditEntry, Scan, TimeLine


class Api:
    """A test client that speaks JSON and returns (status, parsed body)."""

    def __init__(self, client: Client) -> None:
        self.client = client

    def _call(self, method: str, path: str, data=None, **kwargs):
        if method != "get" and data is not None and "content_type" not in kwargs:
            kwargs["content_type"] = "application/json"
            data = json.dumps(data)
        response = getattr(self.client, method)("/api" + path, data, **kwargs)
        self.last = response
        assert response["Content-Type"].startswith("application/json") or response.status_code == 204, (
            response.status_code,
            response.content[:300],
        )
        return response.status_code, (response.json() if response.content else None)

    def get(self, path: str, params=None, **kwargs):
        return self._call("get", path, params, **kwargs)

    def post(self, path: str, data=None, **kwargs):
        return self._call("post", path, data if data is not None else {}, **kwargs)

    def patch(self, path: str, data=None, **kwargs):
        return self._call("patch", path, data if data is not None else {}, **kwargs)

    def put(self, path: str, data=None, **kwargs):
        return self._call("put", path, data if data is not None else {}, **kwargs)

    def delete(self, path: str, **kwargs):
        return self._call("delete", path, **kwargs)


@pytest.fixture
def api_as(db):
    """api_as(user) for a person's session, api_as(None) for nobody."""

    def make(user=None, **client_kwargs) -> Api:
        client = Client(**client_kwargs)
        if user is not None:
            client.force_login(user)
        return Api(client)

    return make


@pytest.fixture
def api_device(db):
    """api_device(token): a client sending `Authorization: Bearer <token>`."""

    def make(token: str) -> Api:
        return Api(Client(headers={"Authorization": f"Bearer {token}"}))

    return make


def snapshot() -> dict:
    """Everything a bad request must leave as it was."""
    return {
        "lines": list(
            TimeLine.objects.order_by("pk").values_list(
                "pk", "customer_id", "start", "end", "note", "hidden", "stopped_via"
            )
        ),
        "scans": Scan.objects.count(),
        "audit": AuditEntry.objects.count(),
        "customers": list(Customer.objects.order_by("pk").values_list("pk", "name", "group_id", "email")),
        "codes": list(Code.objects.order_by("pk").values_list("pk", "customer_id", "value")),
        "guardians": Guardian.objects.count(),
        "devices": list(Device.objects.order_by("pk").values_list("pk", "name", "revoked_at")),
    }


@pytest.fixture
def unchanged(db):
    """`with unchanged(): ...` asserts that the block changed nothing in the database."""

    class Unchanged:
        def __enter__(self):
            self.before = snapshot()

        def __exit__(self, *exc):
            if exc[0] is None:
                assert snapshot() == self.before

    return Unchanged


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs real concurrent connections: run with DATABASE_URL=postgresql://…")


@pytest.fixture
def burst_server(live_server):
    """pytest-django's threaded live server, able to take a burst of simultaneous connections.

    Django's test server listens with a backlog of 10. Fifty clients connecting at once overflow it: the
    kernel answers with SYN cookies, some of which fail, and those clients are reset mid-request (seen as
    ListenOverflows and SyncookiesFailed in `nstat`). A second listen() on the open socket lengthens the
    queue (Linux).
    """
    live_server.thread.httpd.socket.listen(128)
    return live_server
