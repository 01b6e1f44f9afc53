"""structure: ``Document`` → blocks (heading, paragraph, list item, table row, agenda item).

Each block knows its page, the section (agenda item or numbered paragraph)
that holds it, its own number, and its character offsets into the text.
List items keep a link to the lead-in sentence that introduces them.

The text is read line by line. Each line is classified by its marker (a
paragraph number ``1.31``, an agenda number ``242.``, a bullet, ``(a)``) and
by its shape (short and title-cased → heading); unmarked lines that wrap a
paragraph are joined to it. Page furniture (page numbers and running headers
and footers repeated at the edges of pages) is left out of every block.
Cue words (the usual agenda item titles, minutes' labels, furniture patterns)
are data in ``models/rules/structure_cues.csv``.

For the extractors: ``lead_in_sentence`` gives the sentence that introduces a
list item ("The services transferred to Babcock Prime from the Council were:"),
``list_root`` the block that introduces a nested item's whole list, and
``describe`` one line per block (``minutes text --blocks``).
"""
from __future__ import annotations

import csv
import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from typing import Iterator

from .document import Document
from .resources import models_dir


@dataclass
class Block:
    """One unit of the document in reading order; ``text(doc)`` is ``doc.text[start:end]``.

    ``number`` is the block's own label (``1.31``, ``242``, ``a``); ``section``
    the agenda item or paragraph number that holds it. ``lead_in`` (list items)
    is the index of the block introducing the list: a paragraph for a first-level
    item, the parent item for a nested one. ``title`` (agenda items and numbered
    headings) is the span of the title without the number; ``heading`` (blocks
    other than headings and agenda items) the index of the nearest heading or
    agenda item above the block.
    """

    kind: str  # heading | paragraph | list_item | table_row | agenda_item
    start: int
    end: int
    page: int | None = None
    section: str | None = None
    number: str | None = None
    lead_in: int | None = None  # index into the block list of the sentence introducing this list item
    cells: list[tuple[int, int]] = field(default_factory=list)
    level: int = 0
    title: tuple[int, int] | None = None
    heading: int | None = None

    def text(self, doc: Document) -> str:
        """The block's words as they stand in the document's text."""
        return doc.text[self.start:self.end]


# ---------------------------------------------------------------- cue data

@dataclass(frozen=True)
class Cues:
    agenda_titles: tuple[re.Pattern, ...]
    weak_agenda_titles: tuple[re.Pattern, ...]
    document_cues: tuple[re.Pattern, ...]
    furniture: tuple[re.Pattern, ...]
    page_numbers: tuple[re.Pattern, ...]
    not_headings: tuple[re.Pattern, ...]
    not_item_titles: tuple[re.Pattern, ...]


@cache
def cues() -> Cues:
    """The cue patterns of ``models/rules/structure_cues.csv``, compiled once."""
    groups: dict[str, list[re.Pattern]] = {}
    path = models_dir() / "rules" / "structure_cues.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        for n, row in enumerate(csv.DictReader(fh), 2):
            try:
                groups.setdefault(row["kind"], []).append(re.compile(row["pattern"], re.IGNORECASE))
            except re.error as exc:
                raise ValueError(f"{path}:{n}: bad pattern ({exc})") from None
    return Cues(*(tuple(groups.get(k, ())) for k in ("agenda_title", "agenda_title_weak", "document_cue", "furniture", "page_number",
                                                         "not_heading", "not_item_title")))


def strip_furniture(text: str) -> str:
    """A title without its furniture: attachment links, page numbers, "(Agenda item 3)" references."""
    out = text
    for _ in range(3):  # furniture can stack ("Title (Agenda item 3)   9")
        before = out
        for pattern in cues().furniture:
            out = pattern.sub("", out).rstrip()
        if out == before:
            break
    return out.strip()


# ---------------------------------------------------------------- line shapes

