"""The site in a real browser: a real `tdld serve` process, headless Chromium through Selenium.

Each browser test loads a page from the running server, checks that it rendered something
meaningful, that the browser console stayed free of errors, and saves a full-page screenshot to
test-artifacts/<name>.png (gitignored) for a person to look at.
"""

import base64
import http.client
import re
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from ..conftest import running_server

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
TDV = "https://w3id.org/territorial-diplomacy/vocab/"
PAGE_WAIT = 10
MAX_SHOT_HEIGHT = 30000  # CSS pixels; the ontology page is about 17000


# -- the server --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def server(built_project, tmp_path_factory):
    """A real `tdld serve` on a free port; yields its base URL without a trailing slash."""
    with running_server(built_project, tmp_path_factory.mktemp("server")) as base:
        yield base


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Hand 3xx answers back as they are, so the test can look at the 303 itself."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def _request(url: str, method: str = "GET", accept: str | None = None, follow: bool = True):
    """(status, headers, body) of one request; HTTP errors are answers too."""
    headers = {"Accept": accept} if accept else {}
    opener = urllib.request.build_opener() if follow else urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(url, method=method, headers=headers)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers, error.read()


def test_real_server_speaks_http(server):
    status, headers, body = _request(server + "/")
    assert status == 200
    assert headers.get_content_type() == "text/html"
    assert b"<h1>" in body

    status, headers, _ = _request(server + "/vocab/city-diplomacy", accept="text/turtle", follow=False)
    assert status == 303
    location = urllib.parse.urljoin(server + "/", headers["Location"])
    assert urllib.parse.urlsplit(location).path == "/doc/vocab/city-diplomacy"
    assert "Accept" in headers.get("Vary", "")

    status, headers, body = _request(server + "/vocab/city-diplomacy", accept="text/turtle")  # followed
    assert status == 200
    assert headers.get_content_type() == "text/turtle"
    graph = Graph().parse(data=body.decode("utf-8"), format="turtle")
    assert (URIRef(TDV + "city-diplomacy"), SKOS.prefLabel, Literal("city diplomacy", lang="en")) in graph

    status, headers, body = _request(location, method="HEAD", accept="text/turtle")
    assert status == 200
    assert headers.get_content_type() == "text/turtle"
    assert body == b""

    # http.client as a second opinion: HEAD on the thing IRI is a 303 too, with no body.
    host, port = urllib.parse.urlsplit(server).netloc.split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        connection.request("HEAD", "/vocab/city-diplomacy", headers={"Accept": "text/turtle"})
        response = connection.getresponse()
        assert response.status == 303
        assert response.getheader("Location").endswith("/doc/vocab/city-diplomacy")
        assert response.read() == b""
    finally:
        connection.close()

    status, headers, _ = _request(server + "/no/such/page-at-all")
    assert status == 404
    assert headers.get_content_type() == "text/html"


def test_site_has_a_favicon(server):
    """The icon a page declares is served as SVG, and /favicon.ico leads to it for clients that ask blindly."""
    status, _, body = _request(server + "/")
    declared = re.search(rb'<link[^>]+rel="[^"]*\bicon\b[^"]*"[^>]*>', body)
    assert declared, "the page declares no icon"
    href = re.search(rb'href="([^"]*)"', declared.group(0))
    assert href, "the icon link has no href"
    status, headers, icon = _request(urllib.parse.urljoin(server + "/", href.group(1).decode()))
    assert status == 200 and headers.get_content_type() == "image/svg+xml" and icon.lstrip().startswith(b"<svg")
    status, headers, _ = _request(server + "/favicon.ico", follow=False)
    assert status in (301, 302, 308) and headers["Location"].endswith(href.group(1).decode())


# -- the browser -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def driver(tmp_path_factory):
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if missing:
        pytest.skip("browser tests need Debian's chromium and chromium-driver; missing: " + ", ".join(missing)
                    + " (apt-get install chromium chromium-driver; .ci/run installs them)")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--disable-dev-shm-usage"):
        options.add_argument(argument)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.add_argument("--window-size=1280,1000")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    browser = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    try:
        browser.set_window_size(1280, 1000)
        browser.set_page_load_timeout(30)
        yield browser
    finally:
        browser.quit()


