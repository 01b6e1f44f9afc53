"""`kpi` extractor: observations of performance measures, and measures named without a value.

Four readings, each driven by the cue words of ``models/rules/kpis.jsonl``:

* KPI boxes and quarterly report rows: a ``Latest: 97%  Target: 97%  Previous: 97%``
  line under the indicator's name gives the latest and the previous observation;
  the period is the report's quarter (and the one before), one quarter earlier
  when the box's note says the data is in arrears.
* Named indicators: ``KPI 3 (The proportion of …)`` and the items of a list whose
  lead-in talks about indicators or measures (value, unit and period null).
* Monthly series: ``July 32%``, ``August 63%`` items under a lead-in naming the
  measure (one record per month, the year inferred from the report's date).
* Measure sentences: ``the percentage of X was below 25%``, or a value in a
  sentence that calls it a measure or indicator.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Iterator

from rapidfuzz.fuzz import token_set_ratio

from ..document import Document
from ..nlp import load_patterns
from ..quantities import MONTHS, Quantity, find_quantities, has_number, parse_number, period_spans
from ..records import KpiRecord, Source
from ..regex_screen import folds_plainly
from ..resources import models_dir
from ..structure import Block
from .figures import split_sentences

RULES_FILE = "kpis.jsonl"
# Two observations with the same period and value are one when their names are this similar.
SAME_NAME = 60
NAME_MAX_CHARS = 300


@dataclass(frozen=True)
class KpiLexicon:
    cues: tuple[str, ...]
    not_cues: tuple[str, ...]
    ref_prefixes: tuple[str, ...]
    measure_heads: tuple[str, ...]
    latest: tuple[str, ...]
    previous: tuple[str, ...]
    target: tuple[str, ...]
    other_labels: tuple[str, ...]
    rag: tuple[str, ...]
    lag_notes: tuple[str, ...]
    weak_cues: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    table_name_headers: tuple[str, ...] = ()
    table_value_headers: tuple[str, ...] = ()
    table_previous_headers: tuple[str, ...] = ()
    table_target_headers: tuple[str, ...] = ()
    table_ref_headers: tuple[str, ...] = ()


@cache
def kpi_lexicon() -> KpiLexicon:
    """The KPI cue words, loaded once per process."""
    groups: dict[str, list[str]] = {}
    for entry in load_patterns(models_dir() / "rules" / RULES_FILE):
        if isinstance(entry["pattern"], str):
            groups.setdefault(entry["label"], []).append(entry["pattern"])
    get = lambda label: tuple(sorted(groups.get(label, []), key=len, reverse=True))  # noqa: E731
    return KpiLexicon(get("KPI_CUE"), get("KPI_NOT_CUE"), get("KPI_REF_PREFIX"), get("KPI_MEASURE_HEAD"),
                      get("KPI_LATEST"), get("KPI_PREVIOUS"), get("KPI_TARGET"), get("KPI_OTHER_LABEL"),
                      get("KPI_RAG"), get("KPI_LAG_NOTE"), get("KPI_WEAK_CUE"), get("KPI_CONTEXT"),
                      get("KPI_TABLE_NAME_HEADER"), get("KPI_TABLE_VALUE_HEADER"), get("KPI_TABLE_PREVIOUS_HEADER"),
                      get("KPI_TABLE_TARGET_HEADER"), get("KPI_TABLE_REF_HEADER"))


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in words)


def _starting(words) -> str:
    """A lookahead for the first characters of ``words``, put before their alternation: re passes over the
    positions where none can start at once; the matches stay the same (no lookahead when a word is empty)."""
    if not words or not all(words):
        return ""
    return "(?=[" + "".join(sorted({re.escape(w[0]) for w in words})) + "])"


def _opening(words, not_after: str) -> str:
    """``(?<!not_after)(?:word|word…)``, a lookbehind before an alternation, written with the lookbehind after each
    word's first character instead: the matches are the same, but a pattern opening with literals lets re skip to
    the positions where one of them is (a lookbehind or lookahead first makes it try every position)."""
    if not words or not all(words):
        return _starting(words) + "(?<!" + not_after + ")(?:" + _alternation(words) + ")"
    return "(?:" + "|".join(re.escape(w[0]) + "(?<!" + not_after + re.escape(w[0]) + ")" + re.escape(w[1:])
                            for w in words) + ")"


@cache
def _patterns() -> dict[str, re.Pattern]:
    lex = kpi_lexicon()
    value = r"(?P<{name}>[<>≤≥~]?\s?£?\s?\d[\d,]*(?:\.\d+)?\s?%?)"
    label_words = lex.latest + lex.previous + lex.target + lex.other_labels
    return {
        "cue": re.compile(_starting(lex.cues) + r"(?<![\w-])(?:" + _alternation(lex.cues) + r")(?![\w-])",
                          re.IGNORECASE),
        "weak_cue": re.compile(_starting(lex.weak_cues) + r"(?<![\w-])(?:" + _alternation(lex.weak_cues) +
                               r")(?![\w-])", re.IGNORECASE),
        "context": re.compile(_starting(lex.context) + r"\b(?:" + _alternation(lex.context) + r")\b", re.IGNORECASE),
        "not_cue": re.compile(_starting(lex.not_cues) + r"(?<![\w-])(?:" + _alternation(lex.not_cues) + r")(?![\w-])",
                              re.IGNORECASE),
        "ref": re.compile(r"(?P<ref>" + _opening(lex.ref_prefixes, r"[\w-]") + r"\s?\d{1,3}[a-z]?)(?![\w/])"),
        "measure": re.compile(
            r"(?:\b(?:the|our|its|their)\s+|^)(?P<name>(?:" + _alternation(lex.measure_heads) + r")\s+of\s+"
            r"[^.;:]{3,200}?)\s+(?:has|have|had|is|was|were|are|rose|fell|increased|decreased|improved|"
            r"remained|remains|stood|reached|fluctuated|continued|dropped|declined|grew|moved|went|being)\b",
            re.IGNORECASE),
        "latest": re.compile(_opening(lex.latest, r"\w") + r"\s?:?\s*" + value.format(name="v")),
        "previous": re.compile(_opening(lex.previous, r"\w") + r"\s?:?\s*" + value.format(name="v")),
        "target": re.compile(_opening(lex.target, r"\w") + r"\s?:?\s*" + value.format(name="v")),
        "labels": re.compile(_opening(label_words, r"\w") + r"\b"),
        "rag_tail": re.compile(r"[\s\t]*(?:\(?\b(?:" + _alternation(lex.rag) + r")\b\)?[\s\t]*)+$"),
        "lag": re.compile(_alternation(lex.lag_notes), re.IGNORECASE),
    }


def _notes_lag(note: str) -> bool:
    """``_patterns()["lag"].search(note)``: the lag notes are literal phrases, so a substring test of the note in
    lower case (when it holds no character re.IGNORECASE folds unlike str.lower), not a search at every position."""
    phrases = _lag_phrases()
    if not phrases or not folds_plainly(note):
        return _patterns()["lag"].search(note) is not None
    lowered = note.lower()
    return any(phrase in lowered for phrase in phrases)


@cache
def _lag_phrases() -> tuple[str, ...]:
    return tuple(p.lower() for p in kpi_lexicon().lag_notes)


# ----------------------------------------------------------------------------- periods

_QUARTER = re.compile(r"\bQuarter\s+([1-4]),?\s+((?:19|20)\d\d)\s?/\s?(\d\d)\b")


def report_quarter(doc: Document) -> tuple[int, int] | None:
    """The report's own quarter as (quarter, first year of the financial year), e.g. (3, 2024).

    The most often written ``Quarter N, YYYY/YY`` in the paper's opening pages wins.
    """
    cached = _QUARTER_MEMO.get(doc.doc_id)
    if cached is not None and cached[0] is doc.text:
        return cached[1]
    found = _report_quarter(doc)
    _QUARTER_MEMO.clear()
    _QUARTER_MEMO[doc.doc_id] = (doc.text, found)
    return found


# The last document's quarter (keyed by id and text): several readers ask for it.
_QUARTER_MEMO: dict[str, tuple[str, tuple[int, int] | None]] = {}


def _report_quarter(doc: Document) -> tuple[int, int] | None:
    counts: dict[tuple[int, int], int] = {}
    head = doc.text[:20000]
    for m in _QUARTER.finditer(head):
        key = (int(m.group(1)), int(m.group(2)))
        counts[key] = counts.get(key, 0) + 1
    if not counts:
        return None
    return max(counts, key=lambda k: (counts[k], k))


def quarter_label(quarter: int, year: int) -> str:
    """``Quarter 3, 2024/25`` for (3, 2024)."""
    return f"Quarter {quarter}, {year}/{(year + 1) % 100:02d}"


def previous_quarter(quarter: int, year: int) -> tuple[int, int]:
    return (quarter - 1, year) if quarter > 1 else (4, year - 1)


_ISO_MONTH = re.compile(r"\d{4}-\d\d")
_MONTH_YEAR = re.compile(r"\b(" + "|".join(m.capitalize() for m in MONTHS) + r")\s+((?:19|20)\d\d)\b")


def report_month(ctx) -> tuple[int, int] | None:
    """(year, month) of the paper's meeting or publication, for placing a series' months in a year."""
    for record in ctx.of_type("document"):
        date = getattr(record, "meeting_date", None)
        if date and _ISO_MONTH.match(date):
            return int(date[:4]), int(date[5:7])
    best = None
    head = ctx.document.text[:3000]
    for m in _MONTH_YEAR.finditer(head):
        key = (int(m.group(2)), MONTHS[m.group(1).lower()])
        best = max(best, key) if best else key
    return best


# ----------------------------------------------------------------------------- names

_BULLET_RUN = re.compile(r"^[\s•·\-*▪◦●○■□➢➤►‣⁃–o]+\s+")
_BULLET_OPENING = re.compile(r"^[•·\-*▪◦●○■□➢➤►‣⁃–o]\s")
_ITEM_NUMBER = re.compile(r"^(?:\d{1,2}[.)]|[a-z][.)]|\([a-z0-9ivx]+\))\s+")


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    name = _BULLET_RUN.sub("", name) if _BULLET_OPENING.match(name) else name.lstrip("•·-*▪◦●○■□➢➤►‣⁃– ")
    name = _ITEM_NUMBER.sub("", name)
    return name.strip(" ;,.:").strip()[:NAME_MAX_CHARS]


def _measure_name(sentence: str) -> str | None:
    m = _patterns()["measure"].search(sentence)
    return _clean_name(m.group("name")) if m else None


_UP_TO_TWO_WORDS = re.compile(r"\s+(?:[A-Za-z-]+\s+){0,2}")


def _counts_indicators(sentence: str, quantities: list[Quantity]) -> bool:
    """True when a count in the sentence counts the indicators themselves ("38 KPIs", "nine indicators")."""
    cue = _patterns()["cue"]
    for q in quantities:
        if q.unit == "count":
            following = sentence[q.end:q.end + 40]
            m = _UP_TO_TWO_WORDS.match(following)
            window = following[:m.end() + 40] if m else following
            hit = cue.search(window)
            if hit and hit.start() <= (m.end() if m else 0) + 1:
                return True
    return False


# ----------------------------------------------------------------------------- readers

def _box_records(ctx) -> Iterator[KpiRecord]:
    """Latest / Previous observations from KPI boxes (one line of labelled values under the name)."""
    doc: Document = ctx.document
    text = doc.text
    pats = _patterns()
    quarter = report_quarter(doc)
    if not pats["latest"].search(text):
        return
    lines = []
    pos = 0
    for line in text.split("\n"):
        lines.append((pos, pos + len(line), line))
        pos += len(line) + 1
    # A box: a line opening with the latest value, with the previous value or the target on it or on the
    # (at most two) label lines right under it.
    boxes: list[tuple[int, int, str]] = []  # (first line, last line, joined text)
    for i, (_, _, line) in enumerate(lines):
        m = pats["latest"].search(line)
        if not m or line[:m.start()].strip():
            continue
        last, joined = i, line
        while last + 1 < len(lines) and last < i + 2 and pats["labels"].match(lines[last + 1][2].strip()) \
                and not pats["latest"].match(lines[last + 1][2].strip()):
            last += 1
            joined += "\t" + lines[last][2]
        if pats["previous"].search(joined) or pats["target"].search(joined):
            boxes.append((i, last, joined))
    box_lines = [b[0] for b in boxes]
    for n, (i, last, line) in enumerate(boxes):
        start, end = lines[i][0], lines[last][1]
        name_line = _name_line_above(lines, i)
        if name_line is None:
            continue
        ns, ne, raw_name = lines[name_line]
        above = lines[name_line - 1][2].strip() if name_line > 0 else ""
        if above and len(above) > 20 and not _STOP_AT_END.search(above) and not _DIGIT.search(above) \
                and raw_name[:1].islower():
            # A heading wrapped onto two lines: "Percentage of callers who rated the advisor" / "as good".
            ns = lines[name_line - 1][0]
            raw_name = above + " " + raw_name
        name = _clean_name(pats["rag_tail"].sub("", raw_name.replace("\t", " ")))
        if not name or pats["latest"].search(raw_name):
            continue
        # The note under the box, up to the next box's name, may say the data is a quarter behind.
        stop = box_lines[n + 1] - 1 if n + 1 < len(box_lines) else min(len(lines), last + 6)
        note = " ".join(text_line for _, _, text_line in lines[last + 1:max(last + 1, stop)])
        latest_period = previous_period = None
        if quarter:
            q_latest = quarter
            if _notes_lag(note):
                q_latest = previous_quarter(*quarter)
            stated = _stated_quarter(text, pats["latest"].search(line).group("v"), start, end)
            if stated:
                q_latest = stated
            latest_period = quarter_label(*q_latest)
            previous_period = quarter_label(*previous_quarter(*q_latest))
        target_m = pats["target"].search(line)
        target = _number(target_m.group("v")) if target_m else None
        page = doc.page_at(start)
        source = Source.span(text, ns, end, page, _section_at(ctx.blocks, start))
        for key, period, tgt in (("latest", latest_period, target), ("previous", previous_period, None)):
            found = pats[key].search(line)
            if not found:
                continue
            written = found.group("v")
            value = _number(written)
            if value is None:
                continue
            yield KpiRecord(doc=doc.doc_id, name=name, ref=None, value=value, unit=_unit(written, name),
                            period=period, target=tgt, qualifier=None, source=source)


_STOP_AT_END = re.compile(r"[.:;!?]$")
_DIGIT = re.compile(r"\d")
_STRAY_VALUE = re.compile(r"[\d.,%£\s()A-Za-z]{0,20}")
_FOUR_LOWER = re.compile(r"[a-z]{4}")


def _name_line_above(lines, i: int) -> int | None:
    """The nearest non-empty line above a box's value line that is not a label or a bare value."""
    pats = _patterns()
    for j in range(i - 1, max(-1, i - 4), -1):
        line = lines[j][2].strip()
        if not line:
            continue
        if _STRAY_VALUE.fullmatch(line) and not _FOUR_LOWER.search(line):
            continue  # a stray value ("4% (Green)") or a RAG word
        if pats["labels"].match(line) and _DIGIT.search(line):
            continue  # a repeated "Floor: 90%"
        return j
    return None


