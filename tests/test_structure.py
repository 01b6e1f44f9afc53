"""The structure stage on the seed papers and on small texts made here."""
from __future__ import annotations

import re

import pytest

from extractor.document import Document, TableRow
from extractor.loaders import load
from extractor.structure import Block, agenda_like, heading_like, lead_in_sentence, structure

from .conftest import CORPUS

WORCS_PAGE = CORPUS / "docs" / "000_6e1ffd579328bb41.txt"
WORCS_MINUTES = CORPUS / "docs" / "001_2dd5b97b3a0b3aa9.txt"
BARNET = CORPUS / "docs" / "002_16938f72451128da.txt"
STAFFS = CORPUS / "docs" / "003_54a5e4cb574ebcb8.txt"
BIRMINGHAM = CORPUS / "docs" / "004_eeda97810f3c2eb4.txt"

TRANSFERRED_LEAD_IN = "The services transferred to Babcock Prime from the Council were:"


def blocks_of(path):
    doc = load(path)
    return doc, structure(doc)


def text(doc: Document, block: Block) -> str:
    return doc.text[block.start:block.end].strip()


def item_text(doc: Document, block: Block) -> str:
    """A list item's words without its bullet or number."""
    return re.sub(r"^(?:(?:[-*•·▪]|\(?[a-z0-9]{1,3}[.)])\s+)+", "", text(doc, block)).strip()


def test_barnet_numbered_paragraphs_have_their_numbers():
    doc, blocks = blocks_of(BARNET)
    numbers = [b.number for b in blocks if b.kind in ("paragraph", "heading") and b.number and "." in b.number]
    expected = [f"1.{i}" for i in range(1, 33)]
    assert [n for n in numbers if n.startswith("1.")] == expected
    assert {"2.1", "4.1", "5.1.1", "5.2.1", "5.3.1", "5.4.1", "5.5.1", "5.5.4"} <= set(numbers)
    para = next(b for b in blocks if b.number == "1.31")
    assert text(doc, para).startswith("1.31 The rate of completions")
    assert para.section == "1.31"


def test_wrapped_paragraph_is_one_block_across_a_page_break():
    """Barnet 1.5 goes on after a blank line in lower case: the block covers both parts."""
    doc, blocks = blocks_of(BARNET)
    para = next(b for b in blocks if b.number == "1.5")
    assert "There was" in text(doc, para) and text(doc, para).endswith("have been put in place.")


def test_numbered_headings_and_lettered_sections():
    doc, blocks = blocks_of(BARNET)
    headings = {b.number: text(doc, b) for b in blocks if b.kind == "heading" and b.number}
    assert headings["1"] == "1. WHY THIS REPORT IS NEEDED"
    assert headings["A"] == "A. Progress since commencement of contract"
    assert headings["B1"] == "B1: Organisational structure"
    # The paragraph under heading 3 belongs to section 3.
    after_3 = blocks[[b.number for b in blocks].index("3") + 1]
    assert after_3.kind == "paragraph" and after_3.section == "3"


def test_list_items_under_a_numbered_paragraph_take_its_section_and_lead_in():
    doc, blocks = blocks_of(BARNET)
    months = [b for b in blocks if b.kind == "list_item" and b.section == "1.31"]
    assert [item_text(doc, b) for b in months] == ["July 32%", "August 63%", "September 78%", "October 88%",
                                                   "November 94%"]
    lead = blocks[months[0].lead_in]
    assert lead.number == "1.31"


def test_nested_lettered_list_keeps_the_outer_lead_in_chain():
    doc, blocks = blocks_of(BARNET)
    risk = next(b for b in blocks if b.kind == "list_item" and item_text(doc, b) == "Risk Management")
    assert risk.level == 2
    parent = blocks[risk.lead_in]
    assert parent.kind == "list_item" and parent.number == "e" and parent.level == 1
    assert blocks[parent.lead_in].number == "5.3.1"


