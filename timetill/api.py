"""Assembles the apps' routers into one API, with its authentication and its JSON errors."""

import logging

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from timetill.accounts.rights import RIGHTS
from timetill.api_body import StrictJsonParser
from timetill.api_common import PEOPLE, PEOPLE_AND_DEVICES
from timetill.api_messages import plain_errors
from timetill.api_openapi import DocumentedApi
from timetill.catalog.api import router as catalog_router
from timetill.catalog.packages_api import router as packages_router
from timetill.customers.api import router as customers_router
from timetill.customers.services import CustomerError
from timetill.errors import TimetillError
from timetill.invoicing.api import router as invoicing_router
from timetill.invoicing.einvoice_api import router as einvoice_router
from timetill.reports.api import router as reports_router
from timetill.sales.api import router as sales_router
from timetill.sales.scan_api import router as scan_router
from timetill.sites.api import router as sites_router
from timetill.timelines.actors import Actor
from timetill.timelines.api import router as timelines_router

log = logging.getLogger(__name__)

api = DocumentedApi(
    title="Timetill API",
    version="1",
    description="Scan people in and out, and manage their time lines, customers and devices. "
    "Authenticate with a session cookie (people; unsafe methods also need the `X-CSRFToken` header) or "
    "`Authorization: Bearer <device token>` (devices: scanning and reading their site's time lines only). "
    "Errors are JSON objects with a stable `code` and a readable `message`; each operation lists the error "
    "answers it may give, with their codes (docs/api.md explains each). Bodies are JSON objects in UTF-8 "
    "sent as `application/json`, each key once. Instants are ISO 8601 strings with an offset, years 2000 "
    "to 2099.",
    auth=PEOPLE,
    urls_namespace="api",
    parser=StrictJsonParser(),
)

# Pydantic error types that have a code of their own; every other invalid input is `invalid_input`.
_VALIDATION_CODES = {"timezone_aware": "naive_time"}
# CustomerError codes that are not a 400.
_CUSTOMER_STATUS = {"code_taken": 409}


def _error(request: HttpRequest, status: int, code: str, message: str, **extra):
    return api.create_response(request, {"code": code, "message": message, **extra}, status=status)


@api.exception_handler(TimetillError)
def on_timetill_error(request: HttpRequest, exc: TimetillError):
    extra = {"field": exc.field} if exc.field is not None else {}
    return _error(request, exc.status, exc.code, exc.message, **extra)


@api.exception_handler(CustomerError)
def on_customer_error(request: HttpRequest, exc: CustomerError):
    return _error(request, _CUSTOMER_STATUS.get(exc.code, 400), exc.code, exc.message)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404):
    return _error(request, 404, "not_found", _("Not found."))


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError):
    return _error(
        request, 401, "not_authenticated", _("Log in, or send a device token as `Authorization: Bearer …`.")
    )


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError):
    # In plain words ("The amount of payment 1 must be a number…"); the path ("payments[0].amount") apart.
    found = plain_errors(exc.errors)
    fields = [{"field": f.field, "message": f.message, "type": f.type} for f in found]
    summary = " ".join(f.message for f in found) or _("The request is not valid.")
    code = _VALIDATION_CODES.get(found[0].type, "invalid_input") if found else "invalid_input"
    extra = {"field": found[0].field} if found else {}
    return _error(request, 422, code, summary, errors=fields, **extra)


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError):
    if isinstance(exc.__cause__, TimetillError):
        # ninja wraps what the body parser raised (timetill/api_body.py): answer with the parser's own error.
        cause = exc.__cause__
        return _error(request, cause.status, cause.code, cause.message)
    if exc.status_code == 400:
        # The only 400 ninja raises itself: a body that json.loads refuses (binary, truncated, not JSON).
        return _error(request, 400, "malformed_body", _("The body must be a JSON object (UTF-8)."))
    return _error(request, exc.status_code, "http_error", str(exc))


@api.exception_handler(RequestDataTooBig)
def on_too_big(request: HttpRequest, exc: RequestDataTooBig):
    return _error(request, 413, "body_too_large", _("The body is too large."))


@api.exception_handler(SuspiciousOperation)
def on_suspicious(request: HttpRequest, exc: SuspiciousOperation):
    return _error(request, 400, "malformed_body", _("The request could not be read."))


@api.exception_handler(MultiPartParserError)
def on_multipart(request: HttpRequest, exc: MultiPartParserError):
    return _error(request, 400, "malformed_body", _("The body must be a JSON object (UTF-8)."))


@api.exception_handler(Exception)
def on_unexpected(request: HttpRequest, exc: Exception):
    # A client of a JSON API should get JSON even when we fail; the traceback goes to the log.
    log.exception("API error on %s %s", request.method, request.path)
    return _error(request, 500, "server_error", _("Something went wrong on our side; it has been logged."))


class MeOut(Schema):
    kind: str  # "user" or "device"
    name: str
    site: str | None  # a device's site
    rights: list[str]
    children: list[int]  # the customers a parent may check in and out


@api.get(
    "/me", response=MeOut, auth=PEOPLE_AND_DEVICES, summary="Who am I: the user or device, and its rights"
)
def me(request: HttpRequest):
    device = getattr(request, "device", None)
    if device is not None:
        return {
            "kind": "device",
            "name": device.name,
            "site": device.site.slug,
            "rights": ["track_time"],
            "children": [],
        }
    user = request.user
    rights = [right for right in RIGHTS if user.has_perm(f"accounts.{right}")]
    children = sorted(Actor.for_user(user).customer_ids() or ())
    return {"kind": "user", "name": user.get_username(), "site": None, "rights": rights, "children": children}


api.add_router("/", scan_router)
api.add_router("/", timelines_router)
api.add_router("/", customers_router)
api.add_router("/", sites_router)
api.add_router("/", catalog_router)
api.add_router("/", sales_router)
api.add_router("/", packages_router)
api.add_router("/", invoicing_router)
api.add_router("/", einvoice_router)
api.add_router("/", reports_router)
