"""Receipt numbers under concurrency: real threads, separate connections, no gap and no duplicate."""

import threading
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection

from tests.sales.conftest import NOON
from timetill.billing.models import Counter
from timetill.billing.numbering import site_scope
from timetill.errors import TimetillError
from timetill.sales.models import Sale
from timetill.sales.services import PaymentSpec, close_sale
from timetill.timelines.actors import Actor

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
TILLS = 12


@pytest.mark.postgres_only
@pytest.mark.skipif(
    not ON_POSTGRES, reason="SQLite serialises writers: the race needs PostgreSQL connections"
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_closes_get_gapless_unique_numbers(site, make_sale, make_product):
    coffee = make_product(price=Decimal("1.80"))
    sales = [make_sale((coffee, 1)) for _ in range(TILLS)]
    start = threading.Barrier(TILLS)
    numbers, refusals = [], []

    def till(i: int, sale: Sale) -> None:
        try:
            start.wait()
            # Every third till pays too little: its transaction fails after the others have begun.
            amount = Decimal("1.00") if i % 3 == 0 else Decimal("1.80")
            closed = close_sale(
                sale_id=sale.pk, payments=[PaymentSpec("card", amount)], actor=Actor.operator(), at=NOON
            )
            numbers.append(closed.number)
        except TimetillError as error:
            refusals.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=till, args=(i, sale)) for i, sale in enumerate(sales)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    paid = TILLS - len(range(0, TILLS, 3))
    assert refusals == ["underpaid"] * (TILLS - paid)
    assert sorted(numbers) == list(range(1, paid + 1))
    assert Counter.objects.get(scope=site_scope(site.pk), series="receipt").last == paid
    assert sorted(Sale.objects.filter(state="closed").values_list("number", flat=True)) == list(
        range(1, paid + 1)
    )