# A decimal paragraph number, possibly as a markdown list item ("- 1.4"): 1.31, 5.2.1, 1.1.
DECIMAL = re.compile(r"(?:[-*]\s+)?(\d{1,3}(?:\.\d{1,3}){1,3})(?:\.(?=[A-Z“\"‘(])|\.?(?=\s|$))\s*")  # "2.10.Many" too
# An integer number: "242.", "1 Declarations", "1. That", "- 1. That", "84.    Apologies".
INTEGER = re.compile(r"(?:[-*]\s+)?(\d{1,4})(?:([.)])?(?=\s|$)|(\.)(?=[A-Z“\"‘(][a-z]))\s*")  # "22.Members" too
# An item labelled as such, with its title on the line: "Item 5: Budget Monitoring", "ITEM 3 – MINUTES".
LABELLED_ITEM = re.compile(r"(?:agenda\s+)?item\s+(\d{1,4})[a-z]?\s*(?:[.:)–—-]\s*|\s+)(?=[A-Z(‘'\"])", re.IGNORECASE)
# A minute numbered within its year: "23/19 Apologies", "120/2024 Budget".
MINUTE_NUMBER = re.compile(r"(\d{1,4})/(?:\d{2}|\d{4})\.?[ \t]+(?=[A-Z])")
# Unambiguous bullet glyphs (including the Symbol-font private-use bullets PDFs leave).
GLYPH_BULLET = re.compile("[•·▪◦●○■□➢➤►‣⁃\u2043\uf0b7\uf0a7\uf076\uf0d8\uf0fc\uf0a8\u25aa\u25cf\u2219\u27a2](?=\\s|$)\\s*")
# Markers that also start ordinary wrapped lines, accepted only where a list can start.
PLAIN_BULLET = re.compile(r"(?:[-*–]|o(?=\s+[A-Z0-9]))(?=\s|$)\s*")
# Enumerations: (a), a), (iv), iv., a., (1).
ENUM = re.compile(r"(?:\(([a-z]{1,2}|[ivxlc]{1,5}|\d{1,2})\)|([a-z]|[ivxlc]{1,5})[.)])(?=\s)\s*")
# Lettered section headings: "A. Progress since ...", "B1: Organisational structure".
LETTERED = re.compile(r"([A-Z]\d{0,2})[.:)]\s+(?=\S)")
MD_HEADING = re.compile(r"(#{1,6})\s+")
MARKUP = re.compile(r"\*\*|__|</?(?:u|b|i|em|strong|sup|sub)>|^#+\s*|\\")
MONTHS = re.compile(r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
                    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\b", re.IGNORECASE)
LABEL = re.compile(r"^[A-Z][\w'’()/&? -]{0,40}:\s+\S")  # "Venue: County Hall", "Contact: ..."
SENTENCE_END = re.compile(r"[.!?:;][\"'’”)\]]*$")
CONNECTOR = re.compile(
    r"(?:,|-|–|\b(?:and|or|of|the|to|with|for|in|on|at|by|a|an|from|that|which|as|is|are|was|were|be|its|their|our|between|than|under|into|per|not|has|have|had|will|would|could|should|this|these|those|such|including))$",
    re.IGNORECASE)
SMALL_WORDS = {"a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the", "to",
               "with", "v", "vs", "via", "per", "its", "their", "our", "under", "&", "–", "-", "—"}


def plain(text: str) -> str:
    """Text without markdown/HTML emphasis markup."""
    # each of MARKUP's forms has one of these characters; most lines have none (a tenth of the regex's time)
    if "*" in text or "_" in text or "<" in text or "#" in text or "\\" in text:
        return MARKUP.sub("", text).strip()
    return text.strip()


def heading_like(text: str) -> bool:
    """Short, capitalised, no closing punctuation: the shape of a heading or an agenda title."""
    t = plain(text)
    if not t or len(t) > 140 or "\t" in t:
        return False
    words = t.split()
    if len(words) > 18 or re.search(r"[.!:;,][\"'’”)\]]*$", t) or CONNECTOR.search(t) and len(words) > 3:
        return False
    first = next((c for c in t if c.isalpha()), "")
    if not first or not first.isupper():
        return False
    if LABEL.match(t) or re.search(r"[.!?]\s+[A-Z]", t) or any(p.match(t) for p in cues().not_headings):
        return False  # a "Label: value" line or more than one sentence
    letters = [c for c in t if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) / len(letters) > 0.8:
        return True
    significant = [w for w in words if w[:1].isalpha() and w.lower() not in SMALL_WORDS]
    if not significant:
        return False
    capitalised = sum(w[0].isupper() for w in significant)
    return capitalised / len(significant) >= 0.5 or len(words) <= 6


@dataclass
class _Line:
    pos: int  # offset of the line's first character
    start: int  # offset of the first non-space character
    end: int  # offset after the last non-space character
    indent: int
    text: str  # the stripped line
    page: int | None
    furniture: bool = False
    alone: bool = False  # blank lines (or the text's edges) before and after


def _lines(doc: Document) -> list[_Line]:
    out = []
    pos = 0
    text = doc.text
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            start = pos + lead
            end = start + len(stripped)
            expanded = raw[:lead].replace("\t", "    ")
            out.append(_Line(pos, start, end, len(expanded), stripped, None))
        else:
            out.append(_Line(pos, pos, pos, 0, "", None))
        pos += len(raw) + 1
    for i, line in enumerate(out):
        if line.text:
            line.alone = (i == 0 or not out[i - 1].text) and (i + 1 == len(out) or not out[i + 1].text)
    if doc.pages:
        for line in out:
            line.page = doc.page_at(line.start)
    return out


_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"\s+")


def _mark_furniture(doc: Document, lines: list[_Line]) -> None:
    """Page numbers and running headers/footers at the edges of pages.

    Walking in from each edge of a page, a line is furniture while it is a page
    number or a line that also sits at the edge of another page (digits aside:
    "Page 3 of 8"). The first time a running line appears it stays, since it is
    often the paper's title.
    """
    if len(doc.pages) < 2:
        return
    by_page: dict[int, list[_Line]] = {}
    for line in lines:
        if line.text and line.page is not None:
            by_page.setdefault(line.page, []).append(line)
    edge = 4  # how many lines at each end of a page may be furniture

    keys: dict[str, str] = {}  # an edge line's key is asked for up to three times

    def key(t: str) -> str:
        k = keys.get(t)
        if k is None:
            k = keys[t] = _DIGITS.sub("#", _SPACES.sub(" ", t.lower()))
        return k

    seen: Counter = Counter()
    for page_lines in by_page.values():
        seen.update({key(ln.text) for ln in page_lines[:edge] + page_lines[-edge:]})
    repeated = {k for k, n in seen.items() if n >= 2 and len(k) > 2}
    page_number = cues().page_numbers
    kept: set[str] = set()
    for number in sorted(by_page):
        page_lines = by_page[number]
        candidates: dict[int, _Line] = {}
        for seq in (page_lines, page_lines[::-1]):
            for ln in seq[:edge + 2]:
                if not (any(p.match(ln.text) for p in page_number) or key(ln.text) in repeated):
                    break
                if ln.text.rstrip().endswith(":"):
                    break  # a label that opens what follows ("And Resolved:") is content, however often it falls at a page's edge
                candidates[ln.start] = ln
        for start in sorted(candidates):
            ln = candidates[start]
            k = key(ln.text)
            if any(p.match(ln.text) for p in page_number) or k in kept:
                ln.furniture = True
            else:
                kept.add(k)


