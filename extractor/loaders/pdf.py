"""PDF papers: text in reading order, tables as tab-separated rows, page furniture removed.

Speed comes from reading everything through pypdfium2 (PDFium): its text layer
runs at hundreds of pages a second, where pdfminer's layout parse (behind
pdfplumber's ``extract_text``) manages about twenty. Tables are found by
pdfplumber's table-finding algorithm ("lines" strategy, re-done on tuples in
``_ruled_tables`` with the same results), fed the ruling lines PDFium reports
for the page (``_ruling_edges``) instead of a pdfminer parse, and each cell's
text is read from PDFium by its box. A page without ruling lines costs no table work
beyond one walk of its objects. Lines whose pieces stand apart across
column-wide gaps (a contents page, a form's labels and values, a table set
without rules) become table rows too when two or more follow one another.

After every page is read, the document-level passes run: running headers and
footers (lines repeated at the top or bottom of pages) and page numbers go;
wrapped lines of a paragraph are joined into one line, rejoining words
hyphenated across line ends; pages are laid out one after another, separated
by a blank line, each recorded as a ``Page`` span of the final text.

Pages without a text layer (scans) are read with Tesseract when it is installed
(see ``extractor.loaders.ocr``).
"""
from __future__ import annotations

import ctypes
import re
import string
import struct
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import groupby
from typing import Iterator

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..document import Document, Page, TableRow
from ..errors import LoadError, ScannedPdfError
from ..resources import models_dir
from .text import normalise

# --- characters -----------------------------------------------------------------------------

# Ligatures and the private-use bullets Word's Symbol/Wingdings fonts leave in a text layer.
CHAR_MAP = str.maketrans({
    "\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
    "\ufb05": "st", "\ufb06": "st", "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\t": " ",
    "\uf0b7": "•", "\uf0a7": "▪", "\uf06e": "■", "\uf071": "❑", "\uf076": "❖", "\uf0d8": "➢",
    "\uf0fc": "✓", "\uf0e0": "→", "\uf0a8": "□", "\uf0be": "—",
    "\u200b": "", "\ufeff": "",
})
PRIVATE_USE = re.compile(r"[\ue000-\uf8ff]")
# PDFium marks a hyphen it saw at a line end with U+0002 or U+FFFE; a soft hyphen is U+00AD.
SOFT_HYPHENS = "\x02\u00ad\ufffe"
SPACES = re.compile(r"[ ]{2,}")
# Word's second-level bullet is a Courier "o"; as text it is the list bullet it stands for.
LETTER_O_BULLET = re.compile(r"^o\s+(?=[A-Z0-9£$])")


def clean_line(text: str) -> str:
    """One line of a text layer as plain text: ligatures expanded, bullets mapped, spaces single."""
    if text.isprintable():
        # Most lines: no control, format, private-use or non-ASCII space character is printable,
        # so only ligatures can need mapping and " " is the only space; the result is the
        # general path's below, in a fraction of its time.
        if not text.isascii():
            text = text.translate(CHAR_MAP)
        if "  " in text or text[:1] == " " or text[-1:] == " ":
            text = " ".join(text.split())
        return LETTER_O_BULLET.sub("◦ ", text) if text[:1] == "o" else text
    text = text.translate(CHAR_MAP)
    if PRIVATE_USE.search(text):
        # An unknown symbol-font glyph at a line start is a bullet; elsewhere it is noise.
        text = PRIVATE_USE.sub("•", text[:1]) + PRIVATE_USE.sub("", text[1:])
    stripped = text.rstrip()
    if stripped and stripped[-1] in SOFT_HYPHENS:
        stripped = stripped[:-1].rstrip(SOFT_HYPHENS) + "-"
    stripped = stripped.replace("\x02", "").replace("\u00ad", "").replace("\ufffe", "")
    return LETTER_O_BULLET.sub("◦ ", SPACES.sub(" ", normalise(stripped)).strip())


def undouble(text: str) -> str:
    """Undo a text layer that prints each character twice (a fake-bold trick): "CCHHIICCAAGGOO"."""
    start = text.lstrip(" ")
    if len(start) < 2 or start[0] != start[1]:
        return text  # the first word is not doubled (nearly every line: a cheap look at two characters)
    words = [w for w in text.split(" ") if w]
    if not words or sum(len(w) for w in words) < 6:
        return text
    if all(len(w) % 2 == 0 and w[0::2] == w[1::2] for w in words):
        return " ".join(w[0::2] for w in words)
    return text


# --- what a page holds ----------------------------------------------------------------------

@dataclass(slots=True)  # slots: thousands a paper, their fields read in every pass
class Line:
    """A visual line of prose with its box (points, y growing downwards) and font size."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    line_height: float = 0.0  # set on a joined paragraph: the height of one of its lines
    cells: list[str] | None = None  # the line's pieces when column-wide gaps separate them
    cell_x: list[float] | None = None  # where each piece starts

    @property
    def height(self) -> float:
        return self.line_height or max(self.bottom - self.top, 1.0)


@dataclass
class Table:
    """A table (ruled, or aligned in columns): rows of cell texts; ``header`` marks header rows by index."""

    top: float
    bottom: float
    rows: list[list[str]]
    header: set[int] = field(default_factory=set)


@dataclass
class PageContent:
    """One page read: its prose lines and tables in reading order."""

    number: int
    height: float
    items: list[Line | Table] = field(default_factory=list)
    has_text: bool = True
    has_images: bool = False


# --- entry point ----------------------------------------------------------------------------

def load_pdf(name: str, data: bytes, doc_id: str) -> Document:
    """Read a PDF into a ``Document``: text, page spans, table rows, title metadata, warnings.

    Raises ``LoadError`` for encrypted, corrupt or empty PDFs, and ``ScannedPdfError``
    when no page has a text layer and Tesseract is not installed to OCR them.
    """
    pdf = _open(name, data)
    warnings: list[str] = []
    try:
        count = len(pdf)
        if count == 0:
            truncated = b"%%EOF" not in data[-2048:]
            raise LoadError(name, "corrupt or truncated PDF" if truncated else "PDF has no pages")
        pages = [_read_page_safely(pdf, index, warnings) for index in range(count)]
        _read_scanned_pages(name, pdf, pages, warnings)
        title = _meaningful_title(_metadata(pdf, "Title"))
    finally:
        pdf.close()
    _remove_furniture(pages)
    vocabulary = _Vocabulary(pages)
    for page in pages:
        page.items = _join_wrapped_lines(_aligned_tables(page.items), vocabulary)
    text, page_spans, table_rows = _lay_out(pages)
    if not text.strip():
        raise LoadError(name, "no text in PDF")
    meta = {"pdf_title": title} if title else {}
    return Document(path=name, format="pdf", text=text, doc_id=doc_id, pages=page_spans,
                    table_rows=table_rows, page_count=count, meta=meta, warnings=warnings)


PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def _open(name: str, data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if b"%%EOF" in data[-2048:] and b"/ObjStm" not in data and not PAGE_OBJECT.search(data):
            # PDFium refuses a whole file whose page tree is empty without setting an error
            # (its last-error code is then stale), so this is told from the file first.
            raise LoadError(name, "PDF has no pages") from None
        code = getattr(exc, "err_code", None)
        if code == pdfium_c.FPDF_ERR_PASSWORD:
            raise LoadError(name, "encrypted PDF (password required)") from None
        if code == pdfium_c.FPDF_ERR_SECURITY:
            raise LoadError(name, "encrypted PDF (unsupported security handler)") from None
        raise LoadError(name, "corrupt or truncated PDF") from None


def _metadata(pdf: pdfium.PdfDocument, key: str) -> str:
    try:
        return pdf.get_metadata_value(key) or ""
    except Exception:  # metadata is a hint; a broken Info dictionary must not fail the paper
        return ""


PLACEHOLDER_TITLE = re.compile(
    r"^(untitled|document\d*|title|slide \d+|microsoft (word|powerpoint|excel)\b.*|.*\.(docx?|pdf|xlsx?|pptx?|rtf|odt|tmp))$",
    re.I)


def _meaningful_title(title: str) -> str | None:
    """The Title metadata unless it is empty or a word processor's placeholder or file name."""
    title = clean_line(title)
    if sum(ch.isalpha() for ch in title) < 3 or PLACEHOLDER_TITLE.match(title):
        return None
    return title


