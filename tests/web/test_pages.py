"""Login, logout, the home redirect, preferences and the 403 page."""

from django.urls import reverse

from tests.conftest import PASSWORD
from timetill.accounts.models import HomePage


def test_the_login_page_looks_like_timetill(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="username"' in html and 'name="password"' in html
    assert "web/timetill.css" in html


def test_logging_in_through_the_form_lands_on_the_home_page(client, cashier, site):
    response = client.post(
        reverse("login"), {"username": cashier.username, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("timestamp")
    assert b"Scan a card" in response.content


def test_a_wrong_password_is_a_clear_message(client, cashier):
    response = client.post(reverse("login"), {"username": cashier.username, "password": "nope"})
    assert response.status_code == 200
    assert b"do not match" in response.content


def test_logout_is_a_post_and_goes_back_to_login(login, cashier, site):
    client = login(cashier)
    page = client.get(reverse("timestamp")).content.decode()
    assert f'action="{reverse("logout")}"' in page
    response = client.post(reverse("logout"))
    assert response.url == reverse("login")
    assert client.get(reverse("timestamp")).status_code == 302


def test_home_sends_each_role_to_its_page(login, cashier, make_parent, make_customer, site):
    assert login(cashier).get("/").url == reverse("timestamp")
    parent = make_parent(make_customer())
    assert login(parent).get("/").url == reverse("family")


def test_home_asks_anonymous_visitors_to_log_in(client, db):
    assert client.get("/").url.startswith(reverse("login"))


def test_a_user_chooses_their_home_page_and_default_site(login, manager, make_site):
    other = make_site(name="Second desk")
    client = login(manager)
    response = client.post(
        reverse("preferences"), {"home_page": HomePage.ADMIN, "default_site": other.pk, "next": "/timestamp/"}
    )
    assert response.url == "/timestamp/"
    manager.profile.refresh_from_db()
    assert manager.profile.home_page == HomePage.ADMIN
    assert manager.profile.default_site == other
    assert client.get("/").url == reverse("backoffice")
    assert b"Second desk" in client.get(reverse("timestamp")).content


def test_preferences_offer_only_pages_the_user_can_open(login, cashier):
    client = login(cashier)
    response = client.post(reverse("preferences"), {"home_page": HomePage.ADMIN})
    assert response.status_code == 400
    cashier.profile.refresh_from_db()
    assert cashier.profile.home_page == HomePage.TIMESTAMP


def test_preferences_never_redirect_to_another_host(login, cashier):
    response = login(cashier).post(
        reverse("preferences"), {"home_page": HomePage.FAMILY, "next": "https://evil.example/"}
    )
    assert response.url == reverse("preferences")


def test_the_user_menu_holds_the_home_page_choice(login, cashier, site):
    html = login(cashier).get(reverse("timestamp")).content.decode()
    assert 'name="home_page"' in html
    assert f'action="{reverse("preferences")}"' in html
