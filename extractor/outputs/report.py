"""report: the corpus as ONE self-contained HTML file — viewable with no network at all.

Sections: corpus overview (papers per council, committee, type and year;
papers that failed), the council × service outsourcing matrix (register ids
and providers), the follow-up tracker, KPI charts (inline SVG from
``outputs.svg``), and every record with an anchor (``#r<id>``) showing its
paper, page, section and quote — the other sections link there.

A paper is untrusted input: every piece of text from a paper or the
database goes through ``html.escape``. The page carries a Content Security
Policy that allows no fetch of any kind and only its own inline script (by
hash), so even a slip in escaping could not run a paper's script or reach the
network.
"""
from __future__ import annotations

import base64
import hashlib
import html
import json
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable

from ..errors import MinutesError
from ..store import Store

# KPI series drawn at most, longest first (`minutes kpis --chart` draws them all).
MAX_CHARTS = 60
_SUMMARY_FIELDS = {
    "document": ("title", "council", "committee", "doc_type", "meeting_date"),
    "item": ("number", "title"), "service": ("name", "status", "provider", "register_id"),
    "provider": ("name", "kind", "aliases", "register_id"),
    "contract": ("provider", "start_date", "term_years", "end_date", "annual_value_gbp", "savings_gbp", "savings_period"),
    "kpi": ("name", "ref", "value", "unit", "period", "target", "qualifier"),
    "figure": ("text", "subject", "value", "unit", "period"),
    "recommendation": ("kind", "text", "by", "to", "due", "number"), "person": ("name", "role", "organisation"),
}

_CSS = """
:root{--ink:#1b1f24;--muted:#5b6470;--line:#d8dde3;--band:#f4f6f8;--accent:#0b5cad}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:var(--ink)}
header{background:#12324f;color:#fff;padding:18px 28px}header h1{margin:0 0 4px;font-size:22px}header p{margin:0;opacity:.85}
nav{position:sticky;top:0;background:#fff;border-bottom:1px solid var(--line);padding:8px 28px;z-index:2}
nav a{margin-right:16px;color:var(--accent);text-decoration:none;font-weight:600}
main{padding:8px 28px 48px;max-width:1400px}section{margin-top:28px}h2{border-bottom:2px solid var(--line);padding-bottom:4px}
table{border-collapse:collapse;margin:8px 0 16px;font-size:13px}th,td{border:1px solid var(--line);padding:4px 8px;vertical-align:top;text-align:left}
th{background:var(--band)}td.num{text-align:right;font-variant-numeric:tabular-nums}
.grid{display:flex;flex-wrap:wrap;gap:24px}.grid table{margin:0}
.matrix td{min-width:120px}.matrix th.side{white-space:nowrap}
.status{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;white-space:nowrap}
.s-followed-up{background:#d8f0df;color:#135c2b}.s-overdue{background:#fbdcdc;color:#8a1c1c}.s-no-evidence-yet{background:#eef0f3;color:#3d4652}
blockquote{margin:4px 0;padding:4px 10px;border-left:3px solid var(--line);color:#333;white-space:pre-wrap}
.muted{color:var(--muted)}.id{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;color:var(--muted)}
details.paper{border:1px solid var(--line);border-radius:6px;margin:8px 0;padding:4px 12px}details.paper>summary{cursor:pointer;font-weight:600}
.record{border-top:1px solid var(--band);padding:6px 0}.record:target{background:#fff6d6}
.type{font-weight:700;text-transform:uppercase;font-size:11px;letter-spacing:.04em;color:var(--accent)}
.charts{display:flex;flex-wrap:wrap;gap:16px}.charts figure{margin:0}.charts svg{border:1px solid var(--line);border-radius:6px;background:#fff}
table.tracker{width:100%;table-layout:fixed}.tracker th:nth-child(1){width:120px}.tracker th:nth-child(2){width:130px}
.filter{margin:6px 0 10px;padding:5px 8px;width:320px;border:1px solid var(--line);border-radius:4px}
"""

