"""SPARQL 1.1 Protocol checks as pure functions over answers already fetched.

The queries ask about an IRI discovered from the deployment, so a pass means the
endpoint serves this dataset, not only that it speaks the protocol. The update
probe deletes a triple that does not exist: refused is the expected answer, and
even a wrongly accepted probe changes nothing.
"""

import json
from xml.etree import ElementTree

from rdflib import Namespace
from rdflib.namespace import RDF

from .fetch import Answer
from .formats import RDFLIB_FORMATS, Unparsable, parse_document
from .report import Check, failed, passed, skipped, verdict

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
RESULTS_NS = "{http://www.w3.org/2005/sparql-results#}"
JSON_RESULTS = "application/sparql-results+json"
XML_RESULTS = "application/sparql-results+xml"
PROBE = "urn:tdld-selftest:"
BROKEN_QUERY = "SELEC ?s WHERE { ?s ?p ?o"
UPDATE_PROBE = f"DELETE DATA {{ <{PROBE}s> <{PROBE}p> <{PROBE}o> }}"
NAMES = ("sparql-description", "sparql-get-json", "sparql-get-xml", "sparql-post-form", "sparql-post-query",
         "sparql-syntax-400", "sparql-update-refused", "sparql-cors")


def select_about(iri: str) -> str:
    return f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }} LIMIT 5"


def ask_about(iri: str) -> str:
    return f"ASK {{ <{iri}> ?p ?o }}"


def all_skipped(reason: str) -> list[Check]:
    return [skipped(name, reason) for name in NAMES]


def description_check(answer: Answer, how: str) -> Check:
    """GET on the endpoint without a query, asking for RDF: the Service Description, naming its endpoint.

    ``how`` says how the endpoint was found (VoID, or tdld's server's fixed path).
    """
    name = "sparql-description"
    if answer.status != 200:
        return failed(name, f"GET {answer.url} (Accept: text/turtle) answered {answer.describe()}")
    if answer.media_type not in RDFLIB_FORMATS or answer.media_type == "text/html":
        return failed(name, f"Content-Type {answer.media_type or '(none)'}, expected RDF")
    try:
        graph = parse_document(answer.body, answer.media_type, answer.url)
    except Unparsable as error:
        return failed(name, str(error))
    services = list(graph.subjects(RDF.type, SD.Service))
    endpoints = [graph.value(s, SD.endpoint) for s in services]
    if not services or not any(endpoints):
        return failed(name, "no sd:Service with sd:endpoint")
    return passed(name, f"{answer.media_type}, {len(graph)} triples, sd:endpoint <{endpoints[0]}> ({how})")


def _status(name: str, answer: Answer, media_type: str) -> Check | None:
    if answer.status != 200:
        said = answer.body[:120].decode("utf-8", "replace")
        return failed(name, f"{answer.method} answered {answer.describe()}: {said}")
    if answer.media_type != media_type:
        return failed(name, f"Content-Type {answer.media_type or '(none)'}, expected {media_type}")
    return None


def _json(answer: Answer):
    try:
        return json.loads(answer.body)
    except ValueError as error:
        raise Unparsable(f"not valid JSON: {error}") from None


def json_select_check(name: str, answer: Answer) -> Check:
    """SELECT ?p ?o about a known IRI, as SPARQL JSON results: both variables, at least one row."""
    problem = _status(name, answer, JSON_RESULTS)
    if problem:
        return problem
    try:
        data = _json(answer)
        variables = data["head"]["vars"]
        rows = data["results"]["bindings"]
    except (Unparsable, KeyError, TypeError) as error:
        return failed(name, f"not SPARQL JSON results ({error})")
    if sorted(variables) != ["o", "p"] or not rows:
        return failed(name, f"variables {variables}, {len(rows)} rows; expected ?p ?o and at least one row")
    return passed(name, f"{answer.method}: {len(rows)} rows as {JSON_RESULTS}")


def xml_select_check(answer: Answer) -> Check:
    name = "sparql-get-xml"
    problem = _status(name, answer, XML_RESULTS)
    if problem:
        return problem
    try:
        root = ElementTree.fromstring(answer.body)
    except ElementTree.ParseError as error:
        return failed(name, f"not valid XML: {error}")
    results = root.findall(f"{RESULTS_NS}results/{RESULTS_NS}result")
    if root.tag != f"{RESULTS_NS}sparql" or not results:
        return failed(name, f"root {root.tag}, {len(results)} results; expected SPARQL XML results with rows")
    return passed(name, f"GET: {len(results)} rows as {XML_RESULTS}")


def ask_check(name: str, answer: Answer, how: str) -> Check:
    """ASK about a known IRI (sent ``how``): true."""
    problem = _status(name, answer, JSON_RESULTS)
    if problem:
        return problem
    try:
        value = _json(answer).get("boolean")
    except (Unparsable, AttributeError) as error:
        return failed(name, f"not SPARQL JSON results ({error})")
    if value is not True:
        return failed(name, f"ASK answered {value!r}, expected true")
    return passed(name, f"ASK by {how} answered true")


def syntax_check(answer: Answer) -> Check:
    if answer.status != 400:
        return failed("sparql-syntax-400", f"a malformed query answered {answer.describe()}, expected 400")
    return passed("sparql-syntax-400", "a malformed query answered 400")


def update_check(answers: dict) -> Check:
    """Updates, sent as the protocol allows ({how: answer}), are refused with a 4xx."""
    problems = [f"an update by {how} answered {a.describe()}, expected a refusal (403)"
                for how, a in answers.items() if not 400 <= a.status < 500]
    codes = ", ".join(f"{how}: {a.status}" for how, a in answers.items())
    return verdict("sparql-update-refused", problems, f"updates refused ({codes})")


def cors_check(answers: list[Answer], preflight: Answer) -> Check:
    """Query answers allow cross-origin reads; an OPTIONS preflight allows POST."""
    problems = [f"no Access-Control-Allow-Origin on {a.method} ({a.status})"
                for a in answers if a.status and not a.header("access-control-allow-origin")]
    if not 200 <= preflight.status < 300:
        problems.append(f"OPTIONS preflight answered {preflight.describe()}")
    elif "POST" not in preflight.header("access-control-allow-methods").upper():
        problems.append("OPTIONS preflight does not allow POST")
    return verdict("sparql-cors", problems, f"CORS on {len(answers)} answers and the preflight")
