"""The live schema (/api/schema/) and a small check of an answer against one of its components."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from django.test import Client


@cache
def live_schema(language: str = "en") -> dict[str, Any]:
    """The schema as /api/schema/ serves it in that language (JSON), generated once per test run and language."""
    response = Client().get("/api/schema/?format=json", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return json.loads(response.content)


def operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    methods = {"get", "post", "put", "patch", "delete", "head", "options", "trace"}
    return [
        (path, method, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in methods
    ]


def resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """A schema with its `$ref` followed and its `allOf` merged: properties, required, nullable, items."""
    while "$ref" in node:
        node = {
            **schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]],
            **{k: v for k, v in node.items() if k != "$ref"},
        }
    if "allOf" in node:
        merged: dict[str, Any] = {k: v for k, v in node.items() if k != "allOf"}
        for part in node["allOf"]:
            part = resolve(schema, part)
            merged.setdefault("properties", {}).update(part.get("properties", {}))
            merged["required"] = [*merged.get("required", []), *part.get("required", [])]
            for key in ("type", "items", "enum"):
                if key in part:
                    merged.setdefault(key, part[key])
        return merged
    return node


def mismatches(schema: dict[str, Any], node: dict[str, Any], body: Any, where: str = "$") -> list[str]:
    """Where an answer differs from its component: a key sent that is not a property, a required key not sent,
    a null where the property is not nullable. Nested objects and lists of objects are checked too."""
    node = resolve(schema, node)
    problems: list[str] = []
    if body is None:
        if not node.get("nullable"):
            problems.append(f"{where}: null, not nullable")
        return problems
    if isinstance(body, list) and "items" in node:
        for index, item in enumerate(body[:3]):
            problems += mismatches(schema, node["items"], item, f"{where}[{index}]")
        return problems
    if isinstance(body, dict) and "properties" in node:
        properties = node["properties"]
        problems += [f"{where}.{key}: sent, not a property" for key in body if key not in properties]
        problems += [f"{where}.{key}: required, not sent" for key in node.get("required", []) if key not in body]
        for key, value in body.items():
            if key in properties:
                problems += mismatches(schema, properties[key], value, f"{where}.{key}")
    return problems


def response_component(schema: dict[str, Any], operation_id: str, status: str = "200") -> dict[str, Any]:
    for _path, _method, operation in operations(schema):
        if operation.get("operationId") == operation_id:
            return operation["responses"][status]["content"]["application/json"]["schema"]
    raise AssertionError(f"no operation {operation_id}")
