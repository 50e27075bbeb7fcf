"""Simultaneous scans over real HTTP, each request on its own PostgreSQL connection: no duplicates, ever.

The requests go to pytest-django's threaded live server. Each client thread connects first and waits at a
barrier, so that the requests themselves leave together rather than trickling in as connections open.
"""

import http.client
import json
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest

from timetill.sites.models import Site
from timetill.timelines.models import AuditEntry, Scan, TimeLine

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.usefixtures("postgres_only"),
    pytest.mark.django_db(transaction=True),
]

N = 50


def fire(server_url: str, token: str, payloads: list[dict]) -> list[tuple[int, dict, bytes]]:
    """POST every payload to /api/scans at the same instant; (status, headers, body) in order."""
    address = urlsplit(server_url)
    barrier = threading.Barrier(len(payloads), timeout=30)

    def one(payload: dict) -> tuple[int, dict, bytes]:
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
        try:
            connection.connect()
            barrier.wait()
            connection.request(
                "POST",
                "/api/scans",
                body=json.dumps(payload),
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            )
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(payloads)) as pool:
        return list(pool.map(one, payloads))


@pytest.fixture
def kiosk_token(site, make_device) -> str:
    return make_device(site).token


def test_fifty_simultaneous_scans_of_one_card_open_one_line(burst_server, site, kiosk_token, make_customer):
    customer = make_customer()
    scan = {"site": site.slug, "code": customer.codes.get().value}
    responses = fire(burst_server.url, kiosk_token, [scan] * N)

    assert [status for status, _, _ in responses] == [200] * N, [body[:200] for _, _, body in responses]
    assert TimeLine.objects.filter(customer=customer).count() == 1
    line = TimeLine.objects.get(customer=customer)
    assert line.end is None
    # Every scan is kept, and all point at that one line.
    scans = Scan.objects.filter(code=scan["code"])
    assert scans.count() == N
    assert set(scans.values_list("time_line_id", flat=True)) == {line.pk}
    # The first scan to take the lock starts the line; the others fall inside its bounce window (±5 s around
    # its time) and are bounced -- provided the burst itself lasted less than the window, which we check, so
    # that a slow machine fails loudly here rather than mysteriously below.
    times = sorted(scans.values_list("received_at", flat=True))
    assert (times[-1] - times[0]).total_seconds() < site.bounce_seconds
    outcomes = Counter(json.loads(body)["outcome"] for _, _, body in responses)
    assert outcomes == {"started": 1, "bounced": N - 1}
    assert Counter(scans.values_list("outcome", flat=True)) == outcomes


def test_the_same_client_id_sent_twice_at_once_is_one_scan(burst_server, site, kiosk_token, make_customer):
    scan = {"site": site.slug, "code": make_customer().codes.get().value, "client_id": "kiosk-7/123"}
    (status_a, headers_a, body_a), (status_b, headers_b, body_b) = fire(
        burst_server.url, kiosk_token, [scan] * 2
    )

    assert (status_a, status_b) == (200, 200)
    assert Scan.objects.filter(client_id="kiosk-7/123").count() == 1
    assert TimeLine.objects.count() == 1
    # Both answers are the same, byte for byte; only the header says which one was the replay.
    assert body_a == body_b
    assert sorted([headers_a["Idempotent-Replayed"], headers_b["Idempotent-Replayed"]]) == ["false", "true"]


def test_many_retries_of_one_client_id_at_once_are_one_scan(burst_server, site, kiosk_token, make_customer):
    scan = {"site": site.slug, "code": make_customer().codes.get().value, "client_id": "retry-storm"}
    responses = fire(burst_server.url, kiosk_token, [scan] * 20)
    assert {status for status, _, _ in responses} == {200}
    assert len({body for _, _, body in responses}) == 1
    assert Scan.objects.count() == 1 and TimeLine.objects.count() == 1


def test_scans_in_the_bounce_window_are_recorded_as_bounced_and_change_nothing(
    burst_server, site, kiosk_token, make_customer
):
    scan = {"site": site.slug, "code": make_customer().codes.get().value}
    [(status, _, body)] = fire(burst_server.url, kiosk_token, [scan])
    assert (status, json.loads(body)["outcome"]) == (200, "started")
    line_before = TimeLine.objects.values().get()

    responses = fire(burst_server.url, kiosk_token, [scan] * 10)

    assert {(status, json.loads(body)["outcome"]) for status, _, body in responses} == {(200, "bounced")}
    assert TimeLine.objects.values().get() == line_before
    assert AuditEntry.objects.count() == 0
    assert Counter(Scan.objects.values_list("outcome", flat=True)) == {"started": 1, "bounced": 10}


def test_without_a_bounce_window_a_toggle_site_never_has_two_open_lines(
    burst_server, make_site, make_device, make_customer
):
    toggle = make_site(existing_line_policy=Site.ExistingLinePolicy.TOGGLE, bounce_seconds=0)
    customer = make_customer()
    scan = {"site": toggle.slug, "code": customer.codes.get().value}
    responses = fire(burst_server.url, make_device(toggle).token, [scan] * N)

    assert [status for status, _, _ in responses] == [200] * N, [body[:200] for _, _, body in responses]
    lines = TimeLine.objects.filter(site=toggle, customer=customer)
    assert lines.filter(end__isnull=True).count() <= 1
    # Each scan in turn either started a line or stopped the open one: they alternate, one at a time.
    outcomes = Counter(json.loads(body)["outcome"] for _, _, body in responses)
    assert set(outcomes) <= {"started", "stopped", "shown"}
    assert outcomes["started"] == lines.count()
    assert outcomes["stopped"] == lines.filter(end__isnull=False).count()
    assert outcomes["started"] - outcomes["stopped"] in (0, 1)
    assert Counter(Scan.objects.filter(site=toggle).values_list("outcome", flat=True)) == outcomes