_THOUSANDS = re.compile(r"\d,\d{3}")


def _stated_quarter(text: str, written: str, start: int, end: int) -> tuple[int, int] | None:
    """A quarter the prose gives for this exact value ("met with a total of 10,323 tonnes" in Quarter 2)."""
    value = written.strip()
    if not _THOUSANDS.search(value):
        return None
    for m in re.finditer(re.escape(value) + r"(?!\d)", text):
        if start <= m.start() < end:
            continue
        lo = text.rfind("\n", 0, m.start()) + 1
        hi = text.find("\n", m.end())
        for s, e in split_sentences(text, lo, hi if hi >= 0 else len(text)):
            if s <= m.start() < e:
                q = _QUARTER.search(text[s:e])
                if q:
                    return int(q.group(1)), int(q.group(2))
    return None


_NOT_NUMBER = re.compile(r"[^\d.,]")
_RATE_NAME = re.compile(r"\bper\s+[\d,]+\b|\btonnes\b|\brate\b", re.IGNORECASE)
_PERCENT_NAME = re.compile(r"(?:percentage|proportion|%)\b", re.IGNORECASE)


def _number(written: str) -> float | None:
    return parse_number(_NOT_NUMBER.sub("", written))


def _unit(written: str, name: str) -> str | None:
    if "%" in written:
        return "percent"
    if "£" in written:
        return "GBP"
    if _RATE_NAME.search(name):
        return None
    if _PERCENT_NAME.match(name):
        return "percent"
    return "count"