# ---------------------------------------------------------------- document shape

def agenda_like(doc: Document, lines: list[_Line] | None = None) -> bool:
    """Whether the paper is an agenda or minutes: numbered top-level titles are agenda items there.

    Evidence: a numbered title that is a usual agenda item (apologies,
    declarations of interest, minutes of the last meeting …) or a minutes/agenda
    label line ("Agenda and minutes", "PRESENT:", "(Agenda item 3)", "RESOLVED").
    """
    if lines is None:
        lines = _lines(doc)
    c = cues()
    hits = 0
    weak: set[int] = set()  # which usual-but-ambiguous titles were seen ("Work programme", "Petitions")
    for i, line in enumerate(lines):
        if not line.text:
            continue
        t = plain(line.text).lstrip("-_ ")  # markdown rules run into the text by PDF conversion
        m = INTEGER.match(t) or LETTERED.match(t)  # "3. Apologies", "B. Public Comment"
        title = t[m.end():] if m and m.end() < len(t) else None
        if m and not title:
            title = next((plain(ln.text) for ln in lines[i + 1:i + 4] if ln.text), None)
        if m and title and any(p.search(title) for p in c.agenda_titles):
            return True
        if m and title:
            weak.update(k for k, p in enumerate(c.weak_agenda_titles) if p.search(title))
            if len(weak) >= 2:
                return True
        if any(p.search(t) for p in c.document_cues):
            hits += 1
            if hits >= 2:
                return True
    return False


# ---------------------------------------------------------------- numbering helpers

def _as_tuple(number: str) -> tuple[int, ...]:
    return tuple(int(p) for p in number.split("."))


def _plausible_next(prev: str | None, number: str) -> bool:
    """Whether paragraph ``number`` can follow ``prev`` (1.4 → 1.5, 1.31 → 2.1, 5.2 → 5.2.1)."""
    new = _as_tuple(number)
    if prev is None:
        return new[-1] <= 3 or len(new) == 1
    old = _as_tuple(prev)
    for i, (a, b) in enumerate(zip(old, new)):
        if a != b:
            return 0 < b - a <= 3 and all(x <= 2 for x in new[i + 1:])
    if len(new) > len(old):
        return all(x <= 2 for x in new[len(old):])
    return False


def _is_date_start(rest: str) -> bool:
    return bool(MONTHS.match(rest))


# ---------------------------------------------------------------- the builder

