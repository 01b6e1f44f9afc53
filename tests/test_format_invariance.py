"""The same paper as text, DOCX, HTML and PDF gives the same structure.

Each seed paper is rendered here, by the test itself, from the blocks its text
version gives: headings as headings, numbered paragraphs as text, bullets as
list paragraphs, tab rows as tables. Each rendering is loaded by its own loader
and structured again; the agenda items, numbered paragraphs and list item texts
must be those of the text version (whitespace and list glyphs aside).
"""
from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from extractor.document import Document
from extractor.extract import ExtractionContext, document_meta
from extractor.loaders import load
from extractor.structure import Block, plain, structure

from .conftest import SEED_DOCS

FORMATS = ["docx", "html", "pdf"]
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
_LEADING_MARKERS = re.compile(r"^(?:(?:[-*•·▪◦o–]|\(?(?:[a-z]{1,2}|[ivx]{1,5}|\d{1,3})[.)])\s+)+", re.IGNORECASE)


# ---------------------------------------------------------------- what the text version says

def block_text(doc: Document, block: Block) -> str:
    """A block's words on one line, without markdown markup."""
    return re.sub(r"\s+", " ", plain(doc.text[block.start:block.end].replace("\n", " "))).strip()


def list_text(doc: Document, block: Block) -> str:
    """A list item's words without its bullet, enumerator or markup, for comparison across formats."""
    words = _LEADING_MARKERS.sub("", block_text(doc, block))
    return re.sub(r"[*_]", "", words).strip()


def signature(doc: Document, blocks: list[Block]) -> dict:
    return {
        "agenda items": [b.number for b in blocks if b.kind == "agenda_item"],
        "numbered paragraphs": sorted({(b.kind, b.number) for b in blocks
                                       if b.kind in ("paragraph", "heading") and b.number}),
        "list items": sorted(list_text(doc, b) for b in blocks if b.kind == "list_item"),
    }


# ---------------------------------------------------------------- a paper as rendering instructions

def parts_of(doc: Document, blocks: list[Block]) -> list[tuple]:
    """(kind, text, level) per block — agenda items split into their number and title as printed."""
    parts: list[tuple] = []
    for block in blocks:
        raw = doc.text[block.start:block.end]
        if block.kind == "table_row":
            parts.append(("table_row", [plain(doc.text[s:e]) for s, e in block.cells], 0))
        elif block.kind == "heading":
            level = block.level if raw.lstrip().startswith("#") else 2
            parts.append(("heading", re.sub(r"^#+\s*", "", block_text(doc, block)), max(1, min(level, 4))))
        elif block.kind == "list_item":
            words = re.sub(r"^(?:[-*•·▪◦]\s+)+", "", block_text(doc, block))
            parts.append(("list_item", words, max(1, block.level)))
        elif block.kind == "agenda_item" and "\n" in raw.strip():
            number, title = raw.strip().split("\n", 1)
            parts.append(("paragraph", number.strip(), 0))
            parts.append(("paragraph", re.sub(r"\s+", " ", plain(title)).strip(), 0))
        else:
            parts.append(("paragraph", block_text(doc, block), 0))
    return parts


def render_docx(parts: list[tuple], path: Path) -> None:
    import docx

    word = docx.Document()
    rows: list[list[str]] = []

    def flush_table():
        if rows:
            width = max(len(r) for r in rows)
            table = word.add_table(rows=0, cols=width)
            for r in rows:
                cells = table.add_row().cells
                for i, value in enumerate(r):
                    cells[i].text = value
            rows.clear()

    for kind, text, level in parts:
        if kind == "table_row":
            rows.append(text)
            continue
        flush_table()
        if kind == "heading":
            word.add_heading(text, level=level)
        elif kind == "list_item":
            word.add_paragraph(text, style="List Bullet" if level <= 1 else "List Bullet 2")
        else:
            word.add_paragraph(text)
    flush_table()
    word.save(path)