def _section_at(blocks: list[Block], offset: int) -> str | None:
    section = None
    for b in blocks:
        if b.start > offset:
            break
        section = b.section
    return section


_SHORT_PERIOD = re.compile(r"\b(?:Q[1-4]|Quarter\s+[1-4])\b(?:\s*,?\s*(?:19|20)\d\d\s?/\s?\d\d)?"
                           r"|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*[-\s']\d\d(?:\d\d)?\b")


_HEADER_PUNCTUATION = re.compile(r"[^\w%()]+")


def _header_kind(header: str) -> tuple[str | None, str | None]:
    """What a KPI table column holds ("name", "value", "previous", "target", "period") and the period it names."""
    lex = kpi_lexicon()
    folded = " ".join(_HEADER_PUNCTUATION.sub(" ", header.lower()).split())
    words = folded.split()
    spans = period_spans(header)
    period = spans[0][2] if spans else None
    if period is None:
        m = _SHORT_PERIOD.search(header)
        period = " ".join(m.group(0).split()) if m else None

    def has(phrases) -> bool:
        return any(p.lower() in words or (" " in p and p.lower() in folded) for p in phrases)

    if has(lex.table_target_headers):
        return "target", period
    if folded in {p.lower() for p in lex.table_ref_headers}:
        return "ref", None
    if has(lex.table_previous_headers):
        return "previous", period
    if has(lex.table_name_headers) and not period:
        return "name", None
    if has(lex.table_value_headers):
        return "value", period
    if period and len(words) <= 6:
        return "period", period
    return None, None


