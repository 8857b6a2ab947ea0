"""Pictures generated from the data as SVG: the synonym cluster, the timeline, bars, a matrix, the ontology."""

import math
from xml.sax.saxutils import escape, quoteattr


def concept_map(center: dict, related: list, width: int = 760, height: int = 520) -> str:
    """A star of the terms related to one concept: the synonym cluster at a glance.

    ``center`` and each of ``related`` are dicts with ``label`` and ``href``.
    """
    cx, cy = width / 2, height / 2
    radius = min(width, height) / 2 - 70
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="map-title" class="concept-map">',
        f'<title id="map-title">{escape(center["label"])}: {len(related)} related terms</title>',
    ]
    points = []
    for i, item in enumerate(related):
        angle = 2 * math.pi * i / max(len(related), 1) - math.pi / 2
        x, y = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
        points.append((x, y, item))
        parts.append(f'<line x1="{cx:.1f}" y1="{cy:.1f}" x2="{x:.1f}" y2="{y:.1f}" class="edge"/>')
    for x, y, item in points:
        anchor = "middle" if abs(x - cx) < 20 else ("start" if x > cx else "end")
        dx = 0 if anchor == "middle" else (8 if anchor == "start" else -8)
        parts.append(f'<a href={quoteattr(item["href"])}><circle cx="{x:.1f}" cy="{y:.1f}" r="6" class="node"/>'
                     f'<text x="{x + dx:.1f}" y="{y + (18 if y > cy else -10):.1f}" text-anchor="{anchor}">'
                     f'{escape(item["label"])}</text></a>')
    parts.append(f'<a href={quoteattr(center["href"])}><circle cx="{cx:.1f}" cy="{cy:.1f}" r="10" class="node centre"/>'
                 f'<text x="{cx:.1f}" y="{cy + 28:.1f}" text-anchor="middle" class="centre-label">'
                 f'{escape(center["label"])}</text></a>')
    parts.append("</svg>")
    return "".join(parts)


def timeline(entries: list, chart_width: int = 300, label_chars: int = 60) -> str:
    """Dated entries on a year axis, one row each, with their labels in a column to the right.

    Labels never overlap the axis or each other, and the drawing grows to fit the
    longest label, so nothing is clipped.
    """
    if not entries:
        return ""
    first = min(e["year"] for e in entries)
    last = max(e["year"] for e in entries)
    span = max(last - first, 1)
    left, row = 40, 22
    full = [f'{e["date"]} · {e["label"]} ({e["what"]})' for e in entries]
    labels = [text if len(text) <= label_chars else text[: label_chars - 1] + "…" for text in full]
    label_x = left + chart_width + 20
    width = label_x + max(len(text) for text in labels) * 8 + 20
    height = 60 + row * len(entries)

    def x_of(year: float) -> float:
        return left + chart_width * (year - first) / span

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
             f'aria-labelledby="timeline-title" class="timeline-chart">',
             f'<title id="timeline-title">Timeline {first}–{last}: {len(entries)} dated entries</title>',
             f'<line x1="{left}" y1="30" x2="{left + chart_width}" y2="30" class="axis"/>']
    step = 10 if span > 30 else 5 if span > 10 else 1
    for year in range(first - first % step, last + 1, step):
        if year < first:
            continue
        parts.append(f'<line x1="{x_of(year):.1f}" y1="26" x2="{x_of(year):.1f}" y2="{height - 10}" class="tick"/>'
                     f'<text x="{x_of(year):.1f}" y="20" text-anchor="middle" class="year">{year}</text>')
    for i, (entry, text, whole) in enumerate(zip(entries, labels, full)):
        y = 50 + i * row
        month = int(entry["date"][5:7]) if len(entry["date"]) >= 7 else 1
        x = x_of(entry["year"] + (month - 1) / 12)
        parts.append(f'<a href={quoteattr(entry["href"] or "#")}><title>{escape(whole)}</title>'
                     f'<line x1="{x:.1f}" y1="{y}" x2="{label_x - 6}" y2="{y}" class="leader"/>'
                     f'<circle cx="{x:.1f}" cy="{y}" r="5" class="dot {escape(entry["kind"])}"/>'
                     f'<text x="{label_x}" y="{y + 4}">{escape(text)}</text></a>')
    parts.append("</svg>")
    return "".join(parts)


