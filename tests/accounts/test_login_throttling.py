"""Login throttling (django-axes): five wrong passwords for one account from one address lock that pair out,
with a page that says so; the right password does not get in until a manager unlocks it (on the back
office's user page, or from the shell) or time passes."""

from datetime import timedelta

import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import PASSWORD
from timetill.accounts.models import Change


def _try(client: Client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_wrong_passwords_lock_the_account_out_from_that_address(cashier):
    client = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(4):
        assert _try(client, cashier.username, "wrong-guess").status_code == 200  # the form again
    assert _try(client, cashier.username, "wrong-guess").status_code == 429  # the fifth locks out
    response = _try(client, cashier.username, PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many wrong passwords" in page and "15 more minutes" in page
    assert "ask a manager to unlock your account" in page
    # The login page itself, its username kept: the person can try again later from the same page.
    assert 'name="password"' in page and f'value="{cashier.username}"' in page
    assert "_auth_user_id" not in client.session


def test_the_lockout_page_says_how_long_is_left(cashier):
    client = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(5):
        _try(client, cashier.username, "wrong-guess")
    with time_machine.travel(timezone.now() + timedelta(minutes=10, seconds=30)):
        page = _try(client, cashier.username, PASSWORD).content.decode()
    assert "5 more minutes" in page


def test_another_address_is_not_locked_out(cashier):
    attacker = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(6):
        _try(attacker, cashier.username, "wrong-guess")
    desk = Client(REMOTE_ADDR="198.51.100.2")
    assert _try(desk, cashier.username, PASSWORD).status_code == 302


def test_a_manager_unlocks_the_account(cashier):
    client = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(5):
        _try(client, cashier.username, "wrong-guess")
    call_command("axes_reset_username", cashier.username)
    assert _try(client, cashier.username, PASSWORD).status_code == 302


def test_the_lockout_ends_after_the_cool_off(cashier):
    client = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(5):
        _try(client, cashier.username, "wrong-guess")
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert _try(client, cashier.username, PASSWORD).status_code == 302


def _lock_out(username: str) -> None:
    client = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(5):
        _try(client, username, "wrong-guess")


def test_the_back_office_shows_who_is_locked_out_and_a_manager_unlocks_them(login, cashier, manager):
    _lock_out(cashier.username)
    office = login(manager)
    listing = office.get(reverse("bo-users")).content.decode()
    assert listing.count("locked out since") == 1  # the cashier's row, not the manager's
    page = office.get(reverse("bo-user", kwargs={"pk": cashier.pk})).content.decode()
    assert "locked out since" in page and "Unlock" in page

    response = office.post(reverse("bo-user-unlock", kwargs={"pk": cashier.pk}), follow=True)
    assert "can log in again now" in response.content.decode()
    assert "locked out since" not in response.content.decode()
    change = Change.objects.get(subject="user", subject_id=cashier.pk, action="unlock")
    assert change.by == manager
    assert change.old["locked_out_since"] and change.new == {"locked_out_since": None}
    assert _try(Client(REMOTE_ADDR="203.0.113.7"), cashier.username, PASSWORD).status_code == 302


def test_unlocking_someone_who_is_not_locked_out_changes_nothing(login, cashier, manager):
    office = login(manager)
    page = office.get(reverse("bo-user", kwargs={"pk": cashier.pk})).content.decode()
    assert "locked out since" not in page and "Unlock" not in page
    response = office.post(reverse("bo-user-unlock", kwargs={"pk": cashier.pk}), follow=True)
    assert "was not locked out" in response.content.decode()
    assert not Change.objects.filter(action="unlock").exists()


def test_a_lockout_that_has_run_out_is_not_shown(login, cashier, manager):
    _lock_out(cashier.username)
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        page = login(manager).get(reverse("bo-users")).content.decode()
    assert "locked out since" not in page


def test_a_cashier_cannot_unlock(login, cashier, make_user):
    other = make_user("cashier")
    _lock_out(other.username)
    response = login(cashier).post(reverse("bo-user-unlock", kwargs={"pk": other.pk}))
    assert response.status_code == 403
    assert _try(Client(REMOTE_ADDR="203.0.113.7"), other.username, PASSWORD).status_code == 429
