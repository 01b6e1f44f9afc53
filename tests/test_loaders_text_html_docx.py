"""The text/markdown, HTML and DOCX loaders and content sniffing, on the seeds and pages the tests make."""
from __future__ import annotations

import io
import json
import re
import zipfile
from html import escape
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml

from extractor.errors import LoadError
from extractor.loaders import identify, load, load_bytes, sniff
from extractor.loaders.text import decode, table_rows

from .conftest import CORPUS, SEED_DOCS, shared_path

GOLD_QUOTED = {"service": "name", "item": "title", "person": "name", "figure": "text"}


def seed(prefix: str) -> Path:
    return next(p for p in SEED_DOCS if p.name.startswith(prefix))


def gold_strings(doc_path: Path) -> list[tuple[str, str]]:
    """(record type, string) of every gold value the text must still contain after loading."""
    out = []
    for line in (CORPUS / "gold" / f"{doc_path.stem}.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        key = GOLD_QUOTED.get(record["type"])
        if key and record.get(key):
            out.append((record["type"], record[key]))
    return out


def check_rows(doc) -> None:
    for row in doc.table_rows:
        assert 0 <= row.start <= row.end <= len(doc.text)
        assert "\n" not in doc.text[row.start:row.end]
        for start, end in row.cells:
            assert row.start <= start <= end <= row.end
            assert "\t" not in doc.text[start:end]


# ------------------------------------------------------------------ text and markdown

@pytest.mark.parametrize("path", SEED_DOCS, ids=lambda p: p.name[:3])
def test_gold_strings_survive_loading(path: Path):
    doc = load(path)
    missing = [(kind, s) for kind, s in gold_strings(path) if s not in doc.text]
    assert not missing, f"gold strings lost by the loader: {missing[:5]}"
    check_rows(doc)


def test_markdown_from_pdf_reads_cleanly():
    doc = load(seed("003"))
    assert "**" not in doc.text and "<sup>" not in doc.text and "<u>" not in doc.text
    assert "held on 24th January 2014" in doc.text
    assert "Economic Prosperity – Entrust" in doc.text
    # '#' heading markers are kept for the structure stage.
    assert doc.text.startswith("# Prosperous Staffordshire Select Committee – 5th September 2014\n")
    rows = [doc.text[r.start:r.end] for r in doc.table_rows]
    assert rows[0] == "1 - Excellent Education\t1064" and rows[-1] == "Grand Total\t1524"
    first = doc.table_rows[0]
    assert [doc.text[s:e] for s, e in first.cells] == ["1 - Excellent Education", "1064"]


def test_barnet_header_table_and_paragraph_numbers():
    doc = load(seed("002"))
    assert len(doc.table_rows) == 8 and {r.table for r in doc.table_rows} == {0}
    cells = [[doc.text[s:e] for s, e in r.cells] for r in doc.table_rows]
    assert cells[0] == ["Title", "Progress report on the Barnet with Cambridge Education partnership"]
    contact = cells[-1][1]
    assert "<p>" not in contact and contact.startswith("Chris Munday, Commissioning Director")
    assert "0208 359 2858 Caroline Woolf" in contact
    assert "- 1.1 In April 2016" in doc.text  # "- 1.4" paragraph numbers stay as text
    assert "- 1.11 Catering: Cambridge Education" in doc.text
    assert "<https://" not in doc.text and "https://barnet.moderngov.co.uk/ieListDocuments" in doc.text
    assert "*Education and Skills" not in doc.text


def test_table_rows_need_two_consecutive_tab_lines():
    text = "Intro\ta single tabbed line\n\nA\tB\nC\tD\n\nE\tF\nG\t\tH\n"
    rows = table_rows(text)
    assert [r.table for r in rows] == [0, 0, 1, 1]
    assert [text[s:e] for s, e in rows[3].cells] == ["G", "", "H"]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252", "utf-32"])
def test_encodings(encoding):
    text = "Budget £10.8m – “savings” of 5% agreed; café’s contract\n" * 20
    data = text.encode(encoding)
    doc = load_bytes("paper.txt", data, ".txt")
    assert "£10.8m – “savings”" in doc.text and "café’s" in doc.text


def test_latin1_and_damaged_utf8_never_raise():
    assert "£5" in decode("Cost £5 paid".encode("latin-1") * 50)
    damaged = ("Provider: Babcock – school services. " * 200).encode() + b"\xff" + b" end"
    text = decode(damaged)
    assert "Babcock – school" in text and text.endswith(" end")


def test_nuls_and_control_characters_are_removed():
    data = b"Minutes of the meeting\x00\x00\x00 held\x07 on\x0c 5 May\r\nItem 1\x1b\x7f"
    doc = load_bytes("nul.txt", data, ".txt")
    assert doc.text == "Minutes of the meeting held on\n 5 May\nItem 1"


def test_text_offsets_index_the_printed_text(tmp_path):
    path = tmp_path / "t.md"
    path.write_text("# **Title**\n\nCell A\t<b>1</b>\nCell B\t2\n", encoding="utf-8")
    doc = load(path)
    assert doc.format == "md"
    assert doc.text.startswith("# Title\n")
    assert [doc.text[s:e] for r in doc.table_rows for s, e in r.cells] == ["Cell A", "1", "Cell B", "2"]


# ------------------------------------------------------------------ HTML

MODERNGOV_PAGE = """<!DOCTYPE html>
<html><head><title>Agenda for Children and Families Overview and Scrutiny Panel on Wednesday, 11th May, 2016, 10.00 am</title>
<style>.mgLabel {{ font-weight: bold }} body {{ color: red }}</style>
<script>var tracker = 'TRACKING-CODE'; document.write('KPI 3 was 99%');</script></head>
<body>
<header><a href="/">Skip to main content</a><div class="logo">Worcestershire County Council</div></header>
<nav id="globalnav"><ul><li><a href="/">Home</a></li><li><a href="/news">News and events</a></li></ul></nav>
<form id="search" action="/search"><label>Search site</label><input name="q"><button>Go</button></form>
<div id="modgov">
<div class="mgHeader"><h1 class="mgMainTitleTxt">Decision details</h1></div>
<div class="mgSubTitle"><h2 class="mgSubTitleTxt">Monitoring Babcock Prime</h2></div>
<div class="mgLinks"><ul class="mgActionList"><li><a href="x">Find out more about this issue</a></li></ul></div>
<div class="mgContent">
<p><span class="mgLabel">Decision Maker: </span>Cabinet Member for Education</p>
<p><span class="mgLabel">Decided at meeting: </span><a href="y">11/05/2016 - Children and Families Overview and Scrutiny Panel</a></p>
<h3 class="mgSubSubTitleTxt">Decision:</h3>
<p>The services transferred to Babcock Prime were:</p>
<ul><li>School Admissions</li><li>Governor <b>Services</b></li></ul>
<ol start="3"><li>Third point</li><li>Fourth point</li></ol>
<p>Line one<br>Line two</p>
<table><thead><tr><th>KPI</th><th>Target</th><th>Actual</th></tr></thead>
<tr><td>Schools good or outstanding</td><td>85%</td><td>78%</td></tr>
<tr><td>Exclusions</td><td></td><td>12</td></tr></table>
<p class="mgLabel">Accompanying Documents:</p>
<ul class="mgBulletList"><li><a href="doc.pdf">Babcock report <span class="mgFileSize"><img alt="pdf icon" src="i.gif"> PDF 107 KB</span></a></li></ul>
<p><a href="z">View the full minutes text for item 242</a></p>
<p>Monitoring the Effectiveness of Services pdf icon PDF 107 KB</p>
<script>alert('SCRIPT-IN-CONTENT')</script><noscript>Enable JavaScript</noscript>
</div>
<div class="mgFooter"><p>Page last updated</p></div>
</div>
<footer><p>Copyright Worcestershire County Council</p><a href="/cookies">Cookies</a></footer>
</body></html>"""


def load_html_string(markup: str, name: str = "page.html"):
    return load_bytes(name, markup.encode("utf-8"), Path(name).suffix)


def test_moderngov_page_main_content_only():
    doc = load_html_string(MODERNGOV_PAGE)
    text = doc.text
    assert doc.format == "html"
    for chrome in ("TRACKING", "99%", "SCRIPT-IN-CONTENT", "font-weight", "Skip to main", "News and events",
                   "Search site", "Copyright", "Cookies", "Find out more", "Page last updated", "PDF 107 KB",
                   "pdf icon", "View the full minutes", "Enable JavaScript"):
        assert chrome not in text, chrome
    lines = text.split("\n")
    assert "Monitoring Babcock Prime" in lines and "Decision:" in lines  # headings on their own lines
    assert "Decision Maker: Cabinet Member for Education" in lines
    assert "• School Admissions\n• Governor Services" in text
    assert "3. Third point\n4. Fourth point" in text
    assert "Line one\nLine two" in text
    assert "• Babcock report" in lines
    assert "Monitoring the Effectiveness of Services" in lines
    assert "\n\nThe services transferred to Babcock Prime were:\n\n" in text  # blank lines between paragraphs


def test_moderngov_table_rows_and_meta():
    doc = load_html_string(MODERNGOV_PAGE)
    check_rows(doc)
    rows = [[doc.text[s:e] for s, e in r.cells] for r in doc.table_rows]
    assert rows == [["KPI", "Target", "Actual"], ["Schools good or outstanding", "85%", "78%"], ["Exclusions", "", "12"]]
    assert doc.table_rows[0].header and not doc.table_rows[1].header
    assert all(r.page is None and r.table == 0 for r in doc.table_rows)
    assert doc.text[doc.table_rows[1].start:doc.table_rows[1].end] == "Schools good or outstanding\t85%\t78%"
    meta = doc.meta
    assert meta["html_title"].startswith("Agenda for Children and Families Overview and Scrutiny Panel on")
    assert meta["decision_maker"] == "Cabinet Member for Education"
    assert meta["title"] == "Monitoring Babcock Prime"
    assert meta["committee"] == "Children and Families Overview and Scrutiny Panel"
    assert meta["meeting_date"] == "11/05/2016"  # the decision's own meeting wins over the page title


def moderngov_minutes_from_seed(path: Path) -> str:
    """Seed 001 (text saved from a ModernGov 'Agenda and minutes' page) put back into that page's markup."""
    text = path.read_text(encoding="utf-8")
    preamble, _, minutes = text.partition("Items\nNo. Item\n")
    labels = "".join(f'<p><span class="mgLabel">{escape(label)}: </span>{escape(value)}</p>'
                     for label, value in re.findall(r"^(Venue|Contact): (.+)$", preamble, re.MULTILINE))
    items = re.split(r"\n(?=\d{3}\.\n)", minutes)
    rows = []
    for chunk in filter(str.strip, items):
        number, _, body = chunk.strip().partition("\n")
        paragraphs = [p.strip() for p in body.split("\n\n") if p.strip()]
        title, rest = paragraphs[0], paragraphs[1:]
        size = re.search(r" pdf icon (PDF \d+ KB)$", title)
        title_html = escape(title[:size.start()] if size else title) + (
            f' <span class="mgFileSize"><img alt="pdf icon" src="x.gif"> {size.group(1)}</span>' if size else "")
        body_html = "".join(f"<p>{escape(p)}</p>" for p in rest)
        rows.append(f'<tr><td class="mgItemNumberCell"><p>{escape(number)}</p></td><td><p class="mgAiTitleTxt">'
                    f'<a href="#">{title_html}</a></p>{body_html}'
                    f'<p><a href="#">View the full minutes text for item {number.rstrip(".")}</a></p></td></tr>')
    return ('<html><head><title>Agenda and minutes</title></head><body><div id="modgov">'
            '<h1 class="mgMainTitleTxt">Agenda and minutes</h1>' + labels + '<table class="mgItemTable">'
            + "".join(rows) + "</table></div></body></html>")


def test_html_made_from_seed_keeps_items_and_drops_furniture(tmp_path):
    path = tmp_path / "agenda_and_minutes"  # no extension: sniffed
    path.write_text(moderngov_minutes_from_seed(seed("001")), encoding="utf-8")
    doc = load(path)
    assert doc.format == "html" and not doc.table_rows  # the item table is layout, read as blocks
    lines = doc.text.split("\n")
    for kind, title in gold_strings(seed("001")):
        if kind == "item":
            assert title in lines, title
    assert "242." in lines
    assert "pdf icon" not in doc.text and "View the full minutes text" not in doc.text
    for kind, name in gold_strings(seed("001")):
        assert name in doc.text, (kind, name)


def test_generic_page_uses_main_and_drops_chrome():
    markup = ("<html><body><div class='site-header'>Council logo</div><div class='breadcrumb'>Home &gt; Papers</div>"
              "<aside>Related links</aside><main><article><h2>Audit Committee</h2><p>The committee noted the"
              " report on internal audit and approved the plan for 2016/17.</p></article></main>"
              "<div id='footer'>Contact us</div></body></html>")
    doc = load_html_string(markup)
    assert doc.text == ("Audit Committee\n\nThe committee noted the report on internal audit and approved the plan"
                        " for 2016/17.")


def test_wrapper_named_like_chrome_is_kept():
    markup = ("<html><body><div class='page has-sidebar'><div class='sidebar'>Quick links</div>"
              "<p>The Panel noted the update on the Stronger Families Programme and asked for a further report.</p>"
              "</div></body></html>")
    doc = load_html_string(markup)
    assert doc.text == "The Panel noted the update on the Stronger Families Programme and asked for a further report."


def test_html_charset_from_meta():
    markup = '<html><head><meta charset="windows-1252"></head><body><p>Cost £5 – paid</p></body></html>'
    doc = load_bytes("p.html", markup.encode("cp1252"), ".html")
    assert doc.text == "Cost £5 – paid"


# ------------------------------------------------------------------ DOCX

def docx_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_made_from_seed_with_headings_lists_and_table():
    text = seed("002").read_text(encoding="utf-8")
    d = docx.Document()
    d.core_properties.title = "Progress report on the Barnet with Cambridge Education partnership"
    table_lines = [line for line in text.splitlines() if "\t" in line]
    table = d.add_table(rows=0, cols=2)
    for line in table_lines:
        cells = table.add_row().cells
        for cell, value in zip(cells, line.split("\t", 1)):
            cell.text = value
    for para in text.split("\n\n"):
        para = para.strip()
        if not para or "\t" in para:
            continue
        if para in ("Summary", "Recommendations"):
            d.add_heading(para, 2)
        elif para.startswith("- 1. That"):
            d.add_paragraph(para[len("- 1. "):], style="List Number")
        else:
            d.add_paragraph(para)
    doc = load_bytes("barnet.docx", docx_bytes(d), ".docx")
    assert doc.format == "docx" and doc.meta["docx_title"].startswith("Progress report on the Barnet")
    check_rows(doc)
    assert len(doc.table_rows) == len(table_lines) == 8
    first = doc.table_rows[0]
    assert [doc.text[s:e] for s, e in first.cells] == ["Title", "Progress report on the Barnet with Cambridge Education partnership"]
    assert doc.text.startswith("Title\tProgress report")  # the table comes first, as in the body
    assert "\n\nSummary\n\n" in doc.text
    assert "\n1. That the Performance and Contract Monitoring Committee consider" in doc.text
    for kind, name in gold_strings(seed("002")):
        if kind != "figure":  # figures quote markdown-cleaned text the raw paragraphs above still hold
            assert name in doc.text or name in doc.text.replace("**", ""), (kind, name)


NUMBERING = """<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:abstractNum w:abstractNumId="90">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="(%3)"/></w:lvl>
  <w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="lowerRoman"/><w:lvlText w:val="%4)"/></w:lvl>
  <w:lvl w:ilvl="4"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="\uf0b7"/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="91">
  <w:lvl w:ilvl="0"><w:start w:val="3"/><w:numFmt w:val="upperLetter"/><w:lvlText w:val="%1."/></w:lvl>
</w:abstractNum>
<w:num w:numId="90"><w:abstractNumId w:val="90"/></w:num>
<w:num w:numId="91"><w:abstractNumId w:val="91"/></w:num>
<w:num w:numId="92"><w:abstractNumId w:val="90"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="7"/></w:lvlOverride></w:num>
</w:numbering>"""


def numbered(d, text: str, num_id: int, level: int) -> None:
    p = d.add_paragraph(text)
    p._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f'<w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'))


