"""The REST API of families, enrolments and packages: who may call it, what it answers, what it refuses."""

import pytest

from timetill.invoicing.models import Enrolment, Family


@pytest.fixture
def roles(manager, cashier, make_parent, make_customer):
    return {
        "nobody": None,
        "parent": make_parent(make_customer("Kid")),
        "cashier": cashier,
        "manager": manager,
    }


@pytest.mark.parametrize("path", ["/families", "/enrolments", "/packages"])
@pytest.mark.parametrize(
    ("role", "status"), [("nobody", 401), ("parent", 403), ("cashier", 403), ("manager", 200)]
)
def test_only_managers_read_families_enrolments_and_packages(api_as, roles, path, role, status):
    code, body = api_as(roles[role]).get(path)
    assert code == status
    if status != 200:
        assert set(body) >= {"code", "message"}


def test_create_a_family_enrol_a_child_and_end_it(api_as, manager, daycare, make_customer, package):
    api = api_as(manager)
    child = make_customer("Léa Martin")
    status, family = api.post(
        "/families",
        {
            "site_id": daycare.pk,
            "name": "Martin",
            "payers": [{"name": "Claire Martin", "address": "1 rue Haute", "tax_code": "FR123"}],
            "children": [child.pk],
        },
    )
    assert status == 201, family
    assert family["children"][0]["name"] == "Léa Martin"
    status, enrolment = api.post(
        "/enrolments", {"customer_id": child.pk, "package_id": package.pk, "start": "2026-09-01"}
    )
    assert status == 201, enrolment
    assert enrolment["end"] is None
    status, ended = api.post(f"/enrolments/{enrolment['id']}/end", {"end": "2026-12-31"})
    assert (status, ended["end"]) == (200, "2026-12-31")
    status, listed = api.get("/enrolments", {"customer_id": child.pk})
    assert [e["package"] for e in listed] == ["Package 8-16"]


def test_split_a_child_50_50(api_as, manager, make_family):
    family, (child,) = make_family("Durand", payers=2)
    payers = list(family.payers.values_list("pk", flat=True))
    status, body = api_as(manager).put(
        f"/children/{child.pk}/shares", {"shares": [{"payer_id": p, "percent": "50"} for p in payers]}
    )
    assert status == 200, body
    assert [s["percent"] for s in body["children"][0]["shares"]] == ["50.00", "50.00"]


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        ({"start": "2026-10-01", "end": "2026-09-01"}, 400, "end_before_start"),
        ({"start": "2026-09-15"}, 409, "enrolment_overlap"),
        ({"start": "2026-13-01"}, 422, "invalid_input"),
        ({"package_id": 999_999, "start": "2026-09-01"}, 404, "unknown_package"),
    ],
)
def test_bad_enrolments_get_a_clear_json_error_and_change_nothing(
    api_as, manager, make_family, package, make_enrolment, payload, status, code
):
    _family, (child,) = make_family()
    make_enrolment(child, package)
    answer, body = api_as(manager).post(
        "/enrolments", {"customer_id": child.pk, "package_id": package.pk, **payload}
    )
    assert (answer, body["code"]) == (status, code)
    assert Enrolment.objects.count() == 1


def test_packages_are_created_duplicated_and_archived(api_as, manager, products):
    api = api_as(manager)
    status, package = api.post(
        "/packages",
        {
            "name": "Package 8-12",
            "proration": "planned_days",
            "items": [{"product_id": products["fee"].pk}, {"product_id": products["extra"].pk}],
        },
    )
    assert status == 201, package
    assert [i["kind"] for i in package["items"]] == ["simple", "daily_time"]
    status, copy = api.post(f"/packages/{package['id']}/duplicate")
    assert (status, copy["name"]) == (201, "Package 8-12 (copy)")
    status, archived = api.post(f"/packages/{package['id']}/archive", {"archived": True})
    assert (status, archived["archived"]) == (200, True)
    _status, listed = api.get("/packages")
    assert [p["name"] for p in listed] == ["Package 8-12 (copy)"]


def test_a_family_without_payer_is_refused(api_as, manager, daycare):
    status, body = api_as(manager).post("/families", {"site_id": daycare.pk, "name": "X", "payers": []})
    assert (status, body["code"]) == (422, "invalid_input")
    assert not Family.objects.exists()
