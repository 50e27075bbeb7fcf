"""Helpers for page tests: htmx requests, a customer's code (tests/conftest.py logs the client in)."""

HX = {"HTTP_HX_REQUEST": "true"}


def code_of(customer) -> str:
    return customer.codes.first().value
