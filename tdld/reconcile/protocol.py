"""Reading what clients send: reconciliation query batches, data extension queries, parameters.

Every check happens here, before any work, so that a request is either refused with one
line of explanation (:class:`ReconcileError`, 400 or 413) or answered in bounded time.
"""

import json
import math
import re
from dataclasses import dataclass

from .errors import ReconcileError

MAX_BATCH = 50            # queries in one batch (announced as batchSize in the manifest)
MAX_LIMIT = 100           # candidates per query
DEFAULT_LIMIT = 10
MAX_TEXT = 500            # characters in a query, a prefix, a property value or an id
MAX_KEY = 200             # characters in a query key
MAX_TYPES = 10            # types in one query
MAX_PROPERTIES = 20       # property constraints in one query, or properties in one extension
MAX_VALUES = 20           # values of one property constraint
MAX_EXTEND_IDS = 200      # entities in one data extension query
MAX_JSON = 1_000_000      # characters of JSON in one parameter
MAX_SUGGEST = 50
TYPE_STRICT = ("should", "any", "all")
CALLBACK = re.compile(r"^[A-Za-z_$][\w$.]*$")
MAX_CALLBACK = 100


@dataclass(frozen=True)
class Constraint:
    pid: str
    values: tuple          # str, int/float, bool, or {"id": ..., "name": ...} dicts


@dataclass(frozen=True)
class Query:
    text: str
    types: tuple = ()
    type_strict: str = "should"
    limit: int = DEFAULT_LIMIT
    properties: tuple = ()


@dataclass(frozen=True)
class ExtensionQuery:
    ids: tuple
    properties: tuple       # (pid, settings dict)


def load_json(text: str, what: str):
    if len(text) > MAX_JSON:
        raise ReconcileError(f"{what} is longer than {MAX_JSON} characters", 413)
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as error:
        message = getattr(error, "msg", None) or "nested too deeply"
        raise ReconcileError(f"{what} is not valid JSON: {message}") from None


def parse_batch(text: str) -> dict[str, Query]:
    """A reconciliation query batch: a JSON object of queries keyed by the client's ids."""
    batch = load_json(text, "queries")
    if not isinstance(batch, dict):
        raise ReconcileError("queries must be a JSON object mapping ids (q0, q1 ...) to queries")
    if len(batch) > MAX_BATCH:
        raise ReconcileError(f"a batch holds at most {MAX_BATCH} queries; this one has {len(batch)}", 413)
    return {_key(key): parse_query(query, key) for key, query in batch.items()}


def _key(key: str) -> str:
    if len(key) > MAX_KEY:
        raise ReconcileError(f"query ids are at most {MAX_KEY} characters")
    return key


def parse_query(query, key: str = "query") -> Query:
    """One reconciliation query; a bare string is taken as the query text (protocol 0.1 style)."""
    if isinstance(query, str):
        query = {"query": query}
    if not isinstance(query, dict):
        raise ReconcileError(f"{key}: a query must be a JSON object")
    text = query.get("query", "")
    if text is None:
        text = ""
    if not isinstance(text, str):
        raise ReconcileError(f"{key}: 'query' must be a string")
    if len(text) > MAX_TEXT:
        raise ReconcileError(f"{key}: 'query' is longer than {MAX_TEXT} characters")
    properties = parse_constraints(query.get("properties"), key)
    if "query" not in query and not properties:
        raise ReconcileError(f"{key}: a query needs 'query' or 'properties'")
    return Query(text.strip(), parse_types(query.get("type"), key), parse_strict(query.get("type_strict"), key),
                 parse_limit(query.get("limit"), key, DEFAULT_LIMIT, MAX_LIMIT), properties)


def parse_types(value, key: str) -> tuple:
    if value is None or value == "":
        return ()
    values = value if isinstance(value, list) else [value]
    if len(values) > MAX_TYPES:
        raise ReconcileError(f"{key}: at most {MAX_TYPES} types")
    for item in values:
        if not isinstance(item, str) or not item.strip() or len(item) > MAX_TEXT:
            raise ReconcileError(f"{key}: 'type' must be a type id or a list of type ids")
    return tuple(item.strip() for item in values)


def parse_strict(value, key: str) -> str:
    if value is None:
        return "should"
    if value not in TYPE_STRICT:
        raise ReconcileError(f"{key}: 'type_strict' must be one of {', '.join(TYPE_STRICT)}")
    return value