def _read_page_safely(pdf: pdfium.PdfDocument, index: int, warnings: list[str]) -> PageContent:
    try:
        return _read_page(pdf, index)
    except Exception as exc:  # one damaged page must not cost the rest of the paper
        warnings.append(f"page {index + 1} could not be read ({type(exc).__name__}: {exc}); left out")
        return PageContent(number=index + 1, height=0.0, has_text=False)


# --- one page through PDFium ----------------------------------------------------------------

# PDFium joins a word hyphenated at a line end itself, leaving U+FFFE where the hyphen was;
# the line is split back there so the document-wide rules decide about the hyphen.
LINE_BREAK = re.compile(r"\r\n|\r|\n|(?<=\ufffe)")
# The same breaks in text without U+FFFE: the empty lookbehind match makes the regex try
# every position, where this one jumps from line end to line end.
PLAIN_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _line_breaks(text: str) -> re.Pattern:
    """LINE_BREAK, or the quicker pattern that finds the same breaks when the text has no U+FFFE."""
    return LINE_BREAK if "\ufffe" in text else PLAIN_LINE_BREAK


def _text_lines(raw: str) -> Iterator[tuple[int, str]]:
    """A page's text split at ``LINE_BREAK``, each line with the index of its first character."""
    if "\ufffe" not in raw and raw.count("\r\n") == raw.count("\r") == raw.count("\n"):
        # PDFium ends nearly every line with "\r\n": when it ends all of them so, a plain
        # split finds the same lines in a fraction of the regex's time.
        start = 0
        for chunk in raw.split("\r\n"):
            yield start, chunk
            start += len(chunk) + 2
        return
    pos = 0
    for match in _line_breaks(raw).finditer(raw):
        yield pos, raw[pos:match.start()]
        pos = match.end()
    yield pos, raw[pos:]


def _split_lines(text: str) -> list[str]:
    """``LINE_BREAK.split(text)``; most cells and pieces are one line and need no regex."""
    if "\n" not in text and "\r" not in text and "\ufffe" not in text:
        return [text]
    return _line_breaks(text).split(text)


def _plain(function, restype, *argtypes):
    """A PDFium function with plain C types, handles passed and returned as integers.

    pypdfium2's bindings wrap every handle in a typed pointer object; the path
    walk and the line reader make thousands of calls a page, and without those
    wrappers each call costs about a quarter less.
    """
    return ctypes.CFUNCTYPE(restype, *argtypes)(ctypes.cast(function, ctypes.c_void_p).value)


_HANDLE, _INT, _DOUBLE = ctypes.c_void_p, ctypes.c_int, ctypes.c_double  # output parameters: addresses
BOX = struct.Struct("4f")  # a box PDFium writes (FS_RECTF: left, top, right, bottom), read in one call
MATRIX = struct.Struct("6f")  # ... and a matrix (FS_MATRIX: a, b, c, d, e, f)
_count_objects = _plain(pdfium_c.FPDFPage_CountObjects, _INT, _HANDLE)
_get_object = _plain(pdfium_c.FPDFPage_GetObject, _HANDLE, _HANDLE, _INT)
_object_type = _plain(pdfium_c.FPDFPageObj_GetType, _INT, _HANDLE)
_get_matrix = _plain(pdfium_c.FPDFPageObj_GetMatrix, _INT, _HANDLE, _HANDLE)
_count_form_objects = _plain(pdfium_c.FPDFFormObj_CountObjects, _INT, _HANDLE)
_get_form_object = _plain(pdfium_c.FPDFFormObj_GetObject, _HANDLE, _HANDLE, ctypes.c_ulong)
_count_segments = _plain(pdfium_c.FPDFPath_CountSegments, _INT, _HANDLE)
_get_segment = _plain(pdfium_c.FPDFPath_GetPathSegment, _HANDLE, _HANDLE, _INT)
_segment_point = _plain(pdfium_c.FPDFPathSegment_GetPoint, _INT, _HANDLE, _HANDLE, _HANDLE)
_segment_type = _plain(pdfium_c.FPDFPathSegment_GetType, _INT, _HANDLE)
_segment_closes = _plain(pdfium_c.FPDFPathSegment_GetClose, _INT, _HANDLE)
_loose_char_box = _plain(pdfium_c.FPDFText_GetLooseCharBox, _INT, _HANDLE, _INT, _HANDLE)
_count_rects = _plain(pdfium_c.FPDFText_CountRects, _INT, _HANDLE, _INT, _INT)
_get_rect = _plain(pdfium_c.FPDFText_GetRect, _INT, _HANDLE, _INT, _HANDLE, _HANDLE, _HANDLE, _HANDLE)
_bounded_text = _plain(pdfium_c.FPDFText_GetBoundedText, _INT,
                       _HANDLE, _DOUBLE, _DOUBLE, _DOUBLE, _DOUBLE, _HANDLE, _INT)


def _read_page(pdf: pdfium.PdfDocument, index: int) -> PageContent:
    page = pdf[index]
    try:
        _, bottom, _, top = page.get_bbox()
        content = PageContent(number=index + 1, height=top - bottom)
        textpage = page.get_textpage()
        try:
            raw = textpage.get_text_range()
            if not raw.strip():
                content.has_text = False
                content.has_images = _has_images(page)  # only a page without text can be a scan
                return content
            layer = _TextLayer(textpage)
            lines, spaced = _lines(layer, raw, top)
            tables = _tables(page, layer, top)  # no cost beyond one walk of its objects without rules
            if tables:
                lines = [ln for ln in lines if not any(_inside(ln, box) for box, _ in tables)]
                kept = {id(ln) for ln in lines}
                spaced = [found for found in spaced if id(found[0]) in kept]
            # Column gaps are looked for only in the lines a ruled table did not take: reading
            # a line's pieces costs a PDFium call each, which scans the whole page.
            corners = _RectCorners()
            for line, first, count in spaced:
                _split_at_gaps(layer, line, first, count, corners)
        finally:
            textpage.close()
    finally:
        page.close()
    content.items = _reading_order(lines, [t for _, t in tables])
    return content


def _has_images(page: pdfium.PdfPage) -> bool:
    """True when the page draws an image, directly or in a form XObject (a scan is sometimes wrapped in one)."""
    raw = page.raw
    kinds = {pdfium_c.FPDFPageObj_GetType(pdfium_c.FPDFPage_GetObject(raw, i))
             for i in range(pdfium_c.FPDFPage_CountObjects(raw))}
    if pdfium_c.FPDF_PAGEOBJ_IMAGE in kinds:
        return True
    return pdfium_c.FPDF_PAGEOBJ_FORM in kinds and any(
        pdfium_c.FPDFPageObj_GetType(obj.raw) == pdfium_c.FPDF_PAGEOBJ_IMAGE for obj in page.get_objects(max_depth=8))


COLUMN_GAP = 1.5  # a gap wider than this many line heights inside a line separates columns
MARKER = re.compile(r"^(?:[-*•·▪◦●○■□❑❖➢➤►‣⁃–—✓→o]|\(?(?:[a-z]|[ivx]{1,4}|\d{1,3}(?:\.\d{1,3})*)[.):]?\)?)$", re.I)