# Filters the tracker and the record list as you type; opens the paper holding an anchor you jump to;
# marks the page ready and counts the charts that laid out (the headless test reads both).
_JS = """
(function(){
  function openTarget(){
    var id=decodeURIComponent(location.hash.slice(1)); if(!id) return;
    var el=document.getElementById(id); if(!el) return;
    var d=el.closest('details'); if(d){d.open=true;} el.scrollIntoView();
  }
  window.addEventListener('hashchange', openTarget); openTarget();
  Array.prototype.forEach.call(document.querySelectorAll('input[data-filter]'), function(box){
    box.addEventListener('input', function(){
      var q=box.value.toLowerCase(), scope=document.getElementById(box.getAttribute('data-filter'));
      Array.prototype.forEach.call(scope.querySelectorAll('[data-row]'), function(row){
        row.style.display = !q || row.textContent.toLowerCase().indexOf(q) >= 0 ? '' : 'none';
      });
      Array.prototype.forEach.call(scope.querySelectorAll('details'), function(d){
        var hit = Array.prototype.some.call(d.querySelectorAll('[data-row]'), function(r){return r.style.display !== 'none';});
        d.style.display = !q || hit ? '' : 'none'; d.open = !!q && hit;
      });
    });
  });
  var drawn=0;
  Array.prototype.forEach.call(document.querySelectorAll('svg.kpi-chart'), function(svg){
    var box=svg.getBBox(); if(box.width>0 && box.height>0 && svg.querySelector('circle')) drawn++;
  });
  document.documentElement.setAttribute('data-charts-drawn', String(drawn));
  document.documentElement.setAttribute('data-ready', '1');
})();
"""


class ReportError(MinutesError):
    """The report cannot be written."""


def e(value) -> str:
    """Escape anything for HTML text or a quoted attribute (a paper is untrusted input)."""
    if value is None:
        return ""
    if isinstance(value, float):
        value = f"{value:,.2f}".rstrip("0").rstrip(".") if abs(value) >= 1000 else f"{value:g}"
    elif isinstance(value, (list, dict)):
        value = ", ".join(map(str, value)) if isinstance(value, list) else json.dumps(value, ensure_ascii=False)
    return html.escape(str(value), quote=True)


def _table(headers: Iterable[str], rows: Iterable[Iterable[str]], css: str = "", body_id: str | None = None) -> str:
    """A table from cells that are ALREADY escaped HTML."""
    head = "".join(f"<th>{e(h)}</th>" for h in headers)
    body = "".join("<tr data-row>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    tbody = f'<tbody id="{e(body_id)}">' if body_id else "<tbody>"
    return f'<table class="{e(css)}"><thead><tr>{head}</tr></thead>{tbody}{body}</tbody></table>'


def _link(record_id, text: str) -> str:
    return f'<a href="#r{int(record_id)}">{text}</a>' if record_id is not None else text


def _count_table(title: str, counts: Counter) -> str:
    rows = [(e(k if k is not None else "(unknown)"), f'<span class="num">{n}</span>')
            for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))]
    return f"<div><h3>{e(title)}</h3>{_table([title, 'papers'], rows)}</div>"


def _overview(store: Store) -> str:
    docs = store.conn.execute("SELECT council, committee, doc_type, meeting_date, pages FROM documents").fetchall()
    counts = store.counts()
    errors = store.conn.execute("SELECT path, message, at FROM errors WHERE doc_id IS NULL OR doc_id NOT IN "
                                "(SELECT id FROM documents) ORDER BY at DESC").fetchall()
    records = dict(store.conn.execute("SELECT type, count(*) FROM records WHERE duplicate_of IS NULL GROUP BY type"))
    pages = sum(d["pages"] or 0 for d in docs)
    out = [f'<p>{len(docs)} paper(s), {pages} PDF/DOCX page(s), {counts["blocks"]} passage(s), '
           f'{counts["records"]} record(s) ({sum(records.values())} once copies published twice are set aside), '
           f'{len(errors)} failure(s).</p>',
           _table(["record type", "records"], [(e(t), f'<span class="num">{n}</span>') for t, n in sorted(records.items())]),
           '<div class="grid">',
           _count_table("council", Counter(d["council"] for d in docs)),
           _count_table("committee", Counter(d["committee"] for d in docs)),
           _count_table("type", Counter(d["doc_type"] for d in docs)),
           _count_table("year", Counter((d["meeting_date"] or "")[:4] or None for d in docs)),
           "</div>"]
    if errors:
        out.append("<h3>Papers that could not be read</h3>")
        out.append(_table(["file", "reason", "when"], [(e(r["path"]), e(r["message"]), e(r["at"])) for r in errors]))
    return "".join(out)