def parse_limit(value, key: str, default: int, ceiling: int) -> int:
    """A positive whole number (JSON number or decimal string); above ``ceiling`` it is lowered to it."""
    if value is None or value == "":
        return default
    if isinstance(value, str):
        value = value.strip()
        if not re.fullmatch(r"\d{1,9}", value):
            raise ReconcileError(f"{key}: 'limit' must be a positive whole number")
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or value != int(value) or value < 1:
        raise ReconcileError(f"{key}: 'limit' must be a positive whole number")
    return min(int(value), ceiling)


def parse_cursor(value) -> int:
    if value is None or value == "":
        return 0
    if not re.fullmatch(r"\d{1,6}", value.strip()):
        raise ReconcileError("'cursor' must be a whole number, 0 or more")
    return int(value)


def parse_constraints(value, key: str) -> tuple:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ReconcileError(f"{key}: 'properties' must be a list of {{pid, v}} objects")
    if len(value) > MAX_PROPERTIES:
        raise ReconcileError(f"{key}: at most {MAX_PROPERTIES} property constraints")
    constraints = []
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("pid"), str) or "v" not in item:
            raise ReconcileError(f"{key}: each property constraint is an object with 'pid' and 'v'")
        values = item["v"] if isinstance(item["v"], list) else [item["v"]]
        if len(values) > MAX_VALUES:
            raise ReconcileError(f"{key}: at most {MAX_VALUES} values for one property")
        constraints.append(Constraint(_text(item["pid"], key, "pid"), tuple(_value(v, key) for v in values)))
    return tuple(constraints)


def _value(value, key: str):
    if isinstance(value, bool) or (isinstance(value, (int, float)) and math.isfinite(value)):
        return value
    if isinstance(value, str):
        return _text(value, key, "v")
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        name = value.get("name")
        return {"id": _text(value["id"], key, "v.id"),
                "name": _text(name, key, "v.name") if isinstance(name, str) else ""}
    raise ReconcileError(f"{key}: a property value is a string, a number, a boolean or an object with an 'id'")


def _text(value: str, key: str, field: str) -> str:
    if len(value) > MAX_TEXT:
        raise ReconcileError(f"{key}: '{field}' is longer than {MAX_TEXT} characters")
    return value


def parse_extension(text: str) -> ExtensionQuery:
    """A data extension query: {"ids": [...], "properties": [{"id": ..., "settings": {...}}]}."""
    query = load_json(text, "extend")
    if not isinstance(query, dict) or not isinstance(query.get("ids"), list) \
            or not isinstance(query.get("properties"), list):
        raise ReconcileError("extend must be a JSON object with 'ids' (a list) and 'properties' (a list)")
    ids = query["ids"]
    if len(ids) > MAX_EXTEND_IDS:
        raise ReconcileError(f"a data extension query holds at most {MAX_EXTEND_IDS} ids; this one has {len(ids)}", 413)
    if any(not isinstance(i, str) or not i or len(i) > MAX_TEXT for i in ids):
        raise ReconcileError("extend: 'ids' must be non-empty strings")
    properties = query["properties"]
    if len(properties) > MAX_PROPERTIES:
        raise ReconcileError(f"a data extension query asks for at most {MAX_PROPERTIES} properties", 413)
    parsed = []
    for item in properties:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str) or len(item["id"]) > MAX_TEXT:
            raise ReconcileError("extend: each property is an object with an 'id'")
        settings = item.get("settings")
        settings = {} if settings is None else settings
        if not isinstance(settings, dict):
            raise ReconcileError("extend: 'settings' must be an object")
        parsed.append((item["id"], settings))
    return ExtensionQuery(tuple(dict.fromkeys(ids)), tuple(parsed))


def check_callback(name: str | None) -> str | None:
    """A JSONP callback name, or None; anything but a plain JavaScript name is refused."""
    if name is None:
        return None
    if len(name) > MAX_CALLBACK or not CALLBACK.match(name):
        raise ReconcileError("callback must be a JavaScript name (letters, digits, _, $ and .)")
    return name


def check_text(value: str | None, name: str, required: bool = True) -> str:
    if value is None:
        if required:
            raise ReconcileError(f"the '{name}' parameter is required")
        return ""
    if len(value) > MAX_TEXT:
        raise ReconcileError(f"'{name}' is longer than {MAX_TEXT} characters")
    return value
