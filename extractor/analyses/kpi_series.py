"""kpi_series: KPI observations as time series per council and measure, in a table and as a chart.

Periods are written many ways (``2016-07``, ``July 2014``, ``Q1 2016/17``,
``Quarter 3, 2024/25``, ``2024/25``, ``May 2015 to March 2016``); ``period_key``
turns each into an ISO-style key that sorts in time (``2016-07``,
``2016-04/2016-06`` for a financial-year quarter, ``2024-04/2025-03`` for a
financial year) and the first day it covers, which places it on a chart's time
axis. A measure reported under slightly different names in one council
(rapidfuzz token-sort similarity ≥ ``SAME_MEASURE``, same unit) is one series. An
observation repeated in a later paper (the same period and value) is counted once.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rapidfuzz import fuzz

from ..dates import SHORT_MONTH_YEAR, find_dates, parse_cell_date
from ..store import Store

COLUMNS = ["council", "measure", "unit", "period", "period_key", "period_label", "start", "value", "target", "qualifier", "ref",
           "name", "committee", "date", "paper", "doc", "page", "section", "quote", "also_in", "record_id"]
TABLE_COLUMNS = ["council", "measure", "period_key", "value", "unit", "target", "paper", "page"]
SAME_MEASURE = 92

_MONTH_NUM = re.compile(r"^\s*((?:19|20)\d\d)-(0[1-9]|1[0-2])\s*$")
_FY = r"((?:19|20)\d\d)\s*[/-]\s*(\d\d(?:\d\d)?)"
_QUARTER_FY = re.compile(rf"\b(?:Q|Quarter\s*)([1-4])\b[\s,:-]*(?:of\s+)?(?:FY\s*)?{_FY}|{_FY}\s*[,:-]?\s*(?:Q|Quarter\s*)([1-4])\b",
                         re.IGNORECASE)
_QUARTER_CAL = re.compile(r"\b(?:Q|Quarter\s*)([1-4])\b[\s,:-]*((?:19|20)\d\d)\b(?!\s*[/-]\s*\d)", re.IGNORECASE)
_FINANCIAL_YEAR = re.compile(rf"^\s*(?:FY\s*)?{_FY}\s*$", re.IGNORECASE)
_YEAR = re.compile(r"^\s*((?:19|20)\d\d)\s*$")


@dataclass(frozen=True)
class Period:
    """A period normalised: ``key`` sorts in time, ``start``/``end`` are the first and last days it covers,
    ``label`` is how a chart's axis shows it (``2016/17 Q1``, ``2024/25``, ``2016-07``)."""

    key: str
    start: date
    end: date
    label: str = ""

    def __post_init__(self) -> None:
        if not self.label:
            object.__setattr__(self, "label", self.key)


def _month_end(year: int, month: int) -> date:
    import calendar

    return date(year, month, calendar.monthrange(year, month)[1])


