"""A quote of a wall time that a clock change skips or repeats, or of one without an offset for a tariff
without a time zone, is refused with its own code in the asker's words, as the description says (422
`nonexistent_time`, `ambiguous_time`, `naive_datetime`)."""

import json
from pathlib import Path

import pytest

TARIFF = json.loads((Path(__file__).resolve().parents[2] / "docs" / "examples" / "car-park.json").read_text())


@pytest.mark.parametrize(
    ("start", "code", "words"),
    [
        ("2026-03-29T02:30:00", "nonexistent_time", "does not exist in Europe/Paris"),
        ("2026-10-25T02:30:00", "ambiguous_time", "happens twice in Europe/Paris"),
    ],
)
def test_a_wall_time_a_clock_change_skips_or_repeats_is_refused(client, login, manager, start, code, words):
    login(manager)
    answer = client.post(
        "/api/quote",
        {"tariff": TARIFF, "start": start, "end": "2026-10-25T05:00:00+01:00"},
        content_type="application/json",
    )
    assert answer.status_code == 422, answer.content
    assert answer.json()["code"] == code
    assert words in answer.json()["message"]
    # The test suite's middleware (tests/documented_errors.py) fails an answer the description does not list.


def test_in_french_the_refusal_reads_french(client, login, manager):
    manager.profile.language = "fr"
    manager.profile.save()
    login(manager)
    answer = client.post(
        "/api/quote",
        {"tariff": TARIFF, "start": "2026-03-29T02:30:00", "end": "2026-03-29T05:00:00+02:00"},
        content_type="application/json",
    )
    assert answer.status_code == 422 and answer.json()["code"] == "nonexistent_time"
    assert "n’existe pas" in answer.json()["message"] or "n'existe pas" in answer.json()["message"]


def test_a_wall_time_for_a_tariff_without_a_time_zone_is_refused_with_its_code(client, login, manager):
    """Found by the fuzz: wall times without an offset, for a price ladder, which names no time zone."""
    login(manager)
    ladder = {
        "version": 1,
        "kind": "ladder",
        "currency": "AED",
        "steps": [{"price": 0.0, "duration": "92s", "label": "8"}],
    }
    answer = client.post(
        "/api/quote",
        {"tariff": ladder, "start": "2090-01-01T07:03", "end": "2000-01-01T06:08"},
        content_type="application/json",
    )
    assert answer.status_code == 422, answer.content
    assert answer.json()["code"] == "naive_datetime"
    assert "no UTC offset and the tariff names no time zone" in answer.json()["message"]
