"""The JSON Schemas of tests/data/schemas/, written from the Reconciliation Service API 0.2, checked themselves.

Each schema must be a valid Draft 2020-12 schema, accept what the specification's prose says is
valid and refuse what it says is not; the other reconciliation tests validate every response
(and every request they replay) with :func:`validate`.
"""

import json
from functools import lru_cache

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from ..conftest import DATA

SCHEMA_DIR = DATA / "schemas"
NAMES = sorted(p.stem for p in SCHEMA_DIR.glob("*.json"))


@lru_cache(maxsize=None)
def _registry() -> Registry:
    resources = []
    for path in SCHEMA_DIR.glob("*.json"):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append((contents["$id"], Resource.from_contents(contents)))
    return Registry().with_resources(resources)


@lru_cache(maxsize=None)
def validator(name: str) -> Draft202012Validator:
    schema = json.loads((SCHEMA_DIR / f"{name}.json").read_text(encoding="utf-8"))
    return Draft202012Validator(schema, registry=_registry())


def validate(name: str, instance) -> None:
    """Raise with every violation listed, so that a failing test says what is wrong."""
    errors = sorted(validator(name).iter_errors(instance), key=lambda e: list(e.absolute_path))
    if errors:
        details = "\n".join(f"  at {'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}" for e in errors[:10])
        raise AssertionError(f"not a valid {name}:\n{details}")


def is_valid(name: str, instance) -> bool:
    return validator(name).is_valid(instance)


