"""The values of a property on an entity, typed, for data extension and property constraints."""

from dataclasses import dataclass

import pyoxigraph as ox

from ..core.namespaces import compact
from .entities import (
    DATE_PREDICATES,
    DESCRIPTION_PREDICATES,
    EUROVOC,
    IDENTITY_PREDICATES,
    INSTANT_DATES,
    LABEL_KINDS,
    PREFIXES,
    WIKIDATA,
    Catalogue,
    Entity,
    Property,
)
from .text import normalise

XSD = PREFIXES["xsd"]
DATE_TYPES = {XSD + "date": "date", XSD + "dateTime": "date", XSD + "dateTimeStamp": "date", XSD + "gYear": "year"}
INTEGER_TYPES = {XSD + t for t in ("integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger")}
FLOAT_TYPES = {XSD + t for t in ("decimal", "double", "float")}
LANGUAGES = ("en", "fr", "de")


@dataclass(frozen=True)
class Value:
    """One value: ``entity`` (ours, by IRI), ``iri`` (elsewhere), ``type``, ``str``, ``date``, ``year``,
    ``int``, ``float`` or ``bool``."""

    kind: str
    value: object
    lang: str = ""


def in_language(literals: list, lang: str) -> list:
    """``all``: every literal; otherwise the ones in ``lang`` (or untagged), else the best other language."""
    if lang == "all":
        return literals
    chosen = [lit for lit in literals if (lit.language or "") in (lang, "")]
    if chosen:
        return chosen
    for fallback in LANGUAGES:
        chosen = [lit for lit in literals if lit.language == fallback]
        if chosen:
            return chosen
    return literals[:1]


def literal_value(literal: ox.Literal) -> Value:
    datatype = literal.datatype.value if literal.datatype else ""
    text = literal.value
    if datatype in DATE_TYPES:
        return Value(DATE_TYPES[datatype], text[:10] if DATE_TYPES[datatype] == "date" else text[:4])
    try:
        if datatype in INTEGER_TYPES:
            return Value("int", int(text))
        if datatype in FLOAT_TYPES:
            return Value("float", float(text))
    except ValueError:
        return Value("str", text)
    if datatype == XSD + "boolean":
        return Value("bool", text in ("true", "1"))
    return Value("str", text, literal.language or "")


def term_value(catalogue: Catalogue, term) -> Value | None:
    if isinstance(term, ox.Literal):
        return literal_value(term)
    if isinstance(term, ox.NamedNode):
        if term.value in catalogue.entities:
            return Value("entity", term.value)
        return Value("iri", term.value)
    return None


def values_of(catalogue: Catalogue, entity: Entity, prop: Property, lang: str = "en",
              for_matching: bool = False) -> list[Value]:
    """The values of ``prop`` on ``entity``; ``lang`` filters texts (``all`` keeps every language)."""
    iri = entity.iri
    if prop.kind == "iri":
        return [Value("str", iri)]
    if prop.kind == "label":
        literals = [lit for predicate, kind in LABEL_KINDS.items() if kind == "pref"
                    for lit in catalogue.objects(iri, predicate) if isinstance(lit, ox.Literal)]
        return _texts(in_language(_one_per_language(literals), lang))
    if prop.kind == "description":
        for predicate in DESCRIPTION_PREDICATES:
            literals = [lit for lit in catalogue.objects(iri, predicate) if isinstance(lit, ox.Literal)]
            if literals:
                return _texts(in_language(literals, lang))
        return []
    if prop.kind == "wikidata":
        return _mapped(catalogue, iri, WIKIDATA, strip=True)
    if prop.kind == "eurovoc":
        return _mapped(catalogue, iri, EUROVOC, strip=False)
    if prop.kind == "date":
        return _dates(catalogue, entity)
    if prop.kind == "type":
        types = entity.types if for_matching else entity.asserted
        return [Value("type", t) for t in sorted(types) if t in catalogue.types]
    found = []
    literals = []
    for term in catalogue.objects(iri, prop.predicate):
        if isinstance(term, ox.Literal) and (term.language or ""):
            literals.append(term)
        else:
            value = term_value(catalogue, term)
            if value is not None:
                found.append(value)
    return found + _texts(in_language(literals, lang) if literals else [])


def _texts(literals: list) -> list[Value]:
    return [Value("str", lit.value, lit.language or "") for lit in literals]


def _one_per_language(literals: list) -> list:
    """The first label in each language (prefLabel before rdfs:label, foaf:name, dcterms:title)."""
    seen = {}
    for literal in literals:
        seen.setdefault(literal.language or "", literal)
    return list(seen.values())


def _mapped(catalogue: Catalogue, iri: str, namespace: str, strip: bool) -> list[Value]:
    targets = sorted({term.value for predicate in IDENTITY_PREDICATES for term in catalogue.objects(iri, predicate)
                      if isinstance(term, ox.NamedNode) and term.value.startswith(namespace)})
    return [Value("str", target[len(namespace):] if strip else target) for target in targets]


def _dates(catalogue: Catalogue, entity: Entity) -> list[Value]:
    found = []
    if PREFIXES["time"] + "Instant" in entity.types:
        found += _instant_dates(catalogue, entity.iri)
    for predicate in DATE_PREDICATES:
        for term in catalogue.objects(entity.iri, predicate):
            if isinstance(term, ox.Literal):
                value = literal_value(term)
                if value.kind in ("date", "year"):
                    found.append(value)
            elif isinstance(term, ox.NamedNode):
                found += _instant_dates(catalogue, term.value)
    unique = []
    for value in found:
        if value not in unique:
            unique.append(value)
    return unique


def _instant_dates(catalogue: Catalogue, iri: str) -> list[Value]:
    return [literal_value(term) for predicate in INSTANT_DATES for term in catalogue.objects(iri, predicate)
            if isinstance(term, ox.Literal)]


def value_keys(catalogue: Catalogue, value: Value, prop: Property) -> tuple[set, list]:
    """(identifiers, names) under which a value of ``prop`` can be recognised in a property constraint;
    only texts and entities have names to compare loosely."""
    if value.kind in ("entity", "iri", "type"):
        iri = value.value
        ids = {iri, compact(iri), catalogue.entity_id(iri)}
        names = [normalise(text) for text in catalogue.knowledge.labels_of(iri).values()]
        if value.kind == "type" and iri in catalogue.types:
            names.append(normalise(catalogue.types[iri].name))
        return ids, names
    text = str(value.value).lower() if value.kind == "bool" else str(value.value)
    ids = {text, text.upper()}
    if prop.kind == "wikidata":
        ids |= {WIKIDATA + text, "wd:" + text}
    elif prop.kind == "eurovoc":
        ids |= {text[len(EUROVOC):], compact(text)}
    return ids, [normalise(text)] if value.kind == "str" and prop.kind not in ("wikidata", "eurovoc", "iri") else []
