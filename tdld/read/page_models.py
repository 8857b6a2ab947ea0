"""View models for the pages: plain dicts built from the Knowledge, no Flask, no HTML."""

from collections import defaultdict

import pyoxigraph as ox

from ..core.namespaces import PREFIXES, compact, graph_iri
from .knowledge import Knowledge

SKOS = PREFIXES["skos"]
RDFS = PREFIXES["rdfs"]
OWL = PREFIXES["owl"]
RDF = PREFIXES["rdf"]
DCTERMS = PREFIXES["dcterms"]
TDO = PREFIXES["tdo"]

# Predicates shown with a heading of their own on a resource page.
DEFINITION = SKOS + "definition"
COMMENT = RDFS + "comment"
MAPPINGS = (SKOS + "exactMatch", SKOS + "closeMatch", SKOS + "broadMatch", SKOS + "narrowMatch",
            SKOS + "relatedMatch", "http://schema.org/sameAs")
LABELS = (SKOS + "prefLabel", SKOS + "altLabel", SKOS + "hiddenLabel", RDFS + "label")


def text_in(literals: list, lang: str) -> str | None:
    """The literal in ``lang``, else English, else any."""
    by_lang = {getattr(lit, "language", None) or "": lit.value for lit in literals}
    for candidate in (lang, "en", "fr", "de", ""):
        if candidate in by_lang:
            return by_lang[candidate]
    return next(iter(by_lang.values()), None)


def term_view(knowledge: Knowledge, term, lang: str, urls) -> dict:
    """How one RDF term is shown: a link with a label, or a literal with its language."""
    if isinstance(term, ox.NamedNode):
        iri = term.value
        return {"kind": "iri", "iri": iri, "label": knowledge.label(iri, lang), "href": urls.href(iri),
                "external": urls.page_path(iri) is None, "curie": compact(iri)}
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value if term.datatype else ""
        short = compact(datatype) if datatype and not term.language else ""
        if short in ("xsd:string", "rdf:langString"):
            short = ""
        return {"kind": "literal", "text": term.value, "lang": term.language or "", "datatype": short}
    return {"kind": "blank", "text": "(anonymous node)"}


REPLACED_BY = (DCTERMS + "isReplacedBy", TDO + "replacedBy")


def retirement(knowledge: Knowledge, iri: str, lang: str, urls) -> dict | None:
    """For a deprecated term, the terms that replace it (links); None for a term in use."""
    node = ox.NamedNode(iri)
    deprecated = any(isinstance(q.object, ox.Literal) and q.object.value in ("true", "1")
                     for q in knowledge.store.quads_for_pattern(node, ox.NamedNode(OWL + "deprecated"), None, None))
    if not deprecated:
        return None
    replacements = {q.object.value for predicate in REPLACED_BY
                    for q in knowledge.store.quads_for_pattern(node, ox.NamedNode(predicate), None, None)
                    if isinstance(q.object, ox.NamedNode)}
    return {"replacements": [{"iri": r, "label": knowledge.label(r, lang), "href": urls.href(r)}
                             for r in sorted(replacements)]}


def cited(knowledge: Knowledge, statement, lang: str, urls) -> list[dict]:
    """The sources that state one value, with where in them: what a reader needs to check it."""
    return [term_view(knowledge, ox.NamedNode(source), lang, urls) | {"locator": locator}
            for source, locator in statement.sources]