_TARGET_OR_RAG = re.compile(r"\b(?:target|rag)\b", re.IGNORECASE)
_THREE_LETTERS = re.compile(r"[A-Za-z]{3}")


def _table_records(ctx) -> Iterator[KpiRecord]:
    """Rows of performance tables: an indicator column with value (or period) columns and maybe a target."""
    doc: Document = ctx.document
    text = doc.text
    tables: dict[int, list] = {}
    for row in doc.table_rows:
        tables.setdefault(row.table, []).append(row)
    quarter = report_quarter(doc)
    for rows in tables.values():
        header = next((r for r in rows if r.header), rows[0])
        header_text = text[header.start:header.end]
        # Only a table headed as about performance: indicators, measures, targets or RAG ratings.
        if not (_patterns()["cue"].search(header_text) or _TARGET_OR_RAG.search(header_text)):
            continue
        kinds = [_header_kind(text[s:e]) for s, e in header.cells]
        names = [i for i, (k, _) in enumerate(kinds) if k == "name"]
        refs = [i for i, (k, _) in enumerate(kinds) if k == "ref"]
        if len(names) > 1:
            # "KPI | Description": the column of codes gives the ref, the wordier column the name.
            lengths = {i: sum(len(text[r.cells[i][0]:r.cells[i][1]]) for r in rows if len(r.cells) > i) for i in names}
            names.sort(key=lambda i: -lengths[i])
            refs = refs + names[1:2]
        elif not names and refs:
            names = [i for i, (k, _) in enumerate(kinds) if k is None and i not in refs][:1]
        values = [i for i, (k, _) in enumerate(kinds) if k in ("value", "period", "previous")]
        targets = [i for i, (k, _) in enumerate(kinds) if k == "target"]
        if not values or not (names or targets):
            continue
        name_col = names[0] if names else 0
        if name_col in values:
            continue
        for row in rows:
            if row is header or row.start < header.start or len(row.cells) <= max(values + targets + [name_col]):
                continue
            name = _clean_name(text[row.cells[name_col][0]:row.cells[name_col][1]])
            if not name or not _THREE_LETTERS.search(name):
                continue
            target = None
            if targets:
                s, e = row.cells[targets[0]]
                target = _cell_number(text[s:e])
            ref = None
            if refs and len(row.cells) > refs[0]:
                ref = " ".join(text[row.cells[refs[0]][0]:row.cells[refs[0]][1]].split()) or None
                if ref and (len(ref) > 20 or "£" in ref or "%" in ref):
                    ref = None
            for col in values:
                s, e = row.cells[col]
                value = _cell_number(text[s:e])
                if value is None:
                    continue
                kind, period = kinds[col]
                if period is None and quarter and kind == "value":
                    period = quarter_label(*quarter)
                if period is None and quarter and kind == "previous":
                    period = quarter_label(*previous_quarter(*quarter))
                yield KpiRecord(doc=doc.doc_id, name=name, ref=ref, value=value, unit=_unit(text[s:e], name),
                                period=period, target=target if kind == "value" else None,
                                source=Source.span(text, row.start, row.end, doc.page_at(row.start),
                                                   _section_at(ctx.blocks, row.start)))


