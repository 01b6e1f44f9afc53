"""Properties of the text, HTML and DOCX loaders for any input: only ``LoadError`` escapes, the text
is clean, and every table row and cell lies inside the text."""
from __future__ import annotations

import io
import re
import unicodedata

import docx
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from extractor.document import Document
from extractor.errors import LoadError
from extractor.loaders import load_bytes
from extractor.loaders.html import load_html
from extractor.loaders.text import load_text

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SCRIPT_MARK = "SCRIPTMARK"


def check_document(doc: Document) -> None:
    assert isinstance(doc.text, str) and doc.text.strip()
    bad = [c for c in doc.text if c not in "\n\t" and unicodedata.category(c) == "Cc"]
    assert not bad, f"control characters in the text: {bad[:5]!r}"
    previous_end = -1
    for row in doc.table_rows:
        assert 0 <= row.start <= row.end <= len(doc.text)
        assert row.start > previous_end, "rows overlap or are out of order"
        previous_end = row.end
        assert "\n" not in doc.text[row.start:row.end]
        last = row.start
        for start, end in row.cells:
            assert row.start <= start <= end <= row.end
            assert start >= last, "cells out of order"
            last = end
            assert "\t" not in doc.text[start:end] and "\n" not in doc.text[start:end]
    for page in doc.pages:
        assert 0 <= page.start <= page.end <= len(doc.text)


def load_or_refuse(loader, *args) -> Document | None:
    try:
        doc = loader(*args)
    except LoadError as exc:
        assert str(exc).startswith(f"{args[0]}: ")
        return None
    check_document(doc)
    return doc


# ------------------------------------------------------------------ text

MARKDOWN_PIECES = st.sampled_from([
    "**", "__", "*", "_", "<sup>", "</sup>", "<u>", "</u>", "<br>", "<p>", "</p>", "<b>", "<span class='x'>",
    "# ", "#### ", "- 1.4 ", "- ", "\t", "\t\t", "\n", "\n\n", "\r\n", "\r", "[link](https://x.org/a)",
    "![img](i.png)", "<https://a.b/c>", "&amp;", "&#0;", "&#x85;", "&#9;", "&bogus;", "\\-", "\\*",
    "\x00", "\x0c", "\u2028", "\ufeff", "\u00a0", "£", "–", "’", "Babcock Prime", "42%", " ",
])
MARKDOWN = st.lists(st.one_of(MARKDOWN_PIECES, st.text(max_size=8)), max_size=50).map("".join)
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252", "latin-1"])


@SETTINGS
@given(MARKDOWN, ENCODINGS)
def test_text_loader_on_markdown_in_any_encoding(text, encoding):
    data = text.encode(encoding, errors="replace")
    load_or_refuse(load_text, "paper.md", data, "id", "md")


@SETTINGS
@given(st.binary(max_size=3000))
def test_text_loader_on_any_bytes(data):
    load_or_refuse(load_text, "paper.txt", data, "id")


@SETTINGS
@given(st.binary(max_size=3000), st.sampled_from(["", ".txt", ".md", ".html", ".docx", ".doc", ".png"]))
def test_sniff_and_load_any_bytes(data, suffix):
    assume(b"%PDF-" not in data[:1024])  # the PDF loader has its own tests
    load_or_refuse(load_bytes, f"input{suffix}", data, suffix)


@SETTINGS
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"),
                                               blacklist_characters="\ufeff\u200b\ufffe\uffff"),  # dropped
                        min_size=1, max_size=12)
                .filter(lambda s: s.strip() == s and "\t" not in s and s), min_size=2, max_size=4),
       st.integers(min_value=2, max_value=5))
def test_tab_tables_keep_their_cells(cells, n_rows):
    cells = [re.sub(r"[*_<>&\\\[\]!#`]", "x", c) for c in cells]
    assume(all(c.strip() for c in cells))
    text = "Before the table.\n\n" + "\n".join("\t".join(cells) for _ in range(n_rows)) + "\n\nAfter."
    doc = load_or_refuse(load_text, "t.txt", text.encode(), "id")
    assert doc is not None and len(doc.table_rows) == n_rows
    for row in doc.table_rows:
        assert [doc.text[s:e] for s, e in row.cells] == [c.replace("\u00a0", " ").strip() for c in cells]