def _matrix(rows: list[dict]) -> str:
    from ..analyses.compare import _label

    from ..registers import shipped_register

    services = [r for r in rows if r["service"]]
    if not services:
        return '<p class="muted">No services named in the papers.</p>'
    register = shipped_register("services")
    councils = sorted({r["council"] or "(unknown)" for r in services}, key=str.lower)
    side: dict[str, dict] = {}
    for r in services:
        key = r["service_id"] or r["service"].lower()
        entry_name = register.get(r["service_id"]).name if r["service_id"] and r["service_id"] in register else None
        entry = side.setdefault(key, {"label": entry_name or r["service"], "id": r["service_id"], "cells": {}})
        cell = entry["cells"].setdefault(r["council"] or "(unknown)", {})
        provider = e(_label(r["provider"], r["provider_id"])) if r["provider"] else '<span class="muted">no provider</span>'
        status = f' <span class="muted">({e(r["status"])})</span>' if r["status"] else ""
        named = f' <span class="muted">as “{e(r["service"])}”</span>' if entry_name and r["service"] != entry_name else ""
        # one line per provider and status: the first record saying so is the link
        cell.setdefault(provider + status, _link(r["record_id"], provider + status) + named)
    body = []
    for entry in sorted(side.values(), key=lambda x: (-len(x["cells"]), x["label"].lower())):
        head = f'{e(entry["label"])}' + (f' <span class="id">{e(entry["id"])}</span>' if entry["id"] else "")
        body.append([head] + ["<br>".join(entry["cells"].get(c, {}).values()) for c in councils])
    return (f'<input class="filter" data-filter="matrix-body" placeholder="Filter services or providers">'
            + _table(["service"] + councils, body, "matrix", "matrix-body"))


def _tracker(rows: list[dict]) -> str:
    if not rows:
        return '<p class="muted">No recommendations in the papers.</p>'
    counts = Counter(r["status"] for r in rows)
    body = []
    # what an audit committee acts on first: overdue, then proposals to confirm, then the rest
    order = {"overdue": 0, "followed up": 1}
    for r in sorted(rows, key=lambda r: (order.get(r["status"], 2), (r["council"] or "~").lower(), r["date"] or "")):
        status = f'<span class="status s-{e(r["status"].replace(" ", "-"))}">{e(r["status"])}</span>'
        rec = (f'{_link(r["record_id"], e(r["text"]))}<div class="muted">{e(r["kind"])} · {e(r["paper"])} · '
               f'{e(r["date"] or "undated")}{" · page " + e(r["page"]) if r["page"] else ""}'
               f'{" · due " + e(r["due"]) if r["due"] else ""}</div>')
        evidence = ""
        if r["evidence_paper"]:
            evidence = (f'<div class="muted">{e(r["evidence_paper"])} · {e(r["evidence_date"] or "undated")}'
                        f'{" · page " + e(r["evidence_page"]) if r["evidence_page"] else ""} · score {e(r["score"])}'
                        f' · {e(r["review"])}</div><blockquote>{e(r["evidence_quote"])}</blockquote>')
        body.append([status, e(r["council"]), rec, evidence])
    summary = ", ".join(f"{n} {e(s)}" for s, n in counts.most_common())
    return (f"<p>{len(rows)} recommendation(s): {summary}. Proposals await a person's confirmation "
            f"(<code>minutes followup --review</code>).</p>"
            f'<input class="filter" data-filter="tracker-body" placeholder="Filter the tracker">'
            + _table(["status", "council", "recommendation", "evidence in a later paper"], body, "tracker", "tracker-body"))


def _charts(db: Path) -> str:
    from ..analyses.kpi_series import chart, observations, series

    groups = series(observations(db))
    if not groups:
        return '<p class="muted">No KPI observations with a value and a period.</p>'
    shown = groups[:MAX_CHARTS]
    more = f" (the {MAX_CHARTS} longest of {len(groups)} series; <code>minutes kpis</code> lists them all)" \
        if len(groups) > MAX_CHARTS else ""
    figures = []
    for g, svg in zip(shown, chart(shown, width=560, height=220)):
        sources = "quotes: " + " ".join(f'<a href="#r{int(p["record_id"])}">{e(p["period_label"])}</a>'
                                        for p in g["points"] if p.get("record_id") is not None)
        figures.append(f'<figure>{svg}<figcaption class="muted">{sources}</figcaption></figure>')
    return f"<p>{len(groups)} series{more}.</p><div class=\"charts\">{''.join(figures)}</div>"