def test_docx_numbering_formats():
    d = docx.Document()
    numbering = d.part.numbering_part.element
    for child in parse_xml(NUMBERING):
        numbering.append(child)
    for text, num_id, level in [("Introduction", 90, 0), ("Background", 90, 1), ("Scope", 90, 1),
                                ("first option", 90, 2), ("second option", 90, 2), ("detail", 90, 3),
                                ("another detail", 90, 3), ("a bullet", 90, 4), ("Findings", 90, 0),
                                ("Finding one", 90, 1), ("Lettered", 91, 0), ("Lettered again", 91, 0),
                                ("Restarted at seven", 92, 0)]:
        numbered(d, text, num_id, level)
    doc = load_bytes("n.docx", docx_bytes(d), ".docx")
    assert doc.text.split("\n") == [
        "1. Introduction", "1.1 Background", "1.2 Scope", "(a) first option", "(b) second option",
        "i) detail", "ii) another detail", "• a bullet", "2. Findings", "2.1 Finding one",
        "C. Lettered", "D. Lettered again", "7. Restarted at seven"]


def test_docx_pages_from_page_breaks_and_nested_content():
    d = docx.Document()
    d.add_heading("Cabinet report", 0)
    d.add_paragraph("Page one text.")
    d.add_page_break()
    d.add_paragraph("Page two text.")
    table = d.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Cell with\ttab"
    table.cell(0, 1).paragraphs[0].add_run("Two")
    table.cell(0, 1).add_paragraph("paragraphs")
    doc = load_bytes("p.docx", docx_bytes(d), ".docx")
    assert doc.text.startswith("Cabinet report\n\nPage one text.\n\nPage two text.")
    assert [p.number for p in doc.pages] == [1, 2] and doc.page_count == 2
    assert doc.page_at(doc.text.index("Page two")) == 2 and doc.page_at(0) == 1
    row = doc.table_rows[0]
    assert [doc.text[s:e] for s, e in row.cells] == ["Cell with tab", "Two paragraphs"] and row.page == 2


