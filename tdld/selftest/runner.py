"""Run every check against one deployment: the I/O, in order; the verdicts come from pure functions.

Order matters only for discovery: the VoID names the dumps, a dump names the
resources, the resources are dereferenced, and what the answers look like tells a
negotiating server (which also promises 406 and SPARQL) from static hosting.
"""

import hashlib
from urllib.parse import urlencode

import pyoxigraph as ox
from rdflib import Graph

from . import sparql
from .dcat import (
    Catalogue,
    dataset_problems,
    distribution_problems,
    read_catalogue,
)
from .discovery import (
    KIND_LABELS,
    KINDS,
    Deployment,
    base_of,
    choose_samples,
    types_by_subject,
)
from .dumps import RANGE, Download, dump_check, media_types_check, resumable_check, sums_check, void_found_check
from .fetch import Answer, Fetcher, Unreachable, check_target
from .formats import Unparsable, gunzip, parse_document
from .hosting import (
    RULE_FILES,
    asset_paths,
    assets_check,
    releases_check,
    rules_hidden_check,
)
from .linkeddata import (
    UNSATISFIABLE,
    conditional_check,
    cors_check,
    deref_check,
    not_acceptable_check,
    not_found_check,
    vary_check,
)
from .report import Report, failed, passed, skipped, verdict

MEDIA_TYPES = ("text/html", "text/turtle", "application/ld+json", "application/rdf+xml", "application/n-triples")
FORM = "application/x-www-form-urlencoded"
NO_CATALOGUE = "no VoID/DCAT description to start from"


def run(url: str, base: str | None = None, timeout: float = 10.0) -> Report:
    """Check the deployment at ``url``; Unreachable when it does not answer at all."""
    root = check_target(url)
    fetcher = Fetcher(root, timeout)
    checks = []
    graph, catalogue, void_answer = _catalogue(fetcher, checks)
    if catalogue is None or catalogue.dataset is None:
        checks.append(failed("void-dataset", NO_CATALOGUE))
        return Report(root, checks)
    checks.append(verdict("void-dataset", dataset_problems(graph, catalogue),
                          f"<{catalogue.dataset}>: title, description, licence, version, counts, "
                          f"{len(catalogue.subsets)} subsets"))
    checks.append(verdict("void-distributions", distribution_problems(graph, catalogue),
                          f"{len(catalogue.distributions)} distributions with URL, media type, size, licence, SHA-256"))
    iri_base = base_of(catalogue, base)
    if iri_base is None:
        checks.append(failed("discovery", "no --base, no void:uriSpace and no dataset IRI: cannot map IRIs"))
        return Report(root, checks)
    deployment = Deployment(root, iri_base, tuple(s for s in (catalogue.uri_space,) if s and s != iri_base))
    downloads = _downloads(fetcher, deployment, catalogue, checks)
    subjects, source = _subjects(downloads, fetcher.max_body)
    samples = choose_samples(subjects, catalogue, iri_base)
    position = len(checks)
    chains = _dereference(fetcher, deployment, catalogue, samples, checks)
    documents = [chain[-1] for chain in chains] + [void_answer]
    negotiates = catalogue.sparql_endpoint is not None or any(
        'rel="alternate"' in answer.header("link") for answer in documents if answer.status == 200)
    checks.insert(position, _discovery_check(samples, source, iri_base, negotiates))
    static = not negotiates
    checks.append(vary_check(chains, root))
    data_answers = [a for chain in chains for a in chain] + [d.answer for d in downloads if d.answer is not None]
    checks.append(cors_check("cors-data", data_answers, root))
    checks.append(_conditional(fetcher, chains, deployment))
    checks.append(_not_found(fetcher, deployment, static))
    checks.append(_not_acceptable(fetcher, deployment, samples, static))
    checks.append(media_types_check(downloads, static))
    checks.append(_resumable(fetcher, downloads))
    checks += _sparql(fetcher, deployment, catalogue, samples, negotiates)
    checks += _hosting(fetcher, deployment, catalogue)
    return Report(root, checks)


def _hosting(fetcher: Fetcher, deployment: Deployment, catalogue: Catalogue) -> list:
    """Page assets with their types, the rules files kept private, every listed release reachable."""
    home = fetcher.get(fetcher.root + "/", "text/html")
    assets = [fetcher.get(fetcher.root + path if path.startswith("/") else fetcher.root + "/" + path, "*/*")
              for path in asset_paths(home)]
    hidden = [fetcher.get(fetcher.root + "/" + name, "*/*") for name in RULE_FILES]
    releases = [(iri, fetcher.follow(deployment.iri_url(iri), "text/turtle")[-1])
                for iri in catalogue.versions if deployment.iri_url(iri)]
    return [assets_check(home, assets), rules_hidden_check(hidden), releases_check(releases)]


