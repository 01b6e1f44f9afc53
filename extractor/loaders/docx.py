"""DOCX papers: paragraphs and tables in document order, with list numbers as Word shows them.

The zip is checked before python-docx opens it: a decompression bomb (too much
uncompressed data, or a member that inflates too far) and any XML part with a
DOCTYPE or ENTITY declaration (an XXE attempt: Word never writes one) are
refused. Then the body is walked in order: headings and paragraphs become
blocks separated by blank lines, numbered and bulleted paragraphs get the
label Word would draw (python-docx does not render numbering: it is computed
from ``w:numPr`` and the numbering part), tables become one line per row with
cells separated by tabs (recorded as ``TableRow``). Pages are known only when
Word recorded where it broke them (``w:lastRenderedPageBreak``) or the author
put hard page breaks in.
"""
from __future__ import annotations

import io
import re
import zipfile
import zlib

from ..document import Document, Page, TableRow
from ..errors import LoadError
from .text import LaidBlock, lay_out

# Decompression-bomb limits: total uncompressed bytes, and a member that both inflates past
# ``MAX_RATIO`` and is larger than ``RATIO_MIN_BYTES`` (small XML parts compress very well).
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 100
RATIO_MIN_BYTES = 10 * 1024 * 1024
MAX_MEMBERS = 10_000
_SCAN_CHUNK = 1024 * 1024
_DECLARATIONS = (b"<!doctype", b"<!entity")

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_TEXT_TAGS = {W + "t": None, W + "tab": " ", W + "br": "\n", W + "cr": "\n", W + "noBreakHyphen": "-",
              W + "softHyphen": "", W + "sym": None, W + "lastRenderedPageBreak": None}
_CONTAINERS = {W + "sdt", W + "sdtContent", W + "customXml", W + "smartTag", W + "ins", W + "moveTo"}
_BULLET = "•"