def _severe(entries: list) -> list:
    return [e for e in entries if e.get("level") == "SEVERE"]


def load(driver, url: str):
    """Open a page with the console log emptied first, so errors belong to this page."""
    driver.get_log("browser")
    driver.get(url)
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, PAGE_WAIT).until(lambda d: d.execute_script("return document.readyState") == "complete")


def assert_console_clean(driver):
    errors = _severe(driver.get_log("browser"))
    assert not errors, "browser console errors:\n" + "\n".join(f"{e['level']}: {e['message']}" for e in errors)


def screenshot(driver, name: str) -> Path:
    """The whole page, beyond the viewport, as test-artifacts/<name>.png."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    metrics = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
    size = metrics.get("cssContentSize") or metrics["contentSize"]
    clip = {"x": 0, "y": 0, "width": max(size["width"], 1), "height": min(max(size["height"], 1), MAX_SHOT_HEIGHT), "scale": 1}
    shot = driver.execute_cdp_cmd("Page.captureScreenshot",
                                  {"format": "png", "captureBeyondViewport": True, "clip": clip})
    path = ARTIFACTS / f"{name}.png"
    path.write_bytes(base64.b64decode(shot["data"]))
    assert path.stat().st_size > 1000
    return path


def h1(driver) -> str:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.TAG_NAME, "h1").text.strip()


def hrefs(driver, css: str = "a") -> list[str]:
    """Paths of the links matched by ``css`` (the browser resolves them to absolute URLs)."""
    from selenium.webdriver.common.by import By

    return [urllib.parse.urlsplit(a.get_attribute("href") or "").path for a in driver.find_elements(By.CSS_SELECTOR, css)]


@pytest.fixture(scope="module")
def french_label(built_project) -> str:
    """city-diplomacy's French prefLabel, read from the vocabulary rather than guessed."""
    graph = Graph().parse(built_project / "ontology" / "vocabulary.ttl", format="turtle")
    labels = [o for o in graph.objects(URIRef(TDV + "city-diplomacy"), SKOS.prefLabel) if o.language == "fr"]
    assert len(labels) == 1
    return str(labels[0])


def test_home_page(server, driver):
    from selenium.webdriver.common.by import By

    load(driver, server + "/")
    assert h1(driver) == "Territorial diplomacy as linked data"
    assert driver.title.endswith("tdld")
    links = hrefs(driver, "main a")
    for path in ("/browse/concepts", "/ontology", "/browse/timeline", "/downloads", "/doc/dataset"):
        assert path in links
    assert "/doc/vocab/scheme" in links
    concept_map = driver.find_element(By.CSS_SELECTOR, "main svg.concept-map")
    assert concept_map.is_displayed() and concept_map.size["height"] > 100
    assert len(concept_map.find_elements(By.CSS_SELECTOR, "circle")) > 5
    assert driver.find_element(By.ID, "site-search").is_displayed()
    assert_console_clean(driver)
    screenshot(driver, "home")


def test_concept_page(server, driver):
    from selenium.webdriver.common.by import By

    load(driver, server + "/doc/vocab/city-diplomacy")
    assert h1(driver) == "city diplomacy"
    assert driver.execute_script("return document.documentElement.lang") == "en"
    definition = driver.find_element(By.CSS_SELECTOR, "p.definition").text
    assert "cities" in definition
    labels = driver.find_element(By.CSS_SELECTOR, "section[aria-labelledby=labels-heading] table").text
    assert "Städtediplomatie" in labels and "diplomatie urbaine" in labels
    formats = hrefs(driver, "ul.formats a")
    assert "/doc/vocab/city-diplomacy.ttl" in formats
    assert_console_clean(driver)
    screenshot(driver, "concept-city-diplomacy")


