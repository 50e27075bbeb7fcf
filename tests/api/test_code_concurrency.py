"""A card's code and a ladder step's barcode given at once, over real HTTP on PostgreSQL: only one gets it.

Two tables hold the codes a scan may read (customers' codes, ladder steps' barcodes), each unique on its own;
the services check the other table and write while holding one lock (customers.claims.hold_codes). Without
it, two requests both check, both find nothing, and both write: a scan of that code is then two things.
"""

import http.client
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.db import connection, transaction
from django.test import Client
from django.utils.crypto import get_random_string

from timetill.catalog.models import ProductVariant
from timetill.catalog.services import ProductSpec, VariantSpec, create_product
from timetill.customers.codes import make_ean13
from timetill.customers.importing import import_rows, read_rows
from timetill.customers.models import Code
from timetill.customers.services import add_code

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.usefixtures("postgres_only"),
    pytest.mark.django_db(transaction=True),
]


class Session:
    """A manager's logged-in session, spoken over a socket: JSON in, (status, JSON) out."""

    def __init__(self, server_url: str, user) -> None:
        client = Client()
        client.force_login(user)
        self.csrf = get_random_string(32)
        self.cookie = f"sessionid={client.cookies['sessionid'].value}; csrftoken={self.csrf}"
        self.address = urlsplit(server_url)

    def post(self, path: str, payload: dict, barrier: threading.Barrier | None = None) -> tuple[int, dict]:
        connection_ = http.client.HTTPConnection(self.address.hostname, self.address.port, timeout=60)
        try:
            connection_.connect()
            if barrier is not None:
                barrier.wait()
            headers = {"Content-Type": "application/json", "Cookie": self.cookie, "X-CSRFToken": self.csrf}
            connection_.request("POST", "/api" + path, body=json.dumps(payload), headers=headers)
            response = connection_.getresponse()
            return response.status, json.loads(response.read() or b"null")
        finally:
            connection_.close()


def ladder(barcode: str, name: str = "Billiard") -> dict:
    return {
        "internal_name": name,
        "short_name": name,
        "kind": "ladder",
        "vat_rate": "10",
        "variants": [{"label": "1 h", "duration_minutes": 60, "price": "6.00", "barcode": barcode}],
    }


def someone_waits_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
        return cursor.fetchone()[0] > 0


def while_open(request: threading.Thread) -> None:
    """Let the request run until it answers or waits for a lock this test's open transaction holds."""
    request.start()
    while request.is_alive() and not someone_waits_for_a_lock():
        request.join(0.02)


def test_a_step_cannot_take_the_code_a_card_is_being_given(burst_server, manager, make_customer):
    value = make_ean13("290000000001")
    customer = make_customer(ean=False)
    session = Session(burst_server.url, manager)
    answer = {}
    request = threading.Thread(target=lambda: answer.update(r=session.post("/products", ladder(value))))

    with transaction.atomic():
        add_code(customer=customer, value=value)
        while_open(request)  # not yet committed: the step's request must wait, or it finds no card
    request.join(60)

    status, body = answer["r"]
    assert (status, body["code"]) == (400, "invalid_steps"), body
    assert f"{value} is the card code of {customer.name}" in body["message"]
    assert not ProductVariant.objects.filter(barcode=value).exists()


def test_a_card_cannot_take_the_barcode_a_step_is_being_given(
    burst_server, manager, manager_actor, make_customer
):
    value = make_ean13("290000000002")
    customer = make_customer(ean=False)
    session = Session(burst_server.url, manager)
    answer = {}
    request = threading.Thread(
        target=lambda: answer.update(r=session.post(f"/customers/{customer.pk}/codes", {"value": value}))
    )

    with transaction.atomic():
        create_product(
            spec=ProductSpec(
                internal_name="Billiard",
                short_name="Billiard",
                kind="ladder",
                vat_rate=Decimal("10"),
                variants=(VariantSpec("1 h", 60, Decimal("6.00"), value),),
            ),
            actor=manager_actor,
        )
        while_open(request)
    request.join(60)

    status, body = answer["r"]
    assert (status, body["code"]) == (400, "code_reserved"), body
    assert not Code.objects.filter(value=value).exists()


def test_cards_and_steps_given_the_same_codes_at_once_never_share_one(burst_server, manager, make_customer):
    pairs = 10
    values = [make_ean13(f"2910000000{i:02d}") for i in range(pairs)]
    customers = [make_customer(ean=False) for _ in values]
    session = Session(burst_server.url, manager)
    calls = [(f"/customers/{c.pk}/codes", {"value": v}) for c, v in zip(customers, values, strict=True)] + [
        ("/products", ladder(v, f"Billiard {i}")) for i, v in enumerate(values)
    ]
    barrier = threading.Barrier(len(calls), timeout=30)

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        answers = list(pool.map(lambda call: session.post(*call, barrier=barrier), calls))

    cards = set(Code.objects.filter(value__in=values).values_list("value", flat=True))
    steps = set(ProductVariant.objects.filter(barcode__in=values).values_list("barcode", flat=True))
    assert cards & steps == set()
    assert cards | steps == set(values)  # each code went to one of them, and the other was told why
    for i in range(pairs):
        card, step = answers[i], answers[pairs + i]
        assert sorted([card[0], step[0]]) == [201, 400], (card, step)
        assert (card[1]["code"] if card[0] == 400 else step[1]["code"]) in ("code_reserved", "invalid_steps")


def test_a_step_cannot_take_a_code_an_import_is_giving(burst_server, manager):
    value = make_ean13("290000000003")
    session = Session(burst_server.url, manager)
    answer = {}
    request = threading.Thread(target=lambda: answer.update(r=session.post("/products", ladder(value))))

    with transaction.atomic():
        rows = read_rows(f"name,codes\nLéa,{value}\n".encode(), "customers.csv")
        outcome = import_rows(rows, valid_only=False)
        assert outcome.imported == 1
        while_open(request)
    request.join(60)

    status, body = answer["r"]
    assert (status, body["code"]) == (400, "invalid_steps"), body
    assert not ProductVariant.objects.filter(barcode=value).exists()
