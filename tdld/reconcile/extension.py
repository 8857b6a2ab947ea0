"""Data extension: property values for reconciled entities, and which properties to propose for a type.

Values are shaped as the protocol asks: ``{"id", "name"}`` for tdld entities (ids in the
service's identifier space), ``{"str"}`` for texts, identifiers and IRIs elsewhere (the
Wikidata QID is ``{"str": "Q142"}``), ``{"date"}`` for full dates (ISO 8601, midnight UTC),
``{"str": "2004"}`` for a year alone (a year is not a day), ``{"int"}``, ``{"float"}``,
``{"bool"}``. Every requested id gets a row and every row every requested property, empty
when there is nothing to say (OpenRefine expects both).
"""

from .entities import CONCEPT, NOT_PROPOSED, Catalogue, Property
from .errors import ReconcileError
from .protocol import ExtensionQuery
from .values import Value, values_of

LANG_CHOICES = (("en", "English"), ("fr", "French"), ("de", "German"), ("all", "every language"))
PROPERTY_SETTINGS = [
    {"name": "lang", "label": "Language", "type": "select", "default": "en",
     "help_text": "Language of labels, definitions and names of linked entities",
     "choices": [{"value": value, "name": name} for value, name in LANG_CHOICES]},
    {"name": "limit", "label": "Limit", "type": "number", "default": 0,
     "help_text": "Maximum number of values for each entity (0 for all of them)"},
]
DEFAULT_PROPOSALS = 25


def read_settings(settings: dict, pid: str) -> tuple[str, int]:
    lang = settings.get("lang", "en") or "en"
    if not isinstance(lang, str) or lang not in {value for value, _name in LANG_CHOICES}:
        raise ReconcileError(f"extend: setting 'lang' of {pid!r} must be one of en, fr, de, all")
    limit = settings.get("limit", 0)
    if isinstance(limit, str) and limit.strip().isdigit():
        limit = int(limit.strip())
    if isinstance(limit, bool) or not isinstance(limit, (int, float)) or not 0 <= limit <= 10_000 or limit != int(limit):
        raise ReconcileError(f"extend: setting 'limit' of {pid!r} must be a whole number, 0 or more")
    return lang, int(limit)


def shaped(catalogue: Catalogue, value: Value, lang: str) -> dict:
    if value.kind == "entity":
        return {"id": catalogue.entity_id(value.value),
                "name": catalogue.knowledge.label(value.value, "en" if lang == "all" else lang)}
    if value.kind == "type":
        return {"str": catalogue.types[value.value].name}
    if value.kind == "date":
        return {"date": f"{value.value}T00:00:00Z"}
    if value.kind in ("int", "float", "bool"):
        return {value.kind: value.value}
    return {"str": str(value.value)}


def extend(catalogue: Catalogue, query: ExtensionQuery) -> dict:
    """The data extension response for one query."""
    columns = []
    for pid, settings in query.properties:
        prop = catalogue.find_property(pid)
        if prop is None:
            raise ReconcileError(f"extend: unknown property {pid!r}; /reconcile/suggest/property lists the properties")
        columns.append((pid, prop, *read_settings(settings, pid)))
    meta = []
    for pid, prop, _lang, _limit in columns:
        column = {"id": pid, "name": prop.name}
        if prop.range and prop.range in catalogue.types:
            column["type"] = {"id": catalogue.types[prop.range].id, "name": catalogue.types[prop.range].name}
        meta.append(column)
    rows = {}
    for ident in query.ids:
        entity = catalogue.entity(ident)
        row = {}
        for pid, prop, lang, limit in columns:
            found = values_of(catalogue, entity, prop, lang) if entity else []
            cells = []
            for value in found:
                cell = shaped(catalogue, value, lang)
                if cell not in cells:
                    cells.append(cell)
            row[pid] = cells[:limit] if limit else cells
        rows[ident] = row
    return {"meta": meta, "rows": rows}


def propose(catalogue: Catalogue, type_text: str | None, limit: int | None) -> dict:
    """Properties worth fetching for entities of a type: the named ones that apply, then by use."""
    if type_text:
        info = catalogue.find_type(type_text)
        if info is None:
            raise ReconcileError(f"unknown type {type_text!r}; /reconcile/suggest/type lists the types")
        members = set(catalogue.members[info.iri])
    else:
        info, members = None, set(catalogue.entities)
    counts = catalogue.proposal_counts(members)
    proposed = [p for p in catalogue.properties.values() if p.kind not in ("predicate", "type")
                and _applies(catalogue, p, members, counts)]
    used = sorted((p for p in catalogue.properties.values() if p.kind in ("predicate", "type")
                   and p.predicate in counts and _proposable(p)),
                  key=lambda p: (-counts[p.predicate], p.id))
    chosen = (proposed + used)[:limit or DEFAULT_PROPOSALS]
    answer = {"properties": [_described(p) for p in chosen]}
    if type_text:
        answer["type"] = type_text
    if limit:
        answer["limit"] = limit
    return answer


def _described(prop: Property) -> dict:
    item = {"id": prop.id, "name": prop.name}
    if prop.description:
        item["description"] = prop.description
    return item


def _proposable(prop: Property) -> bool:
    return prop.predicate not in NOT_PROPOSED


def _applies(catalogue: Catalogue, prop: Property, members: set, counts) -> bool:
    if prop.kind in ("label", "iri"):
        return True
    if prop.kind == "eurovoc":
        concepts = members & catalogue.members.get(CONCEPT, frozenset())
        return any(values_of(catalogue, catalogue.entities[m], prop) for m in concepts)
    return any(values_of(catalogue, catalogue.entities[m], prop) for m in members)
