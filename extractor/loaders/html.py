"""HTML papers, ModernGov pages first: the main content as plain text.

The page is parsed by lxml's HTML parser with the network off; a DOCTYPE and
its internal subset are cut out before parsing, so no entity is ever declared,
let alone resolved. Scripts, styles, forms, navigation, headers and footers go;
of a ModernGov page only ``#modgov`` (or its ``mg*`` content blocks) is kept.
Headings and paragraphs become lines separated by blank lines, list items one
line each with a bullet (or their number), data tables one line per row with
cells separated by tabs (recorded as ``TableRow``). Layout tables (ModernGov's
agenda item table) are read as the blocks they hold. ModernGov furniture such
as ``pdf icon PDF 107 KB`` is dropped, and ModernGov field labels
(``Decision Maker:``) are copied into ``Document.meta``.

``Document.meta`` keys: ``html_title`` (the ``<title>``), ``title`` (ModernGov's
``mgSubTitleTxt``: the item or decision title), ``page_heading``
(``mgMainTitleTxt``), every ``mgLabel`` field in snake case
(``decision_maker``, ``decision_status``, ``date_of_decision``,
``publication_date``, ``decided_at_meeting``, ``venue``, ``contact`` …), and
``committee`` / ``meeting_date`` (as written) from a "Decided at meeting:
19/10/2015 - Policy Committee" field or a title such as "Agenda for Cabinet on
Thursday, 30th January, 2025".
"""
from __future__ import annotations

import codecs
import re

from lxml import etree

from ..document import Document, TableRow
from ..errors import LoadError
from .text import CONTROL_CHARS, LaidBlock, decode, lay_out, normalise, strip_markup, table_rows

# Elements whose text is never content.
_DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "math", "canvas",
              "head", "button", "input", "select", "option", "textarea", "datalist", "audio", "video", "map")
# Page chrome around the content.
_CHROME_TAGS = ("nav", "header", "footer", "aside")
_CHROME_ROLES = {"navigation", "banner", "contentinfo", "search", "complementary", "menu", "menubar"}
# class/id words (split at case changes, '-' and '_') that mark chrome.
_CHROME_WORDS = {"nav", "navigation", "navbar", "breadcrumb", "breadcrumbs", "cookie", "cookies", "menu",
                 "sidebar", "footer", "skip", "skiplink", "share", "social", "banner", "masthead", "toolbar",
                 "pagination", "printlink", "searchbox", "search"}
# ModernGov blocks that are links and file sizes, not content.
_MODERNGOV_CHROME = {"mglinks", "mgfilesize", "mgbreadcrumbs", "mgbreadcrumb", "mgfooter", "mgactionlist",
                     "mgpagetitle", "mgprintlink", "mgrssicon"}
# Where a ModernGov page keeps its content, tried in order.
_MODERNGOV_ROOTS = ("modgov",)
_MODERNGOV_CONTENT_CLASSES = ("mgContent", "mgMainTable", "mgItemTable", "mgSubTitle")
# Generic main-content containers, tried in order.
_GENERIC_ROOT_XPATHS = ("//main", "//*[@role='main']", "//*[@id='content']", "//*[@id='main-content']",
                        "//*[@id='maincontent']", "//*[@id='main']", "//article")
# An element that looks like chrome but holds more than this share of the content is a wrapper.
_CHROME_MAX_SHARE = 0.5
# A candidate main container must hold at least this share of the body's text.
_ROOT_MIN_SHARE = 0.2