_NUMBER_CELL = re.compile(r"[<>≤≥~]?\s?£?\s?\d[\d,]*(?:\.\d+)?\s?(?:%|[kmKM]|bn)?")


def _cell_number(cell: str) -> float | None:
    """The number a KPI table cell holds ("97%", "10,323", "£1.2m"), or None for text, RAG words and blanks."""
    cell = cell.strip()
    if not _NUMBER_CELL.fullmatch(cell):
        return None
    quantities = find_quantities(cell)
    if quantities:
        return quantities[0].value
    return _number(cell)


def _ref_records(ctx) -> Iterator[KpiRecord]:
    """Indicators named by the paper's own label: ``KPI 3 in relation to KS2 (The proportion …)``."""
    doc: Document = ctx.document
    text = doc.text
    seen: set[str] = set()
    if not _patterns()["ref"].search(text):
        return
    for block in ctx.blocks:
        if not _patterns()["ref"].search(text, block.start, block.end):
            continue
        for s, e in split_sentences(text, block.start, block.end):
            sentence = text[s:e]
            for m in _patterns()["ref"].finditer(sentence):
                ref = " ".join(m.group("ref").split())
                if ref in seen:
                    continue
                name = _name_after_ref(sentence[m.end():])
                if not name:
                    continue
                seen.add(ref)
                yield KpiRecord(doc=doc.doc_id, name=name, ref=ref,
                                source=Source.span(text, s, e, block.page, block.section))


_REF_JOIN = re.compile(r"^\s*(?:[-–:]\s*|in relation to\s+|relating to\s+|on\s+|for\s+)")
_BRACKETED_DEFINITION = re.compile(r"([^()]{0,40}?)\s*\(([^()]{10,400})\)")
_CLAUSE = re.compile(r"([^.;()]{10,200})")
_CAPITAL_OR_PERCENT = re.compile(r"[A-Z%]")


def _name_after_ref(after: str) -> str | None:
    """The indicator's name written after its label: a bracketed definition, or the rest of the clause."""
    after = _REF_JOIN.sub("", after)
    m = _BRACKETED_DEFINITION.match(after)
    if m:
        lead = m.group(1).strip(" ,:-")
        return _clean_name(f"{lead}: {m.group(2)}" if lead else m.group(2))
    m = _CLAUSE.match(after)
    if m and _CAPITAL_OR_PERCENT.match(m.group(1).strip()):
        return _clean_name(m.group(1))
    return None


