"""HTTP answers the views do not make themselves: JSON errors anywhere under /api/, private answers."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

API_PREFIX = "/api/"
# Longer addresses are refused before any view: no endpoint needs more, and the 414 stays JSON.
MAX_API_URL_LENGTH = 4096
# Public descriptions of the API, which nobody's browser or proxy needs to forget.
_PUBLIC_API_PATHS = {"/api/openapi.json", "/api/docs"}
_JSON_ERRORS = {
    404: ("not_found", "Not found."),
    405: ("method_not_allowed", "This method is not allowed here."),
}


def _json_error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"code": code, "message": message}, status=status)


class ApiErrorsMiddleware:
    """On /api/, every error is JSON `{code, message}`: also an unknown address (404), a method the endpoint
    does not have (405, its Allow header kept) and an address too long (414), which Django answers in HTML."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        if len(request.get_full_path()) > MAX_API_URL_LENGTH:
            return _json_error(
                414,
                "uri_too_long",
                _("The address is longer than %(limit)s characters.") % {"limit": MAX_API_URL_LENGTH},
            )
        response = self.get_response(request)
        known = _JSON_ERRORS.get(response.status_code)
        if known is not None and not response.get("Content-Type", "").startswith("application/json"):
            code, message = known
            answer = _json_error(response.status_code, code, _(message))
            if "Allow" in response:
                answer["Allow"] = response["Allow"]
            return answer
        return response


class PrivateAnswersMiddleware:
    """What the API answers a person or a device, every PDF (receipts, invoices) and every download (a
    customer list, a report, an e-invoice) is theirs alone: no browser or proxy keeps a copy
    (`Cache-Control: private, no-store`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        api = request.path.startswith(API_PREFIX) and request.path not in _PUBLIC_API_PATHS
        pdf = response.get("Content-Type", "").startswith("application/pdf")
        download = "Content-Disposition" in response
        if api or pdf or download:
            response["Cache-Control"] = "private, no-store"
        return response