def resource_view(knowledge: Knowledge, iri: str, lang: str, urls, asserted_only: bool = False) -> dict:
    description = knowledge.describe(iri, asserted_only)
    grouped: dict = defaultdict(list)
    for statement in description.outgoing:
        grouped[statement.predicate].append(statement)
    labels = []
    for predicate in LABELS:
        for statement in grouped.get(predicate, []):
            labels.append({"kind": compact(predicate).split(":")[1], "text": statement.value.value,
                           "lang": statement.value.language or ""})
    definitions = [s.value for s in grouped.get(DEFINITION, [])] or [s.value for s in grouped.get(COMMENT, [])]
    evidence = mapping_evidence(knowledge, iri)
    mappings = []
    for predicate in MAPPINGS:
        for statement in grouped.get(predicate, []):
            view = term_view(knowledge, statement.value, lang, urls) | {"relation": compact(predicate)}
            found = evidence.get(view.get("iri"), {})
            if found.get("label"):
                view["label"] = found["label"]
            view["evidence"] = found
            mappings.append(view)
    shown = set(LABELS) | {DEFINITION, COMMENT} | set(MAPPINGS)
    properties = []
    for predicate in sorted(grouped, key=lambda p: (p != RDF + "type", knowledge.label(p, lang).casefold())):
        if predicate in shown:
            continue
        properties.append({
            "predicate": term_view(knowledge, ox.NamedNode(predicate), lang, urls),
            "values": [term_view(knowledge, s.value, lang, urls) | {"inferred": s.inferred,
                                                                   "sources": cited(knowledge, s, lang, urls)}
                       for s in grouped[predicate]],
        })
    inbound = defaultdict(list)
    for source, predicate, inferred in description.inbound:
        inbound[predicate].append(term_view(knowledge, ox.NamedNode(source), lang, urls) | {"inferred": inferred})
    return {
        "iri": iri,
        "curie": compact(iri),
        "title": knowledge.label(iri, lang),
        "types": [term_view(knowledge, ox.NamedNode(t), lang, urls) for t in knowledge.types_of(iri)],
        "labels": labels,
        "definition": text_in(definitions, lang) if definitions else None,
        "definitions": [{"text": d.value, "lang": d.language or ""} for d in definitions],
        "mappings": mappings,
        "properties": properties,
        "inbound": [{"predicate": term_view(knowledge, ox.NamedNode(p), lang, urls), "subjects": subs}
                    for p, subs in sorted(inbound.items())],
        "inbound_truncated": description.inbound_truncated,
        "has_inferred": any(s.inferred for s in description.outgoing) or any(i for _s, _p, i in description.inbound),
        "is_concept": SKOS + "Concept" in knowledge.types_of(iri),
    }


def mapping_evidence(knowledge: Knowledge, iri: str) -> dict:
    """Object IRI → label, justification, confidence, reviewer and mapping set, from the SSSOM records."""
    rows = knowledge.select(f"""
        SELECT ?object ?label ?why ?confidence ?reviewer ?set WHERE {{
          ?m sssom:subject_id <{iri}> ; sssom:object_id ?object ; sssom:mapping_justification ?why ;
             sssom:confidence ?confidence .
          OPTIONAL {{ ?m sssom:object_label ?label }} OPTIONAL {{ ?m sssom:reviewer_label ?reviewer }}
          OPTIONAL {{ ?set sssom:mappings ?m }}
        }}""")
    return {row["object"].value: {
        "label": row["label"].value if row["label"] is not None else "",
        "justification": compact(row["why"].value), "confidence": row["confidence"].value,
        "reviewer": row["reviewer"].value if row["reviewer"] is not None else "",
        "set": row["set"].value if row["set"] is not None else "",
    } for row in rows}


def concept_tree(knowledge: Knowledge, lang: str, urls) -> list:
    """Top concepts with their narrower concepts, recursively, sorted by label."""
    rows = knowledge.select("""
        SELECT ?concept ?broader WHERE {
          ?concept a skos:Concept . OPTIONAL { ?concept skos:broader ?broader }
        }""")
    children = defaultdict(set)
    tops = set()
    for row in rows:
        concept = row["concept"].value
        if row["broader"] is None:
            tops.add(concept)
        else:
            children[row["broader"].value].add(concept)

    def node(iri: str, depth: int, seen: frozenset) -> dict:
        kids = [] if iri in seen or depth > 10 else sorted(children.get(iri, ()), key=lambda c: knowledge.label(c, lang).casefold())
        return {"iri": iri, "label": knowledge.label(iri, lang), "href": urls.href(iri),
                "children": [node(k, depth + 1, seen | {iri}) for k in kids]}

    return [node(t, 0, frozenset()) for t in sorted(tops, key=lambda c: knowledge.label(c, lang).casefold())]


