"""Packages: bundles of monthly and Daily Time products; create, edit, duplicate, archive; what is refused."""

from decimal import Decimal

import pytest

from timetill.catalog.models import Package
from timetill.catalog.packages import (
    ItemSpec,
    PackageSpec,
    archive_package,
    create_package,
    duplicate_package,
    planned_days,
    planned_weekdays,
    update_package,
)
from timetill.catalog.services import delete_product
from timetill.errors import TimetillError
from timetill.timelines.actors import Actor

OPERATOR = Actor.operator()


@pytest.fixture
def fee(make_product):
    return make_product("simple", internal_name="Monthly fee", price=Decimal("440"))


@pytest.fixture
def extra(make_product):
    return make_product("daily_time", internal_name="Extra Hours 8-16")


def _spec(*items, name="Package 8-16", proration="planned_days"):
    return PackageSpec(name=name, proration=proration, items=tuple(items))


def test_create_edit_duplicate_archive(fee, extra, make_product):
    package = create_package(spec=_spec(ItemSpec(fee.pk), ItemSpec(extra.pk)), actor=OPERATOR)
    assert [(i.product.internal_name, i.quantity) for i in package.items.all()] == [
        ("Monthly fee", 1),
        ("Extra Hours 8-16", 1),
    ]
    lunch = make_product("simple", internal_name="Lunch", price=Decimal("4.40"))
    update_package(
        package_id=package.pk, spec=_spec(ItemSpec(fee.pk), ItemSpec(lunch.pk, Decimal(20))), actor=OPERATOR
    )
    assert [(i.product.internal_name, i.quantity) for i in package.items.all()] == [
        ("Monthly fee", 1),
        ("Lunch", 20),
    ]
    copy = duplicate_package(package_id=package.pk, actor=OPERATOR)
    assert copy.name == "Package 8-16 (copy)"
    assert copy.proration == "planned_days"
    assert copy.items.count() == 2
    archive_package(package_id=package.pk, actor=OPERATOR)
    assert list(Package.objects.filter(archived=False)) == [copy]


def test_planned_days_are_the_included_weekdays_of_its_daily_time(fee, extra):
    with_daily = create_package(spec=_spec(ItemSpec(fee.pk), ItemSpec(extra.pk)), actor=OPERATOR)
    fee_only = create_package(spec=_spec(ItemSpec(fee.pk), name="Fee"), actor=OPERATOR)
    assert planned_weekdays(with_daily) == {0, 1, 2, 3}  # Mon–Thu 08:00–16:00
    assert planned_weekdays(fee_only) == {0, 1, 2, 3, 4}
    from datetime import date

    assert planned_days(frozenset(range(5)), date(2026, 11, 1), date(2026, 11, 30)) == 21


@pytest.mark.parametrize(
    ("items", "code"),
    [
        ((), "empty_package"),
        ((ItemSpec(999_999),), "unknown_product"),
        ((ItemSpec("fee", Decimal(0)),), "invalid_quantity"),
        ((ItemSpec("fee", Decimal("1.0001")),), "invalid_quantity"),
        ((ItemSpec("extra", Decimal(2)),), "invalid_quantity"),
        ((ItemSpec("fee"), ItemSpec("fee")), "duplicate_product"),
        ((ItemSpec("time"),), "invalid_package_product"),
    ],
)
def test_bad_packages_are_refused_and_nothing_is_made(fee, extra, time_product, items, code):
    ids = {"fee": fee.pk, "extra": extra.pk, "time": time_product.pk}
    items = tuple(ItemSpec(ids.get(i.product_id, i.product_id), i.quantity) for i in items)
    with pytest.raises(TimetillError) as refused:
        create_package(spec=_spec(*items), actor=OPERATOR)
    assert refused.value.code == code
    assert not Package.objects.exists()


def test_a_cashier_cannot_change_packages(fee, cashier):
    with pytest.raises(TimetillError) as refused:
        create_package(spec=_spec(ItemSpec(fee.pk)), actor=Actor.for_user(cashier))
    assert refused.value.code == "forbidden"


def test_deleting_a_product_a_package_holds_archives_it_and_keeps_the_package(fee, extra):
    """Found by the API fuzz over the demo: the package's protected reference made the deletion a 500."""
    package = create_package(spec=_spec(ItemSpec(fee.pk), ItemSpec(extra.pk)), actor=OPERATOR)
    result = delete_product(product_id=extra.pk, actor=OPERATOR)
    assert (result.product_id, result.archived) == (extra.pk, True)
    extra.refresh_from_db()
    assert extra.archived
    assert list(package.items.order_by("position").values_list("product_id", flat=True)) == [fee.pk, extra.pk]