# ------------------------------------------------------------------ sniffing and errors

MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_sniff_by_content_not_suffix():
    assert identify(MINIMAL_PDF, ".txt") == "pdf"
    assert identify(b"\n\n   " + MINIMAL_PDF, "") == "pdf"
    d = docx.Document()
    d.add_paragraph("x")
    assert identify(docx_bytes(d), "") == "docx"
    assert identify(docx_bytes(d), ".pdf") == "docx"
    assert identify(b"<div id='modgov'><p>x</p></div>", ".txt") == "html"
    assert identify(b"\xef\xbb\xbf<!DOCTYPE html><html><body>x</body></html>", "") == "html"
    assert identify("<html><body>x</body></html>".encode("utf-16"), "") == "html"
    assert identify(b"Minutes of the meeting\n<p> a stray tag", "") == "txt"
    assert identify(b"# Heading\n\ntext", ".md") == "md"
    assert sniff(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64) is None


@pytest.mark.parametrize("data, suffix, reason", [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200 + "WordDocument".encode("utf-16-le"), ".doc", "legacy Word .doc"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200 + "Workbook".encode("utf-16-le"), ".xls", "legacy Excel .xls"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200 + "EncryptedPackage".encode("utf-16-le"), ".docx", "password-protected"),
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, ".png", "image file (PNG), not a paper"),
    (b"\xff\xd8\xff\xe0" + bytes(range(256)) * 4, ".txt", "image file (JPEG), not a paper"),
    (b"GIF89a" + bytes(range(256)) * 4, "", "image file (GIF), not a paper"),
    (b"II*\x00" + bytes(range(256)) * 4, ".tif", "image file (TIFF), not a paper"),
    (b"{\\rtf1\\ansi Minutes of the meeting}", ".txt", "RTF document: unsupported"),
    (bytes(range(256)) * 40, "", "unknown file type"),
    (bytes(range(256)) * 40, ".pdf", "not a valid PDF"),
    (bytes(range(256)) * 40, ".docx", "not a valid DOCX"),
    (b"Just some words", ".docx", "not a valid DOCX"),
])
def test_refused_with_a_reason(tmp_path, data, suffix, reason):
    path = tmp_path / f"input{suffix}"
    path.write_bytes(data)
    with pytest.raises(LoadError) as info:
        load(path)
    assert reason in str(info.value) and str(path) in str(info.value)