class _Builder:
    def __init__(self, doc: Document):
        self.doc = doc
        self.blocks: list[Block] = []
        self.section: str | None = None
        self.last_paragraph_number: str | None = None
        self.last_item: int | None = None
        self.item_style: str | None = None  # what follows an agenda item's number in this paper: ".", ")" or ""
        self.last_heading: int | None = None
        self.open: Block | None = None  # the block that may take wrapped lines
        self.open_indent = 0
        self.open_title = False  # the open block is an agenda item/heading still reading its title
        self.list_stack: list[tuple[int, int, str | None]] = []  # (indent, block index, marker) of enclosing items
        self.unmarked_indent: int | None = None  # indent of a nested list whose items have no markers
        self.lines: list[_Line] = []
        self.line_index = 0
        self.wrap_width: int | None = None
        self.marker_only = False  # the open list item is a bullet or "(a)" alone, its text still to come
        self.skip_through = -1  # lines up to this index were taken into a block already
        self.run_lead_in: int | None = None  # the last block that is not a list item (None after a table row)

    def next_text(self) -> str:
        """The next line with text after the current one (furniture skipped), for lookahead."""
        for line in self.lines[self.line_index + 1:self.line_index + 40]:
            if line.text and not line.furniture:
                return line.text
        return ""

    # -- emitting
    def emit(self, block: Block) -> int:
        block.page = self.doc.page_at(block.start)
        if block.kind not in ("heading", "agenda_item"):
            block.heading = self.last_heading
        self.blocks.append(block)
        idx = len(self.blocks) - 1
        if block.kind in ("heading", "agenda_item"):
            self.last_heading = idx
        if block.kind != "list_item":
            self.list_stack = []
            self.unmarked_indent = None
            self.run_lead_in = idx if block.kind != "table_row" else None
        return idx

    def close(self) -> None:
        self.open = None
        self.open_title = False
        self.marker_only = False

    def extend(self, line: _Line) -> None:
        assert self.open is not None
        self.open.end = line.end
        if self.open_title and self.open.title is not None:
            self.open.title = (self.open.title[0] if self.open.title[0] < self.open.title[1] else line.start, line.end)

    # -- block kinds
    def paragraph(self, line: _Line, start: int, number: str | None = None) -> None:
        self.close()
        if number and not (number.isdigit() and self.last_item is not None):
            # Inside an agenda item, "1.", "2." restart in every item: the item number says more.
            self.section = number
        if number and "." in number:
            self.last_paragraph_number = number
        block = Block("paragraph", line.start, line.end, section=self.section, number=number)
        self.emit(block)
        self.open, self.open_indent = block, line.indent

    def heading(self, line: _Line, level: int = 0, number: str | None = None, title_start: int | None = None,
                sets_section: bool = False) -> None:
        self.close()
        if sets_section and number:
            self.section = number
        block = Block("heading", line.start, line.end, section=self.section, number=number, level=level)
        if title_start is not None:
            block.title = (title_start, line.end)
        self.emit(block)
        if title_start is not None and title_start >= line.end:  # number alone: the title follows
            self.open, self.open_title = block, True

    def agenda_item(self, line: _Line, number: str, title_start: int) -> None:
        self.close()
        self.section = number
        self.last_item = item_ordinal(number)
        self.last_paragraph_number = None
        block = Block("agenda_item", line.start, line.end, section=number, number=number, level=1,
                      title=(title_start, line.end))
        self.emit(block)
        self.open, self.open_indent, self.open_title = block, line.indent, True

    def list_item(self, line: _Line, number: str | None = None) -> None:
        """A list item; its level comes from indentation. Markdown converted from PDF shifts items by a
        space, so one more space opens a nested list only with a new kind of marker ("- e)" then " - a.")."""
        self.close()
        indent, marker = line.indent, list_marker(line.text)
        stack = self.list_stack
        while stack and indent < stack[-1][0] - 1:
            stack.pop()
        before = _predecessor(number)
        ancestor = next((k for k in range(len(stack) - 1, -1, -1)
                         if (stack[k][2] == marker or before is not None and self.blocks[stack[k][1]].number == before)
                         and abs(stack[k][0] - indent) <= 1), None)  # "(c)" after "(b)" even if read as a roman "(i)"
        if ancestor is not None:
            del stack[ancestor:]  # a sibling of an item at this level
        elif stack and stack[-1][1] == len(self.blocks) - 1 and \
                _tail(self.doc, self.blocks[-1].start, self.blocks[-1].end).endswith(":"):
            pass  # "(b) … as follows:" then "- …": a new kind of marker under an item ending in a colon is its child
        elif stack and (indent <= stack[-1][0] or indent == stack[-1][0] + 1 and (marker is None or stack[-1][2] is None)):
            stack.pop()
        earlier = self._previous_in_sequence(number, marker) if not stack else None
        if earlier is not None:
            # "(b)" after "(a)" with paragraphs between: the same list, the same lead-in.
            lead_in, level = self.blocks[earlier].lead_in, self.blocks[earlier].level
        elif stack:
            lead_in = stack[-1][1]
            level = self.blocks[lead_in].level + 1
        else:
            lead_in = self._first_level_lead_in()
            level = 1
        block = Block("list_item", line.start, line.end, section=self.section, number=number, lead_in=lead_in,
                      level=level)
        idx = self.emit(block)
        stack.append((indent, idx, marker))
        self.open, self.open_indent = block, indent

    def _previous_in_sequence(self, number: str | None, marker: str | None) -> int | None:
        """The item numbered just before ``number`` ("a" for "b", "ii" for "iii", "3" for "4") with the same
        kind of marker, under the same heading, when paragraphs stand between the two."""
        before = _predecessor(number)
        if before is None or not self.blocks or self.blocks[-1].kind == "list_item":
            return None
        for i in range(len(self.blocks) - 1, max(-1, len(self.blocks) - 40), -1):
            block = self.blocks[i]
            if block.kind in ("heading", "agenda_item"):
                return None
            if block.kind == "list_item" and block.number == before and \
                    list_marker(self.doc.text[block.start:block.end]) == marker:
                return i
        return None

    def _first_level_lead_in(self) -> int | None:
        """The block before the current run of list items: the sentence that introduces the list."""
        return self.run_lead_in

    def table_row(self, row) -> None:
        self.close()
        self.emit(Block("table_row", row.start, row.end, section=self.section, cells=list(row.cells)))


def structure(doc: Document) -> list[Block]:
    """Split the document's text into blocks in reading order."""
    lines = _lines(doc)
    _mark_furniture(doc, lines)
    agenda = agenda_like(doc, lines)
    b = _Builder(doc)
    b.lines = lines
    b.wrap_width = _wrap_width(lines)
    rows_at, inside_rows = _table_lines(doc, lines)
    prev: _Line | None = None  # the previous line with text (furniture skipped)
    blank_since = True  # a blank line since ``prev``
    for i, line in enumerate(lines):
        if i in rows_at:
            for row in rows_at[i]:
                if not b.blocks or row.start >= b.blocks[-1].end:
                    if not (agenda and _agenda_row(b, row)):
                        b.table_row(row)
            prev, blank_since = None, True
            continue
        if i in inside_rows:
            continue
        if not line.text:
            blank_since = True
            continue
        if line.furniture:
            blank_since = blank_since or (prev is not None and line.page != prev.page)
            continue
        if i <= b.skip_through:  # already taken into the block before
            prev, blank_since = line, False
            continue
        b.line_index = i
        _classify(b, line, prev, blank_since, agenda)
        prev, blank_since = line, False
    if agenda:
        _lettered_items(b.blocks)
    return b.blocks


def _lettered_items(blocks: list[Block]) -> None:
    """In a meeting paper, lettered headings at one level in alphabetical order ("B. Public Comment",
    "C. …", "H. Adjourn") are its agenda items. Letters may skip (items without business are left out);
    a lone lettered heading at another level ("I. Operations Committee") is not one of them."""
    by_level: dict[int, list[Block]] = {}
    for block in blocks:
        if block.kind == "heading" and block.number and re.fullmatch(r"[A-Z]", block.number) and block.title:
            by_level.setdefault(block.level, []).append(block)
    for run in by_level.values():
        letters = [block.number for block in run]
        if len(run) >= 2 and all(a < b for a, b in zip(letters, letters[1:])):
            for block in run:
                block.kind = "agenda_item"
                block.section = block.number


