"""Every back-office page for every role: a visitor is sent to log in, a parent and a cashier are refused
(403), a manager gets in. A new page joins PAGES."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

# (method, url name, kwargs builder): the builder gets the test's objects (a user, a site, …).
PAGES = [
    ("get", "backoffice", None),
    ("get", "bo-users", None),
    ("get", "bo-user-new", None),
    ("post", "bo-user-new", None),
    ("get", "bo-user", lambda o: {"pk": o["other"].pk}),
    ("post", "bo-user-active", lambda o: {"pk": o["other"].pk}),
    ("post", "bo-user-invite", lambda o: {"pk": o["other"].pk}),
]


@pytest.fixture
def objects(make_user, site):
    return {"other": make_user("cashier", email="other@example.com"), "site": site}


def _url(name, kwargs, objects) -> str:
    return reverse(name, kwargs=kwargs(objects) if kwargs else None)


def _ids(page) -> str:
    return f"{page[0]} {page[1]}"


@pytest.mark.parametrize("page", PAGES, ids=_ids)
def test_a_visitor_is_sent_to_log_in(client, objects, page):
    method, name, kwargs = page
    response = getattr(client, method)(_url(name, kwargs, objects))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("role", ["parent", "cashier"])
@pytest.mark.parametrize("page", PAGES, ids=_ids)
def test_parents_and_cashiers_are_refused(login, make_user, objects, page, role):
    method, name, kwargs = page
    response = getattr(login(make_user(role)), method)(_url(name, kwargs, objects))
    assert response.status_code == 403


@pytest.mark.parametrize("page", PAGES, ids=_ids)
def test_a_manager_gets_in(login, manager, objects, page):
    method, name, kwargs = page
    response = getattr(login(manager), method)(_url(name, kwargs, objects))
    assert response.status_code in (200, 302, 400)  # 400: an empty form posted back with its messages
    if response.status_code == 302:
        assert not response.url.startswith(reverse("login"))