@pytest.mark.parametrize("path", [WORCS_PAGE, WORCS_MINUTES], ids=["000", "001"])
def test_worcestershire_transferred_services_have_their_lead_in(path):
    doc, blocks = blocks_of(path)
    items = [i for i, b in enumerate(blocks) if b.kind == "list_item"
             and blocks[b.lead_in].kind != "list_item"
             and text(doc, blocks[b.lead_in]).endswith(TRANSFERRED_LEAD_IN)]
    names = [item_text(doc, blocks[i]) for i in items]
    assert len(names) == 13
    assert names[0] == "School Admissions" and names[-1] == "Workforce Development"
    assert "The Virtual School (not the Headteacher role)" in names
    start, end = lead_in_sentence(doc, blocks, items[0])
    assert doc.text[start:end] == TRANSFERRED_LEAD_IN


def test_worcestershire_nested_monitoring_tools_hang_off_their_bullet():
    doc, blocks = blocks_of(WORCS_PAGE)
    nested = [b for b in blocks if b.kind == "list_item" and b.level == 2]
    assert [item_text(doc, b) for b in nested][:3] == [
        "Reporting and contract monitoring tools", "Issues log and Early Warning Register", "Data management protocols"]
    parent = blocks[nested[0].lead_in]
    assert text(doc, parent).endswith("to ensure robust contract monitoring:")
    assert blocks[parent.lead_in].kind == "paragraph"


def test_worcestershire_minutes_agenda_items_and_sections():
    doc, blocks = blocks_of(WORCS_MINUTES)
    items = [b for b in blocks if b.kind == "agenda_item"]
    assert [b.number for b in items] == [str(n) for n in range(238, 245)]
    by_number = {b.number: b for b in items}
    title = by_number["242"].title
    assert doc.text[title[0]:title[1]].startswith("Monitoring the Effectiveness of the Learning and Achievement")
    # Everything between item 242 and 243 belongs to section 242, the services list included.
    i242, i243 = blocks.index(by_number["242"]), blocks.index(by_number["243"])
    assert {b.section for b in blocks[i242:i243]} == {"242"}
    assert any(item_text(doc, b) == "School Admissions" for b in blocks[i242:i243])
    assert all(b.section == "244" for b in blocks[blocks.index(by_number["244"]):])


def test_report_is_not_read_as_an_agenda():
    for path in (BARNET, STAFFS, BIRMINGHAM):
        doc, blocks = blocks_of(path)
        assert not agenda_like(doc)
        assert not [b for b in blocks if b.kind == "agenda_item"]


def test_markdown_headings_and_recommendation_list():
    doc, blocks = blocks_of(STAFFS)
    headings = [(b.level, text(doc, b)) for b in blocks if b.kind == "heading"]
    assert (4, "#### Recommendations") in headings
    recs = [b for b in blocks if b.kind == "list_item" and b.number in ("1", "2")]
    assert [b.number for b in recs] == ["1", "2"]
    assert item_text(doc, recs[0]).startswith("That the Select Committee note the progress")
    assert text(doc, blocks[recs[0].lead_in]) == "#### Recommendations"


def test_table_rows_from_the_loader_become_table_row_blocks():
    text_ = "Contracts\n\nService\tSupplier\tValue\nLibrary Provision\tBirmingham City Council\t£230,000\n\nAfter the table.\n"
    header_start = text_.index("Service")
    row_start = text_.index("Library")

    def row(start, header=False):
        end = text_.index("\n", start)
        cells, pos = [], start
        for cell in text_[start:end].split("\t"):
            cells.append((pos, pos + len(cell)))
            pos += len(cell) + 1
        return TableRow(start=start, end=end, cells=cells, table=0, header=header)

    doc = Document(path="t.txt", format="txt", text=text_, doc_id="0" * 16,
                   table_rows=[row(header_start, True), row(row_start)])
    blocks = structure(doc)
    rows = [b for b in blocks if b.kind == "table_row"]
    assert len(rows) == 2
    assert [text_[s:e] for s, e in rows[1].cells] == ["Library Provision", "Birmingham City Council", "£230,000"]
    assert [b.kind for b in blocks] == ["heading", "table_row", "table_row", "paragraph"]


