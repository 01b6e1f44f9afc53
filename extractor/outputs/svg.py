"""svg: small line charts as self-contained SVG text (no network, no plotting library).

``line_chart`` draws one measure's series (one line per council, say) with
axes, ticks, a legend and a ``<title>`` tooltip on every point;
``small_multiples`` stacks several charts into one SVG document. Every piece of
text — measure names and period labels come from papers — is XML-escaped.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

# Colour-blind-safe palette (Okabe & Ito).
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]
FONT = "font-family:system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif"


@dataclass
class Point:
    x: float            # position on the time axis (say, a date's ordinal)
    y: float
    label: str          # the period as shown under the axis and in the tooltip
    note: str = ""      # extra tooltip text (the paper, the page)


@dataclass
class Series:
    name: str
    points: list[Point] = field(default_factory=list)


def _attr(text: str) -> str:
    return escape(str(text), {'"': "&quot;"})


def _nice_step(span: float, ticks: int = 5) -> float:
    """A round step (1, 2 or 5 × 10^n) giving about ``ticks`` intervals over ``span``."""
    if span <= 0:
        return 1.0
    raw = span / ticks
    power = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if raw <= m * power:
            return m * power
    return 10 * power


def _fmt(value: float) -> str:
    if abs(value) >= 1e6:
        return f"{value / 1e6:g}m"
    if abs(value) >= 1e4:
        return f"{value / 1e3:g}k"
    return f"{value:g}"


def line_chart(series: list[Series], title: str, *, unit: str | None = None, width: int = 640, height: int = 260,
               css_class: str = "chart") -> str:
    """One chart as an ``<svg>`` element: a line per series over a shared time axis."""
    series = [s for s in series if s.points]
    left, right, top, bottom = 56, 16, 28, 58 if len(series) > 1 else 40
    plot_w, plot_h = width - left - right, height - top - bottom
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="{_attr(css_class)}" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" role="img" aria-label="{_attr(title)}" style="{FONT}">',
           f'<title>{escape(title)}</title>',
           f'<text x="{left}" y="16" font-size="13" font-weight="600">{escape(_clip(title, (width - left) // 8))}</text>']
    if not series:
        out.append(f'<text x="{left}" y="{top + plot_h / 2}" font-size="12" fill="#666">no observations</text></svg>')
        return "".join(out)
    xs = sorted({p.x for s in series for p in s.points})
    ys = [p.y for s in series for p in s.points]
    lo, hi = min(ys + [0.0]) if min(ys) >= 0 else min(ys), max(ys)
    if unit == "percent":
        lo, hi = min(lo, 0.0), max(hi, 100.0)
    if hi == lo:
        hi = lo + 1
    step = _nice_step(hi - lo)
    lo, hi = math.floor(lo / step) * step, math.ceil(hi / step) * step
    x0, x1 = xs[0], xs[-1]

    def sx(x: float) -> float:
        return left + (plot_w / 2 if x1 == x0 else (x - x0) / (x1 - x0) * plot_w)

    def sy(y: float) -> float:
        return top + plot_h - (y - lo) / (hi - lo) * plot_h

    out.append(f'<g class="axes" stroke="#999" stroke-width="1">'
               f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}"/>'
               f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}"/></g>')
    value = lo
    while value <= hi + step / 2:
        y = sy(value)
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#eee"/>'
                   f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="10" text-anchor="end">'
                   f'{escape(_fmt(value))}{"%" if unit == "percent" else ""}</text>')
        value += step
    labels = {p.x: p.label for s in series for p in s.points}
    every = max(1, math.ceil(len(xs) / max(1, plot_w // 70)))
    for i, x in enumerate(xs):
        if i % every == 0 or i == len(xs) - 1:
            # the first and last labels hang inwards so the plot's edges do not cut them
            anchor = "middle" if len(xs) == 1 else "start" if i == 0 else "end" if i == len(xs) - 1 else "middle"
            out.append(f'<text x="{sx(x):.1f}" y="{top + plot_h + 14}" font-size="10" text-anchor="{anchor}">'
                       f'{escape(_clip(labels[x], 16))}</text>')
    for i, s in enumerate(series):
        colour = PALETTE[i % len(PALETTE)]
        points = sorted(s.points, key=lambda p: p.x)
        out.append(f'<g class="series" data-series="{_attr(s.name)}">')
        if len(points) > 1:
            path = " ".join(f"{sx(p.x):.1f},{sy(p.y):.1f}" for p in points)
            out.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{path}"/>')
        for p in points:
            tip = f"{s.name}: {_fmt(p.y)}{'%' if unit == 'percent' else ''} ({p.label})" + (f" — {p.note}" if p.note else "")
            out.append(f'<circle cx="{sx(p.x):.1f}" cy="{sy(p.y):.1f}" r="3.5" fill="{colour}">'
                       f'<title>{escape(tip)}</title></circle>')
        out.append("</g>")
    if len(series) > 1:
        x = left
        for i, s in enumerate(series):
            name = _clip(s.name, 28)
            out.append(f'<rect x="{x}" y="{height - 14}" width="10" height="10" fill="{PALETTE[i % len(PALETTE)]}"/>'
                       f'<text x="{x + 14}" y="{height - 5}" font-size="11">{escape(name)}</text>')
            x += 24 + 7 * len(name)
    out.append("</svg>")
    return "".join(out)


def small_multiples(charts: list[str], width: int = 640) -> str:
    """Several ``line_chart`` outputs stacked in one standalone SVG document."""
    heights = [_height_of(c) for c in charts]
    total = sum(heights) + 8 * max(0, len(charts) - 1)
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{max(total, 1)}" '
           f'viewBox="0 0 {width} {max(total, 1)}">']
    y = 0
    for chart, h in zip(charts, heights):
        out.append(f'<g transform="translate(0,{y})">{chart}</g>')
        y += h + 8
    out.append("</svg>")
    return "\n".join(out)


def _height_of(chart: str) -> int:
    start = chart.index('height="') + len('height="')
    return int(chart[start:chart.index('"', start)])


def _clip(text: str, n: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "…"
