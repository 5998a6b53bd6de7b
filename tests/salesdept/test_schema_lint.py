"""The schema typed clients are generated from (docs/api.md, "Schema and typed clients"), as /api/schema/ serves
it in Russian and in English: a valid OpenAPI document with names from the code, no blank enum members, JSON
request bodies (multipart only where a file is uploaded), an operationId and one tag per operation, integer ids;
and gzip on the API's answers ("Transport")."""

from __future__ import annotations

import gzip
import json
from typing import Any

import pytest
from openapi_spec_validator import validate

from tests.conftest import api_as
from tests.crm.factories import ClientFactory
from tests.salesdept.schema_tools import live_schema, operations

LANGUAGES = ["ru", "en"]
UPLOADS = {
    ("/api/v1/deals/{id}/proposal-file/", "post"),
    ("/api/v1/imports/", "post"),
    ("/api/v1/prospect-lists/{id}/import/", "post"),
}
# Filters that take a row id (crm/filters.py IdFilter and the other apps' parameters).
ID_FILTERS = {"owner", "client", "deal", "segment", "manager", "team", "category", "brand", "product", "parent"}


def walk(node: Any):
    """Every dict in the document."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            yield item
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_schema_is_valid_openapi(language):
    validate(live_schema(language))


def test_component_names_are_ascii_and_the_same_in_every_language():
    names = {language: list(live_schema(language)["components"]["schemas"]) for language in LANGUAGES}
    assert names["ru"] == names["en"]
    assert [name for name in names["ru"] if not name.isascii() or not name.isidentifier()] == []
    assert "Client" in names["ru"] and "StageEnum" in names["ru"]


def test_everything_a_generator_names_types_after_is_the_same_in_every_language():
    """Titles are translated labels and generators name inline types after them (`V1DealsListЭтап`): none left."""
    for language in LANGUAGES:
        titles = [node["title"] for node in walk(live_schema(language)["paths"]) if isinstance(node.get("title"), str)]
        titles += [
            node["title"] for node in walk(live_schema(language)["components"]) if isinstance(node.get("title"), str)
        ]
        assert titles == []
    ids = {language: [op["operationId"] for _, _, op in operations(live_schema(language))] for language in LANGUAGES}
    assert ids["ru"] == ids["en"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_enum_has_a_blank_member(language):
    schema = live_schema(language)
    blank = [node["enum"] for node in walk(schema) if "" in (node.get("enum") or [])]
    assert blank == []
    assert not {"BlankEnum", "NullEnum"} & set(schema["components"]["schemas"])


@pytest.mark.parametrize("language", LANGUAGES)
def test_request_bodies_are_json_except_the_uploads(language):
    bodies = {
        (path, method): list(op["requestBody"]["content"])
        for path, method, op in operations(live_schema(language))
        if "requestBody" in op
    }
    not_json = {key for key, types in bodies.items() if types != ["application/json"]}
    assert not_json == UPLOADS
    assert all(bodies[key] == ["multipart/form-data"] for key in UPLOADS)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_operation_has_a_unique_operation_id_and_one_tag(language):
    ops = operations(live_schema(language))
    ids = [op.get("operationId") for _, _, op in ops]
    assert None not in ids and len(ids) == len(set(ids))
    assert all(op_id.isascii() and op_id.isidentifier() and not op_id.startswith("v1_") for op_id in ids)
    assert [(path, method) for path, method, op in ops if len(op.get("tags", [])) != 1] == []
    tags = {path: op["tags"][0] for path, _, op in ops}
    assert tags["/api/v1/clients/{id}/"] == "clients"
    assert tags["/api/v1/vip/questionnaires/"] == "vip-questionnaires"
    assert tags["/api/v1/auth/token/"] == "auth"
    assert "clients_list" in ids and "deals_move_create" in ids


def test_ids_in_paths_and_filters_are_integers():
    ops = operations(live_schema("en"))
    path_ids = [p for _, _, op in ops for p in op.get("parameters", []) if p["in"] == "path"]
    assert path_ids and all(p["schema"]["type"] == "integer" for p in path_ids)
    filters = [
        (op["operationId"], p["name"], p["schema"].get("type"))
        for _, _, op in ops
        for p in op.get("parameters", [])
        if p["in"] == "query" and p["name"] in ID_FILTERS and p["schema"].get("type") != "string"
    ]
    assert filters and [f for f in filters if f[2] != "integer"] == []
    assert [p for _, _, op in ops for p in op.get("parameters", []) if p["schema"].get("type") == "number"] == []


def test_key_endpoints_carry_examples():
    by_id = {op["operationId"]: op for _, _, op in operations(live_schema("en"))}
    for operation_id in (
        "auth_token_create",
        "auth_token_refresh_create",
        "clients_create",
        "deals_move_create",
        "activities_create",
    ):
        examples = by_id[operation_id]["requestBody"]["content"]["application/json"].get("examples")
        assert examples, operation_id


def test_page_size_is_documented_with_its_limits():
    op = next(op for _, _, op in operations(live_schema("en")) if op["operationId"] == "clients_list")
    page_size = next(p for p in op["parameters"] if p["name"] == "page_size")
    assert (page_size["schema"]["minimum"], page_size["schema"]["maximum"]) == (1, 500)


@pytest.mark.django_db
def test_api_answers_are_gzipped_and_shrink(manager):
    for number in range(30):
        ClientFactory(owner=manager, name=f"ООО Клиент {number}", region="Москва")
    api = api_as(manager)
    plain = api.get("/api/v1/clients/?page_size=100")
    packed = api.get("/api/v1/clients/?page_size=100", HTTP_ACCEPT_ENCODING="gzip")

    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert json.loads(gzip.decompress(packed.content)) == plain.json()
    assert len(packed.content) * 4 < len(plain.content)


@pytest.mark.django_db
def test_pages_are_not_gzipped(client, manager):
    """BREACH: an HTML page with a CSRF token is never compressed."""
    client.force_login(manager)
    page = client.get("/", HTTP_ACCEPT_ENCODING="gzip")
    assert page.status_code in (200, 302)
    assert "Content-Encoding" not in page