def _list_records(ctx) -> Iterator[KpiRecord]:
    """Items of lists introduced as indicators or measures; monthly series under a measure's lead-in."""
    doc: Document = ctx.document
    text = doc.text
    pats = _patterns()
    groups: dict[int, list[int]] = {}
    for i, block in enumerate(ctx.blocks):
        if block.kind == "list_item" and block.lead_in is not None:
            groups.setdefault(block.lead_in, []).append(i)
    ref_month = report_month(ctx)
    for lead_index, items in groups.items():
        lead = ctx.blocks[lead_index]
        lead_text = text[lead.start:lead.end]
        sentences = split_sentences(text, lead.start, lead.end)
        last = text[sentences[-1][0]:sentences[-1][1]] if sentences else lead_text
        series = list(_monthly_series(ctx, items, last, lead, ref_month))
        if series:
            yield from series
            continue
        if not last.rstrip().endswith(":") or pats["not_cue"].search(last):
            continue
        # "measures" and "standards" name indicators only among words about performance ("measures such as"
        # in a policy paper are interventions).
        if not (pats["cue"].search(last) or (pats["weak_cue"].search(last) and pats["context"].search(lead_text))):
            continue
        markers = [text[ctx.blocks[i].start:ctx.blocks[i].start + 1] for i in items]
        leaves = items
        if len(set(markers)) > 1:
            # Mixed bullets: the first marker heads groups ("• Customer Services"), the others are the indicators.
            leaves = [i for i, mk in zip(items, markers) if mk != markers[0]]
        for i in leaves:
            block = ctx.blocks[i]
            item = text[block.start:block.end]
            body = _clean_name(item)
            if not body or find_quantities(body[:12]):
                continue  # "17 are rated Green": a count of indicators, not one indicator
            first = split_sentences(text, block.start, block.end)[0]
            name = _clean_name(text[first[0]:first[1]])
            source = Source.span(text, block.start, block.end, block.page, block.section)
            valued = _NAME_VALUE.match(body)
            observed = find_quantities(valued.group("rest")) if valued else []
            if observed and observed[0].start <= 2 and observed[0].unit != "GBP":
                # "Rent collected: 97.5% (target 98%)": the item states the indicator's value.
                q = observed[0]
                spans = period_spans(valued.group("rest")) or period_spans(last)
                yield KpiRecord(doc=doc.doc_id, name=_clean_name(valued.group("name")), value=q.value, unit=q.unit,
                                period=spans[0][2] if spans else None, qualifier=q.qualifier,
                                target=_target_in(valued.group("rest"), q.unit), source=source)
                continue
            yield KpiRecord(doc=doc.doc_id, name=name, ref=None, source=source)


_NAME_VALUE = re.compile(r"(?P<name>[^:–—]{3,200}?)\s*(?::|\s[–—-]\s)\s*(?P<rest>.+)$", re.DOTALL)
_MONTH_VALUE = re.compile(r"^[\s•·\-*▪◦●○■□➢➤►‣⁃–]*(?P<month>" + "|".join(m.capitalize() for m in MONTHS) +
                          r")(?:\s+(?P<year>(?:19|20)\d\d))?\s*[:\-–]?\s*(?P<value>\d[\d,]*(?:\.\d+)?\s?%?)\s*[.;,]?\s*$")


def _monthly_series(ctx, items: list[int], lead_sentence: str, lead: Block, ref_month) -> Iterator[KpiRecord]:
    """``July 32%`` items under a lead-in naming a measure: one observation per month."""
    text = ctx.document.text
    parsed = []
    for i in items:
        block = ctx.blocks[i]
        m = _MONTH_VALUE.match(text[block.start:block.end])
        if not m:
            return
        parsed.append((block, m))
    if len(parsed) < 2:
        return
    name = _measure_name(lead_sentence) or _clean_name(lead_sentence)
    for block, m in parsed:
        month = MONTHS[m.group("month").lower()]
        year = int(m.group("year")) if m.group("year") else _infer_year(month, ref_month)
        period = f"{year:04d}-{month:02d}" if year else m.group("month")
        written = m.group("value")
        yield KpiRecord(doc=ctx.document.doc_id, name=name, value=_number(written),
                        unit="percent" if "%" in written else "count", period=period,
                        source=Source.span(text, block.start, block.end, block.page, block.section))


def _infer_year(month: int, ref_month) -> int | None:
    """The year of a month written without one: the latest such month not after the report's date."""
    if not ref_month:
        return None
    year, ref = ref_month
    return year if month <= ref else year - 1


def _sentence_records(ctx) -> Iterator[KpiRecord]:
    """Values the prose presents as a measure: ``the percentage of X was below 25%``, ``a key measure``."""
    doc: Document = ctx.document
    text = doc.text
    pats = _patterns()
    previous: str | None = None  # the sentence before, for "this indicator"
    recent: list[str] = []  # the text of the blocks just before, for context words
    for block in ctx.blocks:
        if block.kind == "table_row":
            continue
        block_text = text[block.start:block.end]
        around = recent
        recent = (recent + [block_text])[-2:]
        if not has_number(block_text):
            continue
        for s, e in split_sentences(text, block.start, block.end):
            sentence = text[s:e]
            all_quantities = find_quantities(sentence)
            quantities = [q for q in all_quantities if _observed(sentence, q)]
            if quantities:
                in_context = any(pats["context"].search(t) for t in [block_text, *around])
                yield from _measure_sentence(ctx, block, s, e, quantities, all_quantities, in_context, previous)
            previous = sentence


