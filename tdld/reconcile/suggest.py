"""Suggest services: entities, types and properties completing what a user types.

A label answers a prefix when it is the same name, starts with it, has a word that starts
with it, or (three characters or more) contains it, in that order of preference; the id
typed in full answers too.
"""

from .entities import Catalogue
from .matching import shorten
from .text import normalise, prefix_rank

KIND_ORDER = {"pref": 0, "alt": 1, "hidden": 2}


def suggest_entities(catalogue: Catalogue, prefix: str, types: list, lang: str, limit: int, cursor: int) -> list:
    needle = normalise(prefix)
    pool = catalogue.members_of(types, "any") if types else catalogue.entities.keys()
    named = catalogue.entity(prefix)
    ranked = []
    for iri in pool:
        entity = catalogue.entities[iri]
        best = None
        if entity is named:
            best = (-1, 0, 0, None)
        for label in entity.labels:
            rank = prefix_rank(needle, label.name)
            if rank is not None:
                key = (rank, KIND_ORDER[label.kind], len(label.name.text), label)
                if best is None or key[:3] < best[:3]:
                    best = key
        if best is not None:
            ranked.append((best, entity))
    ranked.sort(key=lambda item: (item[0][:3], item[1].id))
    result = []
    for (_rank, _kind, _length, label), entity in ranked[cursor:cursor + limit]:
        shown_lang = label.lang if label is not None and label.lang else lang
        name = label.text if label is not None and label.kind != "hidden" else catalogue.knowledge.label(entity.iri, shown_lang)
        types = catalogue.entity_types(entity)
        item = {"id": entity.id, "name": name,
                "notable": [{"id": t.id, "name": t.name} for t in types]}
        description = catalogue.description(entity.iri, shown_lang)
        if description:
            item["description"] = shorten(description, 160)
        result.append(item)
    return result


def suggest_types(catalogue: Catalogue, prefix: str, limit: int, cursor: int) -> list:
    needle = normalise(prefix)
    ranked = []
    for info in catalogue.types.values():
        ranks = [r for r in (prefix_rank(needle, name) for name in info.names) if r is not None]
        if prefix.strip() == info.id or prefix.strip() == info.iri:
            ranks.append(-1)
        if ranks:
            ranked.append(((min(ranks), -len(catalogue.members[info.iri]), info.id), info))
    ranked.sort(key=lambda item: item[0])
    result = []
    for _key, info in ranked[cursor:cursor + limit]:
        item = {"id": info.id, "name": info.name}
        if info.description:
            item["description"] = shorten(info.description, 160)
        if info.broader:
            item["broader"] = [{"id": catalogue.types[b].id, "name": catalogue.types[b].name} for b in info.broader]
        result.append(item)
    return result


def suggest_properties(catalogue: Catalogue, prefix: str, limit: int, cursor: int) -> list:
    needle = normalise(prefix)
    ranked = []
    for position, prop in enumerate(catalogue.properties.values()):
        names = {normalise(prop.name), normalise(prop.id), normalise(prop.id.split(":", 1)[-1])}
        ranks = [r for r in (prefix_rank(needle, name) for name in names) if r is not None]
        if prefix.strip() in (prop.id, prop.predicate):
            ranks.append(-1)
        if ranks:
            ranked.append(((min(ranks), position), prop))
    ranked.sort(key=lambda item: item[0])
    result = []
    for _key, prop in ranked[cursor:cursor + limit]:
        item = {"id": prop.id, "name": prop.name}
        if prop.description:
            item["description"] = shorten(prop.description, 160)
        result.append(item)
    return result
