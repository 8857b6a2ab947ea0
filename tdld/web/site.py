"""Static export: the pages the server renders, written as files, with conneg rules.

Pages are produced by the same Flask app (through its test client), so the
server and the static site cannot drift apart. Links are made relative, so the
folder can be hosted under any path of any static host.
"""

import re
from pathlib import Path
from posixpath import relpath

from ..core.conneg import REPRESENTATIONS
from ..core.files import move_into_place, staging
from ..core.namespaces import BASE, GRAPH_NAMES
from ..core.urls import DOC_PREFIX, UrlMap
from ..read.knowledge import Knowledge
from ..release.history import History
from ..versions.compare import WORKING
from . import create_app
from .respond import BUILD_FILES
from .i18n import LANGUAGES

LINK_ATTRIBUTE = re.compile(r'((?:href|src|action)=")(/[^"]*)"')
RDF_EXTENSIONS = [r.extension for r in REPRESENTATIONS if r.key != "html"]
PAGES = ("/", "/browse/concepts", "/browse/terms", "/browse/entities", "/browse/timeline", "/browse/egtcs", "/browse/sources", "/quality",
         "/downloads", "/search")


def relative_links(html: str, page_path: str, lang: str = "en") -> str:
    """Rewrite root-relative links into links relative to the page.

    A static host cannot negotiate languages, so each page exists once per language
    (``x.html``, ``x.fr.html``, ``x.de.html``): links keep the page's language, and a
    ``?lang=`` link points to that language's file.
    """
    directory = page_path.rsplit("/", 1)[0] or "/"

    def rewrite(match):
        target = match.group(2)
        path, sep, rest = target.partition("#") if "#" in target else (target, "", "")
        path, qsep, query = path.partition("?")
        target_lang = lang
        for key, _eq, value in (part.partition("=") for part in query.split("&") if qsep):
            if key == "lang" and value in LANGUAGES:
                target_lang = value
        file_path = localised(file_for(path), target_lang)
        relative = relpath(file_path, directory.rstrip("/") or "/") if file_path != directory else "."
        return f'{match.group(1)}{relative}{"#" + rest if sep else ""}"'

    return LINK_ATTRIBUTE.sub(rewrite, html)


def localised(file_path: str, lang: str) -> str:
    """``x.html`` for English, ``x.fr.html`` and ``x.de.html`` for the other languages."""
    if lang != "en" and file_path.endswith(".html") and file_path != "/404.html":
        return file_path[: -len(".html")] + f".{lang}.html"
    return file_path


def file_for(path: str) -> str:
    """The file (as a site path) that answers a server path."""
    if path in ("", "/"):
        return "/index.html"
    if path.endswith("/"):
        return path + "index.html"
    last = path.rsplit("/", 1)[-1]
    if "." in last and last.rsplit(".", 1)[1] in {r.extension for r in REPRESENTATIONS} | {"css", "js", "svg", "gz", "json", "trig"}:
        return path
    if path.startswith(("/download/", "/static/")) or (path.startswith("/version/") and "/download/" in path):
        return path
    if path in ("/id", "/vocab") or path.startswith(("/id/", "/vocab/")) or path == "/dataset":
        return DOC_PREFIX.rstrip("/") + path + ".html"
    return path + ".html"


def mapping_sets(knowledge: Knowledge) -> list[str]:
    rows = knowledge.select("SELECT ?set WHERE { ?set a sssom:MappingSet }")
    return sorted(r["set"].value.rsplit("/", 1)[-1] for r in rows)


def resource_iris(knowledge: Knowledge, urls: UrlMap) -> list[str]:
    rows = knowledge.select("SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(isIRI(?s)) }")
    return sorted({r["s"].value for r in rows if urls.is_thing(urls.local_part(r["s"].value) or "")})


def release_documents(history: History, urls: UrlMap) -> list[str]:
    """The release pages with RDF: the list, each release, its ontology and terms, each diff."""
    paths = ["/versions"]
    for release in history.releases:
        version = release.version
        paths += [f"/version/{version}", f"/version/{version}/ontology"]
        for term in sorted(history.terms(version)):
            local = urls.local_part(term)
            if local is not None and urls.is_thing(local) and local != "dataset":
                paths.append(f"/version/{version}/{local}")
        paths += [f"/diff/{old}/{new}" for old, new in release_diffs(release)]
    return paths


def release_diffs(release) -> list[tuple[str, str]]:
    """The diffs a release page links to: since the previous release, and up to the current build."""
    return ([(release.prior, release.version)] if release.prior else []) + [(release.version, WORKING)]


def release_json_paths(history: History) -> list[str]:
    return [f"/diff/{old}/{new}.json" for release in history.releases for old, new in release_diffs(release)]