def _fy_start(first: str, second: str) -> int | None:
    """``2016/17`` → 2016 when the second year follows the first, else None."""
    start = int(first)
    follows = int(second) if len(second) == 4 else (start // 100) * 100 + int(second)
    if follows < start:
        follows += 100
    return start if follows == start + 1 else None


def _span(y1: int, m1: int, y2: int, m2: int) -> Period:
    return Period(f"{y1:04d}-{m1:02d}/{y2:04d}-{m2:02d}", date(y1, m1, 1), _month_end(y2, m2))


def period_key(text: str | None) -> Period | None:
    """The period ``text`` names, normalised (see the module docstring); None when it names none."""
    if not text or not text.strip():
        return None
    m = _MONTH_NUM.match(text)
    if m:
        y, mo = int(m.group(1)), int(m.group(2))
        return Period(f"{y:04d}-{mo:02d}", date(y, mo, 1), _month_end(y, mo))
    m = _QUARTER_FY.search(text)
    if m:
        quarter, first, second = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(6), m.group(4), m.group(5))
        year = _fy_start(first, second)
        if year is not None:
            # a UK financial year runs April to March: Q1 is April to June
            months = [(year, 4), (year, 7), (year, 10), (year + 1, 1)][int(quarter) - 1]
            span = _span(months[0], months[1], months[0], months[1] + 2)
            return Period(span.key, span.start, span.end, f"{year}/{(year + 1) % 100:02d} Q{quarter}")
    m = _QUARTER_CAL.search(text)
    if m:
        q, y = int(m.group(1)), int(m.group(2))
        span = _span(y, 3 * q - 2, y, 3 * q)
        return Period(span.key, span.start, span.end, f"{y} Q{q}")
    m = _FINANCIAL_YEAR.match(text)
    if m:
        year = _fy_start(m.group(1), m.group(2))
        if year is not None:
            span = _span(year, 4, year + 1, 3)
            return Period(span.key, span.start, span.end, f"{year}/{(year + 1) % 100:02d}")
    m = _YEAR.match(text)
    if m:
        y = int(m.group(1))
        return Period(f"{y:04d}", date(y, 1, 1), date(y, 12, 31))
    if SHORT_MONTH_YEAR.match(text):   # Mar-16, Aug 17
        day = date.fromisoformat(parse_cell_date(text))
        return Period(f"{day.year:04d}-{day.month:02d}", day, _month_end(day.year, day.month))
    found = find_dates(text)
    if len(found) >= 2:
        first, last = date.fromisoformat(found[0].iso), date.fromisoformat(find_dates(text, end=True)[-1].iso)
        if first <= last:
            return _span(first.year, first.month, last.year, last.month)
    if len(found) == 1:
        day = date.fromisoformat(found[0].iso)
        if found[0].has_day:
            return Period(day.isoformat(), day, day)
        return Period(f"{day.year:04d}-{day.month:02d}", day, _month_end(day.year, day.month))
    return None


def _fold(text: str | None) -> str:
    return re.sub(r"[^\w%]+", " ", (text or "").lower()).strip()


def observations(db: str | Path, council: str | None = None, measure: str | None = None) -> list[dict]:
    """KPI observations with a value, one row each, grouped into series and sorted in time."""
    rows = []
    with Store(db, create=False, readonly=True) as store:
        papers = {r["id"]: r for r in store.conn.execute(
            "SELECT id, name, council, committee, meeting_date FROM documents")}
        for r in store.conn.execute("SELECT id, doc_id, page, section, quote, data FROM records "
                                    "WHERE type = 'kpi' AND duplicate_of IS NULL ORDER BY doc_id, seq"):
            data = json.loads(r["data"])
            paper = papers.get(r["doc_id"])
            if data.get("value") is None or paper is None:
                continue
            if council and (paper["council"] or "").lower() != council.lower():
                continue
            if measure and _fold(measure) not in _fold(data.get("name")) and _fold(measure) != _fold(data.get("ref")):
                continue
            period = period_key(data.get("period"))
            rows.append({
                "council": paper["council"], "measure": data.get("name"), "unit": data.get("unit"),
                "period": data.get("period"), "period_key": period.key if period else None,
                "period_label": period.label if period else None,
                "start": period.start.isoformat() if period else None, "value": data.get("value"),
                "target": data.get("target"), "qualifier": data.get("qualifier"), "ref": data.get("ref"),
                "name": data.get("name"), "committee": paper["committee"], "date": paper["meeting_date"],
                "paper": paper["name"], "doc": paper["id"], "page": r["page"], "section": r["section"],
                "quote": r["quote"], "also_in": [], "record_id": r["id"],
            })
    _name_series(rows)
    rows = _once(rows)
    rows.sort(key=lambda x: ((x["council"] or "").lower(), _fold(x["measure"]), x["start"] is None, x["start"] or "",
                             x["period_key"] or ""))
    return rows


