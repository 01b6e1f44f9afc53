"""structure: ``Document`` → blocks (heading, paragraph, list item, table row, agenda item).

Each block knows its page, the section (agenda item or numbered paragraph)
that holds it, its own number, and its character offsets into the text.
List items keep a link to the lead-in sentence that introduces them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .document import Document

BULLET = re.compile(r"^[ \t]*(?:[-*•·▪◦●○■□➢➤►‣⁃–]|\d+[.)]|[a-z][.)]|\([a-z0-9ivx]+\))[ \t]+")
NUMBERED = re.compile(r"^[ \t]*(?:-[ \t]+)?(\d{1,3}(?:\.\d{1,3}){1,3})\.?[ \t]+(?=\S)")
AGENDA = re.compile(r"^[ \t]*(\d{1,4})\.?[ \t]+(?=[A-Z])")


@dataclass
class Block:
    kind: str  # heading | paragraph | list_item | table_row | agenda_item
    start: int
    end: int
    page: int | None = None
    section: str | None = None
    number: str | None = None
    lead_in: int | None = None  # index into the block list of the sentence introducing this list item
    cells: list[tuple[int, int]] = field(default_factory=list)
    level: int = 0

    def text(self, doc: Document) -> str:
        return doc.text[self.start:self.end]


def _lines(text: str):
    pos = 0
    for line in text.split("\n"):
        yield pos, pos + len(line), line
        pos += len(line) + 1


def structure(doc: Document) -> list[Block]:
    """Split the document's text into blocks in reading order."""
    blocks: list[Block] = []
    table_starts = {row.start: row for row in doc.table_rows}
    table_spans = [(row.start, row.end) for row in doc.table_rows]
    section: str | None = None
    last_paragraph: int | None = None
    for start, end, line in _lines(doc.text):
        stripped = line.strip()
        if not stripped:
            continue
        if start in table_starts:
            row = table_starts[start]
            blocks.append(Block("table_row", row.start, row.end, doc.page_at(start), section, cells=list(row.cells)))
            continue
        if any(s <= start < e for s, e in table_spans):
            continue
        lstart = start + (len(line) - len(line.lstrip()))
        m = NUMBERED.match(line)
        if m:
            section = m.group(1)
            blocks.append(Block("paragraph", lstart, end, doc.page_at(start), section, number=m.group(1)))
            last_paragraph = len(blocks) - 1
            continue
        if BULLET.match(line):
            blocks.append(Block("list_item", lstart, end, doc.page_at(start), section, lead_in=last_paragraph))
            continue
        blocks.append(Block("paragraph", lstart, end, doc.page_at(start), section))
        last_paragraph = len(blocks) - 1
    return blocks
