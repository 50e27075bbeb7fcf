"""Products: each kind created through the service, checked inputs, duplicate, delete or archive."""

from decimal import Decimal

import pytest

from timetill.billing.models import VatRate
from timetill.catalog.models import Product, SiteTimeProduct
from timetill.catalog.services import (
    ProductSpec,
    VariantSpec,
    create_product,
    delete_product,
    duplicate_product,
    update_product,
)
from timetill.errors import TimetillError


def spec(**fields) -> ProductSpec:
    base = {
        "internal_name": "Coffee",
        "short_name": "Coffee",
        "kind": "simple",
        "vat_rate": Decimal("10"),
        "price": Decimal("1.80"),
    }
    return ProductSpec(**{**base, **fields})


def test_vat_rates_are_seeded(db):
    assert sorted(VatRate.objects.values_list("rate", flat=True)) == [
        Decimal(r) for r in ("0.00", "2.10", "5.50", "10.00", "20.00")
    ]


def test_a_simple_product_keeps_both_names_vat_and_basis(system):
    product = create_product(
        spec=spec(internal_name="Extra Hours 8-16", short_name="Extra Hours", prices_include_vat=False),
        actor=system,
    )
    assert (product.internal_name, product.short_name) == ("Extra Hours 8-16", "Extra Hours")
    assert product.vat_rate.rate == Decimal("10.00")
    assert product.prices_include_vat is False
    assert product.price == Decimal("1.80")


def test_a_ladder_product_keeps_its_steps_shortest_first(make_product):
    product = make_product(
        "ladder",
        variants=(VariantSpec("2 h", 120, Decimal("11.00")), VariantSpec("1 h", 60, Decimal("6.00"), "123")),
    )
    assert [(v.label, v.duration_minutes, v.price, v.barcode) for v in product.variants.all()] == [
        ("1 h", 60, Decimal("6.00"), "123"),
        ("2 h", 120, Decimal("11.00"), None),
    ]


def test_a_time_product_stores_its_tariff_with_the_products_vat(make_product):
    product = make_product("time", vat_rate=Decimal("5.5"), prices_include_vat=False)
    assert product.tariff["kind"] == "rate"
    assert product.tariff["vat_rate"] == "5.5"
    assert product.tariff["prices_include_vat"] is False


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"vat_rate": Decimal("19.6")}, "unknown_vat_rate"),
        ({"vat_rate": Decimal("NaN")}, "unknown_vat_rate"),
        ({"price": Decimal("-1")}, "invalid_price"),
        ({"price": Decimal("1.2345")}, "invalid_price"),
        ({"price": None}, "invalid_price"),
        ({"internal_name": "  "}, "invalid_product"),
        ({"kind": "hourly"}, "invalid_kind"),
        ({"kind": "ladder", "variants": ()}, "invalid_steps"),
        (
            {
                "kind": "ladder",
                "variants": (VariantSpec("a", 60, Decimal(1)), VariantSpec("b", 60, Decimal(2))),
            },
            "invalid_steps",
        ),
        ({"kind": "ladder", "variants": (VariantSpec("a", 0, Decimal(1)),)}, "invalid_steps"),
        ({"kind": "time", "tariff": None}, "invalid_tariff"),
    ],
)
def test_bad_products_are_refused_and_nothing_is_created(system, fields, code):
    with pytest.raises(TimetillError) as caught:
        create_product(spec=spec(**fields), actor=system)
    assert caught.value.code == code
    assert not Product.objects.exists()


def test_an_inactive_vat_rate_is_refused(system):
    VatRate.objects.filter(rate=Decimal("2.10")).update(active=False)
    with pytest.raises(TimetillError) as caught:
        create_product(spec=spec(vat_rate=Decimal("2.1")), actor=system)
    assert caught.value.code == "unknown_vat_rate"


def test_a_barcode_is_unique_across_products(make_product, system):
    make_product("ladder")
    with pytest.raises(TimetillError) as caught:
        make_product("ladder", internal_name="Other table")
    assert caught.value.code == "barcode_taken"
    assert Product.objects.count() == 1


def test_a_cashier_cannot_change_the_catalogue(cashier_actor):
    with pytest.raises(TimetillError) as caught:
        create_product(spec=spec(), actor=cashier_actor)
    assert caught.value.code == "forbidden"


def test_a_manager_can(manager_actor):
    assert create_product(spec=spec(), actor=manager_actor).pk


def test_update_changes_the_product(make_product, system):
    product = make_product()
    update_product(
        product_id=product.pk, spec=spec(price=Decimal("2.00"), vat_rate=Decimal("5.5")), actor=system
    )
    product.refresh_from_db()
    assert (product.internal_name, product.price, product.vat_rate.rate) == (
        "Coffee",
        Decimal("2.00"),
        Decimal("5.50"),
    )


def test_a_bad_update_changes_nothing(make_product, system):
    product = make_product()
    with pytest.raises(TimetillError):
        update_product(product_id=product.pk, spec=spec(price=Decimal("-3")), actor=system)
    product.refresh_from_db()
    assert product.price == Decimal("2.50")


def test_duplicate_copies_steps_without_their_barcodes(ladder_product, system):
    copy = duplicate_product(product_id=ladder_product.pk, actor=system)
    assert copy.pk != ladder_product.pk
    assert copy.internal_name == "Billiard table (copy)"
    assert [(v.label, v.price, v.barcode) for v in copy.variants.all()] == [
        ("1 hour", Decimal("6.00"), None),
        ("2 hours", Decimal("11.00"), None),
    ]


def test_duplicate_copies_the_tariff(time_product, system):
    copy = duplicate_product(product_id=time_product.pk, actor=system)
    assert copy.tariff == time_product.tariff


def test_delete_removes_a_product_never_sold(make_product, system, site, site_time_product):
    product = make_product("time")
    site_time_product(site, product)
    result = delete_product(product_id=product.pk, actor=system)
    assert result.archived is False
    assert not Product.objects.exists()
    assert not SiteTimeProduct.objects.exists()
