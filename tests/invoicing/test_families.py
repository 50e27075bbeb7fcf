"""Families, payers' shares and enrolments: what they accept, and the bad input they refuse unchanged."""

from datetime import date
from decimal import Decimal

import pytest

from timetill.errors import TimetillError
from timetill.invoicing.families import PayerSpec, create_family, end_enrolment, set_shares, shares_of
from timetill.invoicing.models import Enrolment, Family, FamilyChild
from timetill.timelines.actors import Actor

from .conftest import OPERATOR


def test_a_family_has_payers_children_and_its_guardians_may_check_them_in(make_family):
    family, (lea, tom) = make_family("Martin", children=("Léa", "Tom"))
    payer = family.payers.get()
    assert payer.address == "12 rue des Lilas\n75011 Paris"
    assert set(family.children.values_list("customer__name", flat=True)) == {"Léa Martin", "Tom Martin"}
    assert set(payer.user.guardianships.values_list("customer_id", flat=True)) == {lea.pk, tom.pk}
    assert shares_of(FamilyChild.objects.get(customer=lea)) == [(payer, Decimal(100))]


def test_a_child_split_between_two_payers(make_family):
    family, (child,) = make_family("Durand", payers=2, split=(Decimal(50), Decimal(50)))
    shares = shares_of(FamilyChild.objects.get(customer=child))
    assert [(p.name, s) for p, s in shares] == [
        ("Parent1 Durand", Decimal(50)),
        ("Parent2 Durand", Decimal(50)),
    ]


@pytest.mark.parametrize(
    ("split", "code"),
    [
        ((Decimal(60), Decimal(50)), "invalid_share"),
        ((Decimal("33.333"), Decimal("66.667")), "invalid_share"),
    ],
)
def test_shares_that_do_not_add_up_are_refused_and_change_nothing(make_family, split, code):
    family, (child,) = make_family("Durand", payers=2, split=(Decimal(50), Decimal(50)))
    payer_ids = list(family.payers.values_list("pk", flat=True))
    with pytest.raises(TimetillError) as refused:
        set_shares(customer_id=child.pk, shares=dict(zip(payer_ids, split, strict=True)), actor=OPERATOR)
    assert refused.value.code == code
    assert sorted(FamilyChild.objects.get(customer=child).shares.values_list("percent", flat=True)) == [
        50,
        50,
    ]


def test_a_child_belongs_to_one_family(make_family, daycare):
    _family, (child,) = make_family("Martin")
    with pytest.raises(TimetillError) as refused:
        create_family(
            site_id=daycare.pk, name="Other", payers=(PayerSpec("X"),), children=(child.pk,), actor=OPERATOR
        )
    assert refused.value.code == "child_in_family"
    assert not Family.objects.filter(name="Other").exists()


def test_a_family_needs_a_payer_with_a_name(daycare):
    for payers in ((), (PayerSpec("  "),)):
        with pytest.raises(TimetillError) as refused:
            create_family(site_id=daycare.pk, name="Nobody", payers=payers, actor=OPERATOR)
        assert refused.value.code == "invalid_family"
    assert not Family.objects.exists()


def test_only_invoicing_managers_make_families(daycare, cashier):
    with pytest.raises(TimetillError) as refused:
        create_family(site_id=daycare.pk, name="X", payers=(PayerSpec("X"),), actor=Actor.for_user(cashier))
    assert refused.value.code == "forbidden"


# -- enrolments --------------------------------------------------------------------------------------------


def test_a_child_may_be_in_several_packages_and_the_history_is_kept(
    make_family, make_package, make_enrolment
):
    _family, (child,) = make_family()
    fee, lunch = make_package(), make_package("Lunch", items=("lunch",))
    first = make_enrolment(child, fee, date(2026, 9, 1), date(2026, 9, 30))
    make_enrolment(child, fee, date(2026, 11, 1))
    make_enrolment(child, lunch, date(2026, 9, 1))
    end_enrolment(enrolment_id=first.pk, end=date(2026, 9, 15), actor=OPERATOR)
    assert list(Enrolment.objects.filter(customer=child).values_list("package__name", "start", "end")) == [
        ("Lunch", date(2026, 9, 1), None),
        ("Package 8-16", date(2026, 9, 1), date(2026, 9, 15)),
        ("Package 8-16", date(2026, 11, 1), None),
    ]


@pytest.mark.parametrize(
    ("start", "end", "code"),
    [
        (date(2026, 10, 1), date(2026, 9, 30), "end_before_start"),  # ends before it starts
        (date(2026, 9, 15), None, "enrolment_overlap"),  # inside the first one
        (date(2026, 8, 1), date(2026, 9, 1), "enrolment_overlap"),  # its last day is the other's first
        (date(1926, 9, 1), None, "invalid_date"),  # a typing mistake
    ],
)
def test_bad_enrolments_are_refused_and_change_nothing(
    make_family, package, make_enrolment, start, end, code
):
    _family, (child,) = make_family()
    make_enrolment(child, package, date(2026, 9, 1), date(2026, 12, 31))
    with pytest.raises(TimetillError) as refused:
        make_enrolment(child, package, start, end)
    assert refused.value.code == code
    assert refused.value.message
    assert Enrolment.objects.count() == 1


def test_an_unknown_package_an_archived_one_and_a_child_without_family_are_refused(
    make_family, package, make_enrolment, make_customer
):
    from timetill.catalog.packages import archive_package

    _family, (child,) = make_family()
    with pytest.raises(TimetillError) as refused:
        make_enrolment(child, type(package)(pk=999_999))
    assert refused.value.code == "unknown_package"
    with pytest.raises(TimetillError) as refused:
        make_enrolment(make_customer("Stray"), package)
    assert refused.value.code == "not_in_family"
    archive_package(package_id=package.pk, actor=OPERATOR)
    with pytest.raises(TimetillError) as refused:
        make_enrolment(child, package)
    assert refused.value.code == "package_archived"
    assert not Enrolment.objects.exists()


def test_ending_an_enrolment_before_it_starts_is_refused(make_family, package, make_enrolment):
    _family, (child,) = make_family()
    enrolment = make_enrolment(child, package, date(2026, 9, 1))
    with pytest.raises(TimetillError) as refused:
        end_enrolment(enrolment_id=enrolment.pk, end=date(2026, 8, 31), actor=OPERATOR)
    assert refused.value.code == "end_before_start"
    enrolment.refresh_from_db()
    assert enrolment.end is None