def bars(counts: list, title: str, width: int = 760, height: int = 260) -> str:
    """A bar chart of (label, count) pairs in the order given: how many of something per year."""
    top = max((n for _, n in counts), default=0) or 1
    step = (width - 60) / max(len(counts), 1)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
             f'aria-labelledby="bars-title" class="bars">', f'<title id="bars-title">{escape(title)}</title>']
    for i, (label, n) in enumerate(counts):
        h = (height - 60) * n / top
        x, y = 40 + i * step, height - 30 - h
        parts.append(f'<g class="bar"><rect x="{x + 2:.1f}" y="{y:.1f}" width="{max(step - 4, 1):.1f}" height="{h:.1f}">'
                     f'<title>{escape(str(label))}: {n}</title></rect>'
                     f'<text x="{x + step / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle">{n}</text>'
                     f'<text x="{x + step / 2:.1f}" y="{height - 12}" text-anchor="middle">{escape(str(label))}</text></g>')
    parts.append("</svg>")
    return "".join(parts)


def matrix(names: list, pairs: dict, title: str, cell: int = 36) -> str:
    """A symmetric matrix: in cell (a, b) how many things a and b share (countries in the same EGTCs)."""
    margin = 50
    size = margin + cell * len(names)
    top = max(pairs.values(), default=0) or 1
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" role="img" '
             f'aria-labelledby="matrix-title" class="matrix">', f'<title id="matrix-title">{escape(title)}</title>']
    for i, name in enumerate(names):
        position = margin + i * cell + cell / 2
        parts.append(f'<text x="{margin - 6}" y="{position + 4:.1f}" text-anchor="end">{escape(name)}</text>')
        parts.append(f'<text x="{position:.1f}" y="{margin - 8}" text-anchor="middle">{escape(name)}</text>')
    for i, a in enumerate(names):
        for j, b in enumerate(names):
            n = pairs.get((a, b), 0)
            if not n:
                continue
            opacity = 0.15 + 0.85 * n / top
            parts.append(f'<rect x="{margin + j * cell}" y="{margin + i * cell}" width="{cell - 2}" height="{cell - 2}" '
                         f'fill-opacity="{opacity:.2f}" class="cell"><title>{escape(a)}–{escape(b)}: {n}</title></rect>')
    parts.append("</svg>")
    return "".join(parts)


def class_diagram(classes: list, properties: list, indent: int = 28, line: int = 15) -> str:
    """The ontology as a class diagram: the subclass tree, each class with the properties it is the domain of.

    ``classes`` and ``properties`` are the ontology page's views (label, iri, href, superclasses,
    domain, range). A class with two superclasses sits under the first and names the others.
    """
    known = {c["iri"]: c for c in classes}
    parents = {c["iri"]: [s["iri"] for s in c["superclasses"] if s["iri"] in known] for c in classes}
    children: dict = {}
    for iri, ups in parents.items():
        if ups:
            children.setdefault(ups[0], []).append(iri)
    by_domain: dict = {}
    for p in properties:
        for d in p["domain"]:
            by_domain.setdefault(d["iri"], []).append(p)
    order, seen = [], set()

    def visit(iri: str, depth: int) -> None:
        if iri in seen:
            return
        seen.add(iri)
        order.append((iri, depth))
        for child in sorted(children.get(iri, ()), key=lambda i: known[i]["label"].lower()):
            visit(child, depth + 1)

    for iri in sorted((i for i, ups in parents.items() if not ups), key=lambda i: known[i]["label"].lower()):
        visit(iri, 0)
    boxes, y = [], 10
    for iri, depth in order:
        others = [known[u]["label"] for u in parents[iri][1:]]
        rows = [(p["label"] + " → " + (", ".join(r["label"] for r in p["range"]) or "any"), p["href"])
                for p in sorted(by_domain.get(iri, ()), key=lambda p: p["label"].lower())]
        height = 24 + line * (len(rows) + (1 if others else 0)) + 4
        boxes.append((iri, depth, y, height, rows, others))
        y += height + 10
    deepest = max((d for _, d, *_ in boxes), default=0)
    longest = max([len(known[i]["label"]) for i, *_ in boxes] +
                  [len(text) + 2 for *_, rows, _ in boxes for text, _ in rows] +
                  [len(", ".join(others)) + 6 for *_, others in boxes], default=20)
    width = 30 + longest * 7.5
    total_width = round(20 + deepest * indent + width + 10)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {total_width} {y}" role="img" '
             f'aria-labelledby="classes-title" class="class-diagram">',
             f'<title id="classes-title">{len(boxes)} classes, with the properties each is the domain of</title>']
    top_of = {iri: (10 + depth * indent, top) for iri, depth, top, *_ in boxes}
    for iri, depth, top, *_ in boxes:
        if parents[iri]:
            px, py = top_of[parents[iri][0]]
            x = 10 + depth * indent
            parts.append(f'<path d="M{px + 10} {py + 22} V{top + 12} H{x}" class="edge"/>')
    for iri, depth, top, height, rows, others in boxes:
        x = 10 + depth * indent
        item = known[iri]
        parts.append(f'<g class="class"><a href={quoteattr(item["href"])}>'
                     f'<rect x="{x}" y="{top}" width="{width:.0f}" height="{height}" rx="4"/>'
                     f'<text x="{x + 8}" y="{top + 17}" class="class-name">{escape(item["label"])}</text></a>')
        ty = top + 17
        if others:
            ty += line
            parts.append(f'<text x="{x + 8}" y="{ty}" class="also">also: {escape(", ".join(others))}</text>')
        for text, href in rows:
            ty += line
            parts.append(f'<a href={quoteattr(href)}><text x="{x + 14}" y="{ty}" class="property">{escape(text)}</text></a>')
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)


