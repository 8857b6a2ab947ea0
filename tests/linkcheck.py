"""A small link checker for the live app (through its test client) and the static site."""

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit


class LinkParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)


def links_of(html: str) -> list[str]:
    parser = LinkParser()
    parser.feed(html)
    return parser.links


def is_internal(link: str) -> bool:
    return not urlsplit(link).scheme and not link.startswith(("//", "mailto:", "#"))


def crawl_live(client, start: str = "/", limit: int = 2000) -> tuple[set, list]:
    """Visit every internal page reachable from ``start``; return visited paths and broken links."""
    seen, broken, queue = {start}, [], [start]
    while queue and len(seen) <= limit:
        path = queue.pop()
        response = client.get(path, follow_redirects=True)
        status, kind = response.status_code, response.headers.get("Content-Type", "")
        body = response.get_data(as_text=True) if kind.startswith("text/html") else ""
        response.close()
        if status != 200:
            broken.append((path, status))
            continue
        if not kind.startswith("text/html"):
            continue
        for link in links_of(body):
            if not is_internal(link):
                continue
            target = urlsplit(urljoin(path, link))
            key = target.path + (f"?{target.query}" if target.query else "")
            if key not in seen:
                seen.add(key)
                queue.append(key)
    return seen, broken


def check_static(root: Path) -> tuple[int, list]:
    """Every relative link of every HTML file resolves to a file of the site."""
    broken, checked = [], 0
    for page in root.rglob("*.html"):
        for link in links_of(page.read_text(encoding="utf-8")):
            if not is_internal(link):
                continue
            checked += 1
            target_path = unquote(urlsplit(link).path)
            if not target_path:
                continue
            target = (page.parent / target_path).resolve()
            if not target.is_file():
                broken.append((str(page.relative_to(root)), link))
    return checked, broken