def _summary(rtype: str, data: dict) -> str:
    parts = []
    for name in _SUMMARY_FIELDS.get(rtype, ()):
        value = data.get(name)
        if value is None or value == []:
            continue
        parts.append(f'<span class="muted">{e(name)}</span> {e(value)}')
    return " · ".join(parts)


def _records(store: Store) -> str:
    papers = store.conn.execute("SELECT id, name, council, committee, meeting_date, title FROM documents "
                                "ORDER BY council, meeting_date, name").fetchall()
    out = ['<input class="filter" data-filter="records-body" placeholder="Filter records: a word, a provider, a type">',
           '<div id="records-body">']
    for p in papers:
        rows = store.conn.execute("SELECT id, type, page, section, quote, duplicate_of, data FROM records "
                                  "WHERE doc_id = ? AND type != 'document' ORDER BY seq", (p["id"],)).fetchall()
        items = []
        for r in rows:
            data = json.loads(r["data"])
            where = " · ".join(x for x in (f"page {e(r['page'])}" if r["page"] else "",
                                           f"section {e(r['section'])}" if r["section"] else "") if x)
            copy = f' · <a href="#r{int(r["duplicate_of"])}">copy of r{int(r["duplicate_of"])}</a>' if r["duplicate_of"] else ""
            items.append(f'<div class="record" id="r{int(r["id"])}" data-row><span class="type">{e(r["type"])}</span> '
                         f'<span class="id">r{int(r["id"])}</span> {_summary(r["type"], data)}'
                         f'<div class="muted">{e(p["name"])}{" · " + where if where else ""}{copy}</div>'
                         f'<blockquote>{e(r["quote"])}</blockquote></div>')
        title = " · ".join(e(x) for x in (p["council"], p["committee"], p["meeting_date"], p["name"]) if x)
        out.append(f'<details class="paper" id="paper-{e(p["id"])}"><summary>{title} '
                   f'<span class="muted">({len(rows)} record(s); {e(p["title"])})</span></summary>{"".join(items)}</details>')
    out.append("</div>")
    return "".join(out)


def build_report(db: str | Path, *, as_of: str | None = None) -> str:
    """The report as one HTML string (see the module docstring)."""
    from ..analyses.compare import compare
    from ..analyses.followup import FollowupQuery, followup

    db = Path(db)
    tracker_rows = followup(db, FollowupQuery(as_of=as_of))
    compare_rows = compare(db)
    with Store(db, create=False, readonly=True) as store:
        overview = _overview(store)
        records = _records(store)
    script_hash = base64.b64encode(hashlib.sha256(_JS.encode("utf-8")).digest()).decode("ascii")
    csp = f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-{script_hash}'"
    generated = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    sections = [("overview", "Corpus overview", overview),
                ("matrix", "Who provides which service (council × service)", _matrix(compare_rows)),
                ("followup", "Follow-up tracker", _tracker(tracker_rows)),
                ("kpis", "KPI time series", _charts(db)),
                ("records", "Every record and its quote", records)]
    nav = "".join(f'<a href="#{k}">{e(t.split(" (")[0])}</a>' for k, t, _ in sections)
    body = "".join(f'<section id="{k}"><h2>{e(t)}</h2>{content}</section>' for k, t, content in sections)
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f'<meta http-equiv="Content-Security-Policy" content="{e(csp)}">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>minutes — {e(db.name)}</title><style>{_CSS}</style></head><body>"
            f"<header><h1>Council papers: corpus report</h1><p>{e(db.name)} · generated {e(generated)} by minutes</p></header>"
            f"<nav>{nav}</nav><main>{body}</main><script>{_JS}</script></body></html>\n")


def write_report(db: str | Path, output: str | Path, *, as_of: str | None = None) -> Path:
    """Build the report and write it to ``output``; returns the path."""
    page = build_report(db, as_of=as_of)
    output = Path(output)
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(page, encoding="utf-8")
    except OSError as exc:
        raise ReportError(f"{output}: cannot write ({exc.strerror or exc})") from None
    return output
