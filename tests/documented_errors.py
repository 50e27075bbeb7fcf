"""A middleware for the test suite: every error the API answers, in any test (the test clients, the live
server, the fuzzing), must be one its OpenAPI description documents for that operation, status and code."""

import json
import os
import re
from functools import cache

from django.http import HttpRequest, HttpResponse

_RECORD = os.environ.get("TIMETILL_RECORD_API_ERRORS")


@cache
def _documented() -> dict[tuple[str, str], dict[int, frozenset[str]]]:
    from timetill.api import api  # noqa: PLC0415 - once the apps are loaded
    from timetill.api_openapi import documented_codes  # noqa: PLC0415

    schema = api.get_openapi_schema(path_prefix="/api/")
    return {
        (method, path): documented_codes(operation)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
    }


def _template(route: str) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


class DocumentedErrorsOnly:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = request.resolver_match
        if (
            response.status_code < 400
            or not request.path.startswith("/api/")
            or match is None
            or not response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        code = json.loads(response.content).get("code")
        key = (request.method.lower(), _template(match.route))
        if _RECORD:
            with open(_RECORD, "a") as record:
                record.write(f"{key[0]} {key[1]} {response.status_code} {code}\n")
            return response
        documented = _documented().get(key)
        if documented is None:
            return response  # a method the path does not have: the 405 of ApiErrorsMiddleware
        assert code in documented.get(response.status_code, ()), (
            f"{key[0].upper()} {key[1]} answered {response.status_code} `{code}`, which its OpenAPI "
            f"description does not list (timetill/api_openapi.py)"
        )
        return response
