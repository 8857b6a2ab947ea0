"""What the service matches against: entities, types and properties, read once from a loaded release.

Identifiers (decided once, used everywhere):

- an **entity** is any resource with a thing IRI (``vocab/...`` or ``id/...``); its id is the
  local part of the IRI, so that ``identifierSpace + id`` is the persistent IRI
  (``id/actor/france`` → ``https://w3id.org/territorial-diplomacy/id/actor/france``);
- a **type** or a **property** is named by its CURIE with tdld's predeclared prefixes
  (``tdo:Actor``, ``skos:Concept``, ``tdv:kinds-of-cooperation``, ``skos:broader``), plus a few
  named properties computed from several predicates (``label``, ``description``, ``wikidata``,
  ``eurovoc``, ``date``, ``iri``).

Everything a client sends is looked up in the dictionaries built here; no client string is
ever handed to the store.
"""

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from ..core.namespaces import PREFIXES, compact
from ..read.knowledge import INFERRED, Knowledge
from .text import Name, normalise

RDF = PREFIXES["rdf"]
RDFS = PREFIXES["rdfs"]
SKOS = PREFIXES["skos"]
DCTERMS = PREFIXES["dcterms"]
OWL = PREFIXES["owl"]
TDO = PREFIXES["tdo"]
TIME = PREFIXES["time"]
ELI = PREFIXES["eli"]
FOAF = PREFIXES["foaf"]
BIBO = PREFIXES["bibo"]
SCHEMA = PREFIXES["schema"]
WIKIDATA = PREFIXES["wd"]
EUROVOC = PREFIXES["eurovoc"]
SSSOM = PREFIXES["sssom"]

RDF_TYPE = RDF + "type"
CONCEPT = SKOS + "Concept"
CONCEPT_SCHEME = SKOS + "ConceptScheme"
COLLECTION = SKOS + "Collection"

# Which labels a name is matched against, and how much each kind is worth.
LABEL_KINDS = {
    SKOS + "prefLabel": "pref", RDFS + "label": "pref", FOAF + "name": "pref", DCTERMS + "title": "pref",
    SKOS + "altLabel": "alt", DCTERMS + "alternative": "alt", BIBO + "shortTitle": "alt",
    SKOS + "hiddenLabel": "hidden",
}
DESCRIPTION_PREDICATES = (SKOS + "definition", RDFS + "comment", DCTERMS + "description")
IDENTITY_PREDICATES = (SCHEMA + "sameAs", SKOS + "exactMatch")
DATE_PREDICATES = (TIME + "hasTime", ELI + "date_document", DCTERMS + "issued", DCTERMS + "created", TDO + "startedOn")
INSTANT_DATES = (TIME + "inXSDDate", TIME + "inXSDDateTimeStamp", TIME + "inXSDgYear")

# Names for the classes and predicates of vocabularies tdld reuses but does not label.
NAMES = {
    CONCEPT: "concept", CONCEPT_SCHEME: "concept scheme", COLLECTION: "collection of concepts",
    FOAF + "Person": "person", TIME + "Instant": "date", TIME + "ProperInterval": "period",
    PREFIXES["prov"] + "Agent": "agent", PREFIXES["prov"] + "Activity": "activity",
    PREFIXES["prov"] + "Location": "location", PREFIXES["org"] + "Organization": "organisation",
    PREFIXES["org"] + "FormalOrganization": "formal organisation", ELI + "LegalResource": "legal resource",
    RDF_TYPE: "type", SKOS + "prefLabel": "preferred label", SKOS + "altLabel": "alternative label",
    SKOS + "hiddenLabel": "hidden label", SKOS + "definition": "definition", SKOS + "broader": "broader concept",
    SKOS + "narrower": "narrower concept", SKOS + "related": "related concept", SKOS + "inScheme": "in scheme",
    SKOS + "member": "member", SKOS + "exactMatch": "exact match", SKOS + "closeMatch": "close match",
    SKOS + "broadMatch": "broad match", SKOS + "relatedMatch": "related match", SKOS + "note": "note",
    SKOS + "scopeNote": "scope note", SKOS + "historyNote": "history note", SKOS + "example": "example",
    RDFS + "label": "label", RDFS + "comment": "comment", DCTERMS + "source": "source",
    DCTERMS + "title": "title", DCTERMS + "creator": "creator", DCTERMS + "issued": "issued",
    SCHEMA + "sameAs": "same as", TIME + "hasTime": "time", ELI + "date_document": "date of the document",
    ELI + "passed_by": "passed by", ELI + "id_local": "local identifier", TIME + "inXSDDate": "date (xsd:date)",
    TIME + "inXSDgYear": "year (xsd:gYear)", TIME + "hasBeginning": "beginning", TIME + "hasEnd": "end",
}

