"""Assembles the apps' routers into one API, with its authentication and its JSON errors."""

from django.http import HttpRequest
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer, SessionAuth

from timetill.errors import TimetillError
from timetill.sites.services import DeviceAuthError, authenticate_device
from timetill.timelines.api import router as timelines_router


class DeviceToken(HttpBearer):
    """`Authorization: Bearer ttd_…`: a device's own token, limited to scanning at its site."""

    def authenticate(self, request: HttpRequest, token: str):
        try:
            device = authenticate_device(token, at=timezone.now())
        except DeviceAuthError as error:
            # Stash the reason so that the 401 says why (revoked, unknown) instead of a bare refusal.
            request.auth_error = str(error)
            return None
        request.device = device
        return device


class PersonSession(SessionAuth):
    """A logged-in person (the web pages' session cookie; unsafe methods need the CSRF token)."""

    def authenticate(self, request: HttpRequest, key):
        request.device = None
        return super().authenticate(request, key)


api = NinjaAPI(
    title="Timetill API",
    version="1",
    description="Scan people in and out, and manage their time lines. Authenticate with a session cookie "
    "(people) or `Authorization: Bearer <device token>` (devices). Errors are JSON objects with a stable "
    "`code` and a readable `message`.",
    auth=[DeviceToken(), PersonSession()],
    urls_namespace="api",
)


def _error(request: HttpRequest, status: int, code: str, message: str, **extra):
    return api.create_response(request, {"code": code, "message": message, **extra}, status=status)


@api.exception_handler(TimetillError)
def on_timetill_error(request: HttpRequest, exc: TimetillError):
    return _error(request, exc.status, exc.code, exc.message)


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError):
    reason = getattr(request, "auth_error", None)
    if reason:
        return _error(request, 401, "invalid_token", reason)
    return _error(request, 401, "not_authenticated", "Log in, or send a device token as `Authorization: Bearer …`.")


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError):
    fields = []
    for error in exc.errors:
        where = ".".join(str(part) for part in error.get("loc", ())[1:] if part != "body") or "body"
        fields.append({"field": where, "message": error.get("msg", "invalid")})
    summary = "; ".join(f"{f['field']}: {f['message']}" for f in fields) or "The request is not valid."
    return _error(request, 422, "invalid_input", summary, errors=fields)


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError):
    return _error(request, exc.status_code, "http_error", str(exc))


api.add_router("/", timelines_router)
