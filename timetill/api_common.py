"""What the routers share: who calls (device token or session), the actor they act as, input types."""

import re
from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf
from pydantic import AfterValidator, AwareDatetime, BeforeValidator, Field, StringConstraints, WithJsonSchema
from pydantic_core import PydanticCustomError

from timetill.api_messages import NO_CONTROL_CHARACTERS, NOT_AN_INSTANT
from timetill.errors import Forbidden, TimetillError
from timetill.sites.services import DeviceAuthError, authenticate_device
from timetill.text import LINES_PATTERN, NO_CONTROL_PATTERN, REQUIRED_TEXT_PATTERN, is_plain_text
from timetill.timelines.actors import Actor
from timetill.timelines.models import Via

_SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


class DeviceToken(HttpBearer):
    """`Authorization: Bearer ttd_…`: a device's own token. A bad token is refused outright (never
    passed on to the session check), and a device may call only the endpoints that accept devices."""

    def __init__(self, *, devices_allowed: bool) -> None:
        super().__init__()
        self.devices_allowed = devices_allowed

    def authenticate(self, request: HttpRequest, token: str):
        try:
            device = authenticate_device(token, at=timezone.now())
        except DeviceAuthError as error:
            raise TimetillError(error.code, error.message, status=401) from error
        if not self.devices_allowed:
            raise Forbidden(
                "device_not_allowed", _("A device token may only scan and read its site's time lines.")
            )
        request.device = device
        return device


class PersonSession(SessionAuth):
    """A logged-in person (the web pages' session cookie). Unsafe methods need the CSRF token."""

    def _get_key(self, request: HttpRequest) -> str | None:
        # No logged-in person, nothing a forged request could borrow: answer 401, not a CSRF 403.
        if not request.user.is_authenticated:
            return None
        if request.method not in _SAFE_METHODS and not getattr(request, "_ninja_csrf_exempt", False):
            if check_csrf(request) is not None:
                raise Forbidden(
                    "csrf_failed",
                    _("CSRF check failed: send the csrftoken cookie's value as the X-CSRFToken header."),
                )
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None):
        request.device = None
        return request.user if request.user.is_authenticated else None


PEOPLE = [DeviceToken(devices_allowed=False), PersonSession()]
PEOPLE_AND_DEVICES = [DeviceToken(devices_allowed=True), PersonSession()]


def person_actor(request: HttpRequest, *, via: str = Via.MANUAL) -> Actor:
    """The logged-in person: staff with track_time, or a parent acting on their own children."""
    actor = Actor.for_user(request.user, via=via)
    if actor.is_guardian_only:
        if not actor.customer_ids():
            actor.require("track_time")  # neither the right nor a child: refused with the right's name
        return Actor.for_user(request.user, via=Via.PARENT)
    return actor


def staff_actor(request: HttpRequest, right: str = "track_time") -> Actor:
    actor = Actor.for_user(request.user, via=Via.MANUAL)
    actor.require(right)
    return actor


def actor_of(request: HttpRequest, *, via: str = Via.MANUAL) -> Actor:
    """The device that authenticated, or else the person."""
    device = getattr(request, "device", None)
    if device is not None:
        return Actor.for_device(device)
    return person_actor(request, via=via)


def _no_control_characters(value: str) -> str:
    # The services' own rule (timetill/text.py), checked first so that the answer names the field.
    if not is_plain_text(value):
        raise ValueError(NO_CONTROL_CHARACTERS)
    return value


def _lines_only(value: str) -> str:
    if not is_plain_text(value, lines=True):
        raise ValueError(NO_CONTROL_CHARACTERS)  # line breaks are not what it is about
    return value


# A site's slug as it appears in addresses.
Slug = Annotated[str, StringConstraints(pattern=r"^[-A-Za-z0-9_]{1,50}$")]
# Free text typed by a person: a name, a note, a reason. The description says what the validator refuses.
NoControl = AfterValidator(_no_control_characters)
NoControlInDescription = Field(json_schema_extra={"pattern": NO_CONTROL_PATTERN})
PlainText = Annotated[str, NoControl, NoControlInDescription]
# The same when it is required: the services strip it, and blanks alone are no name and no reason.
RequiredText = Annotated[str, NoControl, Field(json_schema_extra={"pattern": REQUIRED_TEXT_PATTERN})]
# An address: lines allowed.
TextLines = Annotated[str, AfterValidator(_lines_only), Field(json_schema_extra={"pattern": LINES_PATTERN})]
# Instants are ISO 8601 text from the years 2000 to 2099: a bare number (Unix time?) or year 1 is a mistake,
# and an offset is required (a naive time would be read in nobody knows which zone).
# Only days that exist: "2026-02-31" fits a looser pattern and would be refused, against the description.
# A tariff document's JSON Schema among the OpenAPI components (timetill/api_openapi.py adds it, and puts a
# reference to it wherever a field's schema carries this mark: pydantic resolves a `$ref` of its own).
TARIFF_DOCUMENT = "TariffDocument"
TARIFF_REF = f"#/components/schemas/{TARIFF_DOCUMENT}"
TARIFF_MARK = {"x-tariff-document": True}