def test_zip_that_is_not_a_docx(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
    (tmp_path / "book.docx").write_bytes(buffer.getvalue())
    with pytest.raises(LoadError, match="Excel workbook"):
        load(tmp_path / "book.docx")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("notes.txt", "hello")
    (tmp_path / "papers.zip").write_bytes(buffer.getvalue())
    with pytest.raises(LoadError, match="zip archive, not a paper"):
        load(tmp_path / "papers.zip")


def test_file_errors(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(b" \n\x00\n")
    for path, reason in [(tmp_path / "empty.txt", "empty file"), (tmp_path / "blank.txt", "empty file"),
                         (tmp_path, "is a directory"), (tmp_path / "missing.pdf", "no such file")]:
        with pytest.raises(LoadError, match=reason):
            load(path)


def test_file_too_large(tmp_path, monkeypatch):
    import extractor.loaders as loaders

    monkeypatch.setattr(loaders, "MAX_BYTES", 100)
    (tmp_path / "big.txt").write_bytes(b"word " * 100)
    with pytest.raises(LoadError, match="file too large"):
        load(tmp_path / "big.txt")


def test_text_without_extension_is_read(tmp_path):
    (tmp_path / "README").write_text("Minutes of the Audit Committee\n\nItem one.\n", encoding="utf-8")
    doc = load(tmp_path / "README")
    assert doc.format == "txt" and doc.text.startswith("Minutes of the Audit Committee")


# ------------------------------------------------------------------ the shared fixtures (not committed)

@pytest.mark.parametrize("name, must_contain", [
    ("kirklees_moderngov_decision_detail_holme_park_court_FIXTURE.html", "Decision Maker: Service Director - Homes & Neighbourhoods"),
    ("moderngov_decision_detail_policy_committee_minutes_FIXTURE.html", "Decided at meeting: 19/10/2015 - Policy Committee"),
    ("US_denver_rtd_operations_safety_committee_2022-11_details.md", "## I. Operations and Safety Committee"),
    ("IE_limerick_city_county_council_full_meeting_minutes_2015-07-21.md", "Emergency Motion – Proposed Development at Gortadroma"),
])
def test_shared_fixtures_load(name, must_contain):
    doc = load(shared_path("corpus", "extra", name))
    assert must_contain in doc.text
    assert "PDF 119 KB" not in doc.text and "**" not in doc.text and "](" not in doc.text
    if doc.format == "html":
        assert doc.meta.get("date_of_decision") and doc.meta.get("title")


def test_docx_word_markup_hyperlinks_tracked_changes_content_controls_and_rendered_pages():
    from .test_malformed import W_NS, package

    mc = "http://schemas.openxmlformats.org/markup-compatibility/2006"
    body = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W_NS}" xmlns:mc="{mc}" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>'
        '<w:p><w:r><w:t xml:space="preserve">See the </w:t></w:r><w:hyperlink r:id="rId9"><w:r><w:t>report</w:t></w:r>'
        '</w:hyperlink><w:r><w:t xml:space="preserve"> and </w:t></w:r><w:del><w:r><w:delText>OLD</w:delText></w:r></w:del>'
        '<w:ins><w:r><w:t>new</w:t></w:r></w:ins><w:r><w:instrText> PAGE </w:instrText><w:t xml:space="preserve"> text.</w:t></w:r></w:p>'
        '<w:sdt><w:sdtContent><w:p><w:r><w:t>Inside a content control</w:t></w:r></w:p></w:sdtContent></w:sdt>'
        '<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:t>Chosen</w:t></mc:Choice>'
        '<mc:Fallback><w:t>FALLBACK-COPY</w:t></mc:Fallback></mc:AlternateContent></w:r></w:p>'
        '<w:p><w:r><w:lastRenderedPageBreak/><w:t>Second page starts here</w:t><w:tab/><w:t>after tab</w:t></w:r></w:p>'
        '<w:tbl><w:tr><w:trPr><w:tblHeader/></w:trPr><w:tc><w:p><w:r><w:t>Service</w:t></w:r></w:p></w:tc>'
        '<w:tc><w:p><w:r><w:t>Provider</w:t></w:r></w:p></w:tc></w:tr>'
        '<w:tr><w:tc><w:p><w:r><w:t>School Admissions</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Babcock</w:t></w:r>'
        '<w:r><w:sym w:font="Symbol" w:char="F0B7"/></w:r></w:p></w:tc></w:tr></w:tbl>'
        '<w:sectPr/></w:body></w:document>')
    doc = load_bytes("word.docx", package(body), ".docx")
    assert doc.text == ("See the report and new text.\n\nInside a content control\n\nChosen\n\n"
                        "Second page starts here after tab\n\nService\tProvider\nSchool Admissions\tBabcock•")
    assert [p.number for p in doc.pages] == [1, 2]
    assert doc.page_at(doc.text.index("Second page")) == 2 and doc.page_at(doc.text.index("Chosen")) == 1
    assert doc.table_rows[0].header and doc.table_rows[1].page == 2