def _lines(layer: _TextLayer, raw: str, page_top: float) -> tuple[list[Line], list[tuple[Line, int, int]]]:
    """PDFium's text split at its line breaks, each line boxed by its first and last characters.

    Also the lines with a space, each with its first character's index and its
    length: those may hide column gaps (see ``_split_at_gaps``).
    """
    handle = layer.handle
    box = (ctypes.c_float * 4)()  # an FS_RECTF: left, top, right, bottom
    box_address = ctypes.addressof(box)
    lines: list[Line] = []
    spaced: list[tuple[Line, int, int]] = []
    for start, chunk in _text_lines(raw):
        stripped = chunk.strip()
        if not stripped:
            continue
        text = undouble(clean_line(chunk))
        if not text:
            continue
        first = start if len(stripped) == len(chunk) else start + len(chunk) - len(chunk.lstrip())
        last = first + len(stripped) - 1
        _loose_char_box(handle, first, box_address)
        x0, y_top, _, y_bottom = BOX.unpack(box)
        # The loose box is the font's ascent to descent: a truer size than the nominal
        # font size, which is 1 whenever a producer scales text through its matrix.
        size = y_top - y_bottom
        _loose_char_box(handle, last, box_address)
        _, top, x1, bottom = BOX.unpack(box)
        # A bullet in a symbol font is smaller or larger than the words after it.
        size = max(size, top - bottom)
        y_top, y_bottom = max(y_top, top), min(y_bottom, bottom)
        line = Line(text, min(x0, x1), page_top - y_top, max(x0, x1), page_top - y_bottom, size)
        if " " in stripped:
            spaced.append((line, first, last - first + 1))
        lines.append(line)
    return lines, spaced


def _split_at_gaps(layer: _TextLayer, line: Line, first: int, count: int, corners: _RectCorners) -> None:
    """Keep a line's pieces as ``cells`` when column-wide gaps separate them.

    PDFium writes the text of a line with a single space even across a tab stop
    or a table column; its text rectangles show the gap, and a gap wider than
    ``COLUMN_GAP`` line heights splits the line.
    """
    runs = _count_rects(layer.handle, first, count)
    if runs < 2:
        return  # one run of text (most lines)
    pieces = _cells_across_gaps(layer, runs, line.size, corners)
    if pieces:
        line.cell_x = [x for x, _ in pieces]
        line.cells = [cell for _, cell in pieces]
        line.text = " ".join(line.cells)


class _RectCorners:
    """Four doubles PDFium writes a text rectangle's edges into, with their addresses."""

    def __init__(self) -> None:
        self.left, self.top, self.right, self.bottom = (ctypes.c_double() for _ in range(4))
        self.addresses = [ctypes.addressof(v) for v in (self.left, self.top, self.right, self.bottom)]


class _TextLayer:
    """A page's PDFium text layer, with ``bounded`` = ``PdfTextPage.get_text_bounded`` in one call.

    For the text inside a box pypdfium2 asks PDFium for the length first and
    then for the text, and each call scans every character of the page. Here
    one call fills a buffer big enough for any answer (a line feed and a
    character per character of the page, and PDFium's terminating NUL). When
    the answer holds a surrogate pair, pypdfium2's buffer (sized in code
    points) would have cut it short, so that rare case goes through pypdfium2
    itself: the text is always exactly what pypdfium2 returns.
    """

    def __init__(self, textpage: pdfium.PdfTextPage):
        self.textpage = textpage
        self.handle = ctypes.cast(textpage.raw, ctypes.c_void_p).value
        self.size = 3 * pdfium_c.FPDFText_CountChars(textpage.raw) + 8
        self.buffer = (ctypes.c_ushort * self.size)()
        self.address = ctypes.addressof(self.buffer)
        self.bytes = memoryview(self.buffer).cast("B")

    def bounded(self, left: float, bottom: float, right: float, top: float) -> str:
        count = _bounded_text(self.handle, left, top, right, bottom, self.address, self.size) - 1
        if count == 0:
            return ""  # PDFium wrote just its NUL (an empty cell)
        if count < 0 or count + 1 >= self.size or self.buffer[count] != 0:
            return self.textpage.get_text_bounded(left=left, bottom=bottom, right=right, top=top)
        text = str(self.bytes[:2 * count], "utf-16-le", "ignore")
        if len(text) != count:  # a surrogate pair (or a stray half of one)
            return self.textpage.get_text_bounded(left=left, bottom=bottom, right=right, top=top)
        return text


def _cells_across_gaps(layer: _TextLayer, runs: int, size: float,
                       corners: _RectCorners) -> list[tuple[float, str]] | None:
    """The pieces of a line separated by column-wide gaps, with their left edges; None without gaps.

    ``runs`` is what ``FPDFText_CountRects`` just returned for the line: its rectangles are read here.
    """
    handle = layer.handle
    left, top, right, bottom = corners.left, corners.top, corners.right, corners.bottom
    rects = []
    for i in range(runs):
        _get_rect(handle, i, *corners.addresses)
        rects.append((left.value, top.value, right.value, bottom.value))
    gap = max(COLUMN_GAP * size, 6.0)
    groups = [[rects[0]]]
    for previous, current in zip(rects, rects[1:]):
        if current[0] - previous[2] > gap:
            groups.append([current])
        else:
            groups[-1].append(current)
    if len(groups) < 2:
        return None
    cells = []
    for group in groups:
        x0, x1 = min(r[0] for r in group), max(r[2] for r in group)
        y1, y0 = max(r[1] for r in group), min(r[3] for r in group)
        raw = layer.bounded(x0 + 0.5, y0 + 0.5, x1 - 0.5, y1 - 0.5)
        cell = " ".join(undouble(clean_line(part)) for part in _split_lines(raw)).strip()
        if cell:
            cells.append((x0, cell))
    if len(cells) >= 2 and MARKER.match(cells[0][1]):
        # a bullet or number before its tab belongs to its text
        cells[:2] = [(cells[0][0], f"{cells[0][1]} {cells[1][1]}")]
    return cells if len(cells) >= 2 else None