_DATE = (
    r"(20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])"
    r"|20[0-9]{2}-(0[13-9]|1[0-2])-(29|30)"
    r"|20[0-9]{2}-(0[13578]|1[02])-31"
    r"|20([02468][048]|[13579][26])-02-29)"  # leap years: 2000 to 2099, every fourth
)
DATE_PATTERN = f"^{_DATE}$"
_TIME = r"([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?"
_OFFSET = r"(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])"
INSTANT_PATTERN = f"^{_DATE}T{_TIME}{_OFFSET}$"
LOCAL_OR_INSTANT_PATTERN = f"^{_DATE}T{_TIME}{_OFFSET}?$"


# Pydantic's own error type for a naive time, which the API answers as `naive_time` (timetill/api.py).
_PYDANTIC_NAIVE = "timezone_aware"


def _iso_instant(value: object) -> object:
    if isinstance(value, str) and re.fullmatch(LOCAL_OR_INSTANT_PATTERN, value):
        if not re.fullmatch(INSTANT_PATTERN, value):
            # Its own code (`naive_time`): the one mistake clients make most.
            raise PydanticCustomError(_PYDANTIC_NAIVE, "Input should have timezone info")
        return value
    raise ValueError(NOT_AN_INSTANT)


def _in_utc(value: datetime) -> datetime:
    # ISO 8601 offsets go to ±23:59 (the described pattern too); PostgreSQL takes ±15:59 at most and refuses
    # a query or a row with, say, -23:10 ("time zone displacement out of range"). The same instant in UTC
    # is taken by both databases and is how every answer gives instants.
    return value.astimezone(UTC)


Instant = Annotated[
    AwareDatetime,
    BeforeValidator(_iso_instant),
    AfterValidator(_in_utc),
    # The pattern alone, not also `format: date-time`: RFC 3339 requires the seconds, which the server lets a
    # client leave out (09:00+01:00), so the format would call invalid what is accepted.
    WithJsonSchema({"type": "string", "pattern": INSTANT_PATTERN}),
]
# A month as the invoicing reads it (`invalid_month` otherwise).
MONTH_PATTERN = "^(20[0-9]{2}|2100)-(0[1-9]|1[0-2])$"
MonthText = Annotated[str, WithJsonSchema({"type": "string", "pattern": MONTH_PATTERN})]
# The same, or a wall-clock time without offset (read in a tariff's own zone): the pricing engine reads it.
LocalOrInstant = Annotated[str, StringConstraints(pattern=LOCAL_OR_INSTANT_PATTERN)]


def _positive_fraction(places: int) -> str:
    # "0." then up to `places` digits, one of them not 0 (without a look-ahead, which not every tool reads).
    return "|".join(f"[0-9]{{{before}}}[1-9][0-9]{{0,{places - before - 1}}}" for before in range(places))


def _decimal_pattern(whole: int, places: int, *, lower: str, upper: int | None) -> str:
    digits = f"(\\.[0-9]{{1,{places}}})?"
    if upper is not None:  # a percentage: up to 100 itself, two whole digits below it
        below = f"[0-9]{{1,{len(str(upper)) - 1}}}"
        top = f"{upper}(\\.0{{1,{places}}})?"
        if lower == "gt0":
            return (
                f"^({top}|[1-9][0-9]{{0,{len(str(upper)) - 2}}}{digits}|0?\\.({_positive_fraction(places)}))$"
            )
        return f"^({top}|{below}{digits})$"
    if lower == "gt0":
        return f"^([1-9][0-9]{{0,{whole - 1}}}{digits}|0?\\.({_positive_fraction(places)}))$"
    sign = "-?" if lower == "none" else ""
    return f"^{sign}[0-9]{{1,{whole}}}{digits}$"


def decimal(
    *,
    digits: int = 12,
    places: int = 3,
    lower: str = "none",
    upper: int | None = None,
    lower_checked_by: str = "",
) -> Any:
    """A decimal read as a JSON number or a string ("12.50"): at most `digits` digits, `places` of them
    after the point, `lower` "none", "ge0" (0 and more) or "gt0" (more than 0), at most `upper`.

    The description says exactly that (pydantic alone describes any string); the currency's own decimals
    (0 to 3) are the till's check (`too_many_decimals`), as the description cannot know the currency. A lower
    bound the service checks with a code of its own (`lower_checked_by`: "negative_quantity") is described
    only, so that the answer keeps that code."""
    step = Decimal(1).scaleb(-places)
    largest = Decimal(upper) if upper is not None else Decimal(10 ** (digits - places)) - step
    number: dict[str, Any] = {"type": "number", "multipleOf": float(step), "maximum": float(largest)}
    bounds: dict[str, Any] = {"le": largest}
    if lower == "gt0":
        number["exclusiveMinimum"] = 0
        bounds["gt"] = 0
    else:
        number["minimum"] = 0 if lower == "ge0" else -float(largest)
        bounds["ge"] = 0 if lower == "ge0" else -largest
    if lower_checked_by:
        bounds.update(ge=-largest, gt=None)
    pattern = _decimal_pattern(digits - places, places, lower=lower, upper=upper)
    return Annotated[
        Decimal,
        Field(max_digits=digits, decimal_places=places, **bounds),
        WithJsonSchema({"anyOf": [number, {"type": "string", "pattern": pattern}]}),
    ]
