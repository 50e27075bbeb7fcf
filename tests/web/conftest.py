"""Helpers for page tests: a logged-in client and htmx requests."""

import pytest
from django.test import Client

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def login(client):
    def log_in(user) -> Client:
        client.force_login(user)
        return client

    return log_in


def code_of(customer) -> str:
    return customer.codes.first().value