def _observed(sentence: str, q: Quantity) -> bool:
    """A value the sentence reports as observed: a percentage, or a duration or count stated as what a
    measure "was" ("average re-let time was 28 days"); not a target, floor or comparison."""
    if _COMPARISON_BEFORE.search(sentence[max(0, q.start - 40):q.start]) or \
            _COMPARISON_AFTER.match(sentence[q.end:q.end + 20]):
        return False
    if q.unit == "percent":
        return True
    return q.unit in {"days", "weeks", "months", "count"} and not q.named and \
        bool(_REPORTING_VERB_BEFORE.search(sentence[max(0, q.start - 15):q.start]))


_REPORTING_VERB_BEFORE = re.compile(r"\b(?:was|were|is|are|stood\s+at|reached|averaged|at)\s*$")


_TARGET_VALUE = re.compile(r"\btarget\s+(?:of\s+|is\s+|was\s+|:\s*)?(?=[£\d])|\(target:?\s*(?=[£\d])", re.IGNORECASE)
_NAMED_MEASURE = re.compile(r"\b(?:kpi|indicator|measure|pi)\s+(?:for|on|of)\s+(?P<name>[^,.;:()]{3,150}?)\s+"
                            r"(?:was|were|is|are|stood|reached|has|had|averaged|remained)\b", re.IGNORECASE)


def _target_in(sentence: str, unit: str) -> float | None:
    """The target stated beside a value ("against a target of 21 days", "(target 90%)"), in the same unit."""
    m = _TARGET_VALUE.search(sentence)
    if not m:
        return None
    for q in find_quantities(sentence[m.end():m.end() + 30]):
        if q.start == 0 or not sentence[m.end():m.end() + q.start].strip():
            return q.value if q.unit == unit else None
    return None


_TARGET_BEFORE = re.compile(r"\btargets?\s+(?:of|is|was)\s*$")
_THIS_INDICATOR = re.compile(r"\b(?:this|that|the same)\s+(?:indicator|measure|kpi)\b", re.IGNORECASE)


def _measure_sentence(ctx, block: Block, s: int, e: int, quantities: list[Quantity], all_quantities: list[Quantity],
                      in_context: bool, previous: str | None) -> Iterator[KpiRecord]:
    """The observations of one sentence holding percentages, when it presents them as a measure."""
    text = ctx.document.text
    pats = _patterns()
    sentence = text[s:e]
    block_text = text[block.start:block.end]
    name = _measure_name(sentence)
    strong = pats["cue"].search(sentence)
    cue = strong or (pats["weak_cue"].search(sentence) and pats["context"].search(block_text))
    if not strong:
        quantities = [q for q in quantities if q.unit == "percent"]
        if not quantities:
            return
    usable = (cue or (name and in_context)) and not pats["not_cue"].search(sentence) \
        and not _counts_indicators(sentence, all_quantities) \
        and not _TARGET_BEFORE.search(sentence[:quantities[0].start])
    if not usable:
        return
    if not name:
        named = _NAMED_MEASURE.search(sentence)
        name = _clean_name(named.group("name")) if named else None
    if not name:
        if previous and _THIS_INDICATOR.search(sentence):
            name = _measure_name(previous) or _percentage_phrase(previous)
        name = name or _name_around(sentence, quantities[0])
    periods = period_spans(sentence)
    for q in quantities:
        yield KpiRecord(doc=ctx.document.doc_id, name=name, value=q.value, unit=q.unit, period=_period_for(q, periods),
                        target=_target_in(sentence, q.unit), qualifier=q.qualifier,
                        source=Source.span(text, s, e, block.page, block.section))


# Values set against the observation, not observed: "a target of 80%", "compared to 72.7%", "the 50% target".
# (The lookahead names the words' first letters: re passes over other positions at once.)
_COMPARISON_BEFORE = re.compile(r"(?=[tfbacnedu])\b(?:target|floor|threshold|benchmark|average|"
                                r"compared\s+(?:to|with)|against|than|national(?:ly)?|england|from|"
                                r"down\s+from|up\s+from)"
                                r"(?:\s+(?:of|at|figure|level|rate|standard))?\s*(?:of\s+)?$", re.IGNORECASE)
_COMPARISON_AFTER = re.compile(r"\s*(?:target|floor|threshold|benchmark|nationally|national)\b", re.IGNORECASE)
# (The lookahead names the labels' first letters: re passes over other positions at once.)
_SERIES_MONTHS = [m.capitalize() for m in MONTHS]
_SERIES_LABEL = re.compile(
    r"(?=[Q" + "".join(sorted({m[0] for m in _SERIES_MONTHS})) + r"])"
    r"(?:\bQuarter\s+(?P<q>[1-4])|\bQ(?P<q2>[1-4])|\b(?P<month>" + "|".join(_SERIES_MONTHS) +
    r")(?:\s+(?P<year>(?:19|20)\d\d))?)\s*[,:\-–]?\s*(?P<value>\d[\d,]*(?:\.\d+)?\s?%)")
