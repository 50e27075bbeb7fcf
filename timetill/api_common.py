"""What the routers share: who calls (device token or session), the actor they act as, input types."""

import re
import unicodedata
from typing import Annotated

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
    # Control characters and lone surrogates are never meant (PostgreSQL refuses NUL): refuse them.
    if any(unicodedata.category(char) in ("Cc", "Cs") for char in value):
        raise ValueError(NO_CONTROL_CHARACTERS)
    return value


# A site's slug as it appears in addresses.
Slug = Annotated[str, StringConstraints(pattern=r"^[-A-Za-z0-9_]{1,50}$")]
# Free text typed by a person: a name, a note, a reason. The description says what the validator refuses.
NO_CONTROL_PATTERN = "^[^\\u0000-\\u001f\\u007f-\\u009f\\ud800-\\udfff]*$"
NoControl = AfterValidator(_no_control_characters)
NoControlInDescription = Field(json_schema_extra={"pattern": NO_CONTROL_PATTERN})
PlainText = Annotated[str, NoControl, NoControlInDescription]
# Instants are ISO 8601 text from the years 2000 to 2099: a bare number (Unix time?) or year 1 is a mistake,
# and an offset is required (a naive time would be read in nobody knows which zone).
_DATE = r"20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
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


Instant = Annotated[
    AwareDatetime,
    BeforeValidator(_iso_instant),
    WithJsonSchema({"type": "string", "format": "date-time", "pattern": INSTANT_PATTERN}),
]
# The same, or a wall-clock time without offset (read in a tariff's own zone): the pricing engine reads it.
LocalOrInstant = Annotated[str, StringConstraints(pattern=LOCAL_OR_INSTANT_PATTERN)]
