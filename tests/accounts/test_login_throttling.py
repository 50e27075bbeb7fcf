"""Login throttling (django-axes): five wrong passwords for one account from one address lock that pair out,
with a page that says so; the right password does not get in until a manager unlocks it or time passes."""

from datetime import timedelta

import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import PASSWORD


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
    assert "Too many wrong passwords" in page and "15 minutes" in page
    assert "_auth_user_id" not in client.session


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
