"""The OpenAPI schema documents the errors each operation can answer, not only its success, so
API clients (and schema-driven tests) know that a 400, 401, 403 or 404 is part of the contract."""

from __future__ import annotations

from typing import Any

ERROR_SCHEMA = {
    "type": "object",
    "description": "`detail` says what went wrong; a form error names each field instead.",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": True,
}
ALWAYS = {
    "401": "The credentials sent are not valid.",
    "403": "Not signed in, or not allowed to do this.",
}


def _codes(operation: dict[str, Any]) -> dict[str, str]:
    places = {parameter.get("in") for parameter in operation.get("parameters", [])}
    codes = dict(ALWAYS)
    if "path" in places:
        codes["404"] = "No such object, or it is not visible to this user."
    if "query" in places or "requestBody" in operation:
        codes["400"] = "The request's parameters or body are not valid."
    return codes


def document_errors(result: dict[str, Any], **_: Any) -> dict[str, Any]:
    """drf-spectacular post-processing hook: add the error answers to every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    body = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for code, description in _codes(operation).items():
                responses.setdefault(code, {"description": description, "content": body})
    return result
