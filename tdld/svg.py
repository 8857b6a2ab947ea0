"""Pictures generated from the data as SVG: the synonym cluster and the timeline."""

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


def timeline(entries: list, width: int = 960) -> str:
    """Dated entries on a year axis, one row per entry so labels never overlap."""
    if not entries:
        return ""
    first = min(e["year"] for e in entries)
    last = max(e["year"] for e in entries)
    span = max(last - first, 1)
    left, right, row = 60, 40, 22
    height = 60 + row * len(entries)

    def x_of(year: float) -> float:
        return left + (width - left - right) * (year - first) / span

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
             f'aria-labelledby="timeline-title" class="timeline-chart">',
             f'<title id="timeline-title">Timeline {first}–{last}: {len(entries)} dated entries</title>',
             f'<line x1="{left}" y1="30" x2="{width - right}" y2="30" class="axis"/>']
    step = 5 if span > 20 else 1
    for year in range(first - first % step, last + 1, step):
        if year < first:
            continue
        parts.append(f'<line x1="{x_of(year):.1f}" y1="26" x2="{x_of(year):.1f}" y2="{height - 10}" class="tick"/>'
                     f'<text x="{x_of(year):.1f}" y="20" text-anchor="middle" class="year">{year}</text>')
    for i, entry in enumerate(entries):
        y = 50 + i * row
        x = x_of(entry["year"] + (int(entry["date"][5:7]) - 1) / 12 if len(entry["date"]) >= 7 else entry["year"])
        anchor = "end" if x > width * 0.6 else "start"
        dx = -9 if anchor == "end" else 9
        parts.append(f'<a href={quoteattr(entry["href"] or "#")}><circle cx="{x:.1f}" cy="{y}" r="5" class="dot {escape(entry["kind"])}"/>'
                     f'<text x="{x + dx:.1f}" y="{y + 4}" text-anchor="{anchor}">{escape(entry["date"])} · '
                     f'{escape(entry["label"])} ({escape(entry["what"])})</text></a>')
    parts.append("</svg>")
    return "".join(parts)
