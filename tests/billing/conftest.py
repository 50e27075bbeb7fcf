"""Billing fixtures: the operator at the shell, who may change anything."""

import pytest

from timetill.timelines.actors import Actor


@pytest.fixture
def system(db) -> Actor:
    return Actor.operator()