# Named properties: computed from several predicates, offered first.
SPECIAL_PROPERTIES = (
    ("label", "name (preferred label)", "label",
     "The preferred label (skos:prefLabel, rdfs:label, foaf:name or dcterms:title), one per language."),
    ("description", "description (definition or comment)", "description",
     "The definition (skos:definition), else the comment (rdfs:comment or dcterms:description)."),
    ("wikidata", "Wikidata ID", "wikidata",
     "The QID of the same item on Wikidata, from the reviewed mappings (schema:sameAs or skos:exactMatch)."),
    ("eurovoc", "EuroVoc descriptor", "eurovoc", "The EuroVoc descriptor IRI this concept exactly matches."),
    ("date", "date", "date", "When: the date of an event (time:hasTime), the adoption of a legal act "
                             "(eli:date_document), the publication of a work, the start of a policy."),
    ("iri", "IRI", "iri", "The persistent IRI of the entity."),
)
# Predicates left out of property proposals (a named property covers them, or they are noise).
NOT_PROPOSED = frozenset(set(LABEL_KINDS) | set(DESCRIPTION_PREDICATES) | set(IDENTITY_PREDICATES) | {
    SKOS + "topConceptOf", SKOS + "hasTopConcept", SKOS + "closeMatch", SKOS + "broadMatch", SKOS + "relatedMatch",
    OWL + "sameAs"})
THING_ROOTS = ("id/", "vocab/")


@dataclass(frozen=True)
class Label:
    text: str
    lang: str
    kind: str          # pref | alt | hidden
    name: Name


@dataclass
class Entity:
    iri: str
    id: str
    labels: list = field(default_factory=list)
    types: set = field(default_factory=set)        # every rdf:type, asserted or inferred
    asserted: set = field(default_factory=set)     # asserted rdf:type only
    predicates: set = field(default_factory=set)   # predicates it has values for


@dataclass(frozen=True)
class TypeInfo:
    iri: str
    id: str
    name: str
    description: str
    kind: str                      # class | scheme | collection
    broader: tuple = ()            # IRIs of direct broader types
    names: tuple = ()              # the type's labels in normal form, for suggest


@dataclass(frozen=True)
class Property:
    id: str
    name: str
    description: str
    kind: str                      # label | description | wikidata | eurovoc | date | iri | type | predicate
    predicate: str | None = None
    range: str | None = None       # type IRI of entity values, when the ontology says