def test_concept_page_in_french(server, driver, french_label):
    from selenium.webdriver.common.by import By

    load(driver, server + "/doc/vocab/city-diplomacy?lang=fr")
    assert h1(driver) == french_label
    assert driver.execute_script("return document.documentElement.lang") == "fr"
    assert driver.find_element(By.ID, "def-heading").text == "Définition"
    current = driver.find_element(By.CSS_SELECTOR, ".languages a[aria-current]")
    assert current.text == "fr"
    assert_console_clean(driver)
    screenshot(driver, "concept-city-diplomacy-fr")


def test_search_page_finds_a_german_label(server, driver):
    from selenium.webdriver.common.by import By

    load(driver, server + "/search?q=" + urllib.parse.quote("Städtepartnerschaft"))
    assert "Städtepartnerschaft" in h1(driver)
    hits = driver.find_elements(By.CSS_SELECTOR, "ol.hits li a")
    assert hits, "no search results"
    assert "/doc/vocab/town-twinning" in hrefs(driver, "ol.hits li a")
    assert driver.find_element(By.ID, "site-search").get_attribute("value") == "Städtepartnerschaft"
    assert_console_clean(driver)
    screenshot(driver, "search")


def test_concept_hierarchy_folds(server, driver):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    load(driver, server + "/browse/concepts")
    assert h1(driver) == "Concepts"
    tree_links = hrefs(driver, ".tree a")
    assert len(tree_links) > 10
    assert "/doc/vocab/city-diplomacy" in tree_links
    details = driver.find_element(By.CSS_SELECTOR, ".tree details")
    summary = details.find_element(By.CSS_SELECTOR, ":scope > summary")
    nested = details.find_element(By.CSS_SELECTOR, ":scope > ul a")
    assert details.get_attribute("open") is not None and nested.is_displayed()
    page = driver.current_url

    def click_marker():
        # The summary holds a link: click its disclosure triangle, left of the link, not the link.
        link = summary.find_element(By.TAG_NAME, "a")
        offset_x = (link.location["x"] - summary.location["x"]) / 2 - summary.size["width"] / 2
        assert link.location["x"] - summary.location["x"] > 4, "no room to click the summary beside its link"
        ActionChains(driver).move_to_element_with_offset(summary, int(offset_x), 0).click().perform()

    click_marker()
    WebDriverWait(driver, 5).until(lambda d: details.get_attribute("open") is None)
    assert driver.current_url == page
    assert not nested.is_displayed()
    screenshot(driver, "concepts-folded")
    click_marker()
    WebDriverWait(driver, 5).until(lambda d: details.get_attribute("open") is not None)
    assert nested.is_displayed()
    assert_console_clean(driver)
    screenshot(driver, "concepts")


def test_timeline_draws_an_svg(server, driver):
    from selenium.webdriver.common.by import By

    load(driver, server + "/browse/timeline")
    assert h1(driver) == "Timeline"
    chart = driver.find_element(By.CSS_SELECTOR, "figure.chart > svg")
    assert chart.is_displayed() and chart.size["width"] > 300
    circles = chart.find_elements(By.CSS_SELECTOR, "circle")
    rows = driver.find_elements(By.CSS_SELECTOR, "main table tbody tr")
    assert len(circles) > 3
    assert len(circles) == len(rows)
    assert_console_clean(driver)
    screenshot(driver, "timeline")


def test_timeline_labels_fit_in_the_chart(server, driver):
    load(driver, server + "/browse/timeline")
    clipped = driver.execute_script("""
        const svg = document.querySelector('figure.chart > svg');
        const box = svg.viewBox.baseVal;
        return Array.from(svg.querySelectorAll('text')).filter(t => {
            const b = t.getBBox();
            return b.x < box.x - 0.5 || b.x + b.width > box.x + box.width + 0.5;
        }).map(t => t.textContent);""")
    assert clipped == [], f"{len(clipped)} timeline labels are cut off by the chart's edge: {clipped}"


