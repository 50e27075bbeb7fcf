"""A priced stay's explanation (a quote's lines, as copied on a sale line) as text for people.

The pricing engine writes each line's label in English and also as a message id with arguments (Line.text,
copied as "message" and "args"): this is where they are translated into the active language, for the till,
the receipt, the catalogue's preview. A line copied before lines carried a message shows its English label.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from timetill.formats import money, number
from timetill.pricing.text import Text

# The units the engine writes lengths of time in ("1 h 30 min", "15 min", "2 d"), in the active language.
_UNIT_WORDS = {
    "d": lambda: pgettext("abbreviation of days", "d"),
    "h": lambda: pgettext("abbreviation of hours", "h"),
    "min": lambda: pgettext("abbreviation of minutes", "min"),
    "s": lambda: pgettext("abbreviation of seconds", "s"),
}
_LENGTH = re.compile(r"^\d+ (d|h|min|s|µs)( \d+ (d|h|min|s|µs))*$")


def _local(value: str | None, tz: ZoneInfo) -> datetime | None:
    return datetime.fromisoformat(value).astimezone(tz) if value else None


def unit_label(text: str) -> str:
    """A length of time the engine wrote ("1 h 30 min"), with the active language's unit names."""
    if text == "day":
        return pgettext("unit of a Daily Time line", "day")
    if not text or not _LENGTH.match(text):
        return text
    words = text.split(" ")
    return " ".join(
        number(word) if i % 2 == 0 else (_UNIT_WORDS[word]() if word in _UNIT_WORDS else word)
        for i, word in enumerate(words)
    )


def line_label(part: dict[str, Any]) -> str:
    """An explanation line's label in the active language (its English label when it has no message)."""
    if not part.get("message"):
        return str(part.get("label") or "")
    return _message(part)


def text_in_language(text: Text) -> str:
    """A message id with its arguments (a BillingError's, an explanation's) in the active language."""
    return _message(text.to_dict())


def _message(text: dict[str, Any]) -> str:
    message = str(text["message"])
    args = {key: _argument(key, value) for key, value in (text.get("args") or {}).items()}
    # "{label}" (a label written in the tariff document) is in no catalogue: it comes back as it is.
    translated = _(message)
    if not args:  # nothing to fill in: braces in the text (a value it quotes) are its own
        return translated
    try:
        return translated.format(**args)
    except (KeyError, IndexError, ValueError):
        # A translation that lost a placeholder is a catalogue bug; the English text still says it right.
        return message.format(**args)


def _argument(key: str, value: Any) -> str:
    if isinstance(value, dict) and "message" in value:
        return _message(value)
    if key.endswith("_length"):
        return unit_label(str(value))
    if key.endswith("_amount") and isinstance(value, list) and len(value) == 2:
        return money(value[0], value[1])
    if key.endswith("_day"):
        return _day(str(value))
    if key.endswith("_number"):
        return number(str(value))
    if key.endswith("_weekdays"):
        return ",".join(_weekday(day) for day in str(value).split(","))
    if isinstance(value, int):
        return number(value)
    return str(value)


def _day(text: str) -> str:
    """ "Mon 2026-11-03" → "lun. 03/11/2026" in French (Django's own names of days)."""
    try:
        day = date.fromisoformat(text.rsplit(" ", 1)[-1])
    except ValueError:
        return text
    return date_format(day, "D d/m/Y")


def _weekday(abbreviation: str) -> str:
    days = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    if abbreviation not in days:
        return abbreviation
    return date_format(date(2024, 1, 1 + days.index(abbreviation)), "D")  # 1 January 2024 was a Monday


def explain(explanation: dict[str, Any] | None, tz: ZoneInfo) -> tuple[str, ...]:
    """A quote's lines as text in the active language and local time:
    "First hour 10:00–11:00: 1 × 1 h at €2.50 / 1 h = €2.50"."""
    if not explanation:
        return ()
    out = []
    currency = explanation.get("currency") or ""
    start, end = _local(explanation.get("start"), tz), _local(explanation.get("end"), tz)
    if start and end:
        same_day = start.date() == end.date()
        out.append(
            _("Stay %(start)s – %(end)s")
            % (
                {"start": f"{start:%d/%m/%Y %H:%M}", "end": f"{end:%H:%M}"}
                if same_day
                else {"start": f"{start:%d/%m %H:%M}", "end": f"{end:%d/%m %H:%M}"}
            )
        )
    for part in explanation.get("lines", ()):
        text = line_label(part)
        a, b = _local(part.get("from"), tz), _local(part.get("to"), tz)
        if a and b:
            text += f" {a:%H:%M}–{b:%H:%M}" if a.date() == b.date() else f" {a:%d/%m %H:%M}–{b:%d/%m %H:%M}"
        if part.get("unit_price") is not None and part.get("unit"):
            text += ": " + _("%(quantity)s × %(unit)s at %(price)s / %(per)s") % {
                "quantity": number(part["quantity"]),
                "unit": unit_label(part["unit"]),
                "price": _amount(part["unit_price"], currency),
                "per": unit_label(part["price_per"]),
            }
        out.append(f"{text} = {_amount(part['amount'], currency)}")
    return tuple(out)


def _amount(value: str, currency: str) -> str:
    return money(value, currency) if currency else number(value)