def _agenda_row(b: _Builder, row) -> bool:
    """An agenda laid out as a table ("4. | Annual complaints report | 9"): emit it as an agenda item."""
    text = b.doc.text
    cells = [(s, e) for s, e in row.cells if text[s:e].strip()]
    if not cells:
        return False
    first = text[cells[0][0]:cells[0][1]].strip()
    lead = cells[0][0] + (len(text[cells[0][0]:cells[0][1]]) - len(text[cells[0][0]:cells[0][1]].lstrip()))
    m = re.fullmatch(r"(\d{1,4})[.)]?", first)
    if m and len(cells) >= 2:
        number, title = m.group(1), cells[1]
    else:
        m = INTEGER.match(first)
        if not m or m.end() >= len(first):
            return False
        number, title = m.group(1), (lead + m.end(), cells[0][1])
    title_text = text[title[0]:title[1]].strip()
    n = int(number)
    if not title_text or _is_date_start(title_text) or not (heading_like(title_text) or heading_like(strip_furniture(title_text))
                                                             or b.last_item is not None and n == b.last_item + 1):
        return False
    if not _fits_item(b, n, title_text):
        return False
    b.close()
    b.section = number
    b.last_item = n
    b.last_paragraph_number = None
    b.emit(Block("agenda_item", row.start, row.end, section=number, number=number, level=1, title=title,
                 cells=list(row.cells)))
    return True


def _table_lines(doc: Document, lines: list[_Line]) -> tuple[dict[int, list], set[int]]:
    """Which lines hold the start of a loader's table row, and which lines a row covers beyond that."""
    positions = [ln.pos for ln in lines]
    rows_at: dict[int, list] = {}
    inside: set[int] = set()
    for row in sorted(doc.table_rows, key=lambda r: r.start):
        i = max(0, bisect_right(positions, row.start) - 1)
        rows_at.setdefault(i, []).append(row)
        j = i + 1
        while j < len(lines) and positions[j] < row.end:
            inside.add(j)
            j += 1
    return rows_at, inside - set(rows_at)


def _tail(doc: Document, start: int, end: int, size: int = 300) -> str:
    """The plain text of the last ``size`` characters of a span: what decides how a block goes on.

    Only the end matters (its punctuation, its last word), and reading the whole
    of a block that keeps growing would make long paragraphs quadratic.
    """
    return plain(doc.text[max(start, end - size):end])


def _prev_ended(prev: _Line | None, b: _Builder) -> bool:
    """Whether the previous line closed its sentence (or was a heading), so a new block may start."""
    if prev is None:
        return True
    if b.open is not None and b.open.kind in ("heading",) and not b.open_title:
        return True
    last = b.blocks[-1] if b.blocks else None
    if last is not None and last.kind == "heading" and last.end == prev.end:
        return True
    return bool(SENTENCE_END.search(plain(prev.text)))


