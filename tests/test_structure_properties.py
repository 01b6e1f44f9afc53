"""Properties of ``structure`` that hold for any text: it never raises and its blocks are sound."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor.document import Document, Page, TableRow
from extractor.structure import structure

# Text built from the pieces that steer the structure stage (numbers, bullets,
# headings, blank lines), mixed with arbitrary characters.
PIECES = st.sampled_from([
    "\n", "\n\n", "  ", "\t", "1.", "1.31 ", "5.2.1 ", "- 1.4 ", "242.", "242", "3 ", "(a) ", "a) ", "i. ",
    "• ", "· ", "- ", "* ", "o ", "", "# ", "### ", "A. ", "B1: ", "That ", "The services were:",
    "Apologies for absence", "DECLARATIONS OF INTEREST", "(Agenda item 3)", "RESOLVED:", "Minutes:",
    "Progress Report", "the council", ".", ":", "5th January 2017", "Page 2", "pdf icon PDF 107 KB",
    "23/19 ", "## 1. ", "(b)\n", "0.021 ", "5.2 Resources (Finance, IT,\nProperty)\n", "Is Key decision?: No",
    "(Item 1)", "AGENDA\n", "    ", "\u00a0\u00a0", "e) ", " - a. ",
])
TEXT = st.lists(st.one_of(PIECES, st.text(max_size=12)), max_size=60).map("".join)


def check_blocks(doc: Document) -> None:
    blocks = structure(doc)
    n = len(doc.text)
    previous_end = 0
    for i, block in enumerate(blocks):
        assert 0 <= block.start <= block.end <= n
        assert block.start >= previous_end, f"block {i} overlaps or is out of order"
        previous_end = block.end
        assert block.kind in ("heading", "paragraph", "list_item", "table_row", "agenda_item")
        if block.lead_in is not None:
            assert 0 <= block.lead_in < i
        if block.heading is not None:
            assert 0 <= block.heading < i
        if block.title is not None:
            assert block.start <= block.title[0] <= block.title[1] <= block.end
        assert block.text(doc) == doc.text[block.start:block.end]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_any_text_gives_sound_blocks(text):
    check_blocks(Document(path="x.txt", format="txt", text=text, doc_id="0" * 16))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT, st.integers(min_value=1, max_value=4), st.data())
def test_pages_and_table_rows_keep_blocks_sound(text, n_pages, data):
    """With a page map and table rows laid over arbitrary lines, blocks stay in order and in range."""
    n = len(text)
    cuts = sorted(data.draw(st.lists(st.integers(0, n), min_size=n_pages - 1, max_size=n_pages - 1)))
    bounds = [0, *cuts, n]
    pages = [Page(i + 1, bounds[i], bounds[i + 1]) for i in range(len(bounds) - 1)]
    line_starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    rows = []
    for start in sorted(set(data.draw(st.lists(st.sampled_from(line_starts), max_size=4)))):
        end = text.find("\n", start)
        end = n if end == -1 else end
        if rows and start < rows[-1].end:
            continue
        rows.append(TableRow(start=start, end=end, cells=[(start, end)], table=0))
    doc = Document(path="x.pdf", format="pdf", text=text, doc_id="0" * 16, pages=pages, table_rows=rows,
                   page_count=len(pages))
    check_blocks(doc)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT, st.sampled_from(["x.txt", "papers/barnet/2017/x.pdf", "kent_cc_cabinet.md"]))
def test_document_and_item_records_from_any_text(text, path):
    """The document and item extractors never raise, and what they cite is the text itself."""
    from extractor.extract import ExtractionContext, document_meta, items

    doc = Document(path=path, format="txt", text=text, doc_id="0" * 16)
    ctx = ExtractionContext(doc, structure(doc))
    records = list(document_meta.extract(ctx))
    ctx.records.extend(records)
    assert len(records) == 1 and records[0].doc_type in ("minutes", "report", "agenda", "other")
    for item in items.extract(ctx):
        assert item.number and item.title
        assert text[item.source.start:item.source.end] == item.source.quote
