"""How the API reads a request body: one JSON object, in UTF-8, sent as application/json, each key once."""

import json

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.parser import Parser

from timetill.errors import TimetillError

JSON_MEDIA_TYPE = "application/json"


class BodyError(TimetillError):
    """A body the API does not read; ninja wraps it, and the API's error handler answers with it."""


def _no_duplicate_keys(pairs: list[tuple[str, object]]) -> dict:
    found: dict = {}
    for key, value in pairs:
        if key in found:
            # Which of the two would count is a guess no server should make for its client.
            raise BodyError("duplicate_key", _("The key “%(key)s” appears twice in the body.") % {"key": key})
        found[key] = value
    return found


def _no_constant(name: str) -> object:
    raise BodyError("malformed_body", _("%(name)s is not a JSON number.") % {"name": name})


def read_json_object(request: HttpRequest) -> dict:
    """The body as a dict, or a BodyError: 415 for another media type or charset, 400 for bytes that are
    not UTF-8 JSON (UTF-16 included) or repeat a key, 422 for JSON that is not an object."""
    if request.content_type != JSON_MEDIA_TYPE:
        raise BodyError(
            "unsupported_media_type",
            _("Send the body as %(type)s (this one is %(sent)s).")
            % {"type": JSON_MEDIA_TYPE, "sent": request.content_type or _("untyped")},
            status=415,
        )
    charset = request.content_params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise BodyError("unsupported_media_type", _("Send the body in UTF-8."), status=415)
    try:
        text = request.body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BodyError("malformed_body", _("The body must be a JSON object (UTF-8).")) from error
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicate_keys, parse_constant=_no_constant)
    except ValueError as error:  # JSONDecodeError, and a BOM (json.loads refuses it in text)
        raise BodyError("malformed_body", _("The body must be a JSON object (UTF-8).")) from error
    if not isinstance(data, dict):
        # An array, a number, a string or null taken as {} reset a discount and created sales.
        raise BodyError("body_not_object", _("The body must be a JSON object: {…}."), status=422)
    return data


class StrictJsonParser(Parser):
    def parse_body(self, request: HttpRequest) -> dict:
        return read_json_object(request)