def load_docx(name: str, data: bytes, doc_id: str) -> Document:
    """Read a DOCX paper into a ``Document``; raises ``LoadError`` for broken or hostile files."""
    check_zip(name, data)
    from docx.opc.exceptions import PackageNotFoundError

    try:
        word = _open_word(io.BytesIO(data))
    except PackageNotFoundError:
        raise LoadError(name, "not a valid DOCX (no Word document inside the package)") from None
    except (KeyError, ValueError, AttributeError, TypeError, zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise LoadError(name, f"not a valid DOCX ({type(exc).__name__}: {exc})") from None
    except Exception as exc:  # lxml syntax errors and the like: a broken part, never a crash
        raise LoadError(name, f"not a valid DOCX ({type(exc).__name__}: {_short(exc)})") from None
    try:
        blocks, page_count = _Body(word).blocks()
    except RecursionError:
        raise LoadError(name, "not a valid DOCX (tables nested too deeply)") from None
    text, rows, placed = lay_out(blocks)
    if not text.strip():
        raise LoadError(name, "no text (the DOCX has no paragraphs or tables with words)")
    pages = _pages(placed, len(text)) if page_count > 1 else []
    rows = [TableRow(r.start, r.end, r.cells, r.table, _page_at(pages, r.start) if pages else None, r.header)
            for r in rows]
    meta = {}
    try:
        props = word.core_properties
        for key, value in (("docx_title", props.title), ("docx_subject", props.subject)):
            if value and value.strip():
                meta[key] = " ".join(value.split())
    except Exception:  # core properties are optional hints; a broken part must not cost the text
        pass
    return Document(path=name, format="docx", text=text, doc_id=doc_id, pages=pages, table_rows=rows,
                    page_count=len(pages) or None, meta=meta)


# Macro-enabled documents and templates hold the same WordprocessingML as a .docx.
_WORD_MAIN_TYPES = ("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                    "application/vnd.ms-word.document.macroEnabled.main+xml",
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
                    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml")


def _open_word(stream):
    """python-docx's ``Document`` for .docx, .docm, .dotx and .dotm alike (macros are never run, only read past)."""
    from docx.package import Package
    from docx.opc.part import PartFactory
    from docx.parts.document import DocumentPart

    for content_type in _WORD_MAIN_TYPES:
        PartFactory.part_type_for.setdefault(content_type, DocumentPart)
    part = Package.open(stream).main_document_part
    if part.content_type not in _WORD_MAIN_TYPES or not isinstance(part, DocumentPart):
        raise ValueError(f"the main part is {part.content_type}, not a Word document")
    return part.document


def check_zip(name: str, data: bytes) -> None:
    """Refuse what is not a DOCX zip, a decompression bomb, or XML declaring a DTD or entities."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise LoadError(name, f"not a valid DOCX ({exc})") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            raise LoadError(name, f"suspicious DOCX (zip bomb?): {len(infos)} members")
        total = sum(i.file_size for i in infos)
        if total > MAX_UNCOMPRESSED:
            raise LoadError(name, f"suspicious DOCX (zip bomb?): {total // (1024 * 1024)} MB uncompressed")
        for info in infos:
            if info.file_size > RATIO_MIN_BYTES and info.file_size > MAX_RATIO * max(1, info.compress_size):
                raise LoadError(name, f"suspicious DOCX (zip bomb?): {info.filename} inflates "
                                      f"{info.file_size // max(1, info.compress_size)}-fold")
        names = {i.filename for i in infos}
        if "[Content_Types].xml" not in names:
            raise LoadError(name, "not a valid DOCX (a zip archive without [Content_Types].xml)")
        if not any(n.startswith("word/") for n in names):
            raise LoadError(name, "not a valid DOCX (a zip archive without word/document.xml)")
        for info in infos:
            if info.filename.lower().endswith((".xml", ".rels", ".vml")):
                _scan_for_declarations(name, archive, info)


def _scan_for_declarations(name: str, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Stream one XML part looking for ``<!DOCTYPE`` / ``<!ENTITY`` (UTF-16 parts too)."""
    tail = b""
    try:
        with archive.open(info) as fh:
            while True:
                chunk = fh.read(_SCAN_CHUNK)
                if not chunk:
                    return
                window = (tail + chunk).lower()
                probe = window.replace(b"\x00", b"") if b"\x00" in window else window
                if any(d in probe for d in _DECLARATIONS):
                    raise LoadError(name, f"refused: {info.filename} declares a DTD or entities "
                                          "(external-entity attack?); Word never writes one")
                tail = chunk[-32:]
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError) as exc:
        raise LoadError(name, f"not a valid DOCX (damaged part {info.filename}: {_short(exc)})") from None


def _short(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:200]


def _pages(placed: list[tuple[LaidBlock, int, int]], length: int) -> list[Page]:
    """Page spans from the page each block starts on."""
    pages: list[Page] = []
    for block, start, _end in placed:
        number = block.page or 1
        if not pages:
            pages.append(Page(number, 0, length))
        elif number > pages[-1].number:
            pages[-1].end = start
            pages.append(Page(number, start, length))
    return pages


def _page_at(pages: list[Page], offset: int) -> int | None:
    for page in reversed(pages):
        if page.start <= offset:
            return page.number
    return pages[0].number if pages else None


class _Body:
    """Walks a python-docx document's body in order, numbering lists as Word would."""

    def __init__(self, word) -> None:
        self.word = word
        self.body = word.element.body
        self.styles = _Styles(word)
        self.numbering = _Numbering(_numbering_element(word))
        self.page = 1
        # Word records its own page breaks when it saves; hard breaks are the fallback.
        self.rendered_breaks = any(True for _ in self.body.iter(W + "lastRenderedPageBreak"))
        self.tables = 0
        for fallback in list(self.body.iter(MC_FALLBACK)):  # the same content as mc:Choice, again
            fallback.getparent().remove(fallback)

    def blocks(self) -> tuple[list[LaidBlock], int]:
        out: list[LaidBlock] = []
        for el in _children(self.body):
            if el.tag == W + "p":
                block = self._paragraph(el)
                if block:
                    out.append(block)
            elif el.tag == W + "tbl":
                out.extend(self._table(el))
        return out, self.page

    def _paragraph(self, p) -> LaidBlock | None:
        style = self.styles.of(p)
        if self._breaks_page_before(p, style):
            self.page += 1
        text, page = self._text(p)
        label = self.numbering.label(*self.styles.numbering(p, style))
        lines = [line.strip() for line in text.split("\n")]
        lines = [line for line in lines if line]
        if not lines:
            return None
        kind = "paragraph"
        if label:
            lines[0] = f"{label} {lines[0]}"
            kind = "list_item"
        if self.styles.is_heading(p, style):
            kind = "heading"
        return LaidBlock(kind, lines, page=page)

    def _breaks_page_before(self, p, style) -> bool:
        ppr = p.find(W + "pPr")
        return ppr is not None and ppr.find(W + "pageBreakBefore") is not None and _on(ppr.find(W + "pageBreakBefore"))

    def _text(self, p) -> tuple[str, int]:
        """A paragraph's text (runs, hyperlinks, content controls, insertions; never deleted text) and
        the page its first words are on."""
        parts = []
        first_page = None
        for el in p.iter(*_TEXT_TAGS):
            tag = el.tag
            if tag == W + "t":
                if first_page is None and el.text:
                    first_page = self.page
                parts.append(el.text or "")
            elif tag == W + "lastRenderedPageBreak":
                if self.rendered_breaks:
                    self.page += 1
            elif tag == W + "br":
                if el.get(W + "type") == "page":
                    if not self.rendered_breaks:
                        self.page += 1
                    parts.append("\n")
                elif el.get(W + "type") != "column":
                    parts.append("\n")
            elif tag == W + "sym":
                parts.append(_symbol(el))
            else:
                parts.append(_TEXT_TAGS[tag])
        return "".join(parts).replace("\t", " "), first_page or self.page

    def _table(self, tbl) -> list[LaidBlock]:
        number = self.tables
        self.tables += 1
        rows = []
        for tr in _children(tbl):
            if tr.tag != W + "tr":
                continue
            page = self.page
            trpr = tr.find(W + "trPr")
            header = trpr is not None and trpr.find(W + "tblHeader") is not None
            cells = [self._cell_text(tc) for tc in _children(tr) if tc.tag == W + "tc"]
            if any(cells):
                rows.append(LaidBlock("table_row", cells=cells, table=number, header=header, page=page))
        return rows

    def _cell_text(self, tc) -> str:
        """A cell's paragraphs (numbered as in the body) and nested tables, on one line."""
        parts = []
        for el in _children(tc):
            if el.tag == W + "p":
                block = self._paragraph(el)
                if block:
                    parts.append(" ".join(block.lines))
            elif el.tag == W + "tbl":
                parts.extend(" ".join(row.cells or []) for row in self._table(el))
                self.tables -= 1  # a nested table is part of this cell, not a table of its own
        return " ".join(" ".join(parts).split())


def _children(el):
    """Child elements in order, looking through content controls and custom XML wrappers."""
    stack = list(reversed(el))
    while stack:
        child = stack.pop()
        if child.tag in _CONTAINERS:
            stack.extend(reversed(child))
        else:
            yield child


def _on(el) -> bool:
    """A WordprocessingML on/off property: present means on unless its val says otherwise."""
    return el.get(W + "val", "true").lower() not in ("0", "false", "off")


def _symbol(el) -> str:
    """A ``w:sym`` character: Symbol-font bullets as '•', other private-use code points dropped."""
    try:
        code = int(el.get(W + "char", ""), 16)
    except ValueError:
        return ""
    if code >= 0xF000:
        code -= 0xF000
        return _BULLET if code in (0xB7, 0xA7, 0xFC, 0x6E, 0x71, 0xD8) else ""
    return chr(code) if code >= 32 else ""


def _numbering_element(word):
    """The numbering part's root element, or None (without creating one as python-docx would)."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    try:
        return word.part.part_related_by(RT.NUMBERING).element
    except (KeyError, ValueError, AttributeError):
        return None


class _Styles:
    """Paragraph styles by id, with their inheritance, for headings and style-borne numbering."""

    def __init__(self, word) -> None:
        self.by_id: dict[str, object] = {}
        self.default: str | None = None
        try:
            root = word.styles.element
        except Exception:  # a document without a styles part still has text
            root = None
        if root is not None:
            for style in root.iter(W + "style"):
                sid = style.get(W + "styleId")
                if sid and style.get(W + "type", "paragraph") == "paragraph":
                    self.by_id[sid] = style
                    if _on_attr(style.get(W + "default")):
                        self.default = sid

    def of(self, p) -> str | None:
        ppr = p.find(W + "pPr")
        pstyle = ppr.find(W + "pStyle") if ppr is not None else None
        return pstyle.get(W + "val") if pstyle is not None else self.default

    def _chain(self, sid: str | None):
        seen = set()
        while sid and sid not in seen and sid in self.by_id:
            seen.add(sid)
            style = self.by_id[sid]
            yield style
            based = style.find(W + "basedOn")
            sid = based.get(W + "val") if based is not None else None

    def is_heading(self, p, sid: str | None) -> bool:
        ppr = p.find(W + "pPr")
        if ppr is not None and _outline_level(ppr) is not None:
            return True
        for style in self._chain(sid):
            name = style.find(W + "name")
            label = (name.get(W + "val") if name is not None else "") or ""
            if re.match(r"(?i)^(heading\s*\d|title|subtitle)$", label.strip()):
                return True
            spr = style.find(W + "pPr")
            if spr is not None and _outline_level(spr) is not None:
                return True
        return False

    def numbering(self, p, sid: str | None) -> tuple[str | None, int]:
        """(numId, ilvl) from the paragraph's own ``w:numPr``, else from its style chain."""
        ppr = p.find(W + "pPr")
        numpr = ppr.find(W + "numPr") if ppr is not None else None
        num_id, level = _num_pr(numpr)
        if num_id is not None:
            return num_id, level or 0
        for style in self._chain(sid):
            spr = style.find(W + "pPr")
            style_id, style_level = _num_pr(spr.find(W + "numPr") if spr is not None else None)
            if style_id is not None:
                return style_id, level if level is not None else (style_level or 0)
        return None, 0


def _on_attr(value: str | None) -> bool:
    return value is not None and value.lower() in ("1", "true", "on")


def _outline_level(ppr) -> int | None:
    """A paragraph's outline level below 9 makes it a heading, whatever its style is called."""
    el = ppr.find(W + "outlineLvl")
    if el is None:
        return None
    try:
        level = int(el.get(W + "val", "9"))
    except ValueError:
        return None
    return level if level < 9 else None


def _num_pr(numpr) -> tuple[str | None, int | None]:
    if numpr is None:
        return None, None
    num_id_el, level_el = numpr.find(W + "numId"), numpr.find(W + "ilvl")
    num_id = num_id_el.get(W + "val") if num_id_el is not None else None
    try:
        level = int(level_el.get(W + "val")) if level_el is not None else None
    except (TypeError, ValueError):
        level = None
    if level is not None:
        level = min(max(level, 0), 8)
    return num_id, level


class _Numbering:
    """Word's list numbering: counters per list instance, formatted by each level's numFmt and lvlText."""

    def __init__(self, root) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # numId → level → (fmt, text, start)
        self.counters: dict[str, list[int | None]] = {}
        if root is None:
            return
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for an in root.iter(W + "abstractNum"):
            abstract[an.get(W + "abstractNumId", "")] = _levels(an)
        for num in root.iter(W + "num"):
            num_id = num.get(W + "numId")
            ref = num.find(W + "abstractNumId")
            if num_id is None or ref is None:
                continue
            levels = dict(abstract.get(ref.get(W + "val", ""), {}))
            for override in num.iter(W + "lvlOverride"):
                try:
                    ilvl = int(override.get(W + "ilvl", "0"))
                except ValueError:
                    continue
                lvl = override.find(W + "lvl")
                if lvl is not None:
                    levels.update(_levels(override))
                start = override.find(W + "startOverride")
                if start is not None and ilvl in levels:
                    fmt, text, _ = levels[ilvl]
                    levels[ilvl] = (fmt, text, _int(start.get(W + "val"), 1))
            self.levels[num_id] = levels

    def label(self, num_id: str | None, level: int) -> str | None:
        """The label Word draws before this paragraph ('1.', '(a)', 'iv)', '•'), advancing the counters."""
        if not num_id or num_id == "0" or num_id not in self.levels:
            return None
        levels = self.levels[num_id]
        if level not in levels:
            return None
        counters = self.counters.setdefault(num_id, [None] * 9)
        for deeper in range(level + 1, 9):
            counters[deeper] = None
        fmt, text, start = levels[level]
        counters[level] = start if counters[level] is None else counters[level] + 1
        for shallower in range(level):
            if counters[shallower] is None and shallower in levels:
                counters[shallower] = levels[shallower][2]
        if fmt == "bullet":
            return _BULLET
        if fmt == "none" and "%" not in text:
            return text.strip() or None

        def expand(m: re.Match) -> str:
            n = int(m.group(1)) - 1
            if n not in levels or counters[n] is None:
                return ""
            return _format_number(counters[n], levels[n][0])

        label = re.sub(r"%([1-9])", expand, text).strip()
        return label or None


def _levels(parent) -> dict[int, tuple[str, str, int]]:
    levels = {}
    for lvl in parent.findall(W + "lvl"):
        ilvl = _int(lvl.get(W + "ilvl"), 0)
        fmt_el, text_el, start_el = lvl.find(W + "numFmt"), lvl.find(W + "lvlText"), lvl.find(W + "start")
        fmt = fmt_el.get(W + "val", "decimal") if fmt_el is not None else "decimal"
        text = text_el.get(W + "val", "") if text_el is not None else f"%{ilvl + 1}."
        start = _int(start_el.get(W + "val") if start_el is not None else None, 1)
        levels[ilvl] = (fmt, text, start)
    return levels


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _format_number(n: int, fmt: str) -> str:
    """One counter in a Word number format."""
    if fmt in ("lowerLetter", "upperLetter"):
        s = _letters(n)
        return s if fmt == "lowerLetter" else s.upper()
    if fmt in ("lowerRoman", "upperRoman"):
        s = _roman(n)
        return s if fmt == "lowerRoman" else s.upper()
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "ordinal":
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return f"{n}{suffix}"
    if fmt == "bullet":
        return _BULLET
    return str(n)


def _letters(n: int) -> str:
    """Word's letter numbering: a…z, then aa, bb, … (the letter repeated)."""
    if n < 1:
        return str(n)
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _roman(n: int) -> str:
    if not 0 < n < 4000:
        return str(n)
    out = []
    for value, numeral in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                           (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out.append(numeral)
            n -= value
    return "".join(out)