def render_html(parts: list[tuple], path: Path) -> None:
    out = ["<!DOCTYPE html>", "<html><head><meta charset='utf-8'><title>Paper</title></head><body><main>"]
    open_lists = 0
    in_table = False
    for kind, text, level in parts:
        if kind != "list_item":
            out.append("</li></ul>" * open_lists)
            open_lists = 0
        if kind != "table_row" and in_table:
            out.append("</table>")
            in_table = False
        if kind == "table_row":
            if not in_table:
                out.append("<table>")
                in_table = True
            out.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in text) + "</tr>")
        elif kind == "heading":
            out.append(f"<h{level}>{html.escape(text)}</h{level}>")
        elif kind == "list_item":
            if level > open_lists:
                out.append("<ul><li>" * (level - open_lists))
                open_lists = level
            else:
                out.append("</li></ul>" * (open_lists - level) + "</li><li>")
                open_lists = level
            out.append(html.escape(text))
        else:
            out.append(f"<p>{html.escape(text)}</p>")
    out.append("</li></ul>" * open_lists)
    if in_table:
        out.append("</table>")
    out.append("</main></body></html>")
    path.write_text("\n".join(out), encoding="utf-8")


def render_pdf(parts: list[tuple], path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=18)
    pdf.set_margins(20, 18, 20)
    unicode_font = (FONT_DIR / "DejaVuSans.ttf").exists() and (FONT_DIR / "DejaVuSans-Bold.ttf").exists()
    if unicode_font:
        pdf.add_font("Body", "", str(FONT_DIR / "DejaVuSans.ttf"))
        pdf.add_font("Body", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        family = "Body"
    else:
        family = "Helvetica"

    def safe(text: str) -> str:
        if unicode_font:
            return text
        text = text.replace("•", "-").replace("–", "-").replace("—", "-").replace("’", "'").replace("‘", "'")
        return text.replace("“", '"').replace("”", '"').encode("latin-1", "replace").decode("latin-1")

    pdf.add_page()
    table_rows: list[list[str]] = []

    def flush_table():
        if table_rows:
            pdf.set_font(family, "", 9)
            with pdf.table(first_row_as_headings=False) as table:
                for r in table_rows:
                    row = table.row()
                    for value in r:
                        row.cell(safe(value))
            pdf.ln(4)
            table_rows.clear()

    for i, (kind, text, level) in enumerate(parts):
        if kind == "table_row":
            table_rows.append(text)
            continue
        flush_table()
        if kind == "heading":
            pdf.set_font(family, "B", 13 if level <= 1 else 11)
            pdf.multi_cell(0, 7, safe(text), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
        elif kind == "list_item":
            pdf.set_font(family, "", 10)
            indent = 6 * level
            pdf.set_x(pdf.l_margin + indent)
            pdf.multi_cell(pdf.w - pdf.r_margin - pdf.l_margin - indent, 5, safe("•  " + text),
                           new_x="LMARGIN", new_y="NEXT")
            # Items of a list sit close together; the list ends with a paragraph's space.
            pdf.ln(1.5 if i + 1 < len(parts) and parts[i + 1][0] == "list_item" else 4)
        else:
            pdf.set_font(family, "", 10)
            pdf.multi_cell(0, 5, safe(text), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(4)
    flush_table()
    pdf.output(str(path))


RENDER = {"docx": render_docx, "html": render_html, "pdf": render_pdf}


# ---------------------------------------------------------------- the test

# Known loader faults, each a strict xfail so that the fix shows up as a failure to remove it here.
KNOWN_LOADER_FAULTS: dict[tuple[str, str], str] = {}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("seed", SEED_DOCS, ids=[p.name[:3] for p in SEED_DOCS])
def test_seed_rendered_in_another_format_has_the_same_structure(seed, fmt, tmp_path, request):
    fault = KNOWN_LOADER_FAULTS.get((seed.name[:3], fmt))
    if fault:
        request.applymarker(pytest.mark.xfail(reason=fault, strict=True))
    text_doc = load(seed)
    text_blocks = structure(text_doc)
    expected = signature(text_doc, text_blocks)
    rendered = tmp_path / f"{seed.stem}.{fmt}"
    RENDER[fmt](parts_of(text_doc, text_blocks), rendered)

    doc = load(rendered)
    assert doc.format == fmt
    blocks = structure(doc)
    got = signature(doc, blocks)
    for key in expected:
        assert got[key] == expected[key], f"{seed.name} as {fmt}: {key} differ"

    # The document record reads the same from every format.
    def meta(d, b):
        record = next(iter(document_meta.extract(ExtractionContext(d, b))))
        return {f: getattr(record, f) for f in ("council", "committee", "doc_type", "meeting_date", "title")}

    assert meta(doc, blocks) == meta(text_doc, text_blocks)
