"""Pages for people: home, browsing, search, downloads, and the page of any resource.

The view models come from :mod:`tdld.read.page_models`; this module only picks the template
and the headers. ``resource_page`` and ``ontology_page`` also render pages of older releases
(:mod:`tdld.web.versions`).
"""

from flask import Blueprint, Response, abort, jsonify, request, url_for

from ..core.conneg import REPRESENTATIONS
from ..core.namespaces import TDV
from ..read import page_models
from ..read.knowledge import Knowledge
from ..read.terminology import terminology_map
from ..release.quality import read_quality
from . import svg
from .context import served
from .downloads import send_release_file
from .respond import BUILD_FILES, page_language, render

bp = Blueprint("pages", __name__)
CENTRE = str(TDV["territorial-diplomacy"])


@bp.get("/")
def home():
    knowledge, urls = served().knowledge, served().urls
    schema = {"@context": "https://schema.org", "@type": "Dataset", "@id": knowledge.dataset_iri,
              "name": "Territorial diplomacy as linked data", "version": knowledge.version,
              "license": "https://creativecommons.org/licenses/by/4.0/",
              "distribution": [{"@type": "DataDownload", "contentUrl": url_for("pages.download", name=f["name"]),
                                "encodingFormat": f["media_type"]} for f in knowledge.manifest["files"]]}
    return html(render("home.html", counts=knowledge.counts(), schema=schema,
                       concept_map=synonym_map(knowledge, page_language()), scheme=urls.href(str(TDV["scheme"]))))


@bp.get("/browse/concepts")
def browse_concepts():
    knowledge, urls, lang = served().knowledge, served().urls, page_language()
    return html(render("concepts.html", tree=page_models.concept_tree(knowledge, lang, urls),
                       collections=page_models.collections(knowledge, lang, urls)))


@bp.get("/browse/entities")
def browse_entities():
    return html(render("entities.html",
                       groups=page_models.individuals_by_type(served().knowledge, page_language(), served().urls)))


@bp.get("/browse/timeline")
def browse_timeline():
    entries = page_models.timeline(served().knowledge, page_language(), served().urls)
    return html(render("timeline.html", entries=entries, chart=svg.timeline(entries)))


@bp.get("/browse/egtcs")
def browse_egtcs():
    """Every EGTC, how many were established each year, and which countries cooperate in them."""
    view = page_models.egtcs(served().knowledge, page_language(), served().urls)
    return html(render("egtcs.html", view=view,
                       per_year=svg.bars(view["per_year"], "EGTCs by the earliest year a source gives"),
                       matrix=svg.matrix(view["countries"], view["pairs"],
                                         "Countries with members in the same EGTCs")))


@bp.get("/browse/terms")
def browse_terms():
    """The whole terminology on one wheel, and the clusters of terms the literature keeps apart."""
    view = terminology_map(served().knowledge, page_language(), served().urls)
    return html(render("terminology.html", view=view,
                       wheel=svg.terminology_wheel(view["nodes"], view["edges"], view["facets"])))


@bp.get("/quality")
def quality():
    """The scorecard the release was published with: coverage by kind, checks, SHACL and consistency."""
    record = read_quality(served().knowledge.release)
    columns = list(next(iter(record["kinds"].values())).keys()) if record and record.get("kinds") else []
    return html(render("quality.html", quality=record, columns=columns, built=served().knowledge.built))


@bp.get("/browse/sources")
def browse_sources():
    works, official = page_models.sources(served().knowledge, page_language(), served().urls)
    return html(render("sources.html", works=works, official=official))


@bp.get("/search")
def search():
    text = request.args.get("q", "")[:200]
    hits = served().knowledge.search(text, limit=50) if text.strip() else []
    return html(render("search.html", q=text, hits=[hit(h) for h in hits]))