def release_files(history: History) -> list[tuple[str, Path]]:
    """Every file of every release folder, at its download path."""
    return [(f"/version/{release.version}/download/{path.name}", path)
            for release in history.releases for path in sorted(release.folder.iterdir()) if path.is_file()]


def write(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def build_site(release: Path, out: Path, base: str = BASE, history: History | None = None) -> int:
    """Write the static site into ``out`` (replaced atomically); return the number of files.

    With ``history``, every numbered release is exported too, at the paths the server
    uses, so that links to a release keep working on a static host.
    """
    knowledge = Knowledge(release)
    app = create_app(knowledge, base=base, enable_sparql=False, history=history)
    with staging(out.parent, out.name) as folder:
        site = SiteWriter(app.test_client(), folder)
        urls = UrlMap(base)
        for path in PAGES:
            site.page(path)
        documents = ["/ontology"] + [f"/graph/{g}" for g in GRAPH_NAMES]
        documents += [f"/mappings/{name}" for name in mapping_sets(knowledge)]
        documents += [urls.page_path(iri) for iri in resource_iris(knowledge, urls)] + [DOC_PREFIX + "dataset"]
        if history is not None and history.releases:
            documents += release_documents(history, urls)
            site.releases(history)
        for path in documents:
            site.document(path)
        for name in [f["name"] for f in knowledge.manifest["files"]] + list(BUILD_FILES):
            if (release / name).is_file():
                site.write("/download/" + name, (release / name).read_bytes())
        for item in Path(app.static_folder).iterdir():
            site.write("/static/" + item.name, item.read_bytes())
        site.search(search_index(knowledge, urls))
        not_found = site.client.get("/this-page-does-not-exist")
        site.write("/404.html", relative_links(not_found.get_data(as_text=True), "/404.html").encode("utf-8"))
        site.write("/.htaccess", apache_rules().encode("utf-8"))
        site.write("/nginx.conf", nginx_rules().encode("utf-8"))
        move_into_place(folder, out)
    return site.count


class SiteWriter:
    """Files of the static site, each fetched from the app as the server would answer it."""

    def __init__(self, client, folder: Path):
        self.client, self.folder, self.count = client, folder, 0

    def fetch(self, path: str, accept: str = "text/html") -> bytes:
        response = self.client.get(path, headers={"Accept": accept})
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
        return response.data

    def write(self, path: str, data: bytes) -> None:
        write(self.folder / path.lstrip("/"), data)
        self.count += 1

    def page(self, path: str) -> None:
        """The page in each language, as x.html, x.fr.html, x.de.html."""
        for lang in LANGUAGES:
            html = self.fetch(f"{path}?lang={lang}").decode("utf-8")
            site_path = localised(file_for(path), lang)
            self.write(site_path, relative_links(html, site_path, lang).encode("utf-8"))

    def document(self, path: str) -> None:
        """A resource's page in each language and its document in each RDF format."""
        self.page(path)
        for extension in RDF_EXTENSIONS:
            self.write(f"{path}.{extension}", self.fetch(f"{path}.{extension}"))

    def releases(self, history: History) -> None:
        self.write("/versions.json", self.fetch("/versions.json", "application/json"))
        for path in release_json_paths(history):
            self.write(path, self.fetch(path, "application/json"))
        for path, source in release_files(history):
            self.write(path, source.read_bytes())

    def search(self, index: bytes) -> None:
        """The search index, and the search pages made to read it in the browser."""
        self.write("/search-index.json", index)
        for lang in LANGUAGES:
            search_page = self.folder / localised("/search.html", lang).lstrip("/")
            search_page.write_text(search_page.read_text(encoding="utf-8").replace(
                "</main>", '<div id="static-results" aria-live="polite"></div>'
                           '<script src="static/static-search.js" defer></script></main>'), encoding="utf-8")


def search_index(knowledge: Knowledge, urls: UrlMap) -> bytes:
    """Every searchable label with its page, for the static site's client-side search."""
    import json

    entries = [{"f": folded, "l": label, "lang": language, "k": kind, "p": urls.page_path(iri).lstrip("/"),
                "t": knowledge.label(iri, "en")}
               for folded, iri, label, language, kind in knowledge._index]
    return json.dumps(entries, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# Media types of every kind of file in the static site.
STATIC_TYPES = (
    ("text/html", "html"), ("text/css", "css"), ("application/javascript", "js"), ("image/svg+xml", "svg"),
    ("image/png", "png"), ("image/x-icon", "ico"), ("application/json", "json"), ("text/plain", "txt"),
    ("text/turtle", "ttl"), ("application/ld+json", "jsonld"), ("application/rdf+xml", "rdf"),
    ("application/n-triples", "nt"), ("application/trig", "trig"), ("application/gzip", "gz"),
)


def apache_rules() -> str:
    """303 for thing IRIs and Accept-based choice of the file, for Apache's mod_rewrite."""
    lines = [
        "# Generated by `tdld site`: Cool URIs and content negotiation for Apache (mod_rewrite, mod_headers).",
        "AddType text/turtle .ttl",
        "AddType application/ld+json .jsonld",
        "AddType application/rdf+xml .rdf",
        "AddType application/n-triples .nt",
        "AddType application/gzip .gz",
        "AddType application/trig .trig",
        "# The site's own kinds of files, so that it needs no server-wide types list.",
        "AddType text/html .html",
        "AddType text/css .css",
        "AddType application/javascript .js",
        "AddType image/svg+xml .svg",
        "AddType application/json .json",
        "AddType text/plain .txt",
        "ErrorDocument 404 /404.html",
        "DirectoryIndex index.html",
        "# /version/1.0.0 is a page (1.0.0.html) beside a folder of the same name: no redirect to the folder.",
        "DirectorySlash Off",
        "Header always append Vary Accept",
        "Header always set Access-Control-Allow-Origin \"*\"",
        "# Downloads: saved under their own name; Apache answers Range (206) and If-None-Match (ETag) itself.",
        "<If \"%{REQUEST_URI} =~ m#/download/[^/]+$#\">",
        "    Header set Content-Disposition \"attachment\"",
        "</If>",
        "FileETag MTime Size",
        "# The rules themselves are not part of the site.",
        "<FilesMatch \"^(nginx\\.conf|\\.htaccess)$\">",
        "    Require all denied",
        "</FilesMatch>",
        "RewriteEngine On",
        "# The site is at the root of its host; change this if it lives under a sub-path.",
        "RewriteBase /",
        "# Things (concepts, the scheme, individuals, the dataset) answer 303 with their document.",
        "RewriteRule ^(id|vocab)/(.+)$ doc/$1/$2 [R=303,L]",
        "RewriteRule ^dataset$ doc/dataset [R=303,L]",
        "RewriteRule ^\\.well-known/void$ doc/dataset [R=303,L]",
    ]
    for representation in REPRESENTATIONS:
        if representation.key == "html":
            continue
        lines += [
            f"RewriteCond %{{HTTP_ACCEPT}} {re.escape(representation.media_type)}",
            "RewriteCond %{HTTP_ACCEPT} !text/html",
            f"RewriteCond %{{REQUEST_FILENAME}}.{representation.extension} -f",
            f"RewriteRule ^(.+)$ $1.{representation.extension} [L]",
        ]
    lines += ["RewriteCond %{REQUEST_FILENAME}.html -f", "RewriteRule ^(.+)$ $1.html [L]", ""]
    return "\n".join(lines)


def nginx_rules() -> str:
    """The same rules for nginx: include inside a server block whose root is this folder."""
    accept_map = "\n".join("    ~*" + r.media_type.replace("+", "\\+") + f" .{r.extension};"
                            for r in REPRESENTATIONS if r.key != "html")
    types = " ".join(f"{media_type} {extension};" for media_type, extension in STATIC_TYPES)
    return f"""# Generated by `tdld site`: include this in the http block; adapt root.
# Negotiation here picks the first type of this list that the Accept header names; it
# does not weigh q-values as the server does.
map $http_accept $tdld_extension {{
    default .html;
    ~*text/html .html;
{accept_map}
    ~*application/json .jsonld;
}}

server {{
    listen 8080;
    root /srv/tdld/site;
    error_page 404 /404.html;
    # A types block replaces nginx's own list: it names every kind of file the site holds.
    types {{ {types} }}
    default_type text/plain;
    add_header Vary Accept always;
    add_header Access-Control-Allow-Origin * always;

    # The rules themselves are not part of the site.
    location ~ (^|/)(nginx\\.conf|\\.htaccess)$ {{ return 404; }}
    location ~ ^/(id|vocab)/(.+)$ {{ return 303 /doc/$1/$2; }}
    # Downloads: saved under their own name; nginx answers Range (206) and If-None-Match (ETag) itself.
    # add_header here replaces the server's, so those are repeated.
    location ~ /download/([^/]+)$ {{
        add_header Content-Disposition 'attachment; filename="$1"' always;
        add_header Vary Accept always;
        add_header Access-Control-Allow-Origin * always;
    }}
    location = /dataset {{ return 303 /doc/dataset; }}
    location = /.well-known/void {{ return 303 /doc/dataset; }}
    location / {{
        try_files $uri $uri$tdld_extension $uri.html $uri/index.html =404;
    }}
}}
"""