def terminology_wheel(nodes: list, edges: list, facets: list, label_chars: int = 34, step: float = 15.0) -> str:
    """Every concept on one circle, facet by facet, with curves for broader (solid) and related (dashed) terms.

    Hovering a term brings out its own curves; each term links to its page. A gap of two places
    separates the facets, and labels stand outside the circle along their radius.
    """
    if not nodes:
        return ""
    facet_index = {f["iri"]: f["index"] for f in facets}
    slots, place, previous = 0, {}, None
    for n in nodes:
        if previous is not None and n["facet"] != previous:
            slots += 2
        place[n["iri"]] = slots
        previous, slots = n["facet"], slots + 1
    radius = max(220.0, slots * step / (2 * math.pi))
    margin = label_chars * 6.6 + 24
    size = 2 * (radius + margin)
    centre = size / 2

    def point(iri: str, r: float = radius) -> tuple:
        angle = 2 * math.pi * place[iri] / slots - math.pi / 2
        return centre + r * math.cos(angle), centre + r * math.sin(angle), math.degrees(angle)

    def curve(a: str, b: str, kind: str) -> str:
        (x1, y1, _), (x2, y2, _) = point(a), point(b)
        cx, cy = centre + ((x1 + x2) / 2 - centre) * 0.25, centre + ((y1 + y2) / 2 - centre) * 0.25
        return f'<path d="M{x1:.1f} {y1:.1f} Q{cx:.1f} {cy:.1f} {x2:.1f} {y2:.1f}" class="{kind}"/>'

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size:.0f} {size:.0f}" role="img" '
             f'aria-labelledby="wheel-title" class="terminology-wheel">',
             f'<title id="wheel-title">{len(nodes)} terms in {len(facets)} facets, '
             f'{sum(1 for e in edges if e[2] == "broader")} broader and {sum(1 for e in edges if e[2] == "related")} '
             f'related links</title>', '<g class="links">']
    parts += [curve(a, b, kind) for a, b, kind in edges]
    parts.append("</g>")
    touching: dict = {}
    for a, b, kind in edges:
        touching.setdefault(a, []).append((a, b, kind))
        touching.setdefault(b, []).append((a, b, kind))
    for n in nodes:
        x, y, degrees = point(n["iri"])
        lx, ly, _ = point(n["iri"], radius + 10)
        left = math.cos(math.radians(degrees)) < 0
        text = n["label"] if len(n["label"]) <= label_chars else n["label"][: label_chars - 1] + "…"
        rotation = degrees + 180 if left else degrees
        tip = n["label"] + (f": {n['definition']}" if n.get("definition") else "")
        parts.append(f'<g class="term f{facet_index.get(n["facet"], 0)}"><a href={quoteattr(n["href"])}>'
                     f'<title>{escape(tip)}</title>'
                     + "".join(curve(a, b, kind + " own") for a, b, kind in touching.get(n["iri"], ()))
                     + f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4"/>'
                     f'<text x="{lx:.1f}" y="{ly:.1f}" dy="4" text-anchor="{"end" if left else "start"}" '
                     f'transform="rotate({rotation:.1f} {lx:.1f} {ly:.1f})">{escape(text)}</text></a></g>')
    parts.append("</svg>")
    return "".join(parts)
