"""Fixtures of the language tests: the catalogue's products (a time product priced by a tariff)."""

from tests.catalog.conftest import (  # noqa: F401 - fixtures shared with the catalogue's tests
    make_product,
    site_time_product,
    system,
    time_product,
)
