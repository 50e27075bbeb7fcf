"""The API's OpenAPI description completed with what the code alone does not say: every error answer of every
operation, with the codes it may carry (timetill/api_errors.py), and the tariff document's own schema."""

import json
from typing import Any

from ninja import NinjaAPI

from timetill.api_common import TARIFF_DOCUMENT, TARIFF_MARK, TARIFF_REF, DeviceToken
from timetill.api_errors import errors_of
from timetill.pricing import tariff_schema

# What each error status means (docs/api.md explains each code).
STATUS_SUMMARIES: dict[int, str] = {
    400: "Bad input, refused; nothing changed.",
    401: "Not authenticated.",
    403: "Not allowed.",
    404: "No such thing (or not one the caller may know of).",
    405: "The method is not allowed here.",
    409: "Not in a state for this.",
    413: "The body is too large.",
    414: "The address is too long.",
    415: "The body is not application/json in UTF-8.",
    422: "A field is missing, of the wrong type or out of its bounds.",
    500: "Our fault; it is logged.",
    503: "Too busy; try again.",
}

ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "required": ["code", "message"],
    "properties": {
        "code": {"type": "string", "description": "Stable, for programs."},
        "message": {"type": "string", "description": "For people, in their words (the field named plainly)."},
        "field": {
            "type": "string",
            "description": "When the error is about one field: its path, for programs (payments[0].amount).",
        },
        "errors": {
            "type": "array",
            "description": "Validation errors: which field, and why.",
            "items": {"type": "object", "additionalProperties": {"type": "string"}},
        },
    },
}
_METHODS = {"get", "put", "post", "patch", "delete"}

# The tariff document's own definitions beside it among the components, prefixed.
_TARIFF_PREFIX = "Tariff_"


def tariff_components() -> dict[str, Any]:
    """The published JSON Schema of tariff documents (docs/tariff.schema.json) as OpenAPI components: its
    `$defs` moved beside it, so that its references resolve from the description's root."""
    schema = tariff_schema()
    defs = schema.pop("$defs", {})
    schema.pop("$schema", None)
    text = json.dumps({TARIFF_DOCUMENT: schema, **{_TARIFF_PREFIX + name: d for name, d in defs.items()}})
    return json.loads(text.replace('"#/$defs/', f'"#/components/schemas/{_TARIFF_PREFIX}'))


def _point_at_tariff(schemas: dict[str, Any]) -> None:
    """Each property marked as a tariff document (TARIFF_MARK) refers to its schema; a nullable one (pydantic
    writes `anyOf` with `null`) stays nullable."""
    (mark,) = TARIFF_MARK
    for schema in schemas.values():
        for name, prop in (schema.get("properties") or {}).items():
            if not prop.pop(mark, False):
                continue
            nullable = any(option.get("type") == "null" for option in prop.get("anyOf", ()))
            kept = {key: prop[key] for key in ("title", "description", "default") if key in prop}
            ref = {"$ref": TARIFF_REF}
            schema["properties"][name] = {**kept, **({"anyOf": [ref, {"type": "null"}]} if nullable else ref)}


def _error_response(status: int, codes: list[str]) -> dict[str, Any]:
    listed = ", ".join(f"`{code}`" for code in codes)
    schema = {
        **ERROR_SCHEMA,
        "title": f"Error{status}",
        "properties": {**ERROR_SCHEMA["properties"], "code": {"type": "string", "enum": codes}},
    }
    return {
        "description": f"{STATUS_SUMMARIES[status]} Codes: {listed}.",
        "content": {"application/json": {"schema": schema}},
    }


def _with_codes(answer: dict[str, Any], status: int, codes: list[str]) -> dict[str, Any]:
    """An endpoint's own error answer (a tariff's 422 with its fields), its codes added to its schema."""
    content = answer.get("content", {}).get("application/json", {})
    listed = ", ".join(f"`{code}`" for code in codes)
    summary = (answer.get("description") or STATUS_SUMMARIES[status]).rstrip(".")
    only = {"type": "object", "properties": {"code": {"type": "string", "enum": codes}}}
    return {
        **answer,
        "description": f"{summary}. Codes: {listed}.",
        "content": {"application/json": {**content, "schema": {"allOf": [content.get("schema", {}), only]}}},
    }


def documented_codes(operation: dict[str, Any]) -> dict[int, frozenset[str]]:
    """The error codes an operation of the description lists, by status."""
    found: dict[int, frozenset[str]] = {}
    for status, answer in operation.get("responses", {}).items():
        if int(status) >= 400:
            schema = answer.get("content", {}).get("application/json", {}).get("schema", {})
            codes: set[str] = set()
            for part in [schema, *schema.get("allOf", [])]:
                codes.update(part.get("properties", {}).get("code", {}).get("enum", ()))
            found[int(status)] = frozenset(codes)
    return found


class DocumentedApi(NinjaAPI):
    """A NinjaAPI whose description documents, for every operation, each error answer and its codes."""

    def _devices_allowed(self) -> dict[str, bool]:
        """ "POST /api/scans" → whether a device token may call it (else it answers `device_not_allowed`)."""
        allowed = {}
        for prefix, router in self._routers:
            for path, view in router.path_operations.items():
                for operation in view.operations:
                    # An operation without auth of its own has the API's (people only).
                    auth = operation.auth_callbacks or []
                    devices = any(isinstance(a, DeviceToken) and a.devices_allowed for a in auth)
                    for method in operation.methods:
                        allowed[f"{method} /api{prefix.rstrip('/')}{path}"] = devices
        return allowed

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["Error"] = ERROR_SCHEMA
        _point_at_tariff(components)
        components.update(tariff_components())
        devices = self._devices_allowed()
        for path, operations in schema.get("paths", {}).items():
            for method, operation in operations.items():
                if method not in _METHODS:
                    continue
                key = f"{method.upper()} {path}"
                parameters = operation.get("parameters", [])
                errors = errors_of(
                    key,
                    has_body="requestBody" in operation,
                    has_parameters=bool(parameters),
                    has_path_parameters=any(p.get("in") == "path" for p in parameters),
                    devices_allowed=devices.get(key, False),
                )
                responses = operation.setdefault("responses", {})
                for status in [status for status in responses if int(status) >= 400 and status not in errors]:
                    del responses[status]  # declared by the endpoint, but no code of it answers that
                for status, codes in errors.items():
                    own = responses.get(status)
                    responses[status] = (
                        _with_codes(own, status, codes) if own else _error_response(status, codes)
                    )
        return schema