def test_seed_table_rows_become_blocks():
    doc, blocks = blocks_of(STAFFS)
    if not doc.table_rows:
        pytest.skip("the text loader found no tab-separated table in the Staffordshire seed")
    rows = [b for b in blocks if b.kind == "table_row"]
    assert len(rows) == len(doc.table_rows)
    assert any(text(doc, b).startswith("Grand Total") for b in rows)


@pytest.mark.parametrize("source, kinds", [
    # PDF-style wrapped lines: one paragraph, then a heading, then a numbered paragraph.
    ("The council agreed the plan and the\ncontract was signed in May.\n\nProgress Report\n\n2.1 The work began.\n",
     [("paragraph", None), ("heading", None), ("paragraph", "2.1")]),
    # A bullet glyph alone on its line, its text on the next (pdftotext's raw order).
    ("The services were:\n•\nSchool Admissions\n•\nExclusions\n",
     [("paragraph", None), ("list_item", None), ("list_item", None)]),
    # Enumerations (a), (b) after a lead-in.
    ("The Committee is asked to:\n(a) note the report;\n(b) agree the plan.\n",
     [("paragraph", None), ("list_item", "a"), ("list_item", "b")]),
    # An agenda pack: numbered items with furniture.
    ("AGENDA\n\n1 Apologies for absence\n\n2 Declarations of interest\n\n3 Minutes of the last meeting  5\n",
     [("heading", None), ("agenda_item", "1"), ("agenda_item", "2"), ("agenda_item", "3")]),
    # Minutes: the number on its own line, the title below, a cross-reference after it.
    ("PRESENT: Councillor Smith\n\n4\n\nANNUAL GOVERNANCE REPORT (Agenda item 5)\nRESOLVED: That the report be noted.\n",
     [("paragraph", None), ("agenda_item", "4"), ("paragraph", None)]),
    # Markdown minutes whose items are set as headings.
    ("# Minutes\n\nPRESENT: Councillor A Smith\n\n## 1. Apologies\n\nNone.\n\n## 2. **Budget Monitoring**\n\nNoted.\n",
     [("heading", None), ("paragraph", None), ("agenda_item", "1"), ("paragraph", None), ("agenda_item", "2"),
      ("paragraph", None)]),
    # Items labelled "Item N:"; a pack's bare "Agenda Item 7" stamp is no item.
    ("MINUTES\n\nItem 1: Apologies for absence\n\nNone.\n\nITEM 2 – DECLARATIONS OF INTEREST\n\nNone.\n\n"
     "Agenda Item 7\n\nThe report was noted.\n",
     [("heading", None), ("agenda_item", "1"), ("paragraph", None), ("agenda_item", "2"), ("paragraph", None),
      ("heading", None), ("paragraph", None)]),
    # PDF text that lost the space after a paragraph number.
    ("2.9. In our view the case is made.\n\n2.10.Many witnesses agreed.\n",
     [("paragraph", "2.9"), ("paragraph", "2.10")]),
    # ModernGov decision labels are not headings.
    ("Appointment of a contractor\n\nIs Key decision?: No\n\nDecision:\n\nThe contract was awarded.\n",
     [("heading", None), ("paragraph", None), ("paragraph", None), ("paragraph", None)]),
    # A date line is not an agenda item, and "85 schools" is not a numbered paragraph.
    ("22 October 2009\n\nIn July 85\nschools were supported.\n", [("heading", None), ("paragraph", None)]),
])
def test_small_texts(source, kinds):
    doc = Document(path="x.txt", format="txt", text=source, doc_id="0" * 16)
    blocks = structure(doc)
    assert [(b.kind, b.number) for b in blocks] == kinds