def test_markdown_pipe_tables_become_table_rows():
    text = ("Performance | not a table\n\n| KPI | Target | Actual |\n|-----|:------:|-------:|\n"
            "| Schools **good** | 85% | 78% |\n| Exclusions | | 12 |\n\nAfter.\n")
    doc = load_bytes("kpi.md", text.encode(), ".md")
    assert doc.text == ("Performance | not a table\n\nKPI\tTarget\tActual\nSchools good\t85%\t78%\nExclusions\t\t12\n\n"
                        "After.\n")
    assert [[doc.text[s:e] for s, e in r.cells] for r in doc.table_rows] == [
        ["KPI", "Target", "Actual"], ["Schools good", "85%", "78%"], ["Exclusions", "", "12"]]


def test_form_feeds_mark_pages_in_text_from_pdftotext():
    data = "Cabinet report\n\nPage one words.\n\x0cPage two\tA\nRow\tB\n\x0cPage three words.\n\x0c".encode()
    doc = load_bytes("report.txt", data, ".txt")
    assert doc.text == "Cabinet report\n\nPage one words.\n\nPage two\tA\nRow\tB\n\nPage three words.\n"
    assert [p.number for p in doc.pages] == [1, 2, 3] and doc.page_count == 3
    assert doc.page_at(doc.text.index("Page one")) == 1
    assert doc.page_at(doc.text.index("Page two")) == 2 and doc.page_at(doc.text.index("Page three")) == 3
    assert [r.page for r in doc.table_rows] == [2, 2]
    assert load_bytes("plain.txt", b"No form feeds here.", ".txt").pages == []


