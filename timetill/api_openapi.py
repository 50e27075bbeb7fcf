"""The API's OpenAPI description completed with what the code alone does not say: every error answer."""

from typing import Any

from ninja import NinjaAPI

# Every error status the API answers, with its codes (docs/api.md explains each code). Every operation may
# answer any of them: a body is checked before the endpoint runs, and rights before anything is looked up.
ERROR_STATUSES: dict[int, tuple[str, tuple[str, ...]]] = {
    status: (summary, tuple(codes.split()))
    for status, summary, codes in [
        (
            400,
            "Bad input, refused; nothing changed.",
            "malformed_body duplicate_key empty_code code_too_long malformed_code invalid_ean "
            "invalid_client_id time_in_future scan_too_old before_site_existed end_before_start "
            "reason_required end_required "
            "invalid_name invalid_kind invalid_note invalid_reason other_site invalid_email code_reserved "
            "invalid_group group_taken inactive_user",
        ),
        (401, "Not authenticated.", "not_authenticated invalid_token revoked_token"),
        (
            403,
            "Not allowed.",
            "forbidden csrf_failed device_not_allowed wrong_site not_your_child not_a_family_site",
        ),
        (
            404,
            "No such thing (or not one the caller may know of).",
            "not_found unknown_site unknown_code unknown_time_line unknown_customer unknown_group "
            "unknown_device unknown_product",
        ),
        (405, "The method is not allowed here.", "method_not_allowed"),
        (
            409,
            "Not in a state for this.",
            "already_open already_stopped still_open invoiced client_id_reused code_taken sale_closed unpaid",
        ),
        (413, "The body is too large.", "body_too_large"),
        (414, "The address is too long.", "uri_too_long"),
        (415, "The body is not application/json in UTF-8.", "unsupported_media_type"),
        (
            422,
            "A field is missing, of the wrong type or out of its bounds.",
            "invalid_input naive_time body_not_object",
        ),
        (500, "Our fault; it is logged.", "server_error"),
        (503, "Too busy; try again.", "busy"),
    ]
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
_ERROR_REF = {"$ref": "#/components/schemas/Error"}
_METHODS = {"get", "put", "post", "patch", "delete"}


def _error_response(status: int) -> dict[str, Any]:
    summary, codes = ERROR_STATUSES[status]
    listed = ", ".join(f"`{code}`" for code in codes)
    return {
        "description": f"{summary} Codes: {listed}.",
        "content": {"application/json": {"schema": _ERROR_REF}},
    }


class DocumentedApi(NinjaAPI):
    """A NinjaAPI whose description documents, for every operation, each error answer and its codes."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        for path in schema.get("paths", {}).values():
            for method, operation in path.items():
                if method not in _METHODS:
                    continue
                responses = operation.setdefault("responses", {})
                for status in ERROR_STATUSES:
                    # An endpoint's own documented error (a tariff's 422 with its fields) stays as it is.
                    responses.setdefault(status, _error_response(status))
        return schema
