"""Read a deployment's VoID/DCAT description, and list what it fails to state.

The promises are those of ``tdld.release.void.describe``: a dataset typed void:Dataset
and dcat:Dataset with title, description, licence, modification date, version and
URI space; counts for it and each named-graph subset; and for each download a
dcat:Distribution with its URL, media type, size, licence and SHA-256.
"""

import re
from dataclasses import dataclass

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, RDF, VOID

SPDX = Namespace("http://spdx.org/rdf/terms#")
IANA = "https://www.iana.org/assignments/media-types/"
GZIP = URIRef(IANA + "application/gzip")
DCAT_VERSION = URIRef(str(DCAT) + "version")  # rdflib's DCAT namespace lacks DCAT 3 terms
HEX64 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class Distribution:
    download_url: str
    media_type: str  # as dcat:mediaType states it, without the IANA prefix
    byte_size: int | None
    sha256: str | None
    gzipped: bool

    @property
    def name(self) -> str:
        return self.download_url.rstrip("/").rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Catalogue:
    dataset: str | None
    uri_space: str | None
    sparql_endpoint: str | None
    examples: tuple
    subsets: dict  # subset IRI → stated void:triples (None when not stated)
    distributions: tuple
    versions: tuple = ()  # release IRIs (dcterms:hasVersion), oldest first by IRI


def read_catalogue(graph: Graph) -> Catalogue:
    dataset = _dataset(graph)
    if dataset is None:
        return Catalogue(None, None, None, (), {}, ())
    subsets = {str(s): _int(graph.value(s, VOID.triples)) for s in graph.objects(dataset, VOID.subset)}
    distributions = tuple(sorted((_distribution(graph, d) for d in graph.objects(dataset, DCAT.distribution)),
                                 key=lambda d: d.download_url))
    uri_space = graph.value(dataset, VOID.uriSpace)
    endpoint = graph.value(dataset, VOID.sparqlEndpoint)
    examples = tuple(sorted(str(e) for e in graph.objects(dataset, VOID.exampleResource) if isinstance(e, URIRef)))
    versions = tuple(sorted(str(v) for v in graph.objects(dataset, DCTERMS.hasVersion) if isinstance(v, URIRef)))
    return Catalogue(str(dataset), str(uri_space) if uri_space is not None else None,
                     str(endpoint) if endpoint is not None else None, examples, subsets, distributions, versions)


def _dataset(graph: Graph):
    """The described dataset: the one with downloads, else a void:Dataset no other lists as subset."""
    candidates = set(graph.subjects(RDF.type, VOID.Dataset)) | set(graph.subjects(RDF.type, DCAT.Dataset))
    with_downloads = [d for d in candidates
                      if (d, DCAT.distribution, None) in graph or (d, VOID.dataDump, None) in graph]
    roots = with_downloads or [d for d in candidates if (None, VOID.subset, d) not in graph]
    roots = sorted(r for r in roots if isinstance(r, URIRef))
    return roots[0] if roots else None


def _distribution(graph: Graph, node) -> Distribution:
    media = graph.value(node, DCAT.mediaType)
    media_type = str(media).removeprefix(IANA) if media is not None else ""
    checksum = next((graph.value(c, SPDX.checksumValue) for c in graph.objects(node, SPDX.checksum)
                     if graph.value(c, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256), None)
    url = graph.value(node, DCAT.downloadURL)
    return Distribution(str(url) if url is not None else "", media_type, _int(graph.value(node, DCAT.byteSize)),
                        str(checksum).lower() if checksum is not None else None,
                        (node, DCAT.compressFormat, GZIP) in graph)


def _int(value) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def dataset_problems(graph: Graph, catalogue: Catalogue) -> list[str]:
    """What the dataset's own description leaves out of tdld's promises."""
    if catalogue.dataset is None:
        return ["no void:Dataset or dcat:Dataset with downloads"]
    d = URIRef(catalogue.dataset)
    problems = [f"not typed {name}" for name, cls in (("void:Dataset", VOID.Dataset), ("dcat:Dataset", DCAT.Dataset))
                if (d, RDF.type, cls) not in graph]
    for name, prop in (("dcterms:title", DCTERMS.title), ("dcterms:description", DCTERMS.description),
                       ("dcterms:modified", DCTERMS.modified), ("void:uriSpace", VOID.uriSpace),
                       ("void:triples", VOID.triples)):
        if graph.value(d, prop) is None:
            problems.append(f"no {name}")
    licence = graph.value(d, DCTERMS.license)
    if not isinstance(licence, URIRef):
        problems.append("no dcterms:license IRI")
    if graph.value(d, DCAT_VERSION) is None and graph.value(d, OWL.versionInfo) is None:
        problems.append("no dcat:version")
    if not any(isinstance(t, Literal) and t.language == "en" for t in graph.objects(d, DCTERMS.title)):
        problems.append("no English title")
    if not catalogue.subsets:
        problems.append("no void:subset")
    problems += [f"subset <{s}> states no void:triples" for s, n in catalogue.subsets.items() if n is None]
    if not catalogue.distributions:
        problems.append("no dcat:distribution")
    return problems


def distribution_problems(graph: Graph, catalogue: Catalogue) -> list[str]:
    """What each download's description leaves out; a dump is also a void:dataDump."""
    if catalogue.dataset is None:
        return []
    dumps = {str(u) for u in graph.objects(URIRef(catalogue.dataset), VOID.dataDump)}
    problems = []
    for dist in catalogue.distributions:
        name = dist.name or "a distribution"
        if not dist.download_url:
            problems.append(f"{name}: no dcat:downloadURL")
        if not dist.media_type:
            problems.append(f"{name}: no dcat:mediaType")
        if dist.byte_size is None:
            problems.append(f"{name}: no dcat:byteSize")
        if dist.sha256 is None or not HEX64.match(dist.sha256):
            problems.append(f"{name}: no SHA-256 spdx:checksum")
        if dist.download_url and dist.download_url not in dumps:
            problems.append(f"{name}: not listed as void:dataDump")
    for node in graph.objects(URIRef(catalogue.dataset), DCAT.distribution):
        url = graph.value(node, DCAT.downloadURL)
        label = str(url).rsplit("/", 1)[-1] if url is not None else "a distribution"
        if (node, RDF.type, DCAT.Distribution) not in graph:
            problems.append(f"{label}: not typed dcat:Distribution")
        if not isinstance(graph.value(node, DCTERMS.license), URIRef):
            problems.append(f"{label}: no dcterms:license")
        stated = graph.value(node, DCTERMS["format"])
        media = graph.value(node, DCAT.mediaType)
        if stated is not None and media is not None and str(media) != IANA + str(stated):
            problems.append(f"{label}: dcterms:format {stated} disagrees with dcat:mediaType")
    return problems