def collections(knowledge: Knowledge, lang: str, urls) -> list:
    rows = knowledge.select("SELECT ?collection ?member WHERE { ?collection a skos:Collection ; skos:member ?member }")
    members = defaultdict(list)
    for row in rows:
        members[row["collection"].value].append(row["member"].value)
    return [{"iri": c, "label": knowledge.label(c, lang), "href": urls.href(c),
             "members": sorted(({"label": knowledge.label(m, lang), "href": urls.href(m)} for m in ms),
                               key=lambda m: m["label"].casefold())}
            for c, ms in sorted(members.items(), key=lambda item: knowledge.label(item[0], lang).casefold())]


def ontology_view(knowledge: Knowledge, lang: str, urls) -> dict:
    graph = f"<{graph_iri('ontology')}>"
    classes = knowledge.select(f"SELECT ?c WHERE {{ GRAPH {graph} {{ ?c a owl:Class }} FILTER(isIRI(?c)) }}")
    supers = knowledge.select(f"SELECT ?c ?s WHERE {{ GRAPH {graph} {{ ?c rdfs:subClassOf ?s }} }}")
    props = knowledge.select(f"""
        SELECT ?p ?domain ?range ?inverse WHERE {{ GRAPH {graph} {{
          ?p a ?kind FILTER(?kind IN (owl:ObjectProperty, owl:DatatypeProperty))
          OPTIONAL {{ ?p rdfs:domain ?domain }} OPTIONAL {{ ?p rdfs:range ?range }}
          OPTIONAL {{ {{ ?p owl:inverseOf ?inverse }} UNION {{ ?inverse owl:inverseOf ?p }} }}
        }} }}""")
    characteristics = knowledge.select(f"""
        SELECT ?p ?kind WHERE {{ GRAPH {graph} {{ ?p a ?kind
          FILTER(?kind IN (owl:TransitiveProperty, owl:SymmetricProperty, owl:FunctionalProperty)) }} }}""")
    examples = knowledge.select(f"""
        SELECT ?p (SAMPLE(?s) AS ?subject) (SAMPLE(?o) AS ?object) WHERE {{
          GRAPH <{graph_iri('data')}> {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?p), "{TDO}")) }} GROUP BY ?p""")
    disjoint = knowledge.select(f"""
        SELECT ?axiom ?member WHERE {{ GRAPH {graph} {{ ?axiom a owl:AllDisjointClasses ; owl:members/rdf:rest*/rdf:first ?member }} }}""")

    def link(iri: str) -> dict:
        return {"iri": iri, "label": knowledge.label(iri, lang), "href": urls.href(iri), "curie": compact(iri)}

    sub_of = defaultdict(set)
    super_of = defaultdict(set)
    for row in supers:
        if isinstance(row["s"], ox.NamedNode) and isinstance(row["c"], ox.NamedNode):
            sub_of[row["c"].value].add(row["s"].value)
            super_of[row["s"].value].add(row["c"].value)
    by_domain = defaultdict(set)
    prop_info: dict = {}
    for row in props:
        p = row["p"].value
        info = prop_info.setdefault(p, {"domain": set(), "range": set(), "inverse": set(), "characteristics": set()})
        for key in ("domain", "range", "inverse"):
            if row[key] is not None and isinstance(row[key], ox.NamedNode):
                info[key].add(row[key].value)
        if row["domain"] is not None:
            by_domain[row["domain"].value].add(p)
    for row in characteristics:
        if row["p"].value in prop_info:
            prop_info[row["p"].value]["characteristics"].add(compact(row["kind"].value).split(":")[1])
    example_of = {row["p"].value: (row["subject"], row["object"]) for row in examples}
    disjoint_with = defaultdict(set)
    groups = defaultdict(set)
    for row in disjoint:
        groups[str(row["axiom"])].add(row["member"].value)
    for members in groups.values():
        for m in members:
            disjoint_with[m] |= members - {m}
    class_views = []
    for row in sorted(classes, key=lambda r: compact(r["c"].value)):
        c = row["c"].value
        class_views.append(link(c) | {
            "anchor": c.rsplit("#", 1)[-1],
            "comment": text_in(_literals(knowledge, c, COMMENT), lang),
            "superclasses": [link(s) for s in sorted(sub_of.get(c, ()))],
            "subclasses": [link(s) for s in sorted(super_of.get(c, ()))],
            "properties": [link(p) for p in sorted(by_domain.get(c, ()))],
            "disjoint": [link(d) for d in sorted(disjoint_with.get(c, ()))],
        })
    property_views = []
    for p, info in sorted(prop_info.items(), key=lambda item: compact(item[0])):
        example = example_of.get(p)
        property_views.append(link(p) | {
            "anchor": p.rsplit("#", 1)[-1],
            "comment": text_in(_literals(knowledge, p, COMMENT), lang),
            "domain": [link(d) for d in sorted(info["domain"])],
            "range": [link(r) for r in sorted(info["range"])],
            "inverse": [link(i) for i in sorted(info["inverse"])],
            "characteristics": sorted(info["characteristics"]),
            "example": [term_view(knowledge, example[0], lang, urls), term_view(knowledge, example[1], lang, urls)] if example else None,
        })
    header = knowledge.select(f"""
        SELECT ?o ?version ?title WHERE {{ GRAPH {graph} {{ ?o a owl:Ontology ; owl:versionInfo ?version ; dcterms:title ?title }} }}""")
    return {"classes": class_views, "properties": property_views,
            "title": text_in([r["title"] for r in header], lang) if header else "Ontology",
            "version": header[0]["version"].value if header else ""}