def test_markdown_from_pdf_marks_pages_at_its_converters_page_breaks():
    """"---" then the next page's number alone on its line is a page break; a rule before words is not."""
    data = ("# Minutes\n\n---\nMeeting of the Council\n\nRESOLVED: That the minutes be signed.\n---\n2\n\n"
            "Item two words.\n---\n3\n\nItem three words.\n").encode()
    doc = load_bytes("minutes.md", data, ".md")
    assert [p.number for p in doc.pages] == [1, 2, 3] and doc.page_count == 3
    assert doc.page_at(doc.text.index("RESOLVED")) == 1
    assert doc.page_at(doc.text.index("Item two")) == 2 and doc.page_at(doc.text.index("Item three")) == 3
    assert "---\n2" not in doc.text and "Meeting of the Council" in doc.text
    assert load_bytes("notes.md", b"# Notes\n\n---\n\nWords.\n", ".md").pages == []


def test_macro_enabled_word_files_are_read_not_run():
    d = docx.Document()
    d.add_paragraph("Minutes of the Cabinet meeting.")
    source = zipfile.ZipFile(io.BytesIO(docx_bytes(d)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"wordprocessingml.document.main+xml", b"word.document.macroEnabled.main+xml")
                data = data.replace(b"application/vnd.openxmlformats-officedocument.word.document", b"application/vnd.ms-word.document")
            out.writestr(info, data)
    assert b"macroEnabled" in zipfile.ZipFile(buffer).read("[Content_Types].xml")
    doc = load_bytes("cabinet.docm", buffer.getvalue(), ".docm")
    assert doc.text == "Minutes of the Cabinet meeting." and doc.format == "docx"
