"""The loaded document: normalised plain text plus where its pages and tables are.

Every offset the tool emits (blocks, record sources) is an index into
``Document.text``, exactly the text ``minutes text PATH`` prints.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


@dataclass
class Page:
    """A page's span of ``Document.text`` (1-based number)."""

    number: int
    start: int
    end: int


@dataclass
class TableRow:
    """One table row laid out in the text as cells separated by tabs.

    ``cells`` are (start, end) spans of each cell's text; ``table`` numbers the
    tables of the document from 0 and ``header`` marks a header row.
    """

    start: int
    end: int
    cells: list[tuple[int, int]]
    table: int
    page: int | None = None
    header: bool = False


@dataclass
class Document:
    """A paper read into plain text.

    ``meta`` holds hints a loader found outside the running text (an HTML
    ``<title>``, ModernGov labels, DOCX core properties), keyed by field name.
    """

    path: str
    format: str  # pdf, html, docx, txt, md
    text: str
    doc_id: str
    pages: list[Page] = field(default_factory=list)
    table_rows: list[TableRow] = field(default_factory=list)
    page_count: int | None = None
    meta: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def page_at(self, offset: int) -> int | None:
        """The 1-based page holding ``offset``, or None when the format has no pages."""
        if not self.pages:
            return None
        lo, hi = 0, len(self.pages) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.pages[mid].start <= offset:
                lo = mid
            else:
                hi = mid - 1
        return self.pages[lo].number


def document_id(data: bytes) -> str:
    """The contract's document id: first 16 hex digits of SHA-256 of the file bytes."""
    return hashlib.sha256(data).hexdigest()[:16]
