"""A refused request body said in plain words ("The amount of payment 1 must be a number, such as 12.50."),
with the field's path kept apart for programs ("payments[0].amount")."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Where ninja says a parameter came from, and its names for the groups of parameters: not field names.
PARAMETER_GROUPS = {"body", "query", "path", "payload", "filters"}

# A field's name in the words of a person at the desk; any other name reads with spaces for underscores.
FIELD_WORDS = {
    "amount": gettext_lazy("the amount"),
    "quantity": gettext_lazy("the quantity"),
    "unit_price": gettext_lazy("the price"),
    "price": gettext_lazy("the price"),
    "method": gettext_lazy("the method"),
    "payments": gettext_lazy("the payments"),
    "percent": gettext_lazy("the percentage"),
    "product_id": gettext_lazy("the product"),
    "variant_id": gettext_lazy("the ladder step"),
    "variants": gettext_lazy("the ladder steps"),
    "customer_id": gettext_lazy("the customer"),
    "sale_id": gettext_lazy("the sale"),
    "line_id": gettext_lazy("the line"),
    "lines": gettext_lazy("the lines"),
    "site": gettext_lazy("the site"),
    "code": gettext_lazy("the code"),
    "codes": gettext_lazy("the codes"),
    "client_id": gettext_lazy("the client id"),
    "scanned_at": gettext_lazy("the time of the scan"),
    "start": gettext_lazy("the start"),
    "end": gettext_lazy("the end"),
    "reason": gettext_lazy("the reason"),
    "note": gettext_lazy("the note"),
    "name": gettext_lazy("the name"),
    "internal_name": gettext_lazy("the internal name"),
    "short_name": gettext_lazy("the short name"),
    "vat_rate": gettext_lazy("the VAT rate"),
    "tariff": gettext_lazy("the tariff"),
    "group": gettext_lazy("the customer group"),
    "email": gettext_lazy("the e-mail address"),
    "hidden": gettext_lazy("hidden"),
    "minutes": gettext_lazy("the minutes"),
    "limit": gettext_lazy("the limit"),
    "offset": gettext_lazy("the offset"),
}
# What the API's own validators (a ValueError, Pydantic's value_error) say of a field, and that said in a
# sentence of the active language: the validators raise these English details, read here to translate them.
NO_CONTROL_CHARACTERS = "must not contain control characters"
NOT_AN_EMAIL = "is not an e-mail address"
NOT_AN_INSTANT = (
    "must be an ISO 8601 string with its offset, from the year 2000 to 2099, "
    "such as 2026-03-02T09:15:00+01:00"
)
VALUE_ERRORS = {
    NO_CONTROL_CHARACTERS: gettext_lazy(
        "{field} must not contain control characters (such as a tab or a line break)."
    ),
    NOT_AN_EMAIL: gettext_lazy("{field} must be written like claire@example.org."),
    NOT_AN_INSTANT: gettext_lazy(
        "{field} must be a date and time with its offset from UTC, between the years 2000 and 2099, "
        "such as 2026-03-02T09:15:00+01:00."
    ),
}
# One item of a list, as "payment 2" says it (the first is 1).
ITEM_WORDS = {
    "payments": gettext_lazy("payment {n}"),
    "lines": gettext_lazy("line {n}"),
    "variants": gettext_lazy("step {n}"),
    "codes": gettext_lazy("code {n}"),
}


@dataclass(frozen=True)
class FieldError:
    field: str  # its path, for programs: "payments[0].amount"
    message: str  # for people: "The amount of payment 1 must be a number, such as 12.50."
    type: str  # Pydantic's type of error: "decimal_parsing"


def field_path(location: Sequence[object]) -> str:
    """("body", "payload", "payments", 0, "amount") → "payments[0].amount"; "body" for the body itself."""
    path = ""
    for part in location:
        if part in PARAMETER_GROUPS and not path:
            continue
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path or "body"


def field_words(location: Sequence[object]) -> str:
    """("payments", 0, "amount") → "the amount of payment 1"; ("quantity",) → "the quantity"."""
    parts = [part for part in location if part not in PARAMETER_GROUPS]
    if not parts:
        return _("the request")
    last = parts[-1]
    if isinstance(last, int):  # an item itself: "payment 2"
        owner = parts[-2] if len(parts) > 1 else ""
        return str(ITEM_WORDS.get(str(owner), gettext_lazy("item {n}"))).format(n=last + 1)
    words = str(FIELD_WORDS.get(str(last), str(last).replace("_", " ")))
    if len(parts) >= 3 and isinstance(parts[-2], int):
        item = str(ITEM_WORDS.get(str(parts[-3]), gettext_lazy("item {n}"))).format(n=parts[-2] + 1)
        return _("{field} of {item}").format(field=words, item=item)
    return words


def _sentence(kind: str, field: str, context: dict, message: str) -> str:
    """What is wrong with the field, for each kind of error Pydantic reports."""
    sentences = {
        "missing": _("{field} is missing."),
        "decimal_parsing": _("{field} must be a number, such as 12.50."),
        "decimal_type": _("{field} must be a number, such as 12.50."),
        "float_parsing": _("{field} must be a number, such as 12.50."),
        "int_parsing": _("{field} must be a whole number."),
        "int_type": _("{field} must be a whole number."),
        "int_from_float": _("{field} must be a whole number."),
        "decimal_max_places": _("{field} has too many decimals: at most {decimal_places}."),
        "decimal_max_digits": _("{field} is too large."),
        "decimal_whole_digits": _("{field} is too large."),
        "greater_than_equal": _("{field} must be {ge} or more."),
        "greater_than": _("{field} must be more than {gt}."),
        "less_than_equal": _("{field} must be {le} or less."),
        "less_than": _("{field} must be less than {lt}."),
        "literal_error": _("{field} must be one of {expected}."),
        "enum": _("{field} must be one of {expected}."),
        "string_too_long": _("{field} is too long: at most {max_length} characters."),
        "string_too_short": _("{field} is too short: at least {min_length} characters."),
        "too_long": _("{field} has too many items: at most {max_length}."),
        "too_short": _("{field} has too few items: at least {min_length}."),
        "string_type": _("{field} must be text."),
        "bool_parsing": _("{field} must be true or false."),
        "bool_type": _("{field} must be true or false."),
        "list_type": _("{field} must be a list: [ … ]."),
        "dict_type": _("{field} must be an object: {{ … }}."),
        "model_type": _("{field} must be an object: {{ … }}."),
        "model_attributes_type": _("{field} must be an object: {{ … }}."),
        "extra_forbidden": _("{field} is not a field of this request."),
        "timezone_aware": _("{field} needs its offset from UTC, such as 2026-03-02T09:15:00+01:00."),
        "datetime_parsing": _("{field} must be a date and time, such as 2026-03-02T09:15:00+01:00."),
        "datetime_from_date_parsing": _(
            "{field} must be a date and time, such as 2026-03-02T09:15:00+01:00."
        ),
        "string_pattern_mismatch": _("{field} is not written as expected."),
    }
    values = {key: value for key, value in context.items() if isinstance(value, (str, int, float))}
    if kind in sentences:
        try:
            return capfirst(sentences[kind].format(field=field, **values))
        except (KeyError, IndexError, ValueError):
            pass
    # The app's own checks (a value_error) say what is expected: "must not contain control characters".
    detail = message.removeprefix("Value error, ").removeprefix("Assertion failed, ").rstrip(".")
    if detail in VALUE_ERRORS:
        return capfirst(str(VALUE_ERRORS[detail]).format(field=field))
    return capfirst(_("{field}: {detail}.").format(field=field, detail=detail))


def plain_errors(errors: Sequence[dict]) -> list[FieldError]:
    """Pydantic's errors (as ninja gives them) as FieldErrors in plain words."""
    found = []
    for error in errors:
        location = tuple(error.get("loc", ()))
        found.append(
            FieldError(
                field=field_path(location),
                message=_sentence(
                    error.get("type", ""),
                    field_words(location),
                    error.get("ctx") or {},
                    str(error.get("msg", "")),
                ),
                type=error.get("type", ""),
            )
        )
    return found