_BLOCK_TAGS = {"address", "article", "aside", "blockquote", "body", "center", "dd", "details", "dialog", "dir",
               "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
               "h5", "h6", "header", "hgroup", "hr", "li", "main", "menu", "nav", "ol", "p", "pre", "section",
               "summary", "table", "tbody", "thead", "tfoot", "tr", "td", "th", "caption", "ul", "legend", "html"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_CELL_BLOCKS = ("p", "div", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table")
# A table cell with more blocks or text than this is page layout, not data.
_LAYOUT_CELL_BLOCKS = 2
_LAYOUT_CELL_CHARS = 800
_LAYOUT_TABLE_CLASSES = {"mgitemtable", "mglayouttable"}

# Web furniture inside lines: ModernGov file sizes, and whole lines that are only links to elsewhere.
_FILE_SIZE = re.compile(r"\s*(?:\b(?:pdf|word|excel|html?) icon\s*)?\b(?:PDF|DOCX?|XLSX?|PPTX?|RTF|HTML?|ZIP|CSV)\s+"
                        r"\d+(?:\.\d+)?\s*[KMG]B(?![A-Za-z])", re.IGNORECASE)
_FURNITURE_LINE = re.compile(
    r"^(?:view the (?:full )?(?:minutes|decision|declarations?) text for item \S+"
    r"|view the reasons? (?:why )?(?:the )?(?:item|document)\b.{0,60}restricted"
    r"|find out more about this issue|print this page|skip to (?:main )?content)\.?$",
    re.IGNORECASE)

_DOCTYPE = re.compile(r"<!DOCTYPE(?:[^\[>]|\[.*?\])*>", re.IGNORECASE | re.DOTALL)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]{0,300}\?>")
_META_CHARSET = re.compile(rb"""<meta[^>]{0,300}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.IGNORECASE)
_CAMEL = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
_SPACE = re.compile(r"[ \t\n\r\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_LINE_BREAK = "\x00"  # stands for <br> inside a paragraph until lines are laid out
_TITLE_MEETING = re.compile(r"^(?:agenda|minutes|decisions?|draft minutes)(?: and minutes)? for (?P<committee>.+?) on "
                            r"(?P<date>(?:\w+day,? )?\d{1,2}(?:st|nd|rd|th)? \w+,? \d{4})", re.IGNORECASE)
_DATED_MEETING = re.compile(r"^(?P<date>\d{1,2}/\d{1,2}/\d{4})\s*[-–]\s*(?P<committee>.+)$")


def decode_html(data: bytes, name: str = "") -> str:
    """HTML bytes → str: a BOM, else the ``<meta charset>``, else the text decoder's guess."""
    if not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        m = _META_CHARSET.search(data[:8192])
        if m:
            try:
                encoding = codecs.lookup(m.group(1).decode("ascii")).name
            except (LookupError, UnicodeDecodeError):
                encoding = None
            if encoding and not encoding.startswith("utf-16"):  # a UTF-16 claim in ASCII bytes is false
                if encoding in ("iso8859-1", "ascii"):
                    encoding = "cp1252"  # what browsers do, and what pages mean
                try:
                    return data.decode(encoding)
                except UnicodeDecodeError:
                    pass  # the page lied: guess from the bytes
    return decode(data, name)


def parse_html(markup: str) -> etree._Element:
    """Parse HTML with no network, no DTD, no entities; comments and processing instructions dropped."""
    markup = _XML_DECL.sub("", markup, count=1)
    markup = _DOCTYPE.sub("", markup)
    # Plain lxml.etree elements: lxml.html's element classes cost a Python lookup per node.
    parser = etree.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, recover=True,
                              default_doctype=False)
    root = etree.fromstring(markup, parser)
    if root is None:
        raise etree.ParserError("Document is empty")
    return root


def load_html(name: str, data: bytes, doc_id: str) -> Document:
    """Read an HTML page (ModernGov or any other) into a ``Document``; raises ``LoadError``."""
    markup = normalise(decode_html(data, name))
    if not markup.strip():
        raise LoadError(name, "no text (empty HTML page)")
    try:
        root = parse_html(markup)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        root = None
    meta: dict[str, str] = {}
    text, rows = "", []
    if root is not None:
        title = _clean(" ".join(t for el in root.iter("title") for t in el.itertext()))
        if title:
            meta["html_title"] = title
            meta.update(_title_meeting(title))
        for el in list(root.iter(*_DROP_TAGS)):
            _drop(el)
        content = _content_root(root)
        _drop_chrome(content)
        meta.update(_moderngov_meta(content))
        text, rows = _Renderer().render(content)
    if not text.strip():
        # Markup the parser could not hold (nesting past libxml2's depth limit, say): read it as tagged text.
        text = _strip_all_tags(markup)
        rows = table_rows(text)
    if not text.strip():
        raise LoadError(name, "no text (the HTML page has no readable content)")
    return Document(path=name, format="html", text=text, doc_id=doc_id, table_rows=rows, meta=meta)


def _strip_all_tags(markup: str) -> str:
    """Fallback reading: script/style bodies out, every tag out, entities decoded, lines tidied."""
    markup = re.sub(r"<(script|style|template|noscript)\b.*?</\1\s*>", " ", markup, flags=re.IGNORECASE | re.DOTALL)
    markup = re.sub(r"<(?:script|style|template|noscript)\b.*", " ", markup, flags=re.IGNORECASE | re.DOTALL)
    markup = _DOCTYPE.sub(" ", markup)
    markup = re.sub(r"<!--.*?-->", " ", markup, flags=re.DOTALL)
    markup = re.sub(r"</?[A-Za-z][^<>]*>|<[!?][^<>]*>", " ", markup)
    markup = strip_markup(markup)
    lines = [_tidy_line(line) for line in markup.split("\n")]
    return "\n".join(line for line in lines if line)


def _drop(el: etree._Element) -> None:
    """Remove an element and its text, keeping the text that follows it."""
    parent = el.getparent()
    if parent is None:
        el.clear()
        return
    tail = el.tail
    previous = el.getprevious()
    parent.remove(el)
    if tail:
        # lxml refuses to store the control characters an entity like &#1; put in the tree.
        if previous is not None:
            previous.tail = CONTROL_CHARS.sub("", (previous.tail or "") + tail)
        else:
            parent.text = CONTROL_CHARS.sub("", (parent.text or "") + tail)


def _words(value: str) -> set[str]:
    """The words of a class or id: ``mgMainTitle nav-bar`` → {mg, main, title, nav, bar} plus whole tokens."""
    words = set()
    for token in re.split(r"[\s_-]+", value):
        if token:
            words.add(token.lower())
            words.update(w.lower() for w in _CAMEL.findall(token))
    return words


def _classes(el: etree._Element) -> set[str]:
    return {c.lower() for c in (el.get("class") or "").split()}


def _content_root(root: etree._Element) -> etree._Element:
    """The element holding the page's main content: ModernGov's, a generic main container, or the body."""
    for root_id in _MODERNGOV_ROOTS:
        found = root.xpath(f"//*[@id='{root_id}']")
        if found:
            return found[0]
    blocks = [el for cls in _MODERNGOV_CONTENT_CLASSES
              for el in root.xpath(f"//*[contains(concat(' ', normalize-space(@class), ' '), ' {cls} ')]")]
    if blocks:
        return _common_ancestor(blocks)
    body = root.find("body")
    if body is None:
        body = root
    body_chars = len(_clean(" ".join(body.itertext())))
    for xpath in _GENERIC_ROOT_XPATHS:
        for el in root.xpath(xpath):
            if len(_clean(" ".join(el.itertext()))) >= _ROOT_MIN_SHARE * body_chars:
                return el
    return body


def _common_ancestor(elements: list[etree._Element]) -> etree._Element:
    """The deepest element containing every one of ``elements``."""
    paths = []
    for el in elements:
        chain = [el, *el.iterancestors()]
        paths.append(chain[::-1])
    common = paths[0][0]
    for depth in range(min(len(p) for p in paths)):
        if all(p[depth] is paths[0][depth] for p in paths):
            common = paths[0][depth]
        else:
            break
    return common


def _is_chrome(el: etree._Element) -> bool:
    if el.tag in _CHROME_TAGS:
        return True
    if not el.attrib:  # most elements: nothing more to look at
        return False
    if (el.get("role") or "").lower() in _CHROME_ROLES:
        return True
    if el.get("hidden") is not None or el.get("aria-hidden") == "true":
        return True
    if re.search(r"display\s*:\s*none|visibility\s*:\s*hidden", el.get("style") or "", re.IGNORECASE):
        return True
    if _classes(el) & _MODERNGOV_CHROME:
        return True
    marks = " ".join(filter(None, (el.get("class"), el.get("id"))))
    return bool(marks and _words(marks) & _CHROME_WORDS)


def _drop_chrome(content: etree._Element) -> None:
    """Navigation, headers, footers, hidden blocks, forms that are not the content, links that are furniture."""
    content_chars = max(1, len(_clean(" ".join(content.itertext()))))
    doomed = []
    for el in content.iterdescendants():
        if not isinstance(el.tag, str):
            continue
        if _is_chrome(el):
            # A wrapper named like chrome ("page has-sidebar") that holds most of the page is not chrome.
            if len(_clean(" ".join(el.itertext()))) < _CHROME_MAX_SHARE * content_chars:
                doomed.append(el)
        elif el.tag == "form" and len(_clean(" ".join(el.itertext()))) < 0.4 * content_chars:
            doomed.append(el)  # a search box or filter; an ASP.NET form wrapping the page stays
        elif el.tag == "a" and _FURNITURE_LINE.match(_clean(" ".join(el.itertext()))):
            doomed.append(el)
    for el in doomed:
        if el.getparent() is not None:
            _drop(el)


def _clean(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _snake(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")


def _moderngov_meta(content: etree._Element) -> dict[str, str]:
    """ModernGov's labelled fields (``<span class="mgLabel">Decision Maker: </span>value``) and titles."""
    meta: dict[str, str] = {}
    for el in content.iter():
        if not isinstance(el.tag, str):
            continue
        classes = _classes(el)
        if "mgsubtitletxt" in classes and "title" not in meta:
            title = _clean(" ".join(el.itertext()))
            if title:
                meta["title"] = title
        elif "mgmaintitletxt" in classes and "page_heading" not in meta:
            heading = _clean(" ".join(el.itertext()))
            if heading:
                meta["page_heading"] = heading
        elif "mglabel" in classes and el.tag == "span":
            label = _clean(" ".join(el.itertext())).rstrip(":").rstrip("?").strip()
            parent = el.getparent()
            if not label or parent is None:
                continue
            whole = _clean(" ".join(parent.itertext()))
            own = _clean(" ".join(el.itertext()))
            value = _FILE_SIZE.sub("", whole[len(own):] if whole.startswith(own) else whole).strip(" :")
            key = _snake(label)
            if key and value and key not in meta:
                meta[key] = value
                m = _DATED_MEETING.match(value)
                if m and ("meeting" in key):
                    meta.setdefault("committee", m.group("committee"))
                    meta.setdefault("meeting_date", m.group("date"))
    return meta


def _title_meeting(title: str) -> dict[str, str]:
    """ModernGov page titles name the committee and date: ``Agenda for Cabinet on Thursday, 30th January, 2025``."""
    m = _TITLE_MEETING.match(title)
    return {"committee": m.group("committee"), "meeting_date": m.group("date")} if m else {}


def _is_layout_table(table: etree._Element) -> bool:
    """True for a table used to lay a page out (nested tables, one column, paragraphs in cells)."""
    if _classes(table) & _LAYOUT_TABLE_CLASSES or (table.get("role") or "").lower() == "presentation":
        return True
    if any(True for _ in table.iterdescendants("table")):
        return True
    rows = [tr for tr in table.iter("tr")]
    if not rows or not any(len([c for c in tr if c.tag in ("td", "th")]) >= 2 for tr in rows):
        return True
    for cell in table.iter("td", "th"):
        blocks = sum(1 for el in cell.iterdescendants(*_CELL_BLOCKS) if _clean(" ".join(el.itertext())))
        if blocks > _LAYOUT_CELL_BLOCKS or len(_clean(" ".join(cell.itertext()))) > _LAYOUT_CELL_CHARS:
            return True
    return False


class _Renderer:
    """Walks the content tree without recursion (pages nest deeply) and lays the blocks out as text."""

    def __init__(self) -> None:
        self.blocks: list[LaidBlock] = []
        self.buffer: list[str] = []
        self.context: list[list] = []  # open blocks: [tag, prefix, prefix_used]
        self.lists: list[list] = []  # open lists: [ordered, next number]
        self.tables = 0
        self.root: etree._Element | None = None

    def render(self, content: etree._Element) -> tuple[str, list[TableRow]]:
        enter, leave = 0, 1
        self.root = content
        stack: list[tuple[int, etree._Element]] = [(enter, content)]
        while stack:
            phase, el = stack.pop()
            tag = el.tag if isinstance(el.tag, str) else ""
            if phase == leave:
                self._leave(tag, el)
                continue
            if not tag or tag in _DROP_TAGS:
                self._text(el.tail if el is not content else None)
                continue
            if tag == "br":
                self.buffer.append(_LINE_BREAK)
                self._text(el.tail)
                continue
            if tag == "table" and not _is_layout_table(el):
                self._flush()
                self._table(el)
                self._text(el.tail if el is not content else None)
                continue
            self._enter(tag, el)
            self._text(el.text, pre=tag == "pre")
            stack.append((leave, el))
            stack.extend((enter, child) for child in reversed(el))
        self._flush()
        text, rows, _ = lay_out(self.blocks)
        return text, rows

    def _text(self, text: str | None, pre: bool = False) -> None:
        if text:
            self.buffer.append(text.replace("\n", _LINE_BREAK) if pre or self._in("pre") else text)

    def _in(self, tag: str) -> bool:
        return any(c[0] == tag for c in self.context)

    def _enter(self, tag: str, el: etree._Element) -> None:
        if tag not in _BLOCK_TAGS:
            return
        self._flush()
        prefix = ""
        if tag in ("ul", "ol", "menu", "dir"):
            start = el.get("start", "1")
            self.lists.append([tag == "ol", int(start) if start.strip().isdigit() else 1])
        elif tag == "li":
            if self.lists and self.lists[-1][0]:
                number = el.get("value")
                if number and number.strip().isdigit():
                    self.lists[-1][1] = int(number)
                prefix = f"{self.lists[-1][1]}. "
                self.lists[-1][1] += 1
            else:
                prefix = "• "
        self.context.append([tag, prefix, False])

    def _leave(self, tag: str, el: etree._Element) -> None:
        if tag in _BLOCK_TAGS:
            self._flush()
            if self.context:
                self.context.pop()
            if tag in ("ul", "ol", "menu", "dir") and self.lists:
                self.lists.pop()
        if el is not self.root:
            self._text(el.tail)

    def _flush(self) -> None:
        """Close the paragraph being collected as a block of the innermost open block's kind."""
        if not self.buffer:
            return
        raw = "".join(self.buffer)
        self.buffer.clear()
        lines = [_tidy_line(part) for part in raw.split(_LINE_BREAK)]
        lines = [line for line in lines if line]
        if not lines:
            return
        kind = "paragraph"
        for entry in reversed(self.context):
            tag, prefix, used = entry
            if tag in _HEADINGS:
                kind = "heading"
                break
            if tag == "li":
                if not used:
                    lines[0] = prefix + lines[0]
                    entry[2] = True
                    kind = "list_item"
                break
            if tag in ("p", "td", "th", "dd", "dt", "blockquote", "pre", "caption"):
                break
        self.blocks.append(LaidBlock(kind, lines))

    def _table(self, table: etree._Element) -> None:
        number = self.tables
        self.tables += 1
        for caption in table.iter("caption"):
            line = _tidy_line(" ".join(caption.itertext()))
            if line:
                self.blocks.append(LaidBlock("paragraph", [line]))
        for tr in table.iter("tr"):
            cells = [c for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")]
            texts = [_tidy_line(" ".join(c.itertext())) for c in cells]
            if not any(texts):
                continue
            header = all(c.tag == "th" for c in cells) or tr.getparent() is not None and tr.getparent().tag == "thead"
            self.blocks.append(LaidBlock("table_row", [], texts, number, header))



def _tidy_line(text: str) -> str:
    """One line of content: whitespace collapsed, furniture (file sizes, 'view the full minutes') out."""
    line = _clean(text)
    low = line.lower()
    if "kb" in low or "mb" in low or "gb" in low:
        line = _FILE_SIZE.sub("", line).strip()
    return "" if _FURNITURE_LINE.match(line) else line
