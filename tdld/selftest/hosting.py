"""What any host of tdld must get right besides the data: page assets, hidden rules, releases.

Pure verdicts over fetched answers; ``runner`` does the fetching.
"""

import re

from rdflib import URIRef
from rdflib.namespace import OWL

from .fetch import Answer
from .formats import Unparsable, parse_document
from .report import failed, passed, skipped

ASSET = re.compile(r'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src)="([^"]+)"')
ASSET_TYPES = {".css": ("text/css",), ".js": ("application/javascript", "text/javascript")}
RULE_FILES = ("nginx.conf", ".htaccess")


def asset_paths(home: Answer) -> list[str]:
    """The stylesheets and scripts the home page loads."""
    return sorted(set(ASSET.findall(home.body.decode("utf-8", "replace")))) if home.status == 200 else []


def assets_check(home: Answer, assets: list[Answer]):
    """Browsers ignore a stylesheet or script served with another type (nosniff): pages would break."""
    if home.status != 200:
        return failed("page-assets", f"the home page answered {home.status or home.error}")
    if not assets:
        return skipped("page-assets", "the home page loads no stylesheet or script")
    problems = []
    for answer in assets:
        wanted = next((types for suffix, types in ASSET_TYPES.items() if answer.url.split("?")[0].endswith(suffix)), None)
        if answer.status != 200:
            problems.append(f"{answer.url} answered {answer.status or answer.error}")
        elif wanted and answer.media_type not in wanted:
            problems.append(f"{answer.url} is served as {answer.media_type or 'no type'}, not {wanted[0]}")
    if problems:
        return failed("page-assets", "; ".join(problems))
    return passed("page-assets", f"{len(assets)} stylesheet(s) and script(s) with their media types")


def rules_hidden_check(answers: list[Answer]):
    """The server rules shipped with the static site are configuration, not content."""
    served = [a.url for a in answers if a.status == 200]
    if served:
        return failed("rules-hidden", "served to anyone: " + ", ".join(served))
    return passed("rules-hidden", "the web server rules are not served")


def release_problems(iri: str, answer: Answer) -> list[str]:
    """A release IRI answers with its own description, naming itself as a version IRI."""
    if answer.status != 200:
        return [f"<{iri}> answered {answer.status or answer.error}"]
    try:
        graph = parse_document(answer.body, answer.media_type, answer.url)
    except Unparsable as error:
        return [f"<{iri}>: {error}"]
    if (URIRef(iri), OWL.versionIRI, URIRef(iri)) not in graph:
        return [f"<{iri}>: its description does not state owl:versionIRI"]
    return []


def releases_check(answers: list[tuple[str, Answer]]):
    """Every release the VoID lists (dcterms:hasVersion) dereferences to its own description."""
    if not answers:
        return skipped("releases", "the VoID lists no release")
    problems = [p for iri, answer in answers for p in release_problems(iri, answer)]
    if problems:
        return failed("releases", "; ".join(problems))
    return passed("releases", f"{len(answers)} release(s) dereference to descriptions with owl:versionIRI")