def _classify(b: _Builder, line: _Line, prev: _Line | None, blank_since: bool, agenda: bool) -> None:
    text = line.text
    can_start = blank_since or _prev_ended(prev, b)

    # markdown headings
    m = MD_HEADING.match(text)
    if m:
        inner = text[m.end():]
        num = DECIMAL.match(plain(inner)) or INTEGER.match(plain(inner))
        number = num.group(1) if num and plain(inner)[num.end():num.end() + 1].isalpha() else None
        letter = LETTERED.match(plain(inner)) if number is None else None
        if letter and len(letter.group(1)) == 1 and _title_like(plain(inner)[letter.end():]):
            # "### B. Public Comment": a lettered heading; a run of them in a meeting paper are its items.
            start = line.start + (len(text) - len(text[m.end():].lstrip("*_ "))) + letter.end()
            b.heading(line, level=len(m.group(1)), number=letter.group(1), title_start=min(start, line.end))
            b.close()
            return
        if number and number.isdigit() and agenda and _fits_item(b, int(number), plain(inner)[num.end():]):
            # "## 5. Budget Monitoring" in markdown minutes: an agenda item set as a heading.
            start = line.start + (len(text) - len(text[m.end():].lstrip("*_ "))) + num.end()
            b.agenda_item(line, number, min(start, line.end))
            b.close()
            return
        b.heading(line, level=len(m.group(1)), number=number, sets_section=bool(number))
        return

    # an agenda item / numbered heading still waiting for its title
    if b.open_title and b.open is not None and b.open.title is not None and b.open.title[0] >= b.open.title[1]:
        if not _marker(text):
            b.open.title = (line.start, line.end)
            b.open.end = line.end
            return
        b.close()

    # a page number printed in an agenda's margin, inside a title that goes on
    if b.open_title and b.open is not None and re.fullmatch(r"\d{1,4}", text) and \
            not (b.last_item is not None and int(text) == b.last_item + 1):
        return

    # a title that wraps onto a second line
    if b.open_title and b.open is not None and not blank_since and _continues_title(b, line, prev):
        b.extend(line)
        return

    # decimal paragraph numbers
    m = DECIMAL.match(text)
    if m and re.search(r"(?:^|\.)0", m.group(1)):
        m = None  # "0.021 Ha", "1.05": quantities, not paragraph numbers
    if m and (can_start or _plausible_next(b.last_paragraph_number, m.group(1))) and \
            not _is_date_start(text[m.end():]) and not re.match(r"\d{1,3}(?:\.\d+)+\s*(?:%|per|million|bn|m\b|k\b)", text):
        rest = text[m.end():]
        wrapped = _wrapped_heading_line(b, rest)
        if rest and (heading_like(rest) or wrapped) and len(rest.split()) <= 12 and can_start:
            depth = m.group(1).count(".") + 1
            b.heading(line, level=depth, number=m.group(1), title_start=line.start + m.end(), sets_section=True)
            b.last_paragraph_number = m.group(1)
            if wrapped:  # the heading's second line is part of it
                b.blocks[-1].end = wrapped.end
                b.blocks[-1].title = (b.blocks[-1].title[0], wrapped.end)
                b.skip_through = b.line_index + 1
            b.close()
            return
        if not rest or rest[:1].isalpha() or rest[:1] in "(*'\"‘“[<":
            b.paragraph(line, line.start, number=m.group(1))
            b.open_indent = line.indent
            return

    # items labelled "Item 5: …"
    m = LABELLED_ITEM.match(text)
    if m and agenda and can_start and m.end() < len(text):
        rest = text[m.end():]
        if _title_like(rest) and _fits_item(b, int(m.group(1)), rest):
            b.agenda_item(line, m.group(1), line.start + m.end())
            return

    # minutes numbered within their year
    m = MINUTE_NUMBER.match(text)
    if m and agenda and can_start:
        rest = text[m.end():]
        if _title_like(rest) and _fits_item(b, int(m.group(1)), rest):
            b.agenda_item(line, text[:m.end()].strip().rstrip("."), line.start + m.end())
            return

    # integer numbers: agenda items, numbered headings, numbered lists, numbered paragraphs
    m = INTEGER.match(text)
    if m and (can_start or ((m.group(2) or m.group(3)) and _after_list_or_lead(b, int(m.group(1))))):
        number, punct = m.group(1), (m.group(2) or m.group(3))
        rest = text[m.end():]
        if _integer_marker(b, line, number, punct, rest, agenda, prev, blank_since):
            return

    # lettered section headings
    m = LETTERED.match(text)
    if m and can_start and heading_like(text[m.end():]) and not MONTHS.match(text):
        b.heading(line, level=2, number=m.group(1), title_start=line.start + m.end())
        b.close()
        return

    # bullets and enumerations
    m = GLYPH_BULLET.match(text)
    if m:
        b.list_item(line)
        b.marker_only = m.end() >= len(text)  # a bullet alone on its line: the item's text follows
        return
    m = PLAIN_BULLET.match(text)
    if m and m.end() < len(text) and (can_start or _in_list(b) or line.indent > b.open_indent
                                      or not text[m.end()].islower()):
        enum = ENUM.match(text[m.end():])  # "- e) Specific responsibility …": a markdown bullet on an enumeration
        b.list_item(line, number=(enum.group(1) or enum.group(2)) if enum else None)
        return
    m = ENUM.match(text + " ") if re.fullmatch(r"\((?:[a-z]{1,2}|[ivxlc]{1,5}|\d{1,2})\)", text) else ENUM.match(text)
    if m and (m.end() < len(text) or m.end() == len(text) + 1) and (can_start or _in_list(b)):
        b.list_item(line, number=m.group(1) or m.group(2))
        b.marker_only = m.end() > len(text)
        return

    # indented lines under a list item that ends in a colon: a nested list without markers
    if _unmarked_nested(b, line):
        b.list_item(line)
        b.unmarked_indent = line.indent
        return

    # unmarked text: a marker's item text, a wrapped line, a heading or a new paragraph
    if b.marker_only and b.open is not None and b.open.kind == "list_item":
        b.extend(line)
        b.marker_only = False
        return
    if b.open is not None and b.open.kind in ("paragraph", "list_item") and _continues(b, line, prev, blank_since):
        b.extend(line)
        return
    if can_start and heading_like(text) and not _looks_like_body(text) and not _wraps_on(b):
        b.heading(line, level=0)
        return
    b.paragraph(line, line.start)


_ROMAN = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"]


def _predecessor(number: str | None) -> str | None:
    """The label before ``number`` in its sequence, or None for the first label or no label."""
    if not number:
        return None
    if number.isdigit():
        return str(int(number) - 1) if int(number) > 1 else None
    if number in _ROMAN[1:]:
        return _ROMAN[_ROMAN.index(number) - 1]
    if len(number) == 1 and number.isalpha() and number.lower() != "a":
        return chr(ord(number) - 1)
    return None


def list_marker(text: str) -> str | None:
    """The kind of a list item's marker: its bullet glyph, or the style of its enumeration ("a)", "1.", "(i)")."""
    m = GLYPH_BULLET.match(text) or PLAIN_BULLET.match(text)
    glyph = text[:1] if m else None
    rest = (text[m.end():] if m else text) + " "  # "(b)" alone on its line is still marked
    e = ENUM.match(rest) or re.match(r"(\d{1,3})([.)])\s", rest)
    if not e:
        return glyph
    label = e.group(0).strip()
    style = re.sub(r"[ivxlc]+", "i", re.sub(r"\d+", "1", label)) if re.search(r"\d|^\(?[ivxlc]+[.)]", label) \
        else re.sub(r"[a-z]+", "a", label)
    return (glyph or "") + style


def _unmarked_nested(b: _Builder, line: _Line) -> bool:
    """An indented line without a marker, in a list whose item above ends in a colon (or is such a line)."""
    if not b.blocks or b.blocks[-1].kind != "list_item" or line.indent == 0:
        return False
    last = b.blocks[-1]
    if b.unmarked_indent is not None and abs(line.indent - b.unmarked_indent) <= 1 and last.level > 1:
        return True
    parent_indent = b.list_stack[-1][0] if b.list_stack else 0
    return _tail(b.doc, last.start, last.end).endswith(":") and line.indent > parent_indent + 1