@bp.get("/search/suggest")
def suggest():
    text = request.args.get("q", "")[:200]
    try:
        limit = max(1, min(int(request.args.get("limit", "10")), 50))
    except ValueError:
        abort(400, description="limit must be a whole number")
    response = jsonify({"query": text, "results": [hit(h) for h in served().knowledge.search(text, limit=limit)]})
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/downloads")
def downloads():
    manifest = served().knowledge.manifest
    return html(render("downloads.html", files=manifest["files"], release=manifest["release"]))


@bp.get("/download/<name>")
def download(name):
    knowledge = served().knowledge
    allowed = {f["name"]: f["media_type"] for f in knowledge.manifest["files"]} | BUILD_FILES
    if name not in allowed:
        abort(404)
    mimetype = "application/gzip" if name.endswith(".gz") else allowed[name]
    return send_release_file(knowledge.release, name, mimetype, knowledge.manifest)


def html(body: str) -> Response:
    response = Response(body, mimetype="text/html")
    response.headers["Content-Language"] = page_language()
    response.headers["Vary"] = "Accept-Language"
    return response


def hit(found) -> dict:
    """A search hit as the search page, the suggestions and the 404 page show it."""
    return {"iri": found.iri, "label": found.label, "language": found.language, "matched": found.kind,
            "href": served().urls.href(found.iri), "preferred": served().knowledge.label(found.iri, page_language())}


def resource_page(source: Knowledge, iri: str, lang: str, asserted_only: bool = False, release=None,
                  retired=None) -> str:
    """A resource's page from the build being served, or from a release (``source``, ``release``)."""
    urls, history = served().urls, served().history
    view = page_models.resource_view(source, iri, lang, urls, asserted_only)
    concept_map = synonym_map(source, lang) if iri == CENTRE and release is None else None
    page_path = urls.page_path(iri)
    if release is not None:
        page_path = f"/version/{release.version}/{urls.local_part(iri)}"
    releases = [{"version": v, "href": f"/version/{v}/{urls.local_part(iri)}"} for v in history.releases_of(iri)]
    return render("resource.html", view=view, page_path=page_path, asserted_only=asserted_only,
                  formats=REPRESENTATIONS, concept_map=concept_map, schema=schema_org(view, lang),
                  releases=releases,
                  retired=retired if retired is not None else page_models.retirement(source, iri, lang, urls),
                  shown_release=release, current_href=urls.href(iri))


def ontology_page(source: Knowledge, lang: str, release=None) -> str:
    releases = [{"version": r.version, "href": f"/version/{r.version}/ontology"} for r in served().history.releases]
    view = page_models.ontology_view(source, lang, served().urls)
    return render("ontology.html", view=view, diagram=svg.class_diagram(view["classes"], view["properties"]),
                  iri=served().base + "ontology",
                  page_path=f"/version/{release.version}/ontology" if release else "/ontology",
                  shown_release=release, current_href="/ontology", releases=releases)


def synonym_map(knowledge: Knowledge, lang: str) -> str:
    """The picture of the terms the literature relates to territorial diplomacy."""
    urls = served().urls
    related = [r["o"].value for r in knowledge.select(
        f"SELECT DISTINCT ?o WHERE {{ <{CENTRE}> skos:related|^skos:related ?o }}")]
    return svg.concept_map(
        {"label": knowledge.label(CENTRE, lang), "href": urls.href(CENTRE)},
        sorted(({"label": knowledge.label(r, lang), "href": urls.href(r)} for r in related),
               key=lambda item: item["label"].casefold()))


def schema_org(view: dict, lang: str) -> dict:
    if view["is_concept"]:
        return {"@context": "https://schema.org", "@type": "DefinedTerm", "@id": view["iri"],
                "name": view["title"], "description": view["definition"] or "",
                "inDefinedTermSet": str(TDV["scheme"]), "inLanguage": lang}
    if view["iri"] == str(TDV["scheme"]):
        return {"@context": "https://schema.org", "@type": "DefinedTermSet", "@id": view["iri"], "name": view["title"]}
    return {"@context": "https://schema.org", "@type": "Thing", "@id": view["iri"], "name": view["title"],
            "description": view["definition"] or ""}