def test_agenda_item_title_span_excludes_the_number():
    source = "AGENDA\n\n242.\n\nMonitoring the Effectiveness of Services pdf icon PDF 107 KB\n\nMinutes:\n\nNone.\n"
    doc = Document(path="x.txt", format="txt", text=source, doc_id="0" * 16)
    item = next(b for b in structure(doc) if b.kind == "agenda_item")
    assert item.number == "242"
    assert source[item.title[0]:item.title[1]].startswith("Monitoring the Effectiveness of Services")


def _paged(pages_text: list[str]) -> Document:
    """A PDF-like document whose pages hold these texts."""
    from extractor.document import Page
    text_, pages, pos = "", [], 0
    for n, chunk in enumerate(pages_text, 1):
        pages.append(Page(n, pos, pos + len(chunk)))
        text_ += chunk
        pos += len(chunk)
    return Document(path="x.pdf", format="pdf", text=text_, doc_id="0" * 16, pages=pages, page_count=len(pages))


def test_page_numbers_and_running_headers_are_left_out():
    doc = _paged(["AUDIT COMMITTEE\nThe first page talks about the audit.\n1\n",
                  "AUDIT COMMITTEE\nThe second page goes on about the audit.\n2\n",
                  "AUDIT COMMITTEE\nThe third page ends the audit.\n3\n"])
    blocks = structure(doc)
    texts = [text(doc, b) for b in blocks]
    assert texts.count("AUDIT COMMITTEE") == 1  # the first is the title; the repeats are furniture
    assert not any(t in ("1", "2", "3") for t in texts)
    assert [b.page for b in blocks if b.kind == "paragraph"] == [1, 2, 3]


def test_a_label_at_pages_edges_is_content_not_furniture():
    """"And Resolved:" closing two pages opens what follows each time: neither it nor what follows is furniture."""
    doc = _paged(["MINUTES\nThe first item was discussed.\nAnd Resolved:\n",
                  "That the minutes be signed.\nThe second item was discussed.\nAnd Resolved:\n",
                  "That the report be noted.\n"])
    texts = [text(doc, b) for b in structure(doc)]
    assert texts.count("And Resolved:") == 2
    assert "That the minutes be signed." in texts and "That the report be noted." in texts


@pytest.mark.parametrize("line, expected", [
    ("Progress since commencement of contract", True),
    ("WHY THIS REPORT IS NEEDED", True),
    ("Agenda and minutes", True),
    ("The council agreed the plan.", False),
    ("Minutes:", False),
    ("None", False),
    ("Venue: County Hall, Worcester", False),
    ("the contract was signed", False),
])
def test_heading_shape(line, expected):
    assert heading_like(line) is expected


def test_agenda_laid_out_as_a_table_gives_agenda_items():
    """A PDF loader may read an agenda's item lines as table rows; they are still agenda items."""
    source = "AGENDA\n\n1.\tApologies for absence\t3\n2.\tAnnual complaints report\t9\n\nThe end of the agenda.\n"
    rows, pos = [], source.index("1.")
    for line in source[pos:].split("\n")[:2]:
        cells, p = [], pos
        for cell in line.split("\t"):
            cells.append((p, p + len(cell)))
            p += len(cell) + 1
        rows.append(TableRow(start=pos, end=pos + len(line), cells=cells, table=0))
        pos += len(line) + 1
    doc = Document(path="x.pdf", format="pdf", text=source, doc_id="0" * 16, table_rows=rows)
    blocks = structure(doc)
    items = [b for b in blocks if b.kind == "agenda_item"]
    assert [(b.number, source[b.title[0]:b.title[1]]) for b in items] == [
        ("1", "Apologies for absence"), ("2", "Annual complaints report")]
    assert items[0].cells == rows[0].cells
    assert blocks[-1].section == "2"