# ------------------------------------------------------------------ HTML

WORDS = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="<>&"), max_size=15)
INLINE = st.one_of(
    WORDS,
    WORDS.map(lambda w: f"<b>{w}</b>"),
    WORDS.map(lambda w: f'<span class="mgLabel">{w}: </span>'),
    st.just("<br>"), st.just("&nbsp;"), st.just("&amp;"), st.just("&#0;"), st.just("&#1;"), st.just("&#x85;"),
    st.just("&#xfeff;"), st.just("&#x2028;"), st.just(" pdf icon PDF 107 KB "),
    st.just(f"<script>document.write('{SCRIPT_MARK}')</script>"),
    st.just(f"<style>.{SCRIPT_MARK} {{}}</style>"),
)


def blocks(children):
    joined = st.lists(children, max_size=4).map("".join)
    return st.one_of(
        joined.map(lambda s: f"<p>{s}</p>"),
        joined.map(lambda s: f"<div class='mgContent'>{s}</div>"),
        joined.map(lambda s: f"<h2 class='mgSubTitleTxt'>{s}</h2>"),
        st.lists(joined, max_size=4).map(lambda items: "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"),
        st.lists(joined, max_size=4).map(lambda items: "<ol>" + "".join(f"<li>{i}</li>" for i in items) + "</ol>"),
        st.lists(st.lists(joined, min_size=1, max_size=3), max_size=4).map(
            lambda rows: "<table>" + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
            + "</table>"),
        joined.map(lambda s: f"<nav>{s}</nav>"),
        joined.map(lambda s: f"<form>{s}<input name=q></form>"),
    )


HTML_BODY = st.recursive(st.lists(INLINE, max_size=3).map("".join), blocks, max_leaves=25)
WRAPPERS = st.sampled_from(["{}", "<html><body>{}</body></html>", "<div id='modgov'>{}</div>",
                            "<?xml version='1.0'?><!DOCTYPE html [<!ENTITY x 'X'>]><html><body>{}</body></html>",
                            "<html><body><main>{}</main></body></html>", "<table><tr><td>{}</td></tr></table>"])


@SETTINGS
@given(HTML_BODY, WRAPPERS)
def test_html_loader_on_generated_pages(body, wrapper):
    markup = wrapper.format(body)
    doc = load_or_refuse(load_html, "page.html", markup.encode("utf-8"), "id")
    if doc is not None:
        assert SCRIPT_MARK not in doc.text
        assert "PDF 107 KB" not in doc.text


@SETTINGS
@given(st.binary(max_size=2000).map(lambda b: b"<html><body><p>" + b))
def test_html_loader_on_garbage_after_markup(data):
    load_or_refuse(load_html, "page.html", data, "id")


# ------------------------------------------------------------------ DOCX

PARA = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\ufffe\uffff"),
               min_size=1, max_size=30).filter(lambda s: s.strip())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(PARA.map(lambda p: ("p", p)), PARA.map(lambda p: ("li", p)),
                          st.lists(st.lists(PARA, min_size=1, max_size=3), min_size=1, max_size=3).map(lambda t: ("t", t))),
                min_size=1, max_size=8))
def test_docx_loader_keeps_every_paragraph_and_cell(parts):
    d = docx.Document()
    for kind, value in parts:
        if kind == "p":
            d.add_paragraph(value)
        elif kind == "li":
            d.add_paragraph(value, style="List Number")
        else:
            width = max(len(r) for r in value)
            table = d.add_table(rows=len(value), cols=width)
            for i, row in enumerate(value):
                for j, cell in enumerate(row):
                    table.cell(i, j).text = cell
    buffer = io.BytesIO()
    d.save(buffer)
    doc = load_or_refuse(load_bytes, "gen.docx", buffer.getvalue(), ".docx")
    assert doc is not None
    flat = " ".join(doc.text.split())
    for kind, value in parts:
        pieces = [value] if kind != "t" else [c for row in value for c in row]
        for piece in pieces:
            assert " ".join(piece.split()) in flat
