"""Customer endpoints: search, list, get, create with codes, rename, regroup, add and remove codes, groups."""

import pytest

from timetill.customers.codes import make_ean13
from timetill.customers.models import Code, Customer, CustomerGroup


@pytest.fixture
def staff(api_as, cashier):
    return api_as(cashier)


def test_search_by_name_or_code_and_list(staff, make_customer):
    ada, bob = make_customer("Ada Lovelace"), make_customer("Bob")
    status, found = staff.get("/customers", {"q": "lovel"})
    assert (status, [c["id"] for c in found]) == (200, [ada.pk])
    code = bob.codes.get().value
    assert [c["id"] for c in staff.get("/customers", {"q": code})[1]] == [bob.pk]
    assert [c["name"] for c in staff.get("/customers")[1]] == ["Ada Lovelace", "Bob"]
    assert [c["name"] for c in staff.get("/customers", {"limit": 1, "offset": 1})[1]] == ["Bob"]
    status, body = staff.get(f"/customers/{bob.pk}")
    assert (status, body["codes"][0]["value"]) == (200, code)


def test_create_a_customer_with_codes(staff, make_customer):
    group = CustomerGroup.objects.create(name="Members")
    ean = make_ean13("400638133393")
    status, body = staff.post(
        "/customers",
        {
            "name": " Grace ",
            "group_id": group.pk,
            "email": "grace@example.org",
            "codes": [{"value": ean}, {"value": "04a2b3c4", "kind": "rfid"}],
        },
    )
    assert status == 201
    assert (body["name"], body["group"], body["email"]) == ("Grace", "Members", "grace@example.org")
    assert sorted((c["kind"], c["value"]) for c in body["codes"]) == [("ean13", ean), ("rfid", "04A2B3C4")]


def test_bad_customers_are_refused_and_nothing_is_created(staff, make_customer, unchanged):
    taken = make_customer().codes.get().value
    for payload, status, code in [
        ({"name": ""}, 400, "invalid_name"),
        ({"name": "x" * 201}, 422, "invalid_input"),
        ({"name": "nul\u0000"}, 422, "invalid_input"),
        ({"name": "Eve", "email": "not an address"}, 422, "invalid_input"),
        ({"name": "Eve", "group_id": 999999}, 404, "unknown_group"),
        ({"name": "Eve", "codes": [{"value": "4006381333932"}]}, 400, "invalid_ean"),
        ({"name": "Eve", "codes": [{"value": "ok-1"}, {"value": "bad code"}]}, 400, "malformed_code"),
        ({"name": "Eve", "codes": [{"value": ""}]}, 400, "empty_code"),
        ({"name": "Eve", "codes": [{"value": "Z" * 65}]}, 400, "code_too_long"),
        ({"name": "Eve", "codes": [{"value": taken}]}, 409, "code_taken"),
        ({"name": "Eve", "codes": [{"value": "ABC", "kind": "barcode"}]}, 400, "invalid_kind"),
        ({"name": "Eve", "codes": [{"value": "ABC", "kind": "ean13"}]}, 400, "invalid_ean"),
    ]:
        with unchanged():
            got, body = staff.post("/customers", payload)
        assert (got, body["code"]) == (status, code), payload


def test_rename_regroup_and_ungroup(staff, make_customer):
    customer = make_customer("Ada", group="Members")
    other = CustomerGroup.objects.create(name="Students")
    status, body = staff.patch(f"/customers/{customer.pk}", {"name": "Ada L.", "group_id": other.pk})
    assert (status, body["name"], body["group"]) == (200, "Ada L.", "Students")
    status, body = staff.patch(f"/customers/{customer.pk}", {"name": "Ada"})
    assert (body["name"], body["group"]) == ("Ada", "Students")  # an omitted group stays
    status, body = staff.patch(f"/customers/{customer.pk}", {"group_id": None})
    assert body["group"] is None


def test_add_and_remove_codes(staff, make_customer, unchanged):
    customer = make_customer()
    status, code = staff.post(f"/customers/{customer.pk}/codes", {"value": "plate-ab123", "kind": "text"})
    assert (status, code["value"]) == (201, "PLATE-AB123")
    with unchanged():
        assert (
            staff.post(f"/customers/{customer.pk}/codes", {"value": "PLATE-AB123"})[1]["code"] == "code_taken"
        )
        assert (
            staff.post(f"/customers/{customer.pk}/codes", {"value": "4006381333932"})[1]["code"]
            == "invalid_ean"
        )
        assert staff.delete(f"/customers/{customer.pk}/codes/999999")[0] == 404
    status, _ = staff.delete(f"/customers/{customer.pk}/codes/{code['id']}")
    assert status == 204
    assert not Code.objects.filter(pk=code["id"]).exists()


def test_a_code_of_another_customer_cannot_be_removed_through_this_one(staff, make_customer, unchanged):
    ada, bob = make_customer(), make_customer()
    with unchanged():
        status, body = staff.delete(f"/customers/{ada.pk}/codes/{bob.codes.get().pk}")
    assert (status, body["code"]) == (404, "unknown_code")


def test_groups(staff):
    CustomerGroup.objects.create(name="Members")
    assert staff.get("/customer-groups") == (200, [{"id": CustomerGroup.objects.get().pk, "name": "Members"}])


def test_a_parent_sees_only_their_children_and_changes_nothing(api_as, make_parent, make_customer, unchanged):
    mine, theirs = make_customer("Lea"), make_customer("Tom")
    parent = api_as(make_parent(mine))
    assert [c["id"] for c in parent.get("/customers")[1]] == [mine.pk]
    assert parent.get("/customers", {"q": "Tom"})[1] == []
    with unchanged():
        assert parent.get(f"/customers/{theirs.pk}")[1]["code"] == "unknown_customer"
        for method, path, data in [
            ("post", "/customers", {"name": "New"}),
            ("patch", f"/customers/{mine.pk}", {"name": "Renamed"}),
            ("post", f"/customers/{mine.pk}/codes", {"value": "MY-OWN"}),
            ("delete", f"/customers/{mine.pk}/codes/{mine.codes.get().pk}", None),
            ("get", "/customer-groups", None),
        ]:
            args = (path, data) if data is not None else (path,)
            status, body = getattr(parent, method)(*args)
            assert (status, body["code"]) == (403, "forbidden"), path
    assert Customer.objects.count() == 2