def _literals(knowledge: Knowledge, iri: str, predicate: str) -> list:
    return [q.object for q in knowledge.store.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(predicate), None, None)
            if isinstance(q.object, ox.Literal)]


def individuals_by_type(knowledge: Knowledge, lang: str, urls) -> list:
    rows = knowledge.select(f"""
        SELECT ?s ?type WHERE {{ GRAPH <{graph_iri('data')}> {{ ?s a ?type }} FILTER(isIRI(?s)) }}""")
    groups = defaultdict(list)
    for row in rows:
        groups[row["type"].value].append(row["s"].value)
    return [{"type": {"label": knowledge.label(t, lang), "href": urls.href(t), "curie": compact(t)},
             "members": sorted(({"label": knowledge.label(m, lang), "href": urls.href(m)} for m in set(ms)),
                               key=lambda m: m["label"].casefold())}
            for t, ms in sorted(groups.items(), key=lambda item: knowledge.label(item[0], lang).casefold())]


def timeline(knowledge: Knowledge, lang: str, urls) -> list:
    """Dated events, legal acts and policy starts and ends, in date order."""
    rows = knowledge.select("""
        SELECT DISTINCT ?thing ?date ?what WHERE {
          {
            ?thing eli:date_document ?date . BIND("adopted" AS ?what)
          } UNION {
            ?thing eli:first_date_entry_in_force ?date . BIND("in force" AS ?what)
          } UNION {
            ?thing tdo:startedOn/(time:inXSDDate|time:inXSDgYear) ?date . BIND("started" AS ?what)
          } UNION {
            ?thing tdo:endedOn/(time:inXSDDate|time:inXSDgYear) ?date . BIND("ended" AS ?what)
          } UNION {
            ?thing a tdo:Event ; time:hasTime ?t .
            { ?t time:inXSDDate|time:inXSDgYear ?date } UNION { ?t time:hasBeginning/(time:inXSDDate|time:inXSDgYear) ?date }
            BIND("event" AS ?what)
          }
        }""")
    entries = []
    for row in rows:
        date = row["date"].value
        entries.append({"date": date, "year": int(date[:4]), "what": row["what"].value,
                        "iri": row["thing"].value, "label": knowledge.label(row["thing"].value, lang),
                        "href": urls.href(row["thing"].value),
                        "kind": "act" if row["what"].value in ("adopted", "in force") else
                                "event" if row["what"].value == "event" else "policy"})
    entries.sort(key=lambda e: (e["date"], e["label"]))
    return entries


