"""Plain text and markdown (including markdown converted from PDF).

Bytes are decoded whatever their encoding (BOMs, UTF-8, UTF-16 without a BOM,
else ``charset-normalizer``'s best guess) and never raise on bad bytes.
Markdown inline markup (``**bold**``, ``<sup>th</sup>``, ``[text](url)``) is
removed and its words kept; ``#`` heading markers stay, because the structure
stage reads them as headings. Runs of two or more tab-separated lines become
``TableRow`` entries. Offsets index the final text.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from ..document import Document, Page, TableRow
from ..errors import LoadError

# charset-normalizer reads at most this much: enough to decide, bounded for a 30 MB file.
DETECT_BYTES = 256 * 1024
# A UTF-8 file with at most this share of its non-ASCII bytes invalid is UTF-8 with a few bad bytes.
UTF8_DAMAGE_SHARE = 0.05
# Non-ASCII bytes at most this share of the text: Western European text, read as Windows-1252.
SPARSE_NON_ASCII_SHARE = 0.15
# Single-byte guesses that are all best read as Windows-1252 (the UK default, a superset for text).
_WESTERN = {"ascii", "latin_1", "iso8859_1", "iso8859_15", "cp1252", "windows-1252", "cp850", "mac_roman"}

_ASCII = bytes(range(128))
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))

# Control characters out (tab and newline stay); C1 controls too, and zero-width marks.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x84\x86-\x9f\ufeff\u200b\ufffe\uffff]")
_LINE_BREAKS = re.compile(r"\r\n?|[\x0c\x85\u2028\u2029]")

# Markdown inline markup, replaced by the words it wraps.
_UNDERLINE_BOLD = re.compile(r"(?<![\w_])__(?=\S)|(?<=\S)__(?![\w_])")
_ITALIC = re.compile(r"\*(?=[^\s*])([^*\n]{1,300}?)(?<=[^\s*\\])\*(?![\w*])")
_IMAGE = re.compile(r"!\[([^\]\n]{0,500})\]\([^)\n]{0,2000}\)")
_LINK = re.compile(r"\[([^\]\n]{1,500})\]\((?:https?:|mailto:|www\.|/|#|\.)[^)\n]{0,2000}\)")
_AUTOLINK = re.compile(r"<((?:https?|ftp)://[^<>\s]{1,2000}|mailto:[^<>\s]{1,500})>")
# Tags that end a line in HTML leave a space between words; inline ones leave nothing.
_BLOCK_TAGS = r"</?(?:p|div|br|center|li|td|th|tr)(?:\s[^<>\n]{0,500})?/?>"
_BLOCK_TAG = re.compile(_BLOCK_TAGS, re.IGNORECASE)
_INLINE_TAG = re.compile(
    r"</?(?:sup|sub|u|b|i|em|strong|span|a|font|small|big|mark|s|strike|del|ins|abbr|cite|code|"
    r"tt|kbd|q|var|dfn|bdi|bdo|wbr|o:p)(?:\s[^<>\n]{0,500})?/?>",
    re.IGNORECASE)
_COMMENT = re.compile(r"<!--.{0,5000}?-->", re.DOTALL)
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
_ENTITY = re.compile(r"&(?:[a-zA-Z][a-zA-Z0-9]{1,10}|#\d{1,7}|#[xX][0-9a-fA-F]{1,6});")
# A GitHub-style pipe table: a header row, a delimiter row (| --- | :-: |), then body rows.
_PIPE_ROW = r"[ \t]*\|?[^\n|]*(?:\|[^\n|]*)+\|?[ \t]*"
_PIPE_DELIMITER = re.compile(r"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$")
_PIPE_TABLE = re.compile(r"^" + _PIPE_ROW + r"\n[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)+\|?[ \t]*"
                         r"(?:\n" + _PIPE_ROW + r")*$", re.MULTILINE)
_TAB_LINE = re.compile(r"^[^\n]*\t[^\n]*$", re.MULTILINE)


def decode(data: bytes, name: str = "") -> str:
    """Bytes → str in whatever common encoding they are in; never raises on bad bytes."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(encoding, errors="replace")
    order = _utf16_order(data[:4096])
    if order:
        return data.decode(f"utf-16-{order}", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    as_utf8 = data.decode("utf-8", errors="replace")
    non_ascii = len(data.translate(None, _ASCII))
    if as_utf8.count("\ufffd") <= UTF8_DAMAGE_SHARE * non_ascii:
        return as_utf8
    return data.decode(_guess_single_byte(data, first_bad), errors="replace")


def _guess_single_byte(data: bytes, first_bad: int) -> str:
    """The single-byte encoding of non-UTF-8 text: Windows-1252 when non-ASCII bytes are sparse
    (English with a few £, ’ and é, as UK papers are), else charset-normalizer's guess from a window
    round the first non-UTF-8 byte."""
    lo = max(0, first_bad - DETECT_BYTES // 2)
    window = data[lo:lo + DETECT_BYTES]
    non_ascii = len(window.translate(None, _ASCII))
    undefined_in_cp1252 = any(b in window for b in (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d"))
    if non_ascii <= SPARSE_NON_ASCII_SHARE * len(window) and not undefined_in_cp1252:
        return "cp1252"
    from charset_normalizer import from_bytes

    best = from_bytes(window).best()
    encoding = best.encoding if best else "cp1252"
    return "cp1252" if encoding in _WESTERN else encoding


def _utf16_order(sample: bytes) -> str | None:
    from . import _utf16_order as order
    return order(sample)


def normalise(text: str) -> str:
    """Newlines to ``\\n``, NULs and other control characters out, trailing spaces trimmed.

    Plain string operations where they do the job: this runs over 30 MB files.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    for other in ("\x0c", "\x85", "\u2028", "\u2029"):
        if other in text:
            text = text.replace(other, "\n")
    text = CONTROL_CHARS.sub("", text)
    if "\u00a0" in text:
        text = text.replace("\u00a0", " ")
    if " \n" in text or "\t\n" in text:
        text = "\n".join(line.rstrip(" \t") for line in text.split("\n"))
    return text


def strip_markup(text: str) -> str:
    """Markdown/inline-HTML markup out, its words kept: ``**x**``, ``<sup>th</sup>``, ``[x](url)``, ``\\-``.

    ``#`` heading markers and ``- `` list markers stay: they are structure, not decoration.
    Each pattern runs only when its trigger character is present (30 MB files).
    """
    if "<" in text:
        text = _COMMENT.sub("", text)
        text = _AUTOLINK.sub(r"\1", text)
        text = _BLOCK_TAG.sub(_block_tag, text)
        text = _INLINE_TAG.sub("", text)
    if "](" in text:
        text = _IMAGE.sub(r"\1", text)
        text = _LINK.sub(r"\1", text)
    if "|" in text and "-" in text:
        text = _PIPE_TABLE.sub(_pipe_table, text)
    if "**" in text:
        text = text.replace("**", "")
    if "__" in text:
        text = _UNDERLINE_BOLD.sub("", text)
    if "*" in text:
        text = _ITALIC.sub(_italic, text)
    if "\\" in text:
        text = _ESCAPE.sub(r"\1", text)
    if "&" in text:
        text = _ENTITY.sub(_unescape, text)
    return text


def _pipe_table(match: re.Match) -> str:
    """A markdown pipe table as tab-separated rows (the delimiter row dropped), which ``table_rows`` records."""
    rows = []
    for line in match.group(0).split("\n"):
        if _PIPE_DELIMITER.match(line):
            continue
        line = line.strip()
        if line.startswith("|"):
            line = line[1:]
        if line.endswith("|") and not line.endswith("\\|"):
            line = line[:-1]
        cells = [cell.strip().replace("\\|", "|").replace("\t", " ") for cell in re.split(r"(?<!\\)\|", line)]
        rows.append("\t".join(cells))
    return "\n".join(rows)


def _block_tag(match: re.Match) -> str:
    """A block tag between two words stands for a space; elsewhere for nothing."""
    text, start, end = match.string, match.start(), match.end()
    between_words = start > 0 and end < len(text) and not text[start - 1].isspace() and not text[end].isspace()
    return " " if between_words else ""


def _italic(match: re.Match) -> str:
    """``*words*`` → words, unless the star follows a word or a backslash (``2*3*4``, ``\\*``)."""
    start = match.start()
    if start > 0 and (match.string[start - 1].isalnum() or match.string[start - 1] in "_*\\"):
        return match.group(0)
    return match.group(1)


def _unescape(match: re.Match) -> str:
    """One HTML entity as its character; one that names a control character or line break is dropped."""
    char = html.unescape(match.group(0))
    return "" if CONTROL_CHARS.search(char) or _LINE_BREAKS.search(char) or char in "\n\t" else char


def table_rows(text: str, page: int | None = None) -> list[TableRow]:
    """Runs of two or more consecutive lines holding tabs, as table rows with their cells' spans."""
    rows: list[TableRow] = []
    run: list[tuple[int, int]] = []
    table = 0

    def close_run() -> None:
        nonlocal table
        if len(run) >= 2:
            for start, end in run:
                rows.append(TableRow(start, end, cell_spans(text, start, end), table, page))
            table += 1
        run.clear()

    for m in _TAB_LINE.finditer(text):
        if run and text.count("\n", run[-1][1], m.start()) != 1:
            close_run()
        if text[m.start():m.end()].strip():
            run.append((m.start(), m.end()))
        else:
            close_run()
    close_run()
    return rows


def cell_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The (start, end) of each tab-separated cell of ``text[start:end]``, trimmed of spaces."""
    spans = []
    pos = start
    for cell in text[start:end].split("\t"):
        lead = len(cell) - len(cell.lstrip(" "))
        body = cell.strip(" ")
        s = pos + lead if body else pos
        spans.append((s, s + len(body)))
        pos += len(cell) + 1
    return spans


def load_text(name: str, data: bytes, doc_id: str, fmt: str = "txt") -> Document:
    """Read a text or markdown paper into a ``Document`` with its tab-separated tables as rows.

    Form feeds (``pdftotext`` ends every page with one) become line breaks and
    mark the pages, so a text made from a PDF still cites page numbers.
    """
    raw = decode(data, name)
    paged = "\x0c" in raw and _PAGE_MARK not in raw
    if paged:
        raw = raw.replace("\x0c", _PAGE_MARK)
    elif fmt == "md" and _PAGE_MARK not in raw and _MARKDOWN_PAGE_BREAK.search(raw):
        # markdown converted from a PDF: "---" then the next page's number on a line of its own
        raw, paged = _MARKDOWN_PAGE_BREAK.sub(_PAGE_MARK, raw), True
    text = strip_markup(normalise(raw))
    pages: list[Page] = []
    if paged:
        text, pages = _split_pages(text)
    if not text.strip():
        raise LoadError(name, "no text (the file holds only whitespace or control characters)")
    rows = table_rows(text)
    if pages:
        rows = [TableRow(r.start, r.end, r.cells, r.table, _page_of(pages, r.start), r.header) for r in rows]
    return Document(path=name, format=fmt, text=text, doc_id=doc_id, table_rows=rows, pages=pages,
                    page_count=len(pages) or None)


# Stands for a form feed while the text is cleaned (a private-use character no paper holds).
_PAGE_MARK = "\ue000"
# A PDF converter's page break in markdown: a rule, then the new page's number alone on its line.
_MARKDOWN_PAGE_BREAK = re.compile(r"(?m)^---[ \t]*\n[ \t]*\d{1,4}[ \t]*$")


def _split_pages(text: str) -> tuple[str, list[Page]]:
    """Text with page marks → text with a newline at each mark, and the pages' spans (a last empty page dropped)."""
    parts = text.split(_PAGE_MARK)
    if len(parts) > 1 and not parts[-1].strip():
        last = parts.pop()
        parts[-1] += last
    pages, pos = [], 0
    for number, part in enumerate(parts, 1):
        pages.append(Page(number, pos, pos + len(part)))
        pos += len(part) + 1
    return "\n".join(parts), pages if len(pages) > 1 else []


def _page_of(pages: list[Page], offset: int) -> int | None:
    for page in reversed(pages):
        if page.start <= offset:
            return page.number
    return None


@dataclass
class LaidBlock:
    """A block of a structured format (HTML, DOCX) before layout: lines, or one table row's cells."""

    kind: str  # heading | paragraph | list_item | table_row
    lines: list[str] = field(default_factory=list)
    cells: list[str] | None = None
    table: int = -1
    header: bool = False
    page: int | None = None


def lay_out(blocks: list[LaidBlock]) -> tuple[str, list[TableRow], list[tuple[LaidBlock, int, int]]]:
    """Blocks → text, table rows, and where each block landed: blank lines between blocks, single
    newlines inside lists and tables.

    A table row is its cells joined by tabs; each cell's span is recorded, so
    offsets index exactly the text returned. Empty blocks are left out.
    """
    parts: list[str] = []
    rows: list[TableRow] = []
    placed: list[tuple[LaidBlock, int, int]] = []
    pos = 0
    previous: LaidBlock | None = None
    for block in blocks:
        if block.kind == "table_row":
            cells = [_one_line(c) for c in block.cells or []]
            line = "\t".join(cells)
        else:
            cells = []
            line = "\n".join(filter(None, (_one_line(ln) for ln in block.lines)))
        if not line.strip():
            continue
        if previous is not None:
            together = (block.kind == previous.kind == "list_item"
                        or (block.kind == previous.kind == "table_row" and block.table == previous.table))
            sep = "\n" if together else "\n\n"
            parts.append(sep)
            pos += len(sep)
        if block.kind == "table_row":
            spans = []
            cell_pos = pos
            for cell in cells:
                spans.append((cell_pos, cell_pos + len(cell)))
                cell_pos += len(cell) + 1
            rows.append(TableRow(pos, pos + len(line), spans, block.table, block.page, block.header))
        parts.append(line)
        placed.append((block, pos, pos + len(line)))
        pos += len(line)
        previous = block
    return "".join(parts), rows, placed


# Inside a laid-out line every run of whitespace (tabs and newlines included) is one space.
_SPACE_RUN = re.compile(r"[\s\u00a0]+")


def _one_line(text: str) -> str:
    """A line or cell as laid out: control characters (from entities like ``&#1;``) out, spaces collapsed."""
    return _SPACE_RUN.sub(" ", CONTROL_CHARS.sub("", text)).strip()