def _wrapped_heading_line(b: _Builder, rest: str) -> _Line | None:
    """The second line of a heading that wraps ("5.2 Resources (Finance, …, IT," / "Property)"), if any."""
    if not rest or heading_like(rest) or not re.search(r"[,&(–-]$|\b(?:and|of|for|the|to|in|on)$", rest):
        return None
    i = b.line_index + 1
    if i >= len(b.lines) or not b.lines[i].text or _marker(b.lines[i].text):
        return None
    after = b.lines[i + 1] if i + 1 < len(b.lines) else None
    if after is not None and after.text:
        return None  # the line after is not a heading's end either: a paragraph goes on
    nxt = b.lines[i]
    return nxt if heading_like(rest + " " + nxt.text) else None


def _wraps_on(b: _Builder) -> bool:
    """Whether the current line runs straight on into a lower-case line (so it is no heading)."""
    following = b.lines[b.line_index + 1] if b.line_index + 1 < len(b.lines) else None
    return following is not None and following.text[:1].islower()


def _marker(text: str) -> bool:
    """Whether a line opens a block of its own: a bullet, or a decimal paragraph number with text after it."""
    if GLYPH_BULLET.match(text):
        return True
    m = DECIMAL.match(text)
    return bool(m and m.end() < len(text) and "." in m.group(1))


def _looks_like_body(text: str) -> bool:
    """Lines that are heading-shaped but are data: a bare date, a time, a phone number."""
    t = plain(text)
    return bool(re.fullmatch(r"[\d\s:.,/()+-]+(?:am|pm)?", t, re.IGNORECASE))


def _in_list(b: _Builder) -> bool:
    return bool(b.blocks) and b.blocks[-1].kind == "list_item"


def _after_list_or_lead(b: _Builder, n: int) -> bool:
    """A numbered line right after a lead-in or the previous numbered item (no blank line between)."""
    if not b.blocks:
        return False
    last = b.blocks[-1]
    if last.kind == "list_item" and last.number and last.number.isdigit() and int(last.number) == n - 1:
        return True
    return last.kind == "paragraph" and _tail(b.doc, last.start, last.end).endswith(":")


def _continues(b: _Builder, line: _Line, prev: _Line | None, blank_since: bool) -> bool:
    """Whether an unmarked line wraps the open paragraph or list item."""
    open_text = _tail(b.doc, b.open.start, b.open.end)
    if not blank_since:
        if heading_like(line.text) and _prev_ended(prev, b) and len(line.text) < 60 and not _wraps_on(b) and \
                (prev is None or len(prev.text) < 60 or SENTENCE_END.search(open_text)):
            return False
        if b.open.kind == "list_item" and line.indent < b.open_indent - 1 and SENTENCE_END.search(open_text):
            return False  # text back at the margin after a finished item
        if prev is not None and _line_ends_block(b, prev) and not line.text[:1].islower():
            return False
        return True
    # Across a blank line (or a page break): only an obviously unfinished sentence goes on.
    if SENTENCE_END.search(open_text):
        return False
    first = line.text[:1]
    return first.islower() or bool(CONNECTOR.search(open_text))


def _line_ends_block(b: _Builder, prev: _Line) -> bool:
    """A line that closes its sentence well short of the text's wrap width ends its paragraph or item.

    In text whose lines wrap at a width (PDF text), a paragraph's last line
    is short; in text with one line per paragraph, every line ends one.
    """
    if not SENTENCE_END.search(prev.text) or prev.text.endswith((",", ";")):
        return False
    width = b.wrap_width
    return width is None or prev.indent + len(prev.text) < 0.8 * width


def _wrap_width(lines: list[_Line]) -> int | None:
    """The width the text's lines wrap at, or None when lines do not wrap (one line per paragraph)."""
    lengths = sorted(ln.indent + len(ln.text) for ln in lines if ln.text and not ln.furniture)
    if len(lengths) < 10:
        return None
    p95 = lengths[int(0.95 * (len(lengths) - 1))]
    near = sum(1 for n in lengths if n >= 0.8 * p95) / len(lengths)
    return p95 if p95 >= 50 and near >= 0.25 else None


def _continues_title(b: _Builder, line: _Line, prev: _Line | None) -> bool:
    """Whether a line carries on an agenda title ("... and notes of / the Joint session ...")."""
    title = _tail(b.doc, *b.open.title) if b.open.title else ""
    text = plain(line.text)
    if not title or _marker(text) or LABEL.match(text):
        return False
    if re.search(r"\((?:agenda )?item \d+\)\s*$", title, re.IGNORECASE):
        return False  # the cross-reference closes a minute's title
    if re.fullmatch(r"\((?:agenda )?item \d+\)", text, re.IGNORECASE):
        return True
    letters = [c for c in title if c.isalpha()]
    upper_title = letters and sum(c.isupper() for c in letters) / len(letters) > 0.8
    if upper_title:
        tl = [c for c in text if c.isalpha()]
        return bool(tl) and sum(c.isupper() for c in tl) / len(tl) > 0.8 and not re.match(r"[A-Z ]+:", text)
    if SENTENCE_END.search(title):
        return False
    if text[:1].islower() or CONNECTOR.search(strip_furniture(title)):
        return True
    return bool(re.search(r"\d$", strip_furniture(title)) and MONTHS.match(text))