class Catalogue:
    """Entities, types and properties of one release, with lookups by every accepted spelling."""

    def __init__(self, knowledge: Knowledge, base: str):
        self.knowledge = knowledge
        self.base = base if base.endswith("/") else base + "/"
        self.entities: dict[str, Entity] = {}
        self._scan()
        self.types: dict[str, TypeInfo] = {}
        self.members: dict[str, frozenset] = {}
        self._collect_types()
        self.properties: dict[str, Property] = {}
        self._by_predicate: dict[str, Property] = {}
        self._collect_properties()

    # -- identifiers ---------------------------------------------------------------------
    def entity_id(self, iri: str) -> str:
        return iri[len(self.base):] if iri.startswith(self.base) else iri

    def expand(self, text: str) -> str | None:
        """The IRI meant by a full IRI, a CURIE (``actor:france``) or a local part (``id/actor/france``)."""
        text = text.strip()
        if not text:
            return None
        if re.match(r"^https?://", text):
            return text
        prefix, colon, rest = text.partition(":")
        if colon and prefix in PREFIXES:
            return PREFIXES[prefix] + rest
        return self.base + text.lstrip("/")

    def entity(self, text: str) -> Entity | None:
        """The entity an id, IRI or CURIE names, if any."""
        iri = self.expand(text) if isinstance(text, str) else None
        return self.entities.get(iri) if iri else None

    def find_type(self, text: str) -> TypeInfo | None:
        text = text.strip()
        iri = self.expand(text)
        if iri in self.types:
            return self.types[iri]
        if re.fullmatch(r"[A-Za-z][\w-]*", text) and TDO + text in self.types:   # "Actor" for tdo:Actor
            return self.types[TDO + text]
        return None

    def find_property(self, text: str) -> Property | None:
        text = text.strip()
        if text in self.properties:
            return self.properties[text]
        iri = self.expand(text)
        return self._by_predicate.get(iri) if iri else None

    # -- reading the release -------------------------------------------------------------
    def _local_thing(self, iri: str) -> str | None:
        if not iri.startswith(self.base):
            return None
        local = iri[len(self.base):]
        if local.startswith(THING_ROOTS) and "#" not in local:
            return local
        return None

    def _scan(self) -> None:
        store = self.knowledge.store
        for quad in store.quads_for_pattern(None, None, None, None):
            subject = quad.subject
            if not isinstance(subject, ox.NamedNode):
                continue
            local = self._local_thing(subject.value)
            if local is None:
                continue
            entity = self.entities.get(subject.value)
            if entity is None:
                entity = self.entities[subject.value] = Entity(subject.value, local)
            predicate = quad.predicate.value
            entity.predicates.add(predicate)
            value = quad.object
            kind = LABEL_KINDS.get(predicate)
            if kind and isinstance(value, ox.Literal):
                label = Label(value.value, value.language or "", kind, normalise(value.value))
                if label not in entity.labels:
                    entity.labels.append(label)
            elif predicate == RDF_TYPE and isinstance(value, ox.NamedNode):
                entity.types.add(value.value)
                if quad.graph_name != INFERRED:
                    entity.asserted.add(value.value)
        for entity in self.entities.values():
            entity.labels.sort(key=lambda label: ("pref", "alt", "hidden").index(label.kind))

    def objects(self, iri: str, predicate: str) -> list:
        """Distinct objects of one subject and predicate, asserted or inferred, in a stable order."""
        seen = {}
        for quad in self.knowledge.store.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(predicate), None, None):
            seen.setdefault((type(quad.object).__name__, str(quad.object)), quad.object)
        return [seen[key] for key in sorted(seen)]

    def subjects(self, predicate: str, obj: str) -> set:
        return {q.subject.value for q in self.knowledge.store.quads_for_pattern(
            None, ox.NamedNode(predicate), ox.NamedNode(obj), None) if isinstance(q.subject, ox.NamedNode)}

    def _name_of(self, iri: str) -> str:
        if self.knowledge.labels_of(iri):
            return self.knowledge.label(iri, "en")
        if iri in NAMES:
            return NAMES[iri]
        local = re.split(r"[#/]", iri)[-1]
        words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", " ", local).replace("_", " ")
        return words.lower() or compact(iri)

    def _comment_of(self, iri: str) -> str:
        texts = {lit.language or "": lit.value for lit in self.objects(iri, RDFS + "comment")
                 if isinstance(lit, ox.Literal)}
        return texts.get("en") or texts.get("") or next(iter(texts.values()), "")

    def _collect_types(self) -> None:
        classes = set()
        for entity in self.entities.values():
            classes |= entity.types
        classes |= {iri for iri in self.subjects(RDF_TYPE, OWL + "Class") if iri.startswith(TDO)}
        classes.add(CONCEPT)
        members: dict = defaultdict(set)
        for entity in self.entities.values():
            for cls in entity.types:
                members[cls].add(entity.iri)
        for cls in sorted(classes):
            broader = tuple(sorted(o.value for o in self._asserted_objects(cls, RDFS + "subClassOf")
                                   if isinstance(o, ox.NamedNode) and o.value in classes and o.value != cls))
            self._add_type(TypeInfo(cls, compact(cls), self._name_of(cls), self._comment_of(cls), "class", broader),
                           members.get(cls, set()))
        for entity in sorted(self.entities.values(), key=lambda e: e.iri):
            if CONCEPT_SCHEME in entity.asserted:
                inside = self.subjects(SKOS + "inScheme", entity.iri) & set(self.entities)
                self._add_type(TypeInfo(entity.iri, compact(entity.iri), self.knowledge.label(entity.iri, "en"),
                                        "Concepts of the concept scheme.", "scheme", (CONCEPT,)), inside)
            elif COLLECTION in entity.asserted:
                self._add_type(TypeInfo(entity.iri, compact(entity.iri), self.knowledge.label(entity.iri, "en"),
                                        "Concepts of the collection.", "collection", (CONCEPT,)),
                               self._collection_members(entity.iri))

    def _add_type(self, info: TypeInfo, members: set) -> None:
        labels = set(self.knowledge.labels_of(info.iri).values()) | {info.name, info.id, info.id.split(":", 1)[-1]}
        names = tuple(sorted({normalise(text) for text in labels if text}, key=lambda n: n.text))
        self.types[info.iri] = TypeInfo(info.iri, info.id, info.name, info.description, info.kind, info.broader, names)
        self.members[info.iri] = frozenset(members)

    def _asserted_objects(self, iri: str, predicate: str) -> list:
        return [q.object for q in self.knowledge.store.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(predicate),
                                                                         None, None) if q.graph_name != INFERRED]

    def _collection_members(self, iri: str) -> set:
        found, todo, seen = set(), [iri], set()
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            for member in self.objects(current, SKOS + "member"):
                if isinstance(member, ox.NamedNode):
                    found.add(member.value)
                    todo.append(member.value)
        return found & set(self.entities)

    def _collect_properties(self) -> None:
        for pid, name, kind, description in SPECIAL_PROPERTIES:
            self.properties[pid] = Property(pid, name, description, kind)
        used = set()
        for entity in self.entities.values():
            used |= entity.predicates
        for predicate in sorted(used):
            if predicate.startswith(SSSOM):
                continue
            ranges = [o.value for o in self.objects(predicate, RDFS + "range")
                      if isinstance(o, ox.NamedNode) and o.value in self.types]
            kind = "type" if predicate == RDF_TYPE else "predicate"
            if predicate in (SKOS + "broader", SKOS + "narrower", SKOS + "related"):
                ranges = [CONCEPT]
            prop = Property(compact(predicate), self._name_of(predicate), self._comment_of(predicate), kind,
                            predicate, ranges[0] if ranges else None)
            self.properties.setdefault(prop.id, prop)
            self._by_predicate[predicate] = self.properties[prop.id]

    # -- questions the service asks ---------------------------------------------------------
    def members_of(self, types: list, strict: str) -> set:
        """Entities of any of the types (``all``: of every type)."""
        sets = [self.members[t.iri] for t in types]
        if strict == "all":
            return set.intersection(*map(set, sets)) if sets else set()
        return set().union(*sets)

    def entity_types(self, entity: Entity) -> list[TypeInfo]:
        """The entity's asserted types that the service knows, most specific first."""
        types = [self.types[t] for t in entity.asserted if t in self.types]
        return sorted(types, key=lambda t: (len(self.members[t.iri]), t.id))

    def description(self, iri: str, lang: str) -> str:
        for predicate in DESCRIPTION_PREDICATES:
            texts = {lit.language or "": lit.value for lit in self.objects(iri, predicate) if isinstance(lit, ox.Literal)}
            for candidate in (lang, "en", "fr", "de", ""):
                if candidate in texts:
                    return texts[candidate]
            if texts:
                return next(iter(texts.values()))
        return ""

    def proposal_counts(self, entities: set) -> Counter:
        """How many of the entities have a value for each predicate."""
        counts: Counter = Counter()
        for iri in entities:
            counts.update(self.entities[iri].predicates)
        return counts