# Whether a text holds a _SERIES_LABEL match at all: the same labels without groups, each opening with its first
# letter and testing the "\b" before it after (see _opening), so that re skips to those letters through a paper.
_SERIES_LABEL_HELD = re.compile(
    r"(?:Q(?<!\wQ)uarter\s+[1-4]|Q(?<!\wQ)[1-4]|" +
    "|".join(m[0] + r"(?<!\w" + m[0] + ")" + m[1:] + r"(?:\s+(?:19|20)\d\d)?" for m in _SERIES_MONTHS) +
    r")\s*[,:\-–]?\s*\d[\d,]*(?:\.\d+)?\s?%")


def _inline_series_records(ctx) -> Iterator[KpiRecord]:
    """``Quarter 1, 65.0%; Quarter 2, 65.2%`` or ``July 32%, August 63%`` inside a sentence naming the measure."""
    doc: Document = ctx.document
    text = doc.text
    if not _SERIES_LABEL_HELD.search(text):
        return
    quarter = report_quarter(doc)
    ref_month = report_month(ctx)
    for block in ctx.blocks:
        if block.kind == "table_row":
            continue
        if not _SERIES_LABEL_HELD.search(text, block.start, block.end):
            continue
        for s, e in split_sentences(text, block.start, block.end):
            sentence = text[s:e]
            hits = list(_SERIES_LABEL.finditer(sentence))
            if len(hits) < 2:
                continue
            name = _percentage_phrase(sentence[:hits[0].start()]) or _measure_name(sentence[:hits[0].start()])
            if not name:
                continue
            for m in hits:
                if m.group("month"):
                    month = MONTHS[m.group("month").lower()]
                    year = int(m.group("year")) if m.group("year") else _infer_year(month, ref_month)
                    period = f"{year:04d}-{month:02d}" if year else m.group("month")
                else:
                    number = int(m.group("q") or m.group("q2"))
                    period = quarter_label(number, quarter[1]) if quarter else f"Quarter {number}"
                written = m.group("value")
                yield KpiRecord(doc=doc.doc_id, name=name, value=_number(written), unit="percent", period=period,
                                source=Source.span(text, s, e, block.page, block.section))


@cache
def _percentage_phrase_pattern() -> re.Pattern:
    return re.compile(r"\bthe\s+((?:" + _alternation(kpi_lexicon().measure_heads) + r")\s+of\s+[^.;:]{3,200})",
                      re.IGNORECASE)


def _percentage_phrase(sentence: str) -> str | None:
    m = _percentage_phrase_pattern().search(sentence)
    return _clean_name(m.group(1)) if m else None


_CLAUSE_BREAK = re.compile(r"[,;:()–—]|\s-\s")
_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)


def _name_around(
sentence: str, q: Quantity) -> str:
    """A name for a value the sentence calls a measure: its longest clause holding neither a value nor the cue."""
    clauses = [c.strip() for c in _CLAUSE_BREAK.split(sentence)]
    plain = [c for c in clauses if c and not find_quantities(c) and not _patterns()["cue"].search(c)
             and len(c.split()) >= 3]
    if plain:
        return _clean_name(_ARTICLE.sub("", max(plain, key=len)))
    best = max((c for c in clauses if q.text in c), key=len, default=sentence)
    return _clean_name(best.replace(q.text, " "))


def _period_for(q: Quantity, periods: list[tuple[int, int, str]]) -> str | None:
    """The period written nearest after the value (``78% in July 2014``), else the nearest before it."""
    after = [p for p in periods if p[0] >= q.end and p[0] - q.end <= 30]
    if after:
        return after[0][2]
    before = [p for p in periods if p[1] <= q.start]
    if before:
        return before[-1][2]
    return None


def extract(ctx) -> Iterator[KpiRecord]:
    """KPI records of the document: boxes, named indicators, series, measure sentences; repeats dropped.

    A paper that reports its indicators in boxes restates their values in its prose
    (with benchmarks and sub-measures around them), so its prose is not read for values.
    """
    kept: list[KpiRecord] = []
    boxes = list(_box_records(ctx)) + list(_table_records(ctx))
    readers = [_ref_records, _list_records, _inline_series_records]
    if not boxes:
        readers.append(_sentence_records)
    for record in boxes + [r for reader in readers for r in reader(ctx)]:
        if record.name and not any(_same(record, other) for other in kept):
            kept.append(record)
    return kept


def _same(a: KpiRecord, b: KpiRecord) -> bool:
    if (a.value is None) != (b.value is None):
        return False
    if a.value is not None and abs(a.value - b.value) > 0.5:
        return False
    if a.period != b.period:
        return False
    return token_set_ratio(a.name.lower(), b.name.lower()) >= 90 if a.value is None else \
        token_set_ratio(a.name.lower(), b.name.lower()) >= SAME_NAME