def _name_series(rows: list[dict]) -> None:
    """Give observations of one measure in one council a common ``measure`` name (the most reported form)."""
    counts: dict[tuple, int] = {}
    for r in rows:
        key = ((r["council"] or "").lower(), r["unit"], _fold(r["name"]))
        counts[key] = counts.get(key, 0) + 1
    clusters: dict[tuple, list[tuple[str, str]]] = {}   # (council, unit) -> [(folded representative, name)]
    chosen: dict[tuple, str] = {}
    for key in sorted(counts, key=lambda k: -counts[k]):
        council, unit, folded = key
        reps = clusters.setdefault((council, unit), [])
        name = next(r["name"] for r in rows if ((r["council"] or "").lower(), r["unit"], _fold(r["name"])) == key)
        for rep_folded, rep_name in reps:
            if fuzz.token_sort_ratio(folded, rep_folded) >= SAME_MEASURE:
                chosen[key] = rep_name
                break
        else:
            reps.append((folded, name))
            chosen[key] = name
    for r in rows:
        r["measure"] = chosen[((r["council"] or "").lower(), r["unit"], _fold(r["name"]))]


def _once(rows: list[dict]) -> list[dict]:
    """An observation reported again in a later paper (same series, period and value) is kept once."""
    seen: dict[tuple, dict] = {}
    out = []
    for r in sorted(rows, key=lambda x: x["date"] or ""):
        if r["period_key"] is None:
            out.append(r)
            continue
        key = ((r["council"] or "").lower(), r["measure"], r["unit"], r["period_key"], r["value"])
        if key in seen:
            seen[key]["also_in"].append(r["paper"])
            if r["target"] is not None and seen[key]["target"] is None:
                seen[key]["target"] = r["target"]
            continue
        seen[key] = r
        out.append(r)
    return out


def series(rows: list[dict], min_points: int = 1) -> list[dict]:
    """Rows grouped into series: ``{council, measure, unit, points: [row, …]}`` (periods known), in time order."""
    groups: dict[tuple, dict] = {}
    for r in rows:
        if r["start"] is None:
            continue
        key = (r["council"], r["measure"], r["unit"])
        groups.setdefault(key, {"council": r["council"], "measure": r["measure"], "unit": r["unit"], "points": []})
        groups[key]["points"].append(r)
    out = [g for g in groups.values() if len(g["points"]) >= min_points]
    for g in out:
        g["points"].sort(key=lambda p: (p["start"], p["period_key"]))
    out.sort(key=lambda g: (-len(g["points"]), (g["council"] or "").lower(), _fold(g["measure"])))
    return out


def chart(groups: list[dict], *, width: int = 640, height: int = 240) -> list[str]:
    """One SVG chart (``outputs.svg.line_chart``) per series."""
    from ..outputs.svg import Point, Series, line_chart

    charts = []
    for g in groups:
        points = [Point(date.fromisoformat(p["start"]).toordinal(), p["value"], p["period_label"],
                        f"{p['paper']}" + (f", page {p['page']}" if p["page"] else "")) for p in g["points"]]
        title = f"{g['council'] or 'Unknown council'} — {g['measure']}"
        charts.append(line_chart([Series(g["council"] or "", points)], title, unit=g["unit"], width=width,
                                 height=height, css_class="chart kpi-chart"))
    return charts


def run_kpis(db: str | Path, *, council: str | None, measure: str | None, fmt: str, output: Path | None,
             chart_path: Path | None, echo=print) -> int:
    """The ``minutes kpis`` command: the observations as a listing, and with ``chart_path`` an SVG of every series."""
    from ..outputs.table import write_rows

    rows = observations(db, council=council, measure=measure)
    if chart_path is not None:
        from ..outputs.svg import small_multiples

        groups = series(rows)
        try:
            Path(chart_path).write_text(small_multiples(chart(groups)), encoding="utf-8")
        except OSError as exc:
            from ..errors import MinutesError

            raise MinutesError(f"{chart_path}: cannot write ({exc.strerror or exc})") from None
        echo(f"minutes: {len(groups)} series charted in {chart_path}")
    n_series = len({(r["council"], r["measure"], r["unit"]) for r in rows})
    write_rows(rows, fmt, output, columns=COLUMNS, table_columns=TABLE_COLUMNS,
               title=f"{len(rows)} KPI observation(s) in {n_series} series")
    return len(rows)