@pytest.mark.parametrize("name", NAMES)
def test_every_schema_is_a_valid_draft_2020_12_schema(name):
    schema = json.loads((SCHEMA_DIR / f"{name}.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


MINIMAL_MANIFEST = {"versions": ["0.1", "0.2"], "name": "Example service", "identifierSpace": "http://example.com/id/",
                    "schemaSpace": "http://example.com/schema#", "defaultTypes": [{"id": "Q5", "name": "human"}]}
CANDIDATE = {"id": "Q42", "name": "Douglas Adams", "type": [{"id": "Q5", "name": "human"}], "score": 80.5,
             "match": False}

VALID = [
    ("manifest", MINIMAL_MANIFEST),
    ("manifest", {**MINIMAL_MANIFEST, "view": {"url": "http://example.com/view/{{id}}"},
                  "preview": {"url": "http://example.com/preview?id={{id}}", "width": 400, "height": 200},
                  "suggest": {"entity": {"service_url": "http://example.com", "service_path": "/suggest"}},
                  "extend": {"propose_properties": {"service_url": "http://example.com", "service_path": "/props"},
                             "property_settings": [{"name": "limit", "label": "Limit", "type": "number", "default": 0}]},
                  "batchSize": 10}),
    ("reconciliation-query-batch", {"q0": {"query": "Douglas Adams"}}),
    ("reconciliation-query-batch", {"q0": {"query": "Douglas Adams", "type": "Q5", "type_strict": "should", "limit": 3,
                                           "properties": [{"pid": "P27", "v": [{"id": "Q145"}, "UK"]}]}}),
    ("reconciliation-query-batch", {"q0": {"properties": [{"pid": "P214", "v": "113230702"}]}}),
    ("reconciliation-query-batch", {"q0": {"query": "Adams", "type": ["Q5", "Q215627"]}}),
    ("reconciliation-result-batch", {"q0": {"result": [CANDIDATE]}, "q1": {"result": []}}),
    ("reconciliation-result-batch", {"q0": {"result": [{**CANDIDATE, "description": "writer",
                                                        "features": [{"id": "name_tfidf", "value": 0.8},
                                                                     {"id": "exact", "value": True}]}]}}),
    ("reconciliation-result", {"result": [CANDIDATE]}),
    ("suggest-entities-response", {"result": [{"id": "Q42", "name": "Douglas Adams", "notable": ["Q5"]},
                                              {"id": "Q1", "name": "x", "notable": [{"id": "Q5", "name": "human"}]}]}),
    ("suggest-types-response", {"result": [{"id": "Q5", "name": "human", "broader": [{"id": "Q1", "name": "being"}]}]}),
    ("suggest-properties-response", {"result": [{"id": "P27", "name": "country of citizenship", "description": "..."}]}),
    ("data-extension-query", {"ids": ["Q42"], "properties": [{"id": "P27"}, {"id": "P569", "settings": {"limit": 1}}]}),
    ("data-extension-response", {"meta": [{"id": "P27", "name": "country", "type": {"id": "Q6256", "name": "country"}}],
                                 "rows": {"Q42": {"P27": [{"id": "Q145", "name": "United Kingdom"}],
                                                  "P569": [{"date": "1952-03-11T00:00:00Z"}], "P1": [{"str": "x"}],
                                                  "P2": [{"int": 3}, {"float": 1.5}, {"bool": True}], "P3": []}}}),
    ("data-extension-property-proposal", {"type": "Q5", "limit": 3, "properties": [{"id": "P27", "name": "country"}]}),
    ("error", {"error": "queries is not valid JSON"}),
]

INVALID = [
    ("manifest", {key: value for key, value in MINIMAL_MANIFEST.items() if key != "versions"}),  # 0.1 only
    ("manifest", {**MINIMAL_MANIFEST, "versions": ["0.1"]}),
    ("manifest", {**MINIMAL_MANIFEST, "view": {"url": "http://example.com/view/"}}),   # no {{id}}
    ("manifest", {**MINIMAL_MANIFEST, "preview": {"url": "http://example.com/{{id}}", "width": 400}}),
    ("manifest", {**MINIMAL_MANIFEST, "extend": {"property_settings": [{"name": "s", "label": "S", "type": "select"}]}}),
    ("manifest", {**MINIMAL_MANIFEST, "suggest": {"entity": {"service_path": "/suggest"}}}),
    ("reconciliation-query-batch", {"q0": {"type": "Q5"}}),                      # neither query nor properties
    ("reconciliation-query-batch", {"q0": {"query": ""}}),                       # empty query
    ("reconciliation-query-batch", {"q0": {"query": "x", "type_strict": "must"}}),
    ("reconciliation-query-batch", {"q0": {"query": "x", "limit": 0}}),
    ("reconciliation-query-batch", {"q0": {"query": "x", "properties": [{"pid": "P1"}]}}),
    ("reconciliation-query-batch", [{"query": "x"}]),
    ("reconciliation-result-batch", [{"result": []}]),                           # root array
    ("reconciliation-result-batch", {"q0": {}}),                                 # no result
    ("reconciliation-result-batch", {"q0": {"result": [{k: v for k, v in CANDIDATE.items() if k != "id"}]}}),
    ("reconciliation-result-batch", {"q0": {"result": [{**CANDIDATE, "match": "yes"}]}}),
    ("reconciliation-result-batch", {"q0": {"result": [{**CANDIDATE, "features": [{"id": "f", "value": "high"}]}]}}),
    ("suggest-entities-response", {"result": [{"id": "Q42"}]}),
    ("suggest-entities-response", {"results": []}),
    ("suggest-properties-response", {"result": [{"id": "P1", "name": "p", "notable": ["Q5"]}]}),
    ("data-extension-query", {"ids": ["Q42"]}),
    ("data-extension-response", {"meta": [], "rows": {"Q42": {"P1": [{"date": "1952-03-11"}]}}}),   # date without time
    ("data-extension-response", {"meta": [], "rows": {"Q42": {"P1": [{"str": "x", "int": 1}]}}}),
    ("data-extension-response", {"rows": {}}),
    ("data-extension-property-proposal", {"type": "Q5"}),
    ("error", {"message": "x"}),
]


@pytest.mark.parametrize(("name", "instance"), VALID, ids=[f"{n}-{i}" for i, (n, _) in enumerate(VALID)])
def test_what_the_specification_allows_is_valid(name, instance):
    validate(name, instance)


@pytest.mark.parametrize(("name", "instance"), INVALID, ids=[f"{n}-{i}" for i, (n, _) in enumerate(INVALID)])
def test_what_the_specification_forbids_is_invalid(name, instance):
    assert not is_valid(name, instance)