def _catalogue(fetcher: Fetcher, checks: list) -> tuple[Graph | None, Catalogue | None, Answer]:
    """The VoID from /.well-known/void (and the answer that gave it), else the release's void.ttl."""
    chain = fetcher.follow(fetcher.root + "/.well-known/void", "text/turtle")
    if not chain[0].status:
        raise Unreachable(f"selftest: cannot reach {fetcher.root}: {chain[0].error}")
    graph, error = _void_graph(chain[-1])
    if graph is not None:
        checks.append(void_found_check(chain, len(graph), fetcher.root))
        return graph, read_catalogue(graph), chain[-1]
    fallback = fetcher.get(fetcher.root + "/download/void.ttl", "text/turtle")
    graph, _error = _void_graph(fallback, "text/turtle")
    checks.append(void_found_check(chain, 0, fetcher.root, error, fallback=graph is not None))
    return graph, read_catalogue(graph) if graph is not None else None, fallback


def _void_graph(answer: Answer, assume: str | None = None) -> tuple[Graph | None, str]:
    if answer.status != 200:
        return None, ""
    try:
        return parse_document(answer.body, assume or answer.media_type, answer.url), ""
    except Unparsable as error:
        return None, str(error)


def _downloads(fetcher: Fetcher, deployment: Deployment, catalogue: Catalogue, checks: list) -> list[Download]:
    """Stream every advertised dump through SHA-256, keeping small ones for parsing; then check them."""
    downloads = []
    for dist in catalogue.distributions:
        url = deployment.map_url(dist.download_url)
        if not url or not fetcher.on_host(url):
            downloads.append(Download(dist, None))
            continue
        sink = _Digest(fetcher.max_body)
        answer = fetcher.request("GET", url, {"Accept": "*/*"}, sink=sink)
        downloads.append(Download(dist, answer, sink.sha256.hexdigest(), sink.data))
    fetched = [d.answer for d in downloads if d.answer is not None]
    sums_answer = fetcher.get(fetched[0].url.rsplit("/", 1)[0] + "/SHA256SUMS", "text/plain") if fetched else None
    check, sums = sums_check(sums_answer, catalogue)
    checks.append(check)
    checks += [dump_check(d, sums, fetcher.max_body) for d in downloads]
    return downloads


def _resumable(fetcher: Fetcher, downloads: list[Download]):
    """Ask the smallest kept dump for a part of itself, and again with its ETag."""
    kept = [d for d in downloads if d.data is not None and d.answer is not None and d.answer.status == 200]
    if not kept:
        return resumable_check(None, None, None)
    smallest = min(kept, key=lambda d: len(d.data))
    url = smallest.answer.url
    part = fetcher.get(url, "*/*", {"Range": "bytes=%d-%d" % RANGE})
    etag = smallest.answer.header("etag")
    again = fetcher.get(url, "*/*", {"If-None-Match": etag}) if etag else None
    return resumable_check(smallest, part, again)


class _Digest:
    """A download sink: hashes every chunk, keeps the bytes for parsing while they fit under ``cap``."""

    def __init__(self, cap: int):
        self.sha256 = hashlib.sha256()
        self.cap = cap
        self.kept: bytearray | None = bytearray()

    def __call__(self, chunk: bytes) -> None:
        self.sha256.update(chunk)
        if self.kept is not None and len(self.kept) + len(chunk) <= self.cap:
            self.kept.extend(chunk)
        else:
            self.kept = None

    @property
    def data(self) -> bytes | None:
        return bytes(self.kept) if self.kept is not None else None


def _subjects(downloads: list[Download], cap: int) -> tuple[dict, str]:
    """Subjects and their types from the smallest dump that parses (pyoxigraph: fast, fetches nothing)."""
    usable = [d for d in downloads if d.data is not None and d.answer is not None and d.answer.status == 200]
    for download in sorted(usable, key=lambda d: len(d.data)):
        dist = download.distribution
        fmt = ox.RdfFormat.from_media_type(dist.media_type)
        if fmt is None:
            continue
        try:
            data = gunzip(download.data, cap) if dist.gzipped else download.data
            return types_by_subject(ox.parse(data, format=fmt)), dist.name
        except (Unparsable, SyntaxError, ValueError):
            continue
    return {}, ""


def _discovery_check(samples: dict, source: str, base: str, negotiates: bool):
    kind = "a negotiating server" if negotiates else "static hosting (no server-side negotiation)"
    found = ", ".join(f"{k} <{samples[k].removeprefix(base)}>" for k in samples)
    missing = [KIND_LABELS[k] for k in KINDS if k not in samples]
    where = f"the VoID and {source}" if source else "the VoID alone (no dump could be read)"
    if missing:
        return failed("discovery", f"under base {base}, {where} hold no {', no '.join(missing)}")
    return passed("discovery", f"{kind}; base {base}; from {where}: {found}")


