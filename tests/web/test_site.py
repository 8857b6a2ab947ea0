"""The static site and the live site: same pages, conneg rules, zero broken internal links."""

import pytest

from tdld.web.site import build_site, file_for, relative_links
from tdld.web import create_app

from ..linkcheck import check_static, crawl_live

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site(release, tmp_path_factory):
    out = tmp_path_factory.mktemp("static") / "site"
    build_site(release, out)
    return out


def test_relative_links_table():
    assert relative_links('<a href="/doc/vocab/x">', "/doc/vocab/y.html") == '<a href="x.html">'
    assert relative_links('<a href="/ontology#Twinning">', "/doc/id/actor/france.html") == '<a href="../../../ontology.html#Twinning">'
    assert relative_links('<a href="/">', "/browse/concepts.html") == '<a href="../index.html">'
    assert relative_links('<a href="/doc/vocab/x?lang=fr">', "/doc/vocab/y.html") == '<a href="x.fr.html">'
    assert relative_links('<a href="/doc/vocab/x">', "/doc/vocab/y.de.html", "de") == '<a href="x.de.html">'
    assert relative_links('<a href="/doc/vocab/x?lang=en">', "/doc/vocab/y.de.html", "de") == '<a href="x.html">'
    assert relative_links('<link href="/static/style.css">', "/index.html") == '<link href="static/style.css">'
    assert file_for("/id/actor/france") == "/doc/id/actor/france.html"


def test_static_pages_match_the_server_rendering(site, knowledge):
    """Same app, same templates; the static site only lacks what needs a server (SPARQL)."""
    client = create_app(knowledge, enable_sparql=False).test_client()
    served = client.get("/doc/vocab/city-diplomacy?lang=fr").get_data(as_text=True)
    written = (site / "doc/vocab/city-diplomacy.fr.html").read_text(encoding="utf-8")
    assert written == relative_links(served, "/doc/vocab/city-diplomacy.fr.html", "fr")
    assert "<h1>diplomatie des villes</h1>" in written and 'href="territorial-diplomacy.fr.html"' in written
    assert (site / "doc/vocab/city-diplomacy.ttl").read_bytes() == client.get("/doc/vocab/city-diplomacy.ttl").data


def test_conneg_rules_for_apache_and_nginx(site):
    apache = (site / ".htaccess").read_text()
    assert "R=303" in apache and "text/turtle" in apache and "application/ld\\+json" in apache
    nginx = (site / "nginx.conf").read_text()
    assert "return 303 /doc/$1/$2" in nginx and "try_files" in nginx


def test_static_site_has_no_broken_internal_link(site):
    checked, broken = check_static(site)
    assert checked > 1000
    assert broken == []


def test_live_site_has_no_broken_internal_link(client):
    seen, broken = crawl_live(client)
    assert len(seen) > 100
    assert broken == []