def test_ontology_page(server, driver):
    from selenium.webdriver.common.by import By

    load(driver, server + "/ontology")
    assert h1(driver)
    assert driver.find_element(By.ID, "classes").text == "Classes"
    assert driver.find_element(By.ID, "Twinning").is_displayed()
    assert len(driver.find_elements(By.CSS_SELECTOR, "#classes ~ article.term")) > 5
    assert "/ontology.ttl" in hrefs(driver, "p.iri a")
    assert_console_clean(driver)
    screenshot(driver, "ontology")


def test_the_ontology_diagram_draws_every_class_with_its_properties_inside_its_box(server, driver):
    from selenium.webdriver.common.by import By

    load(driver, server + "/ontology")
    diagram = driver.find_element(By.CSS_SELECTOR, "figure.diagram > svg.class-diagram")
    assert diagram.is_displayed() and diagram.size["height"] > 300
    articles = driver.find_elements(By.CSS_SELECTOR, "#classes ~ article.term")
    names = [t.text for t in diagram.find_elements(By.CSS_SELECTOR, "text.class-name")]
    links = driver.execute_script(
        "return Array.from(document.querySelectorAll('svg.class-diagram g.class > a'), a => a.getAttribute('href'))")
    assert len(names) == len(articles) and any(link.endswith("#Twinning") for link in links)
    assert len(diagram.find_elements(By.CSS_SELECTOR, "text.property")) > 20
    escaping = driver.execute_script("""
        return Array.from(document.querySelectorAll('svg.class-diagram g.class')).flatMap(g => {
            const r = g.querySelector('rect').getBBox();
            return Array.from(g.querySelectorAll('text')).filter(t => {
                const b = t.getBBox();
                return b.x < r.x || b.x + b.width > r.x + r.width || b.y < r.y || b.y + b.height > r.y + r.height;
            }).map(t => t.textContent);
        });""")
    assert escaping == [], f"text outside its class box: {escaping}"
    overlapping = driver.execute_script("""
        const boxes = Array.from(document.querySelectorAll('svg.class-diagram g.class rect')).map(r => r.getBBox());
        return boxes.slice(1).filter((b, i) => b.y < boxes[i].y + boxes[i].height).length;""")
    assert overlapping == 0


def test_the_map_of_terms_shows_every_label_whole_and_leads_to_the_term(server, driver):
    from selenium.webdriver.common.by import By

    load(driver, server + "/browse/terms")
    wheel = driver.find_element(By.CSS_SELECTOR, "figure.wheel > svg.terminology-wheel")
    assert wheel.is_displayed() and wheel.size["width"] > 500
    clipped = driver.execute_script("""
        const svg = document.querySelector('svg.terminology-wheel');
        const box = svg.viewBox.baseVal;
        return Array.from(svg.querySelectorAll('g.term text')).filter(t => {
            const b = t.getBoundingClientRect(), s = svg.getBoundingClientRect();
            return b.left < s.left - 0.5 || b.right > s.right + 0.5 || b.top < s.top - 0.5 || b.bottom > s.bottom + 0.5;
        }).map(t => t.textContent);""")
    assert clipped == [], f"labels cut off by the drawing's edge: {clipped}"
    href = driver.execute_script("return document.querySelector('svg.terminology-wheel g.term a').getAttribute('href')")
    load(driver, server + href)
    assert driver.find_element(By.TAG_NAME, "h1").text
    assert_console_clean(driver)


def test_search_box_suggests_terms(server, driver):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    load(driver, server + "/browse/concepts")
    box = driver.find_element(By.ID, "site-search")
    box.clear()
    box.send_keys("twin")
    options_js = "return Array.from(document.querySelectorAll('#site-search-suggestions option'), o => o.value)"
    WebDriverWait(driver, PAGE_WAIT).until(lambda d: len(d.execute_script(options_js)) > 0)
    values = driver.execute_script(options_js)
    assert all(v.strip() for v in values)
    assert any("twin" in v.casefold() for v in values), values
    assert_console_clean(driver)
    screenshot(driver, "search-suggestions")
