"""Scanned codes: normalising what a reader typed, and checking EAN-13 check digits."""

import re

MAX_CODE_LENGTH = 64
# A time line's own code (printed on a parking ticket): "TL" and 10 hexadecimal digits. No customer's card may
# carry one, or scanning it would find the stay instead of the customer.
LINE_CODE_RE = re.compile(r"^TL[0-9A-F]{10}$")
# What a barcode, RFID or QR reader types, and what a person writes on a plate: printable ASCII without spaces
# inside, plus a few separators. Anything else (control characters, binary) is refused, not stored.
_CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/+=\-]*$")
# The same, as the API's description says it (the server also strips spaces around the code).
CODE_PATTERN = f"^[A-Za-z0-9][A-Za-z0-9._:/+=\\-]{{0,{MAX_CODE_LENGTH - 1}}}$"


class CodeError(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def ean13_check_digit(first12: str) -> int:
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first12))
    return (10 - total % 10) % 10


def is_valid_ean13(value: str) -> bool:
    return len(value) == 13 and value.isdigit() and ean13_check_digit(value[:12]) == int(value[12])


def make_ean13(first12: str) -> str:
    return first12 + str(ean13_check_digit(first12))


def normalize_code(raw: object) -> str:
    """The code as stored and looked up, or a CodeError saying what is wrong with it."""
    if not isinstance(raw, str):
        raise CodeError("malformed_code", "A code must be text.")
    value = raw.strip()
    if not value:
        raise CodeError("empty_code", "The code is empty.")
    if len(value) > MAX_CODE_LENGTH:
        raise CodeError("code_too_long", f"A code has at most {MAX_CODE_LENGTH} characters.")
    if not _CODE_RE.match(value):
        raise CodeError(
            "malformed_code",
            "A code holds letters, digits and . _ : / + = - only (no spaces or control characters).",
        )
    # Readers differ in letter case for hex RFID UIDs and plates; one case makes them one code.
    value = value.upper()
    if len(value) == 13 and value.isdigit() and not is_valid_ean13(value):
        raise CodeError(
            "invalid_ean",
            f"{value} is not a valid EAN-13: its check digit should be {ean13_check_digit(value[:12])}.",
        )
    return value


def is_line_code(value: str) -> bool:
    return bool(LINE_CODE_RE.match(value))
