"""The texts of explanation lines as an English message with named arguments, so a layer above can translate.

The engine knows no languages (it imports no Django): a line keeps its English `label` and also its `text`,
the message (marked for the catalogues with `gettext_noop`) and its arguments. An argument is plain text (a
label written in the tariff document), a number, or another Text; its name's ending says what it holds for
whoever renders it: `_length` a length of time ("1 h 30 min"), `_amount` an amount as [value, currency],
`_day` a day ("Mon 2026-11-03"), `_weekdays` weekday names ("sat,sun").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Union

Arg = Union[str, int, "Text", list[str]]


def gettext_noop(message: str) -> str:
    """Marks an English message for the translation catalogues (makemessages reads this name); returns it."""
    return message


@dataclass(frozen=True, slots=True)
class Text:
    """A message with `{name}` placeholders and the values that fill them."""

    message: str
    args: tuple[tuple[str, Arg], ...] = ()

    def __str__(self) -> str:
        if not self.args:  # a message without placeholders may hold braces of its own (a value it quotes)
            return self.message
        return self.message.format(**{name: _english(value) for name, value in self.args})

    def to_dict(self) -> dict[str, Any]:
        return {
            "message": self.message,
            "args": {name: (v.to_dict() if isinstance(v, Text) else v) for name, v in self.args},
        }


def _english(value: Arg) -> str:
    if isinstance(value, list):  # an amount: [value, currency]
        return value[0]  # the English label shows the amount alone
    return str(value)


def text(message: str, **args: Arg) -> Text:
    return Text(message, tuple(args.items()))


def literal(value: str) -> Text:
    """A label as the tariff document writes it: shown as it is, in every language."""
    return Text("{label}", (("label", value),))
