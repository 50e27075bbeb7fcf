"""Tariffs of products: validated by the engine with field errors, imported and exported, quoted."""

import json
from decimal import Decimal

import pytest

from tests.catalog.conftest import CAR_PARK
from tests.conftest import paris
from timetill.catalog.models import Product
from timetill.catalog.services import export_tariff, import_tariff, quote_for
from timetill.catalog.tariffs import InvalidTariff
from timetill.errors import TimetillError
from timetill.sites.models import Site


def test_a_tariff_that_does_not_validate_names_its_fields(make_product):
    bad = {**CAR_PARK, "unit": "0m", "per_unit": "0.605", "colour": "red"}
    with pytest.raises(InvalidTariff) as caught:
        make_product("time", tariff=bad)
    assert caught.value.code == "invalid_tariff"
    assert caught.value.status == 422
    assert set(caught.value.errors) >= {
        'unit: "0m" must be longer than zero',
        'per_unit: "0.605" has more decimals than EUR allows (2)',
    }
    assert any(e.startswith("colour:") for e in caught.value.errors)
    assert not Product.objects.exists()


def test_a_time_product_needs_a_rate_tariff(make_product):
    with pytest.raises(InvalidTariff) as caught:
        make_product(
            "time",
            tariff={
                "version": 1,
                "kind": "ladder",
                "currency": "EUR",
                "steps": [{"duration": "1h", "price": "1"}],
            },
        )
    assert caught.value.errors == ['kind: a time product needs a "rate" tariff']


def test_export_then_import_round_trips(time_product, system):
    exported = export_tariff(product=time_product)
    assert exported["first_block"] == {"duration": "1h", "price": "2.50", "label": "First hour"}
    product = import_tariff(product_id=time_product.pk, document=json.dumps(exported), actor=system)
    assert product.tariff == exported


def test_import_of_bad_json_changes_nothing(time_product, system):
    before = time_product.tariff
    with pytest.raises(InvalidTariff) as caught:
        import_tariff(product_id=time_product.pk, document='{"version": 1,', actor=system)
    assert "not valid JSON" in caught.value.message
    time_product.refresh_from_db()
    assert time_product.tariff == before


def test_import_into_a_simple_product_is_refused(make_product, system):
    with pytest.raises(TimetillError) as caught:
        import_tariff(product_id=make_product().pk, document=CAR_PARK, actor=system)
    assert caught.value.code == "no_tariff"


@pytest.mark.parametrize(
    ("minutes", "total"),
    [(10, "0.00"), (16, "2.50"), (80, "3.70"), (300, "12.10"), (480, "15.00"), (1800, "29.40")],
)
def test_quote_for_gives_product_md_car_park_prices(time_product, site, minutes, total):
    start = paris(2026, 3, 2, 10, 0)
    from datetime import timedelta

    quote = quote_for(product=time_product, site=site, start=start, end=start + timedelta(minutes=minutes))
    assert quote.total.amount == Decimal(total)


def test_quote_for_a_group_uses_its_price(time_product, site):
    quote = quote_for(
        product=time_product,
        site=site,
        start=paris(2026, 3, 2, 10),
        end=paris(2026, 3, 2, 11, 20),
        group="members",
    )
    assert quote.total.amount == Decimal("3.14")


def test_a_ladder_product_is_quoted_from_its_steps(ladder_product, site):
    quote = quote_for(
        product=ladder_product, site=site, start=paris(2026, 3, 2, 10), end=paris(2026, 3, 2, 13, 30)
    )
    assert quote.total.amount == Decimal("22.00")
    quote = quote_for(
        product=ladder_product, site=site, start=paris(2026, 3, 2, 10), end=paris(2026, 3, 2, 10, 45)
    )
    assert [(c.label, c.proposed) for c in quote.choices] == [("1 hour", True), ("2 hours", False)]


def test_a_tariff_in_another_currency_than_the_sites_is_refused(time_product, make_site):
    swiss: Site = make_site(currency="CHF")
    with pytest.raises(TimetillError) as caught:
        quote_for(product=time_product, site=swiss, start=paris(2026, 3, 2, 10), end=paris(2026, 3, 2, 11))
    assert caught.value.code == "currency_mismatch"


def test_an_end_before_the_start_is_refused(time_product, site):
    with pytest.raises(TimetillError) as caught:
        quote_for(product=time_product, site=site, start=paris(2026, 3, 2, 10), end=paris(2026, 3, 2, 9))
    assert caught.value.code == "end_before_start"


def test_a_simple_product_has_no_quote(make_product, site):
    with pytest.raises(TimetillError) as caught:
        quote_for(product=make_product(), site=site, start=paris(2026, 3, 2, 10), end=paris(2026, 3, 2, 11))
    assert caught.value.code == "not_a_time_product"
