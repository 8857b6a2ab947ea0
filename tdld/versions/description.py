"""A release's own VoID/DCAT description: the build's, renamed to the version and its downloads.

The build describes "the dataset as it is now"; a release describes one version of it,
with ``owl:versionIRI``, ``owl:priorVersion`` and ``dcterms:issued``, and downloads that
never move. Subsets become blank nodes: the graph IRIs are shared by every version, and
their counts differ from one version to the next.
"""

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, VOID, XSD

DCAT_VERSION = URIRef(str(DCAT) + "version")
DCAT_PREVIOUS = URIRef(str(DCAT) + "previousVersion")

from ..core.namespaces import BASE, DATASET, bind_prefixes
from ..release.history import version_iri
from ..release.void import download_iri


def version_download_iri(version: str, name: str) -> URIRef:
    return URIRef(f"{BASE}version/{version}/download/{name}")


def version_description(build_void: Graph, version: str, prior: str | None, issued: str,
                        file_names: list[str]) -> Graph:
    """The build's VoID/DCAT made the description of release ``version``."""
    target = URIRef(version_iri(version))
    renamed = {DATASET: target}
    renamed.update({download_iri(name): version_download_iri(version, name) for name in file_names})
    subsets = {o for o in build_void.objects(DATASET, VOID.subset)}
    renamed.update({subset: BNode() for subset in subsets})

    def rename(term):
        return renamed.get(term, term)

    graph = Graph()
    bind_prefixes(graph)
    graph.bind("spdx", "http://spdx.org/rdf/terms#")
    for s, p, o in build_void:
        if s == DATASET and p in (OWL.versionInfo, DCAT_VERSION, DCTERMS.modified):
            continue
        graph.add((rename(s), p, rename(o)))
    graph.add((target, OWL.versionIRI, target))
    graph.add((target, OWL.versionInfo, Literal(version)))
    graph.add((target, DCAT_VERSION, Literal(version)))
    graph.add((target, DCTERMS.issued, Literal(issued, datatype=XSD.dateTime)))
    graph.add((target, DCTERMS.isVersionOf, DATASET))
    if prior is not None:
        graph.add((target, OWL.priorVersion, URIRef(version_iri(prior))))
        graph.add((target, DCAT_PREVIOUS, URIRef(version_iri(prior))))
    return graph
