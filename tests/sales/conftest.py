"""Till fixtures: open sales, sales with lines, and the catalogue's product fixtures."""

from decimal import Decimal

import pytest

from tests.catalog.conftest import (  # noqa: F401 - fixtures shared with the catalogue's tests
    ladder_product,
    make_product,
    site_time_product,
    system,
    time_product,
)
from tests.conftest import paris
from timetill.sales.services import LineSpec, add_line, open_sale
from timetill.timelines.actors import Actor

NOON = paris(2026, 3, 2, 12, 0)


@pytest.fixture
def make_sale(db, site):
    def make(*lines, at=NOON, site=site, customer=None):
        """An open sale with lines given as (product, quantity) or (product, quantity, unit_price)."""
        sale = open_sale(site=site, customer=customer, actor=Actor.operator(), at=at)
        for product, quantity, *price in lines:
            add_line(
                sale_id=sale.pk,
                spec=LineSpec(product.pk, Decimal(quantity), unit_price=Decimal(price[0]) if price else None),
                actor=Actor.operator(),
            )
        sale.refresh_from_db()
        return sale

    return make
