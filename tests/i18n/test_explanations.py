"""The pricing engine's explanation lines in French and Italian: message ids with arguments, rendered by the
billing core with the language's words, units, amounts and days; the English label stays as it was."""

import json
from datetime import date

import pytest
from django.utils import translation
from django.utils.formats import date_format

from timetill.billing.explanations import explain, line_label
from timetill.catalog.examples import CAR_PARK, EXTRA_HOURS
from timetill.pricing import parse_tariff

LADDER = {
    "version": 1,
    "kind": "ladder",
    "currency": "EUR",
    "time_zone": "Europe/Paris",
    "grace": {"duration": "10m", "mode": "deducted"},
    "steps": [{"duration": "1h", "price": "6.00"}, {"duration": "2h", "price": "11.00"}],
}


def _labels(document, start, end, language, **kwargs):
    quote = parse_tariff(document).quote(start=start, end=end, **kwargs)
    with translation.override(language):
        return [line_label(line) for line in quote.to_dict()["lines"]]


def test_every_line_of_every_kind_has_a_message_whose_english_is_its_label():
    quotes = [
        parse_tariff(CAR_PARK).quote(start="2026-03-02T10:00", end="2026-03-04T15:00"),
        parse_tariff(CAR_PARK).quote(start="2026-03-02T10:00", end="2026-03-02T10:10"),
        parse_tariff(EXTRA_HOURS).quote(
            stays=[("2026-11-02T07:30", "2026-11-02T17:00"), ("2026-11-07T09:00", "2026-11-07T10:00")]
        ),
        parse_tariff(LADDER).quote(start="2026-03-02T10:00", end="2026-03-02T15:00"),
    ]
    lines = [line for quote in quotes for line in quote.lines]
    assert len(lines) >= 8
    for line in lines:
        assert line.text is not None, line
        assert str(line.text) == line.label
    parts = [part for quote in quotes for part in quote.to_dict()["lines"]]
    with translation.override("en"):
        # In English the rendering is the label, but for an amount (with its currency's sign) and a day
        # (written as the language writes dates).
        for part, line in zip(parts, lines, strict=True):
            if '_amount"' in json.dumps(part["args"]) or '_day"' in json.dumps(part["args"]):
                continue
            assert line_label(part) == line.label


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", ["First hour", "Temps", "Plafond de 15,00\u00a0€ par 24 h (période 1)"]),
        ("it", ["First hour", "Tempo", "Tetto di €\u00a015,00 ogni 24 h (periodo 1)"]),
    ],
)
def test_a_rate_tariffs_lines_with_the_documents_own_label_kept(language, expected):
    labels = _labels(CAR_PARK, "2026-03-02T08:00", "2026-03-02T23:00", language)
    # The tariff document's "First hour" is its author's text; the engine's own words are translated.
    assert labels[:3] == expected


def test_grace_and_cap_periods_in_french():
    assert _labels(CAR_PARK, "2026-03-02T10:00", "2026-03-02T10:10", "fr") == [
        "Période de grâce : les séjours de 15 min au plus sont gratuits"
    ]
    labels = _labels(CAR_PARK, "2026-03-02T10:00", "2026-03-05T15:00", "fr")
    assert "Périodes de 24 h n° 2 à 3 au plafond" in labels


def test_daily_time_lines_name_the_day_in_the_language():
    stays = [("2026-11-02T07:30", "2026-11-02T17:00"), ("2026-11-07T09:00", "2026-11-07T10:00")]
    with translation.override("fr"):
        monday, saturday = (date_format(date(2026, 11, d), "D") for d in (2, 7))  # the catalogue's names
    assert _labels(EXTRA_HOURS, None, None, "fr", stays=stays) == [
        f"{monday} 02/11/2026 : arrivée en avance, 30 min (10 min de tolérance)",
        f"{monday} 02/11/2026 : départ en retard, 1 h (10 min de tolérance)",
        f"{saturday} 07/11/2026 : présence un jour non inclus",
    ]
    assert monday.lower().startswith("lun") and saturday.lower().startswith("sam")
    italian = _labels(EXTRA_HOURS, None, None, "it", stays=stays)[0]
    assert italian.lower().startswith("lun") and italian.endswith(
        " 02/11/2026: entrata anticipata, 30 min (10 min di tolleranza)"
    )


def test_a_ladders_steps_and_repetition_in_italian():
    assert _labels(LADDER, "2026-03-02T10:00", "2026-03-02T15:00", "it") == [
        "Periodo di tolleranza: i primi 10 min sono gratuiti",
        "2 h (scala ripetuta)",
        "1 h",
    ]


def test_the_units_of_an_explanation_line_in_french():
    quote = parse_tariff(CAR_PARK).quote(start="2026-03-02T10:00", end="2026-03-02T12:00")
    with translation.override("fr"):
        details = explain(quote.to_dict(), quote.time_zone)
    assert details[-1] == "Temps 11:00–12:00: 4 × 15 min à 0,60\u00a0€ / 15 min = 2,40\u00a0€"


def test_an_explanation_copied_before_lines_had_messages_shows_its_english_label():
    with translation.override("fr"):
        assert line_label({"label": "Time", "amount": "1.00"}) == "Time"