def _title_like(text: str) -> bool:
    """The shape of a title, allowing furniture after it and a wrap after its last word."""
    if heading_like(text):
        return True
    bare = strip_furniture(text)
    unwrapped = CONNECTOR.sub("", bare).rstrip()
    return heading_like(bare) or (unwrapped != bare and heading_like(unwrapped))


def item_ordinal(number: str) -> int:
    """The running number of an agenda item's label ("242" → 242, "23/19" → 23)."""
    m = re.match(r"\d+", number)
    return int(m.group()) if m else 0


def _fits_item(b: _Builder, n: int, title: str) -> bool:
    """Whether ``n`` can be the next agenda item: after the last one, or 1 again for an enclosed set of
    minutes whose title reads as an agenda title (in capitals, or a usual item such as "Apologies")."""
    if n >= 2000 or any(p.search(plain(title)) for p in cues().not_item_titles):
        return False
    if b.last_item is None or b.last_item < n <= b.last_item + 30:
        return True
    if n != 1:
        return False
    t = plain(title)
    letters = [c for c in t if c.isalpha()]
    upper = bool(letters) and sum(c.isupper() for c in letters) / len(letters) > 0.8
    return upper or any(p.search(t) for p in cues().agenda_titles + cues().weak_agenda_titles)


def _integer_marker(b: _Builder, line: _Line, number: str, punct: str | None, rest: str, agenda: bool,
                    prev: _Line | None, blank_since: bool) -> bool:
    """Handle a line starting with a whole number; False when the number is just the start of text."""
    n = int(number)
    title_start = line.start + (len(line.text) - len(rest))
    if not rest:
        # A number alone on its line: an agenda item or numbered heading whose title follows.
        following = b.next_text()
        title_follows = bool(following) and _title_like(following) and not INTEGER.fullmatch(following)
        if agenda and title_follows and _fits_item(b, n, following):
            b.agenda_item(line, number, title_start=line.end)
            b.open.title = (line.end, line.end)
            b.item_style = punct or ""
            return True
        if punct and title_follows:
            b.heading(line, level=1, number=number, title_start=line.end, sets_section=True)
            return True
        return False
    if _is_date_start(rest) or (not punct and not rest[:1].isupper()):
        return False
    if not punct and re.match(r"(?:%|per ?cent|[a-z])", rest):
        return False
    title_shaped = _title_like(rest) or (
        line.alone and punct == "." and len(rest.split()) <= 15 and rest[:1].isupper()
        and not re.search(r"[.:;,]$", rest))
    if agenda and not title_shaped and b.last_item is not None and n == b.last_item + 1:
        # The next item number in an agenda: its title may be long ("Minutes of the meeting held on …").
        title_shaped = (rest[:1].isupper() or rest[:1].isdigit()) and len(rest.split()) <= 40 \
            and not re.search(r"[.;,]$", rest)
    follows_lead = _after_list_or_lead(b, n) or (b.blocks and b.blocks[-1].kind == "heading" and not title_shaped)
    # Agenda items keep one numbering style: after "7. Conferences", "13 Casual Vacancies" is a table row's
    # count and label, unless it is the very next number or a new set of items starts at 1.
    same_style = b.item_style is None or b.item_style == (punct or "") or n in (1, (b.last_item or 0) + 1)
    if title_shaped and agenda and same_style and _fits_item(b, n, rest):
        b.agenda_item(line, number, title_start)
        b.item_style = punct or ""
        return True
    if title_shaped and not agenda and not follows_lead and not re.match(r"[-*]\s", line.text):
        b.heading(line, level=1, number=number, title_start=title_start, sets_section=True)
        b.close()
        return True
    if follows_lead or re.match(r"[-*]\s", line.text) or (b.blocks and b.blocks[-1].kind == "heading"):
        b.list_item(line, number=number)
        return True
    if punct:
        b.paragraph(line, line.start, number=number)
        return True
    return False


def list_root(blocks: list[Block], index: int) -> int | None:
    """The block that introduces the whole list holding list item ``blocks[index]`` (up the lead-in chain)."""
    seen = 0
    i = blocks[index].lead_in
    while i is not None and blocks[i].kind == "list_item" and seen < len(blocks):
        i = blocks[i].lead_in
        seen += 1
    return i


def lead_in_sentence(doc: Document, blocks: list[Block], index: int) -> tuple[int, int] | None:
    """The span of the sentence that introduces list item ``blocks[index]``.

    That is the last sentence of its lead-in block (for a nested item, of the
    first-level item's lead-in chain: the parent item itself when it ends in
    a colon). None when the item has no lead-in.
    """
    block = blocks[index]
    if block.lead_in is None:
        return None
    lead = blocks[block.lead_in]
    text = doc.text[lead.start:lead.end]
    cuts = [m.end() for m in re.finditer(r"[.!?][\"'’”)]*\s+(?=[A-Z(\"'‘“])", text)]
    start = lead.start + (cuts[-1] if cuts else 0)
    while start < lead.end and doc.text[start].isspace():
        start += 1
    return start, lead.end


def describe(doc: Document, blocks: list[Block], width: int = 100) -> Iterator[str]:
    """One line per block for people checking the structure: index, kind, page, section, number, level,
    lead-in, and the start of its text."""
    for i, b in enumerate(blocks):
        words = re.sub(r"\s+", " ", doc.text[b.start:b.end]).strip()
        lead = "" if b.lead_in is None else f" <{b.lead_in}"
        yield (f"{i:>4} {b.kind:<11} p={'-' if b.page is None else b.page:<3} s={b.section or '-':<7} "
               f"n={b.number or '-':<6} L{b.level}{lead}  {words[:width]}")
