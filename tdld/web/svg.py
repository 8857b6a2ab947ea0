"""Pictures generated from the data as SVG: the synonym cluster, the timeline, bars and a matrix."""

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
    width = label_x + max(len(text) for text in labels) * 7 + 20
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