def _dereference(fetcher: Fetcher, deployment: Deployment, catalogue: Catalogue, samples: dict,
                 checks: list) -> list[list[Answer]]:
    chains = []
    for kind, iri in samples.items():
        url = deployment.iri_url(iri)
        for media_type in MEDIA_TYPES:
            chain = fetcher.follow(url, media_type)
            chains.append(chain)
            size = catalogue.subsets.get(iri) if kind == "graph" and media_type != "text/html" else None
            checks.append(deref_check(kind, iri, media_type, chain, deployment, size))
    if not samples:
        checks.append(skipped("deref", "no resource discovered"))
    return chains


def _conditional(fetcher: Fetcher, chains: list, deployment: Deployment):
    """If-None-Match with the ETag of a Turtle and an HTML document answers 304."""
    documents = [c[-1] for c in chains if c[-1].status == 200 and c[-1].media_type in ("text/turtle", "text/html")]
    picked = [next((d for d in documents if d.media_type == t), None) for t in ("text/turtle", "text/html")]
    picked = [d for d in picked if d is not None]
    if not picked:
        return skipped("etag-304", "no document was served")
    pairs = []
    for first in picked:
        etag = first.header("etag")
        second = fetcher.get(first.url, first.media_type, {"If-None-Match": etag}) if etag else None
        pairs.append((first, second))
    return conditional_check(pairs, deployment.root)


def _not_found(fetcher: Fetcher, deployment: Deployment, static: bool):
    unknown = [deployment.base + "id/tdld-selftest-no-such-thing",
               deployment.base + "graph/tdld-selftest-no-such-graph"]
    chains = [fetcher.follow(deployment.iri_url(iri), "text/turtle") for iri in unknown]
    return not_found_check(chains, deployment, static)


def _not_acceptable(fetcher: Fetcher, deployment: Deployment, samples: dict, static: bool):
    if static:
        return not_acceptable_check(None, deployment.root, static=True)
    iri = samples.get("concept") or next(iter(samples.values()), None)
    answer = fetcher.get(deployment.document_url(iri), UNSATISFIABLE) if iri else None
    return not_acceptable_check(answer, deployment.root, static=False)


def _sparql(fetcher: Fetcher, deployment: Deployment, catalogue: Catalogue, samples: dict, negotiates: bool) -> list:
    if catalogue.sparql_endpoint:
        endpoint, how = deployment.map_url(catalogue.sparql_endpoint), "named by void:sparqlEndpoint"
    elif negotiates:
        endpoint, how = deployment.root + "/sparql", "not named in VoID; tdld's server has it at /sparql"
    else:
        return sparql.all_skipped("no endpoint: VoID names none, and static hosting has none")
    if not fetcher.on_host(endpoint):
        return sparql.all_skipped(f"the endpoint {endpoint} is off the deployment's host; not checked")
    iri = samples.get("concept") or next(iter(samples.values()), None)
    if iri is None:
        return sparql.all_skipped("no resource discovered to ask about")
    description = fetcher.get(endpoint, "text/turtle")
    get_json = fetcher.get(endpoint + "?" + urlencode({"query": sparql.select_about(iri)}), sparql.JSON_RESULTS)
    get_xml = fetcher.get(endpoint + "?" + urlencode({"query": sparql.select_about(iri)}), sparql.XML_RESULTS)
    accept = {"Accept": sparql.JSON_RESULTS}
    post_form = fetcher.request("POST", endpoint, {**accept, "Content-Type": FORM},
                                urlencode({"query": sparql.ask_about(iri)}).encode())
    post_query = fetcher.request("POST", endpoint, {**accept, "Content-Type": "application/sparql-query"},
                                 sparql.ask_about(iri).encode())
    broken = fetcher.get(endpoint + "?" + urlencode({"query": sparql.BROKEN_QUERY}), sparql.JSON_RESULTS)
    updates = {
        "application/sparql-update": fetcher.request("POST", endpoint, {"Content-Type": "application/sparql-update"},
                                                     sparql.UPDATE_PROBE.encode()),
        "form update=": fetcher.request("POST", endpoint, {"Content-Type": FORM},
                                        urlencode({"update": sparql.UPDATE_PROBE}).encode()),
    }
    preflight = fetcher.request("OPTIONS", endpoint, {"Origin": "https://example.org",
                                                      "Access-Control-Request-Method": "POST",
                                                      "Access-Control-Request-Headers": "Content-Type"})
    return [
        sparql.description_check(description, how),
        sparql.json_select_check("sparql-get-json", get_json),
        sparql.xml_select_check(get_xml),
        sparql.ask_check("sparql-post-form", post_form, FORM),
        sparql.ask_check("sparql-post-query", post_query, "application/sparql-query"),
        sparql.syntax_check(broken),
        sparql.update_check(updates),
        sparql.cors_check([get_json, get_xml, post_form, post_query], preflight),
    ]