def _inside(line: Line, box: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = box
    cx, cy = (line.x0 + line.x1) / 2, (line.top + line.bottom) / 2
    return x0 - 2 <= cx <= x1 + 2 and top - 2 <= cy <= bottom + 2


def _reading_order(lines: list[Line], tables: list[Table]) -> list[Line | Table]:
    """Top to bottom (then left to right) unless the page is set in columns.

    PDFium gives text in content-stream order, which is the reading order of a
    column layout but not always of a single column (a producer may write a
    paragraph after the table drawn below it). Side-by-side lines are how a
    column layout shows; there content order is kept.
    """
    by_top = sorted(lines, key=lambda ln: ln.top)
    side_by_side = sum(
        1 for a, b in zip(by_top, by_top[1:])
        if b.top < a.bottom - 0.3 * a.height and (b.x0 > a.x1 + 5 or a.x0 > b.x1 + 5)
    )
    items: list[Line | Table]
    if side_by_side >= max(3, 0.25 * len(lines)):
        items = list(lines)
        for table in tables:  # before the first line that starts below the table's top
            at = next((i for i, it in enumerate(items) if isinstance(it, Line) and it.top >= table.top), len(items))
            items.insert(at, table)
        return items
    items = sorted([*lines, *tables], key=lambda it: it.top)
    ordered: list[Line | Table] = []
    for item in items:
        previous = ordered[-1] if ordered else None
        if (isinstance(item, Line) and isinstance(previous, Line)
                and abs(previous.top - item.top) < 0.3 * item.height
                and (item.x0 >= previous.x1 - 1 or item.x1 <= previous.x0 + 1)):
            ordered[-1] = _side_by_side(*sorted((previous, item), key=lambda ln: ln.x0))
        else:
            ordered.append(item)
    return ordered


def _side_by_side(left: Line, right: Line) -> Line:
    """Two pieces of one baseline as one line, left to right; a column-wide gap keeps them as cells."""
    merged = Line(f"{left.text} {right.text}", left.x0, min(left.top, right.top), max(left.x1, right.x1),
                  max(left.bottom, right.bottom), max(left.size, right.size))
    if right.x0 - left.x1 > max(COLUMN_GAP * merged.size, 6.0) or left.cells or right.cells:
        merged.cells = (left.cells or [left.text]) + (right.cells or [right.text])
        merged.cell_x = (left.cell_x or [left.x0]) + (right.cell_x or [right.x0])
    return merged


# --- tables ---------------------------------------------------------------------------------

MAX_PATH_SEGMENTS = 20000  # a chart or a map drawn as paths is not a table; stop reading its lines

Box = tuple[float, float, float, float]  # x0, top, x1, bottom: points, top growing downwards
Edge = tuple[float, float, float, float, float]  # x0, top, x1, bottom, and length (width or height)


def _tables(page: pdfium.PdfPage, layer: _TextLayer, page_top: float) -> list[tuple[Box, Table]]:
    """The page's ruled tables: pdfplumber's table finder over PDFium's ruling lines.

    A table drawn inside a cell of another (see ``_nesting``) is read once, as
    its own rows: the outer cell keeps only the text around it, and the outer
    table is cut after that row to let the inner table follow in reading order
    (``_Grid.pieces``).
    """
    horizontal, vertical = _ruling_edges(page, page_top)
    # A table needs two rules each way (short pieces may still join into rules: they stay in).
    if len(horizontal) < 2 or len(vertical) < 2:
        return []
    found = _ruled_tables(horizontal, vertical)
    if len(found) < 2:  # nearly every page: nothing can be nested
        return [(box, table) for box, table in (_Grid(box, grid).read(layer, page_top, {}) for box, grid in found)
                if table is not None]
    nested = _nesting(found)
    grids = [_Grid(box, grid) for box, grid in found]
    held: dict[int, list[int]] = defaultdict(list)  # table -> the kept tables nested in its cells
    # Inner tables first (the smaller box), so an outer cell knows which inner tables it must read around.
    for k in sorted(range(len(found)), key=lambda k: _area(found[k][0])):
        _, table = grids[k].read(layer, page_top, _holes(grids, nested, held[k]) if held[k] else {})
        if table is not None:
            if k in nested:
                held[nested[k][0]].append(k)
        else:
            for child in held[k]:  # not a table (a box round text): its inner tables belong to the cell round it
                if k in nested:
                    nested[child] = nested[k]
                    held[nested[k][0]].append(child)
                else:
                    del nested[child]
    out: list[tuple[Box, Table]] = []
    for k, grid in enumerate(grids):
        if grid.table is not None and k not in nested:
            out.extend(grid.pieces(grids))
    return out


def _area(box: Box) -> float:
    return (box[2] - box[0]) * (box[3] - box[1])


NEST_SLACK = 1.5  # points an inner table's rules may stand off (or on) its cell's rules


def _nesting(found: list[tuple[Box, list[list[Box | None]]]]) -> dict[int, tuple[int, tuple[int, int]]]:
    """Tables drawn inside a cell of another: table -> (outer table, (row, column) of the cell), the smallest cell."""
    nested: dict[int, tuple[int, tuple[int, int]]] = {}
    for k, (box, _) in enumerate(found):
        best = None
        for j, (outer, grid) in enumerate(found):
            if j == k or not _within(box, outer) or _area(outer) <= _area(box):
                continue
            for r, row in enumerate(grid):
                for c, cell in enumerate(row):
                    if cell is not None and _within(box, cell) and (best is None or _area(cell) < best[0]):
                        best = (_area(cell), j, (r, c))
        if best is not None:
            nested[k] = best[1:]
    return nested


def _within(inner: Box, outer: Box) -> bool:
    return (inner[0] >= outer[0] - NEST_SLACK and inner[1] >= outer[1] - NEST_SLACK
            and inner[2] <= outer[2] + NEST_SLACK and inner[3] <= outer[3] + NEST_SLACK)


def _holes(grids: list[_Grid], nested: dict[int, tuple[int, tuple[int, int]]],
           children: list[int]) -> dict[tuple[int, int], list[tuple[int, Box]]]:
    """For each cell holding kept inner tables: those tables and their boxes."""
    holes: dict[tuple[int, int], list[tuple[int, Box]]] = defaultdict(list)
    for child in children:
        holes[nested[child][1]].append((child, grids[child].box))
    return holes


class _Grid:
    """One table the finder found: its box and cells, and once ``read``, its text.

    ``table`` is the whole table (None when it is not one); ``after`` gives, for
    a row of ``table.rows``, the inner tables its cells hold, each with its
    column and the text of that cell below it.
    """

    def __init__(self, box: Box, grid: list[list[Box | None]]):
        self.box, self.grid = box, grid
        self.table: Table | None = None
        self.after: dict[int, list[tuple[int, int, str]]] = {}

    def read(self, layer: _TextLayer, page_top: float,
             holes: dict[tuple[int, int], list[tuple[int, Box]]]) -> tuple[Box, Table | None]:
        if all(len(row) < 2 for row in self.grid):
            return self.box, None  # one column: a box drawn round text, not a table (its text is not read)
        rows: list[list[str]] = []
        inner: dict[int, list[tuple[int, int, str]]] = {}  # row of ``rows`` -> (grid column, table, text after)
        held_text: list[tuple[int, int, str]] = []  # every inner table's (grid column, table, text after)
        for r, row in enumerate(self.grid):
            cells, held = [], []
            for c, cell in enumerate(row):
                if cell is None:
                    cells.append("")
                elif (r, c) in holes:
                    first, following = _cell_around(layer, cell, holes[(r, c)], page_top)
                    cells.append(first)
                    held.extend((c, child, text) for child, text in following)
                else:
                    cells.append(_cell_text(layer, cell, page_top))
            if any(cells) or held:
                if held:
                    inner[len(rows)] = held
                    held_text.extend(held)
                rows.append(cells)
        used = [col for col in range(max((len(r) for r in rows), default=0))
                if any(col < len(r) and r[col] for r in rows) or any(c == col and text for c, _, text in held_text)]
        if len(used) < 2:
            return self.box, None  # a box drawn round text (or a coloured bar beside it) is not a table: leave it prose
        at = {col: i for i, col in enumerate(used)}
        rows = [[row[col] if col < len(row) else "" for col in used] for row in rows]
        for cells in rows:
            while cells and not cells[-1]:
                cells.pop()
        self.after = {r: [(at.get(c, 0), child, text) for c, child, text in held] for r, held in inner.items()}
        self.table = Table(self.box[1], self.box[3], rows, _header_rows([row for row in rows if row]))
        if self.after:  # header indices of the non-empty rows, as ``pieces`` numbers them
            kept = [i for i, row in enumerate(rows) if row]
            self.table.header = {kept[h] for h in self.table.header}
        return self.box, self.table

    def pieces(self, grids: list[_Grid]) -> list[tuple[Box, Table]]:
        """The table as read, cut after each row holding inner tables, which follow it with the text below them."""
        table = self.table
        assert table is not None
        if not self.after:
            return [(self.box, table)]
        out: list[tuple[Box, Table]] = []
        rows: list[list[str]] = []
        header: set[int] = set()
        top = table.top

        def flush(bottom: float) -> None:
            if rows:
                out.append((self.box, Table(top, bottom, list(rows), set(header))))
            rows.clear()
            header.clear()

        for r, cells in enumerate(table.rows):
            if cells:
                if r in table.header:
                    header.add(len(rows))
                rows.append(cells)
            for col, child, text in sorted(self.after.get(r, ()), key=lambda h: grids[h[1]].box[1::-1]):
                flush(grids[child].box[1])
                out.extend(grids[child].pieces(grids))
                top = grids[child].box[3]
                if text:
                    rows.append([""] * col + [text])
        flush(table.bottom)
        return out


def _cell_around(layer: _TextLayer, cell: Box, inner: list[tuple[int, Box]],
                 page_top: float) -> tuple[str, list[tuple[int, str]]]:
    """A cell's text read around the tables drawn in it: the text above the first, then each
    inner table with the text below it (and up to the next). Text beside an inner table goes
    with the text above it when on its left, below it when on its right."""
    x0, top, x1, bottom = cell
    inner = sorted(inner, key=lambda held: (held[1][1], held[1][0]))
    bands: list[list[tuple[int, Box]]] = []  # inner tables side by side share a band
    for held in inner:
        if bands and held[1][1] < max(b[3] for _, b in bands[-1]):
            bands[-1].append(held)
        else:
            bands.append([held])
    texts = []  # the text above each band, and below the last
    lefts, rights = [], []
    y = top
    for band in bands:
        band_top, band_bottom = min(b[1] for _, b in band), max(b[3] for _, b in band)
        texts.append(_cell_text(layer, (x0, y, x1, band_top), page_top) if band_top - y > 1 else "")
        left, right = min(b[0] for _, b in band), max(b[2] for _, b in band)
        lefts.append(_cell_text(layer, (x0, band_top, left, band_bottom), page_top) if left - x0 > 2 * CELL_INSET + 1 else "")
        rights.append(_cell_text(layer, (right, band_top, x1, band_bottom), page_top) if x1 - right > 2 * CELL_INSET + 1 else "")
        y = band_bottom
    texts.append(_cell_text(layer, (x0, y, x1, bottom), page_top) if bottom - y > 1 else "")
    first = _join_cell_lines([texts[0], lefts[0]])
    following = []
    for i, band in enumerate(bands):
        below = [rights[i], texts[i + 1]] + ([lefts[i + 1]] if i + 1 < len(bands) else [])
        for j, (child, _) in enumerate(band):
            following.append((child, _join_cell_lines(below) if j == len(band) - 1 else ""))
    return first, following


# pdfplumber's default tolerances for its "lines" table strategy (points): rules within SNAP
# of one another in position are moved to their mean, pieces of a rule within JOIN joined,
# rules shorter than MIN_RULE dropped, and a crossing allowed a gap of CROSS each way.
SNAP = JOIN = MIN_RULE = CROSS = 3

# A rule being merged: [position, start, end, length], that is [y, x0, x1, width] of a horizontal
# and [x, top, bottom, height] of a vertical.
Rule = list


def _ruled_tables(horizontal: list[Edge], vertical: list[Edge]) -> list[tuple[Box, list[list[Box | None]]]]:
    """The tables pdfplumber's ``TableFinder`` finds with its default "lines" settings in these rules:
    each table's bbox and its rows of cells (None where a row lacks a column's cell).

    This is pdfplumber's algorithm (``pdfplumber.table``, 0.11: ``merge_edges``,
    ``edges_to_intersections``, ``intersections_to_cells``, ``cells_to_tables``, ``Table.rows``)
    step by step, on lists instead of its dict objects and with every float computed as it computes
    it, so the tables are the same to the bit (tests/test_pdf_ruled_tables.py holds the two to that
    on hard and random rule sets). It takes a quarter of the time of calling pdfplumber, whose cell
    search scans every later crossing for each crossing, and spares importing it (0.1 s).
    """
    rows = _merged_rules([[top, x0, x1, width] for x0, top, x1, _, width in horizontal], vertical=False)
    columns = _merged_rules([[x0, top, bottom, height] for x0, top, _, bottom, height in vertical], vertical=True)
    crossings = _crossings(rows, columns)
    cells = _cells(crossings)
    return [_table(group) for group in _touching_groups(cells)]


def _merged_rules(rules: list[Rule], vertical: bool) -> list[Rule]:
    """pdfplumber's ``merge_edges`` for one orientation: snap, join, drop the short."""
    # Snap: positions chaining within SNAP of one another form a cluster; each rule moves by its
    # cluster's mean minus its own position (pdfplumber's ``snap_objects``, in its order of sums).
    cluster: dict[float, int] = {}
    index, last = -1, 0.0
    for value in sorted({rule[0] for rule in rules}):
        if index < 0 or value > last + SNAP:
            index += 1
        cluster[value], last = index, value
    members: dict[int, list[Rule]] = defaultdict(list)
    for rule in rules:  # in input order within each cluster, as pdfplumber sums them
        members[cluster[rule[0]]].append(rule)
    snapped = []
    for index in sorted(members):
        group = members[index]
        mean = sum(rule[0] for rule in group) / len(group)
        snapped.extend([rule[0] + (mean - rule[0]), *rule[1:]] for rule in group)
    # Join: along each line (equal positions), pieces in order of start, each piece starting within
    # JOIN of the previous end extends it.
    joined: list[Rule] = []
    snapped.sort(key=lambda rule: rule[0])
    for _, line in groupby(snapped, key=lambda rule: rule[0]):
        pieces = sorted(line, key=lambda rule: rule[1])
        current = list(pieces[0])
        joined.append(current)
        for piece in pieces[1:]:
            if piece[1] <= current[2] + JOIN:
                if piece[2] > current[2]:
                    # pdfplumber's resize_object: a width is end minus start, a height grows by the extension
                    current[3] = current[3] + (piece[2] - current[2]) if vertical else piece[2] - current[1]
                    current[2] = piece[2]
            else:
                current = list(piece)
                joined.append(current)
    return [rule for rule in joined if rule[3] >= MIN_RULE]


def _crossings(rows: list[Rule], columns: list[Rule]) -> dict[tuple[float, float], tuple[set[int], set[int]]]:
    """pdfplumber's ``edges_to_intersections``: each point (x, y) where a vertical rule meets a horizontal
    one (within CROSS), with the columns and rows meeting there (by index: merged rules are distinct)."""
    crossings: dict[tuple[float, float], tuple[set[int], set[int]]] = {}
    for c, (x, top, bottom, _) in enumerate(columns):
        for r, (y, x0, x1, _) in enumerate(rows):
            if top <= y + CROSS and bottom >= y - CROSS and x >= x0 - CROSS and x <= x1 + CROSS:
                point = (x, y)
                if point not in crossings:
                    crossings[point] = (set(), set())
                crossings[point][0].add(c)
                crossings[point][1].add(r)
    return crossings


def _cells(crossings: dict[tuple[float, float], tuple[set[int], set[int]]]) -> list[Box]:
    """pdfplumber's ``intersections_to_cells``: from each crossing, the smallest box whose four corners are
    crossings joined by rules, trying the crossings below it nearest first, then those to its right."""
    points = sorted(crossings)
    below: dict[float, list[tuple[float, float]]] = defaultdict(list)  # each x's crossings, top down
    right: dict[float, list[tuple[float, float]]] = defaultdict(list)  # each y's crossings, left to right
    for point in points:
        below[point[0]].append(point)
        right[point[1]].append(point)
    cells = []
    for point in points:
        x, y = point
        columns, rows = crossings[point]
        column_down, row_across = below[x], right[y]
        found = None
        for lower in column_down[column_down.index(point) + 1:]:
            if columns.isdisjoint(crossings[lower][0]):
                continue
            for across in row_across[row_across.index(point) + 1:]:
                if rows.isdisjoint(crossings[across][1]):
                    continue
                corner = (across[0], lower[1])
                if (corner in crossings and not crossings[corner][0].isdisjoint(crossings[across][0])
                        and not crossings[corner][1].isdisjoint(crossings[lower][1])):
                    found = (x, y, across[0], lower[1])
                    break
            if found:
                break
        if found:
            cells.append(found)
    return cells


def _touching_groups(cells: list[Box]) -> list[list[Box]]:
    """pdfplumber's ``cells_to_tables``: cells sharing corners, transitively, as tables of two cells or more,
    top-most (then left-most) first."""
    group_of: dict[tuple[float, float], int] = {}  # corner -> a group holding it
    parent: list[int] = []

    def root(g: int) -> int:
        while parent[g] != g:
            parent[g] = g = parent[parent[g]]
        return g

    for k, (x0, top, x1, bottom) in enumerate(cells):
        parent.append(k)
        for corner in ((x0, top), (x0, bottom), (x1, top), (x1, bottom)):
            if corner in group_of:
                parent[root(group_of[corner])] = root(k)
            group_of[corner] = k
    groups: dict[int, list[Box]] = defaultdict(list)
    for k, cell in enumerate(cells):
        groups[root(k)].append(cell)
    tables = [group for group in groups.values() if len(group) > 1]
    return sorted(tables, key=lambda group: min((cell[1], cell[0]) for cell in group))


def _table(cells: list[Box]) -> tuple[Box, list[list[Box | None]]]:
    """pdfplumber's ``Table.bbox`` and ``Table.rows``: rows by top, a slot for every column's left edge."""
    bbox = (min(c[0] for c in cells), min(c[1] for c in cells), max(c[2] for c in cells), max(c[3] for c in cells))
    xs = sorted({cell[0] for cell in cells})
    rows = []
    for _, row in groupby(sorted(cells, key=lambda cell: (cell[1], cell[0])), key=lambda cell: cell[1]):
        by_x = {cell[0]: cell for cell in row}
        rows.append([by_x.get(x) for x in xs])
    return bbox, rows


CELL_INSET = 2.0  # PDFium takes every character touching the box; the inset keeps a neighbour's overflow out


def _cell_text(layer: _TextLayer, cell: tuple[float, float, float, float], page_top: float) -> str:
    x0, top, x1, bottom = cell
    dx, dy = min(CELL_INSET, (x1 - x0) / 4), min(CELL_INSET, (bottom - top) / 4)
    raw = layer.bounded(x0 + dx, page_top - bottom + dy, x1 - dx, page_top - top - dy)
    return _join_cell_lines([clean_line(part) for part in _split_lines(raw)])


def _join_cell_lines(parts: list[str]) -> str:
    """A multi-line cell as one line: lines joined by a space, hyphenated words rejoined."""
    out = ""
    for part in (p for p in parts if p):
        if not out:
            out = part
        elif "-" in out[-2:] and BROKEN_END.search(out) and part[:1].isalnum():  # a cheap look first
            stem = HYPHENATED_WORD_END.search(out)
            broken = stem is not None and part[:1].islower() and stem.group(0)[:-1] not in hyphen_prefixes()
            out = (out[:-1] if broken else out) + part
        else:
            out = f"{out} {part}"
    return out.replace("\t", " ")


def _ruling_edges(page: pdfium.PdfPage, page_top: float) -> tuple[list[Edge], list[Edge]]:
    """Horizontal and vertical straight segments of the page's paths, each list in drawing order.

    Coordinates are flipped to pdfplumber's (``top`` grows downwards). Paths
    inside form XObjects are included, mapped through the form's matrix.
    """
    horizontal: list[Edge] = []
    vertical: list[Edge] = []
    budget = MAX_PATH_SEGMENTS
    matrix = (ctypes.c_float * 6)()  # an FS_MATRIX: a, b, c, d, e, f
    x, y = ctypes.c_float(), ctypes.c_float()
    x_ref, y_ref, matrix_ref = ctypes.addressof(x), ctypes.addressof(y), ctypes.addressof(matrix)
    PATH, FORM = pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM
    MOVETO, LINETO = pdfium_c.FPDF_SEGMENT_MOVETO, pdfium_c.FPDF_SEGMENT_LINETO

    def add(x0: float, y0: float, x1: float, y1: float) -> None:
        if abs(y1 - y0) < 0.5 and abs(x1 - x0) >= 1:
            top = page_top - (y0 + y1) / 2
            horizontal.append((min(x0, x1), top, max(x0, x1), top, abs(x1 - x0)))
        elif abs(x1 - x0) < 0.5 and abs(y1 - y0) >= 1:
            xm = (x0 + x1) / 2
            vertical.append((xm, page_top - max(y0, y1), xm, page_top - min(y0, y1), abs(y1 - y0)))

    def walk(objects, parent: tuple[float, ...]) -> None:
        nonlocal budget
        for obj in objects:
            kind = _object_type(obj)
            if kind != PATH and kind != FORM:
                continue
            _get_matrix(obj, matrix_ref)
            m = _compose(MATRIX.unpack(matrix), parent)
            if kind == FORM:
                walk([_get_form_object(obj, i) for i in range(_count_form_objects(obj))], m)
                continue
            count = _count_segments(obj)
            if count <= 0 or count > budget:
                continue
            budget -= count
            a, b, c, d, e, f = m
            started = have_current = False  # no start point (MOVETO) yet; no current point yet
            sx = sy = cx = cy = 0.0
            for i in range(count):
                segment = _get_segment(obj, i)
                _segment_point(segment, x_ref, y_ref)
                px, py = x.value, y.value
                px, py = a * px + c * py + e, b * px + d * py + f
                kind = _segment_type(segment)
                if kind == MOVETO:
                    sx, sy = cx, cy = px, py
                    started = have_current = True
                    continue
                if kind == LINETO and have_current:
                    add(cx, cy, px, py)
                cx, cy, have_current = px, py, True
                if _segment_closes(segment) and started:
                    add(cx, cy, sx, sy)
                    cx, cy = sx, sy

    raw = ctypes.cast(page.raw, ctypes.c_void_p).value
    walk([_get_object(raw, i) for i in range(_count_objects(raw))], (1.0, 0.0, 0.0, 1.0, 0.0, 0.0))
    return horizontal, vertical


def _compose(m: tuple[float, ...], parent: tuple[float, ...]) -> tuple[float, ...]:
    """The affine matrix applying ``m`` first, then ``parent`` (PDF's a b c d e f order)."""
    a, b, c, d, e, f = m
    pa, pb, pc, pd, pe, pf = parent
    return (a * pa + b * pc, a * pb + b * pd, c * pa + d * pc, c * pb + d * pd,
            e * pa + f * pc + pe, e * pb + f * pd + pf)


NUMBER_LIKE = re.compile(r"^[-–(+]?[£$€]?\s?[\d.,]+\s?(%|[kmb]n?|m|bn)?\)?$|^n/?a$|^[£$€]?\s?[-–—]$", re.I)


def _header_rows(rows: list[list[str]]) -> set[int]:
    """Row 0 is a header when its cells are short labels over a column of numbers or of longer text.

    A later row repeating row 0 (a header carried over a page) is a header too.
    """
    if len(rows) < 2:
        return set()
    first = rows[0]
    labels = [cell for cell in first if cell]
    if len(labels) < 2 or any(NUMBER_LIKE.match(cell) or len(cell.split()) > 12 for cell in labels):
        return set()
    body = rows[1:]
    for col, label in enumerate(first):
        if not label:
            continue
        column = [row[col] for row in body if col < len(row) and row[col]]
        if not column:
            continue
        numbers = sum(bool(NUMBER_LIKE.match(cell)) for cell in column)
        words = sorted(len(cell.split()) for cell in column)
        if numbers * 2 >= len(column) or words[len(words) // 2] >= 2 * len(label.split()) + 3:
            return {0} | {i for i, row in enumerate(rows) if i and row == first}
    return set()


# --- scans ----------------------------------------------------------------------------------

def _read_scanned_pages(name: str, pdf: pdfium.PdfDocument, pages: list[PageContent], warnings: list[str]) -> None:
    """OCR the pages that are images without a text layer, or say why they are empty."""
    scanned = [p for p in pages if not p.has_text and p.has_images]
    if not scanned:
        return
    from . import ocr

    every_page = all(not p.has_text for p in pages)
    reason = ocr.unavailable_reason()
    if reason:
        if every_page:
            raise ScannedPdfError(name, f"scanned PDF with no text layer; {reason}")
        numbers = ", ".join(str(p.number) for p in scanned)
        warnings.append(f"scanned page(s) {numbers} have no text layer and were left out; {reason}")
        return
    for page, lines in zip(scanned, ocr.read_pages(pdf, [p.number - 1 for p in scanned])):
        page.items = lines
        page.has_text = bool(lines)
    if every_page:
        warnings.append("scanned PDF: text from OCR")
    else:
        warnings.append(f"scanned page(s) {', '.join(str(p.number) for p in scanned)}: text from OCR")


# --- document-level passes -----------------------------------------------------------------

PAGE_NUMBER = re.compile(
    r"^(?:page\s*)?[-–—]?\s*\d{1,4}\s*[-–—]?(?:\s*(?:of|/)\s*\d{1,4})?$|^page\s+[ivxlc]{1,6}$|^[ivxlc]{1,6}$",
    re.I)
EDGE_LINES = 5  # how many lines at each end of a page may be furniture
NUMBER_DEPTH = 2  # page numbers sit on one of the two lines nearest the edge
MARGIN = 0.08  # ... and a line numbered with the pages ("Report title – 3") within this band
EDGE_ZONE = 0.15  # ... and only within this fraction of the page height from its top or bottom
DIGITS = re.compile(r"\d+")


def _edge_lines(page: PageContent) -> list[tuple[str, int, Line]]:
    """The lines that could be page furniture: the top- and bottom-most few, near the page's edges.

    Each comes with its zone ("top" or "bottom") and its depth (0 for the line
    nearest the edge). By position, not by reading order: a page kept in content
    order may give its footer in the middle.
    """
    prose = sorted((it for it in page.items if isinstance(it, Line)), key=lambda ln: ln.top)
    found: list[tuple[str, int, Line]] = []
    for depth, line in enumerate(prose[:EDGE_LINES]):
        if line.top <= page.height * EDGE_ZONE:
            found.append(("top", depth, line))
    taken = {id(line) for _, _, line in found}
    for depth, line in enumerate(reversed(prose[-EDGE_LINES:])):
        if line.bottom >= page.height * (1 - EDGE_ZONE) and id(line) not in taken:
            found.append(("bottom", depth, line))
    return found


def _remove_furniture(pages: list[PageContent]) -> None:
    """Drop running headers, footers and page numbers.

    A line repeated word for word at the same edge of several pages is kept on
    the first page only (it is often the paper's title); a line whose only
    change from page to page is a number counting with the pages ("Page 3 of
    17", "Report title – 3") is dropped everywhere, and so is a bare page number.
    """
    with_text = [p for p in pages if p.items]
    needed = 2 if len(with_text) <= 3 else 3
    edges = {page.number: _edge_lines(page) for page in with_text}  # each page's, found once
    exact: dict[tuple[str, str], list[tuple[int, float]]] = defaultdict(list)
    for page in with_text:
        for zone, _, line in edges[page.number]:
            exact[(zone, line.text)].append((page.number, line.top))
    running = {key for key, found in exact.items() if _same_place(found) >= needed}

    def numbering_candidates(page: PageContent) -> list[tuple[str, Line]]:
        """Edge lines close enough to the edge to be a page number, running lines not counted."""
        found, depth = [], {"top": 0, "bottom": 0}
        for zone, _, line in edges[page.number]:
            if (zone, line.text) in running:
                continue
            if depth[zone] < NUMBER_DEPTH:
                found.append((zone, line))
            depth[zone] += 1
        return found

    numbered: dict[tuple[str, str], list[tuple[int, float, tuple[int, ...]]]] = defaultdict(list)
    for page in with_text:
        for zone, line in numbering_candidates(page):
            if DIGITS.search(line.text) and _in_margin(page, line):
                numbers = tuple(int(n) for n in DIGITS.findall(line.text))
                numbered[(zone, DIGITS.sub("#", line.text))].append((page.number, line.top, numbers))
    counting = {key for key, found in numbered.items()
                if _same_place(found) >= needed and _counts_pages([(f[0], f[2]) for f in found])}
    seen: set[tuple[str, str]] = set()
    for page in with_text:
        drop = [line for zone, line in numbering_candidates(page)
                if (PAGE_NUMBER.match(line.text) and not _wraps_line_above(page, line))
                or (zone, DIGITS.sub("#", line.text)) in counting]
        for zone, _, line in edges[page.number]:
            if (zone, line.text) in running:
                if (zone, line.text) in seen:
                    drop.append(line)
                seen.add((zone, line.text))
        if drop:
            dropped = {id(line) for line in drop}
            page.items = [it for it in page.items if id(it) not in dropped]


def _wraps_line_above(page: PageContent, line: Line) -> bool:
    """True when ``line`` is the wrapped end of the line just above it ("... Report" / "2014"):
    it starts where that line starts and follows it at the usual line spacing."""
    return any(isinstance(other, Line) and other is not line and abs(other.x0 - line.x0) <= 2
               and 0 <= line.top - other.bottom <= 0.5 * other.height
               and abs(other.size - line.size) <= 0.15 * max(other.size, 1.0) for other in page.items)


def _in_margin(page: PageContent, line: Line) -> bool:
    """The line sits in the page's top or bottom margin, where running text never goes."""
    return line.bottom <= page.height * MARGIN or line.top >= page.height * (1 - MARGIN)


def _same_place(found: list[tuple]) -> int:
    """On how many pages a repeated line sits at its usual height (furniture does not move)."""
    tops = sorted(f[1] for f in found)
    usual = tops[len(tops) // 2]
    return len({f[0] for f in found if abs(f[1] - usual) <= 10})


def _counts_pages(found: list[tuple[int, tuple[int, ...]]]) -> bool:
    """True when one of the numbers in a repeated line rises with the page number."""
    width = min(len(numbers) for _, numbers in found)
    for k in range(width):
        offsets = Counter(numbers[k] - page for page, numbers in found)
        if offsets.most_common(1)[0][1] >= max(2, 0.6 * len(found)):
            return True
    return False


WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")


def _aligned_tables(items: list[Line | Table]) -> list[Line | Table]:
    """Runs of lines split into cells by column gaps, as tables without rules.

    A line between two such rows that starts under one of the row's cells (not
    the first) continues that cell, as a wrapped cell in a ruled table would.
    A lone gapped line stays prose.
    """
    out: list[Line | Table] = []
    run: list[Line] = []

    def flush() -> None:
        if len(run) >= 2:
            rows = [list(line.cells or []) for line in run]
            out.append(Table(run[0].top, run[-1].bottom, rows, _header_rows(rows)))
        else:
            out.extend(run)
        run.clear()

    for item in items:
        if isinstance(item, Line) and item.cells:
            run.append(item)
            continue
        if isinstance(item, Line) and run and _continues_cell(run[-1], item):
            continue
        flush()
        out.append(item)
    flush()
    return out


def _continues_cell(row: Line, line: Line) -> bool:
    """Add ``line`` to the cell of ``row`` it sits under, if it is the next line down in one.

    Under the first cell only a numbered entry continues ("3. Minutes of the
    meeting ... and notes of / the Joint session ..."), hanging under its text;
    a line under any other cell's start continues that cell.
    """
    if not row.cell_x or not row.cells or line.top - row.bottom > 0.6 * row.height or line.top < row.top:
        return False
    if (len(row.cell_x) > 1 and LIST_START.match(row.cells[0]) and row.cell_x[0] + 3 < line.x0
            and line.x1 < row.cell_x[1] - 3):
        row.cells[0] = f"{row.cells[0]} {line.text}"
        row.bottom = line.bottom
        return True
    for index, x in enumerate(row.cell_x[1:], start=1):
        if abs(line.x0 - x) <= 3 and (index + 1 == len(row.cell_x) or line.x1 < row.cell_x[index + 1]):
            row.cells[index] = f"{row.cells[index]} {line.text}"
            row.bottom = line.bottom
            return True
    return False


class _Vocabulary:
    """How often each lower-case word occurs in the document's prose, to tell "contrac-/tor" from "well-/being".

    A word is what ``WORD`` finds in the lower-cased prose. The prose is taken
    when the vocabulary is made; only words broken at a line end are ever asked
    about (a few a paper, none in many), so each is counted when asked, by a
    search for it standing alone, rather than every word of the paper counted.
    """

    def __init__(self, pages: list[PageContent]):
        # the lines joined by newlines, which no word crosses
        self.prose = "\n".join(item.text for page in pages for item in page.items if isinstance(item, Line))
        self.lowered: str | None = None
        self.counts: dict[str, int] = {}

    def __getitem__(self, word: str) -> int:
        count = self.counts.get(word)
        if count is None:
            if self.lowered is None:
                self.lowered = self.prose.lower()
            count = self.counts[word] = len(_whole_word(word).findall(self.lowered)) if WORD.fullmatch(word) else 0
        return count


def _whole_word(word: str) -> re.Pattern:
    """Where ``WORD`` would find ``word`` itself: not inside a run of letters, nor a hyphened part of a longer word."""
    # The word first, so the search jumps from one occurrence to the next; then what stands before it.
    w = re.escape(word)
    return re.compile(rf"{w}(?<![a-z]{w})(?<![a-z]-{w})(?![a-z])(?!-[a-z])")


BROKEN_END = re.compile(r"(?<=\w)-$")
HYPHENATED_WORD_END = re.compile(r"(?<![^\W\d_])[a-z]+-$")  # "contrac-", a whole lower-case word
LOWER_WORD = re.compile(r"[a-z]+")
LEADER_END = re.compile(r"(?:\.{4,}|…{2,}|_{4,})\s*[\divxlc]*$", re.I)  # a contents line: "Introduction.....4"


def _has_leader(text: str) -> bool:
    """Whether LEADER_END can match at all: a cheap test before its search, which tries every position."""
    return "...." in text or "……" in text or "____" in text


@lru_cache(maxsize=1)
def hyphen_prefixes() -> frozenset[str]:
    """Prefixes that keep their hyphen across a line break (``models/rules/hyphen_prefixes.txt``)."""
    path = models_dir() / "rules" / "hyphen_prefixes.txt"
    return frozenset(ln.strip().lower() for ln in path.read_text(encoding="utf-8").splitlines()
                     if ln.strip() and not ln.startswith("#"))
# A number starts an item only before a capital: "4 Minutes", not "4 of its targets".
LIST_START = re.compile(r"^(?:[-*•·▪◦●○■□❑❖➢➤►‣⁃–—✓→]|\(?(?:[a-zA-Z]|[ivxIVX]{1,4}|\d{1,3})[.)]\s"
                        r"|\d+(?:\.\d+)*\.?\s+(?=[A-Z(\"“‘']))")


ASCII_UPPER, ASCII_LOWER = string.ascii_uppercase.encode(), string.ascii_lowercase.encode()


def _is_capitals(text: str) -> bool:
    """A line set in capitals (a heading in most council papers): of its letters A-Z and a-z, 70% capitals."""
    # Counted in the UTF-8 bytes, where no other character has an ASCII byte: deleting a
    # set of bytes is one quick C loop.
    data = text.encode("utf-8", "surrogatepass")
    upper = len(data) - len(data.translate(None, ASCII_UPPER))
    lower = len(data) - len(data.translate(None, ASCII_LOWER))
    return upper + lower >= 6 and upper >= 0.7 * (upper + lower)


MIN_WRAPPED_CHARS = 25  # a shorter line ends its paragraph (a heading, a name in a list)


def _join_wrapped_lines(items: list[Line | Table], vocabulary: _Vocabulary) -> list[Line | Table]:
    """Join the wrapped lines of each paragraph into one line, rejoining hyphenated words."""
    prose = [it for it in items if isinstance(it, Line)]
    # A line much narrower than the page's text is a heading or a list entry, never wrapped prose.
    shortest = 0.35 * (max(ln.x1 for ln in prose) - min(ln.x0 for ln in prose)) if prose else 0.0
    # The page's usual gap between lines (its leading); a wider one is a paragraph break.
    gaps = Counter(round(2 * (b.top - a.bottom)) / 2 for a, b in zip(prose, prose[1:])
                   if 0 <= b.top - a.bottom < a.height)
    leading = gaps.most_common(1)[0][0] if gaps else None
    out: list[Line | Table] = []
    paragraph: list[Line] = []  # the visual lines of the paragraph being joined
    text = ""  # ... and its text so far

    def flush() -> None:
        if len(paragraph) == 1:
            out.append(paragraph[0])
        elif paragraph:
            first = paragraph[0]
            out.append(Line(text, min(ln.x0 for ln in paragraph), first.top, max(ln.x1 for ln in paragraph),
                            paragraph[-1].bottom, first.size, line_height=first.height))
        paragraph.clear()

    for index, item in enumerate(items):
        if not isinstance(item, Line):
            flush()
            out.append(item)
            continue
        if paragraph:
            last = paragraph[-1]
            wide = last.x1 - last.x0 >= shortest and len(last.text) >= MIN_WRAPPED_CHARS
            right = _right_edge(items, index - 1) if wide else float("inf")
            joined = _continued(text, last, item, right, vocabulary, leading)
            if joined is not None:
                paragraph.append(item)
                text = joined
                continue
            flush()
        paragraph.append(item)
        text = item.text
    flush()
    return out


def _right_edge(items: list[Line | Table], index: int, reach: int = 3) -> float:
    """Where the lines around ``items[index]`` end at the longest: the local right margin."""
    line = items[index]
    assert isinstance(line, Line)
    right, size = line.x1, line.size
    tolerance = 0.15 * max(size, 1.0)
    for step in (-1, 1):  # up to ``reach`` lines back, then forward, each way until a table
        for i in range(index + step, index + step * (reach + 1), step):
            if not 0 <= i < len(items) or not isinstance(other := items[i], Line):
                break
            if abs(other.size - size) <= tolerance and other.x1 > right:
                right = other.x1
    return right


def _continued(text: str, a: Line, b: Line, right: float, vocabulary: _Vocabulary,
               leading: float | None = None) -> str | None:
    """``text`` (ending with line ``a``) with line ``b`` added, if ``b`` continues the paragraph."""
    height = a.height
    widest = 0.6 * height if leading is None else min(0.6 * height, leading + 0.25 * height)
    if b.top <= a.top + 0.5 * height or b.top - a.bottom > widest:
        return None  # not the next line down
    if b.x0 >= a.x1 or a.x0 >= b.x1 or abs(a.size - b.size) > 0.15 * max(a.size, b.size, 1.0):
        return None  # another column, or another kind of text
    if text.endswith("-") and BROKEN_END.search(text[-2:]) and b.text[:1].isalnum():
        # A line ending in a hyphen goes on: a word broken by hyphenation ("contrac-/tor")
        # loses it; a compound ("Post-/16", "12-/18", "well-/being") keeps it.
        head = HYPHENATED_WORD_END.search(a.text)
        tail = LOWER_WORD.match(b.text)
        if head and tail:
            stem, rest = head.group(0)[:-1], tail.group(0)
            hyphened, closed = vocabulary[f"{stem}-{rest}"], vocabulary[f"{stem}{rest}"]
            if hyphened < closed or (hyphened == closed and stem not in hyphen_prefixes()):
                return text[:-1] + b.text
        return text + b.text
    if a.cells or b.cells:
        return None  # a line set in columns (a contents entry, a form's label and value)
    if LIST_START.match(b.text) or text.endswith(":") or (_has_leader(a.text) and LEADER_END.search(a.text)):
        return None  # a list item, a lead-in, a contents line
    if _is_capitals(a.text) and not _is_capitals(b.text):
        return None  # a heading in capitals over its text
    first_word = b.text.split(" ", 1)[0]
    char_width = (a.x1 - a.x0) / max(len(a.text), 1)
    if right - a.x1 > 1.25 * char_width * (len(first_word) + 1) + char_width:
        return None  # b's first word would have fitted on a's line: a ended its paragraph
    if text.endswith("/"):
        return text + b.text  # "and/" + "or"
    return f"{text} {b.text}"


def _lay_out(pages: list[PageContent]) -> tuple[str, list[Page], list[TableRow]]:
    """The final text, one page after another, with page spans and table rows as offsets."""
    parts: list[str] = []
    pos = 0
    spans: list[Page] = []
    rows: list[TableRow] = []
    table_number = 0

    def emit(s: str) -> None:
        nonlocal pos
        parts.append(s)
        pos += len(s)

    for page in pages:
        if spans:
            emit("\n\n")
        start = pos
        prev: Line | Table | None = None
        for item in page.items:
            if prev is not None:
                emit("\n\n" if isinstance(item, Table) or isinstance(prev, Table)
                     or item.top - prev.bottom > 0.6 * prev.height else "\n")
            if isinstance(item, Line):
                emit(item.text)
            else:
                for i, cells in enumerate(item.rows):
                    if i:
                        emit("\n")
                    row_start, spans_ = pos, []
                    for j, cell in enumerate(cells):
                        if j:
                            emit("\t")
                        spans_.append((pos, pos + len(cell)))
                        emit(cell)
                    rows.append(TableRow(row_start, pos, spans_, table_number, page.number, i in item.header))
                table_number += 1
            prev = item
        spans.append(Page(page.number, start, pos))
    return "".join(parts), spans, rows