def test_markdown_items_shifted_by_a_space_stay_siblings():
    """Markdown converted from PDF indents some items by one space: same marker, same list."""
    source = "Savings are possible through:\n- Changes to the agreement\n - Re-tendering of services\n - Market-testing\n"
    doc = Document(path="x.md", format="md", text=source, doc_id="0" * 16)
    blocks = structure(doc)
    assert [(b.kind, b.level, b.lead_in) for b in blocks] == [
        ("paragraph", 0, None), ("list_item", 1, 0), ("list_item", 1, 0), ("list_item", 1, 0)]


def test_list_root_walks_up_the_lead_in_chain():
    from extractor.structure import list_root
    doc, blocks = blocks_of(WORCS_PAGE)
    nested = next(i for i, b in enumerate(blocks) if b.kind == "list_item" and b.level == 2)
    root = list_root(blocks, nested)
    assert blocks[root].kind == "paragraph"
    assert text(doc, blocks[root]).endswith("strict and robust governance structure and had:")


def test_minutes_text_blocks_prints_one_line_per_block():
    from click.testing import CliRunner

    from extractor.cli import main

    result = CliRunner().invoke(main, ["text", "--blocks", str(WORCS_MINUTES)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    doc, blocks = blocks_of(WORCS_MINUTES)
    assert len(lines) == len(blocks)
    item = next(line for line in lines if " agenda_item " in line and "n=242 " in line)
    assert "s=242" in item and "Monitoring the Effectiveness" in item


def test_enumeration_with_paragraphs_between_keeps_its_lead_in():
    source = ("Copies of the draft minutes of these meetings were circulated:\n\n(a)\n\nOrdinary Meeting held on 25 May.\n\n"
              "Proposed by Councillor Smith.\n\n(b)\n\nAnnual Meeting held on 26 June.\n")
    doc = Document(path="x.md", format="md", text=source, doc_id="0" * 16)
    blocks = structure(doc)
    items = [b for b in blocks if b.kind == "list_item"]
    assert [(b.number, text(doc, b).split("\n")[-1]) for b in items] == [
        ("a", "Ordinary Meeting held on 25 May."), ("b", "Annual Meeting held on 26 June.")]
    assert items[0].lead_in == items[1].lead_in == 0


def test_paragraphs_numbered_inside_minutes_items_are_not_items():
    source = ("MINUTES of a meeting of the Cabinet held on 30 January 2025.\n\n84. Apologies\n(Item 1)\n\n"
              "Apologies were received.\n\n85. Budget Monitoring Report\n(Item 2)\n\n"
              "1. Mr Penrose proposed, and Mr Tallis seconded the motion that\n\n"
              "2. Following the debate, the Chairman put the motion to the vote.\n\n"
              "4. RESOLVED that Cabinet agree the Commissioning Plan for Education\n\n"
              "86. Treasury Management\n(Item 3)\n")
    doc = Document(path="x.txt", format="txt", text=source, doc_id="0" * 16)
    blocks = structure(doc)
    assert [b.number for b in blocks if b.kind == "agenda_item"] == ["84", "85", "86"]
    # Their numbers restart in every item, so the item stays their section.
    assert [b.section for b in blocks if b.number in ("1", "2", "4")] == ["85", "85", "85"]
    assert {b.kind for b in blocks if b.number in ("1", "2", "4")} == {"paragraph"}


def test_quantities_are_not_paragraph_numbers():
    source = "The disposal of land was agreed.\n\n0.021 Ha. at Carrigatogher was sold.\n\n1.05 million people live there.\n"
    doc = Document(path="x.txt", format="txt", text=source, doc_id="0" * 16)
    assert [b.number for b in structure(doc)] == [None, None, None]


def test_merton_pdf_agenda_items_and_enclosed_minutes():
    """The Merton pack: agenda items 1–8, then the enclosed minutes' items 1–7 (read from ../shared)."""
    from .conftest import shared_path

    doc, blocks = blocks_of(shared_path("corpus", "docs", "merton_audit_committee_agenda_2009-10-22.pdf"))
    numbers = [b.number for b in blocks if b.kind == "agenda_item"]
    assert numbers == [str(n) for n in range(1, 9)] + [str(n) for n in range(1, 8)]
    titles = [re.sub(r"\s+", " ", doc.text[b.title[0]:b.title[1]]) for b in blocks if b.kind == "agenda_item"]
    assert titles[3].startswith("Annual complaints report")
    assert titles[-1].startswith("WORK PROGRAMME")


def test_kent_printed_minutes_items_and_their_paragraphs():
    from .conftest import shared_path

    doc, blocks = blocks_of(shared_path("corpus", "extra", "kent_cc_cabinet_minutes_2025-01-30.pdf"))
    assert [b.number for b in blocks if b.kind == "agenda_item"] == [str(n) for n in range(84, 93)]
    # The numbered paragraphs inside an item are sections of their own, not items.
    assert any(b.kind == "paragraph" and b.number == "1" for b in blocks)


def test_one_agenda_like_section_title_does_not_make_a_report_an_agenda():
    report = "Budget Report\n\n1. Introduction\n\nThe council set its budget.\n\n2. Work programme\n\nThe plan is set out.\n"
    agenda = "Cabinet\n\n1. Petitions\n\n2. Work programme\n\n3. Budget\n"
    assert not agenda_like(Document(path="r.txt", format="txt", text=report, doc_id="0" * 16))
    assert agenda_like(Document(path="a.txt", format="txt", text=agenda, doc_id="0" * 16))


def test_lettered_markdown_headings_of_a_meeting_are_items():
    """US-style minutes: lettered items at one heading level (letters may skip), numbered items below them;
    a lone lettered heading at another level (the body's name) is not an item."""
    source = ("## I. Parks and Recreation Committee\n\nChaired by Jo Bloggs\n\n### A. Call to Order\n\n"
              "The meeting began.\n\n### C. Public Comment\n\nNone.\n\n#### 1. Tree Planting Contract\n\n"
              "Member Smith made the motion. Member Jones seconded the motion.\n\n"
              "### F. Adjourn\n\nThe Chair adjourned the meeting at 7:10 p.m.\n")
    doc = Document(path="x.md", format="md", text=source, doc_id="0" * 16)
    blocks = structure(doc)
    items = [(b.number, doc.text[b.title[0]:b.title[1]]) for b in blocks if b.kind == "agenda_item"]
    assert items == [("A", "Call to Order"), ("C", "Public Comment"), ("1", "Tree Planting Contract"),
                     ("F", "Adjourn")]
    assert blocks[0].kind == "heading"


def test_a_table_total_row_is_not_an_agenda_item():
    source = ("MINUTES of a meeting of the Council held on 1 July 2015.\n\nPRESENT: Councillor A Smith\n\n"
              "1. Apologies\n\nNone.\n\n2. Housing Vacancies\n\nThe vacancies by area were:\n\nNorth District\n\n"
              "15 Total\n\n12 Voids\n\nSouth District\n\n9 Total\n\n3. Correspondence\n\nNoted.\n")
    doc = Document(path="x.txt", format="txt", text=source, doc_id="0" * 16)
    assert [b.number for b in structure(doc) if b.kind == "agenda_item"] == ["1", "2", "3"]


def test_paragraph_numbers_without_a_space_are_numbers():
    source = ("Introduction\n\nThe call-in was received on 3 March.\n\n9. The Committee considered the call-in.\n\n10.Following the debate, the Committee "
              "agreed the motion.\n\n11.Comments made in the debate are summarised below.\n")
    doc = Document(path="x.txt", format="txt", text=source, doc_id="0" * 16)
    numbered = [(b.number, b.section) for b in structure(doc) if b.kind == "paragraph" and b.number]
    assert numbered == [("9", "9"), ("10", "10"), ("11", "11")]
