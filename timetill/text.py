"""What free text a person may type (a name, a note, a reason): anything but control characters."""

import re

# Control characters (Unicode Cc: C0, DEL, C1) are never meant and some cannot be stored (PostgreSQL refuses
# NUL); a lone surrogate is no character at all. Everything else is taken: accents, emoji with their joiners,
# the no-break spaces French puts before a colon. The rule is one JSON Schema pattern (ECMA-262), so the
# OpenAPI description says exactly what the server takes of the strings JSON Schema knows: those are Unicode
# text, where no lone surrogate can be, and a pattern naming surrogates is no regular expression to validators
# built on Rust strings (jsonschema_rs, which schemathesis uses, refuses the whole description). So the
# patterns leave surrogates out and the server refuses them on its own (`\ud800` is valid JSON syntax).
_CONTROL = "\\u0000-\\u001f\\u007f-\\u009f"
_CONTROL_BUT_LINE_BREAKS = "\\u0000-\\u0009\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f"
_SURROGATES = "\\ud800-\\udfff"
NO_CONTROL_PATTERN = f"^[^{_CONTROL}]*$"
# The same, with at least one character that is not a space (a required name: blanks are not one).
REQUIRED_TEXT_PATTERN = f"^[^{_CONTROL}]*[^{_CONTROL}\\s][^{_CONTROL}]*$"
# An address: lines (CR and LF) allowed.
LINES_PATTERN = f"^[^{_CONTROL_BUT_LINE_BREAKS}]*$"

_PLAIN = re.compile(f"[^{_CONTROL}{_SURROGATES}]*")
_LINES = re.compile(f"[^{_CONTROL_BUT_LINE_BREAKS}{_SURROGATES}]*")


def is_plain_text(value: str, *, lines: bool = False) -> bool:
    """Whether `value` holds no control character (CR and LF allowed with `lines`) and no lone surrogate."""
    return (_LINES if lines else _PLAIN).fullmatch(value) is not None