def sources(knowledge: Knowledge, lang: str, urls) -> list:
    rows = knowledge.select("""
        SELECT ?work (SAMPLE(?citation) AS ?cite) (COUNT(DISTINCT ?user) AS ?uses) WHERE {
          { ?work a bibo:Document } UNION { ?work a ?cls . VALUES ?cls { bibo:Article bibo:AcademicArticle bibo:Book bibo:Journal bibo:Periodical bibo:Website } }
          OPTIONAL { ?work dcterms:bibliographicCitation ?citation }
          OPTIONAL { ?user dcterms:source ?work }
        } GROUP BY ?work""")
    works = [{"label": knowledge.label(r["work"].value, lang), "href": urls.href(r["work"].value),
              "citation": r["cite"].value if r["cite"] is not None else "", "uses": int(r["uses"].value)}
             for r in rows]
    records = knowledge.select("""
        SELECT ?record (COUNT(DISTINCT ?user) AS ?uses) WHERE {
          ?user dcterms:source ?record . FILTER(isIRI(?record) && !STRSTARTS(STR(?record), "https://w3id.org/territorial-diplomacy/"))
        } GROUP BY ?record ORDER BY ?record""")
    official = [{"iri": r["record"].value, "uses": int(r["uses"].value)} for r in records]
    return [sorted(works, key=lambda w: w["label"].casefold()), official]


def mapping_rows(knowledge: Knowledge, set_iri: str, lang: str, urls) -> list:
    rows = knowledge.select(f"""
        SELECT ?m ?s ?p ?o ?why ?confidence ?author ?reviewer ?date ?comment WHERE {{
          <{set_iri}> sssom:mappings ?m .
          ?m sssom:subject_id ?s ; sssom:predicate_id ?p ; sssom:object_id ?o ;
             sssom:mapping_justification ?why ; sssom:confidence ?confidence ; sssom:mapping_date ?date .
          OPTIONAL {{ ?m sssom:author_label ?author }} OPTIONAL {{ ?m sssom:reviewer_label ?reviewer }}
          OPTIONAL {{ ?m sssom:comment ?comment }}
        }} ORDER BY ?s ?o""")
    result = []
    for row in rows:
        result.append({
            "anchor": row["m"].value.rsplit("#", 1)[-1],
            "subject": term_view(knowledge, row["s"], lang, urls),
            "predicate": compact(row["p"].value),
            "object": term_view(knowledge, row["o"], lang, urls),
            "justification": compact(row["why"].value),
            "confidence": row["confidence"].value,
            "author": row["author"].value if row["author"] is not None else "",
            "reviewer": row["reviewer"].value if row["reviewer"] is not None else "",
            "date": row["date"].value,
            "comment": row["comment"].value if row["comment"] is not None else "",
        })
    return result


EGTC_QUERY = """
SELECT ?egtc (MIN(SUBSTR(STR(?date), 1, 4)) AS ?year) (GROUP_CONCAT(DISTINCT ?code; separator=" ") AS ?countries)
WHERE {
  ?egtc a tdo:EuropeanGroupingOfTerritorialCooperation .
  OPTIONAL { ?egtc tdo:establishmentDate ?date }
  OPTIONAL { ?egtc tdo:memberCountry ?country BIND(STRAFTER(STR(?country), "/country/") AS ?code) }
}
GROUP BY ?egtc
"""


def egtcs(knowledge: Knowledge, lang: str, urls) -> dict:
    """The EGTCs with the earliest year a source gives and their members' countries; per year, and per pair of countries."""
    rows = []
    for solution in knowledge.select(EGTC_QUERY):
        iri = solution["egtc"].value
        year = solution["year"].value if solution["year"] else ""
        countries = sorted(solution["countries"].value.split()) if solution["countries"] else []
        rows.append({"iri": iri, "href": urls.href(iri), "label": knowledge.label(iri, lang), "year": year,
                     "countries": countries})
    rows.sort(key=lambda r: (r["year"] or "9999", r["label"].casefold()))
    years = sorted({r["year"] for r in rows if r["year"]})
    per_year = [(y, sum(1 for r in rows if r["year"] == y)) for y in years]
    pairs: dict = {}
    for r in rows:
        for a in r["countries"]:
            for b in r["countries"]:
                pairs[(a, b)] = pairs.get((a, b), 0) + 1
    countries = sorted({c for r in rows for c in r["countries"]}, key=lambda c: (-pairs.get((c, c), 0), c))
    return {"rows": rows, "per_year": per_year, "pairs": pairs, "countries": countries}
