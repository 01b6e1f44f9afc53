"""The PDF loader: text, tables, page furniture, hyphenation, page spans, errors, scans.

PDFs the tests need are made here (fpdf2 renders seed text, tables, headers and
footers; Pillow draws a page for a scan). Real council papers are read from
../shared when it is present, never copied into the project.
"""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor.cli import main
from extractor.document import Document
from extractor.errors import LoadError, ScannedPdfError
from extractor.loaders import load, ocr
from extractor.loaders.pdf import load_pdf

from .conftest import SEED_DOCS, SHARED_CORPUS, shared_path

fpdf = pytest.importorskip("fpdf", reason="fpdf2 (the test extra) renders the PDFs these tests read")

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
BOLD_FONT = FONT.with_name("DejaVuSans-Bold.ttf")
PAGE_WORDS = ["library", "parks", "highways", "waste", "adult care", "schools", "housing"]


# --- making PDFs ----------------------------------------------------------------------------

class Paper(fpdf.FPDF):
    """An A4 paper with an optional running header and a "Page N of M" footer."""

    def __init__(self, header_text: str | None = None, footer: bool = False):
        super().__init__(format="A4")
        self.set_margins(25, 25)  # an inch or so, as a word processor leaves
        self.header_text = header_text
        self.with_footer = footer
        if FONT.exists() and BOLD_FONT.exists():
            self.add_font("Body", fname=str(FONT))
            self.add_font("Body", style="B", fname=str(BOLD_FONT))
            self.family = "Body"
        else:
            self.family = "Helvetica"
        self.set_font(self.family, size=11)

    def header(self) -> None:
        if self.header_text:
            self.set_font(self.family, size=9)
            self.cell(0, 8, self.header_text, new_x="LMARGIN", new_y="NEXT")
            self.set_font(self.family, size=11)

    def footer(self) -> None:
        if self.with_footer:
            self.set_y(-15)
            self.set_font(self.family, size=9)
            self.cell(0, 8, f"Page {self.page_no()} of {{nb}}", align="C")

    def text_safe(self, text: str) -> str:
        """Text the chosen font can draw (the core fonts are Latin-1 only)."""
        if self.family == "Body":
            return text
        return text.encode("latin-1", "replace").decode("latin-1")

    def paragraph(self, text: str) -> None:
        self.multi_cell(0, 6, self.text_safe(text), new_x="LMARGIN", new_y="NEXT")
        self.ln(4)

    def bytes(self) -> bytes:
        return bytes(self.output())


def paragraph_about(service: str, n: int) -> str:
    return (f"Paragraph {n} reports on the {service} service. The committee noted that the contract "
            f"for {service} had been monitored every quarter, that performance against each indicator "
            f"was reported to members, and that the provider had met {n + 2} of its targets this year.")


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def check_offsets(doc: Document) -> None:
    """Pages cover the text in order; table rows and cells lie inside their row and page."""
    assert doc.page_count == len(doc.pages)
    assert [p.number for p in doc.pages] == list(range(1, len(doc.pages) + 1))
    assert "\f" not in doc.text
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f\u00a0\ufb01\ufb02]", doc.text)
    previous_end = 0
    for page in doc.pages:
        assert previous_end <= page.start <= page.end <= len(doc.text)
        assert doc.text[previous_end:page.start].strip() == ""  # only separators between pages
        previous_end = page.end
    assert doc.text[previous_end:].strip() == ""
    for row in doc.table_rows:
        page = doc.pages[row.page - 1]
        assert page.start <= row.start <= row.end <= page.end
        assert "\n" not in doc.text[row.start:row.end]
        assert row.cells and row.cells[0][0] == row.start and row.cells[-1][1] == row.end
        for (start, end), following in zip(row.cells, row.cells[1:] + [None]):
            assert row.start <= start <= end <= row.end
            assert "\t" not in doc.text[start:end]
            if following:
                assert doc.text[end:following[0]] == "\t"


# --- generated PDFs -------------------------------------------------------------------------

def test_seed_paper_rendered_to_pdf_reads_back_as_its_paragraphs():
    seed = SEED_DOCS[2].read_text(encoding="utf-8")
    paragraphs = [" ".join(line.replace("\t", " ").split()) for line in seed.splitlines() if line.strip()]
    pdf = Paper()
    pdf.add_page()
    for paragraph in paragraphs:
        pdf.paragraph(paragraph)
    doc = load_pdf("seed.pdf", pdf.bytes(), "seed")
    check_offsets(doc)
    assert doc.format == "pdf" and doc.page_count == pdf.page_no() > 1
    # Pages stay apart in the text; a paragraph running over a page break is read across it here.
    text = doc.text
    for page in reversed(doc.pages[1:]):
        text = text[:page.start].rstrip("\n") + " " + text[page.start:]
    lines = set(text.splitlines())
    long_ones = [pdf.text_safe(p) for p in paragraphs if len(p) > 200]
    assert long_ones
    # Wrapped lines come back joined: long paragraphs are one line again, word for word
    # (a lead-in ending in a colon keeps the lines after it apart, as a list would be).
    whole = sum(p in lines for p in long_ones)
    assert whole >= 0.9 * len(long_ones), [p for p in long_ones if p not in lines][:3]
    # Nothing lost or invented: the seed's characters, in order (spaces aside: a URL too long
    # for a line is broken without a hyphen, and comes back with a space in it).
    assert "".join(doc.text.split()) == "".join(pdf.text_safe(" ".join(paragraphs)).split())


def test_running_header_and_page_numbers_removed():
    header = "Borsetshire County Council – Scrutiny Committee – 5 March 2025"
    pdf = Paper(header_text=header, footer=True)
    for n, service in enumerate(PAGE_WORDS[:5]):
        pdf.add_page()
        pdf.paragraph(paragraph_about(service, n))
        pdf.paragraph(paragraph_about(service, n + 10))
    doc = load_pdf("pack.pdf", pdf.bytes(), "pack")
    check_offsets(doc)
    assert doc.page_count == 5
    assert doc.text.count(pdf.text_safe(header)) == 1  # kept once, where it first appears
    assert not re.search(r"Page \d+ of \d+", doc.text)
    for n, service in enumerate(PAGE_WORDS[:5]):
        page = doc.pages[n]
        assert paragraph_about(service, n) in doc.text[page.start:page.end]


def test_bare_page_numbers_removed():
    pdf = Paper()
    for n, service in enumerate(PAGE_WORDS[:3]):
        pdf.add_page()
        pdf.paragraph(paragraph_about(service, n))
        pdf.set_y(-20)
        pdf.cell(0, 8, str(n + 1), align="C")
    doc = load_pdf("numbers.pdf", pdf.bytes(), "numbers")
    assert not any(line.strip().isdigit() for line in doc.text.splitlines())


def test_a_year_ending_a_wrapped_heading_is_not_a_page_number():
    pdf = Paper()
    pdf.add_page()
    pdf.set_y(15)  # the heading starts high on the page, where page numbers also sit
    pdf.set_font(pdf.family, size=13)
    for line in ["Monitoring the Learning and Achievement Services, from 2012 to", "2014"]:
        pdf.cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(pdf.family, size=11)
    pdf.paragraph(paragraph_about("schools", 1))
    pdf.set_y(-20)
    pdf.cell(0, 8, "1", align="C")
    doc = load_pdf("heading.pdf", pdf.bytes(), "heading")
    assert doc.text.startswith("Monitoring the Learning and Achievement Services, from 2012 to 2014\n")
    assert not any(line.strip() == "1" for line in doc.text.splitlines())


def test_words_hyphenated_at_line_ends_are_rejoined():
    pdf = Paper()
    pdf.add_page()
    for line in ["The council has appointed a new contrac-",
                 "tor to run the service for young people aged 12-",
                 "18 and for the Post-",
                 "16 cohort, with a new focus on their well-",
                 "being across the county."]:
        pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    doc = load_pdf("hyphens.pdf", pdf.bytes(), "hyphens")
    assert doc.text.strip() == ("The council has appointed a new contractor to run the service for young people "
                                "aged 12-18 and for the Post-16 cohort, with a new focus on their well-being "
                                "across the county.")


def test_ruled_table_becomes_rows_of_separate_cells():
    rows = [("Service", "Provider", "Annual value"), ("Library service", "Acme Libraries Ltd", "£120,000"),
            ("Parks maintenance", "Green Spaces CIC", "£45,500")]
    pdf = Paper()
    pdf.add_page()
    pdf.paragraph("The table below lists the contracts let this year.")
    with pdf.table(col_widths=(60, 60, 40)) as table:
        for values in rows:
            row = table.row()
            for value in values:
                row.cell(pdf.text_safe(value))
    pdf.paragraph("Members noted the contracts.")
    doc = load_pdf("table.pdf", pdf.bytes(), "table")
    check_offsets(doc)
    assert len(doc.table_rows) == 3
    cells = [[doc.text[s:e] for s, e in row.cells] for row in doc.table_rows]
    assert cells == [[pdf.text_safe(v) for v in values] for values in rows]
    assert [row.header for row in doc.table_rows] == [True, False, False]
    assert doc.text.count("Acme Libraries Ltd") == 1  # the table's words are not repeated as prose
    text = doc.text
    assert text.index("lists the contracts") < doc.table_rows[0].start < text.index("Members noted")


def ruled_grid(pdf: fpdf.FPDF, xs: list[float], ys: list[float]) -> None:
    """Rules round every cell of the grid with column edges ``xs`` and row edges ``ys`` (mm)."""
    for y in ys:
        pdf.line(xs[0], y, xs[-1], y)
    for x in xs:
        pdf.line(x, ys[0], x, ys[-1])


def test_table_ruled_inside_a_cell_is_read_once_as_its_own_rows():
    """An inner table drawn in a cell of an outer one: its figures once, as its rows, after the text above it."""
    pdf = Paper()
    pdf.add_page()
    pdf.set_line_width(0.3)
    pdf.text(25, 30, "Questions raised at the committee and the answers given.")
    outer_x, outer_y = [25, 85, 185], [40, 50, 125, 140]
    ruled_grid(pdf, outer_x, outer_y)
    pdf.text(27, 47, "Question")
    pdf.text(87, 47, "Response")
    pdf.text(27, 57, "How many posts are vacant?")
    pdf.text(87, 57, "The service holds these vacancies open:")
    inner_x, inner_y = [90, 133, 150, 180], [62, 70, 78, 86]
    ruled_grid(pdf, inner_x, inner_y)
    for row, values in enumerate([("Role", "FTE", "Cost"), ("Support worker", "1.75", "£41,300"),
                                  ("Practitioner", "0.64", "£27,815")]):
        for col, value in enumerate(values):
            pdf.text(inner_x[col] + 2, inner_y[row] + 5.5, pdf.text_safe(value))
    pdf.text(87, 93, "Vacancies in the north are:")
    north_y = [98, 106, 114]
    ruled_grid(pdf, inner_x, north_y)
    for row, values in enumerate([("Role", "FTE", "Cost"), ("Family worker", "0.93", "£33,120")]):
        for col, value in enumerate(values):
            pdf.text(inner_x[col] + 2, north_y[row] + 5.5, pdf.text_safe(value))
    pdf.text(87, 121, "Both are budgeted for the year.")
    pdf.text(27, 133, "Is a bus offered?")
    pdf.text(87, 133, "Yes, fares are refunded.")
    # a box drawn round a note in a cell is not a table: its words stay in the cell
    pdf.rect(86, 127, 50, 8)
    doc = load_pdf("nested.pdf", pdf.bytes(), "nested")
    check_offsets(doc)
    text = doc.text
    for value in ("£41,300", "£27,815", "£33,120", "1.75", "0.93", "Support worker"):
        assert text.count(pdf.text_safe(value)) == 1, value
    rows = [[text[s:e] for s, e in row.cells] for row in doc.table_rows]
    assert rows == [["Question", "Response"],
                    ["How many posts are vacant?", "The service holds these vacancies open:"],
                    ["Role", "FTE", "Cost"],
                    ["Support worker", "1.75", pdf.text_safe("£41,300")],
                    ["Practitioner", "0.64", pdf.text_safe("£27,815")],
                    ["", "Vacancies in the north are:"],
                    ["Role", "FTE", "Cost"],
                    ["Family worker", "0.93", pdf.text_safe("£33,120")],
                    ["", "Both are budgeted for the year."],
                    ["Is a bus offered?", "Yes, fares are refunded."]]
    tables = [row.table for row in doc.table_rows]
    assert tables == sorted(tables) and len(set(tables)) == 5  # the outer table, cut round the two inner ones
    assert [i for i, row in enumerate(doc.table_rows) if row.header] == [0, 2, 6]
    assert text.index("Questions raised") < doc.table_rows[0].start


def test_clean_line_fast_path_agrees_with_the_general_one():
    """Printable text takes a shortcut; a control character forces the general path, which drops it."""
    import random

    from extractor.loaders.pdf import clean_line

    rng = random.Random(7)
    alphabet = list("oO aAbB12£$-–’.,•\ufb01\ufb03") + ["  ", "o "]
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
        assert clean_line(text) == clean_line(text + "\x00"), repr(text)


def test_page_lines_split_at_crlf_are_the_line_break_regexs_lines():
    """The plain split used when every line ends in "\\r\\n" finds the lines (and their starts) the regex does."""
    import random

    from extractor.loaders.pdf import LINE_BREAK, _text_lines

    def by_regex(raw: str) -> list[tuple[int, str]]:
        starts = [0] + [m.end() for m in LINE_BREAK.finditer(raw)]
        return list(zip(starts, LINE_BREAK.split(raw)))

    rng = random.Random(3)
    alphabet = ["a", "b", " ", "\r\n", "\r\n", "\r", "\n", "\ufffe"]
    for _ in range(20000):
        raw = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        assert list(_text_lines(raw)) == by_regex(raw), repr(raw)


def test_vocabulary_counts_a_word_as_counting_every_word_would():
    """A word asked about is counted as the ``WORD`` tokens of the lower-cased prose would count it."""
    from collections import Counter

    from extractor.loaders.pdf import WORD, _Vocabulary

    prose = ("Well-being and wellbeing; well--being, well-\nbeing. The sub-contractor's sub-\ncontractor "
             "SUB-CONTRACTORS a-b-c b-c a-b x-1-y y-, -y pre-post- café-bar bar ÉTÉ-été été x_y y")
    vocabulary = _Vocabulary([])
    vocabulary.prose = prose
    counts = Counter(WORD.findall(prose.lower()))
    asked = set(counts) | {"being", "well", "sub", "contractor", "bar", "caf", "a-b", "b-c", "y", "x", "pre-post",
                           "post", "zzz", "a-", "-y", "well--being", "x_y", "été"}
    for word in asked:
        assert vocabulary[word] == counts[word], word


def test_rotated_pages_read_like_upright_ones():
    import pypdfium2 as pdfium

    pdf = Paper(footer=True)
    for n in range(3):  # the same opening words on every page: content, not a running header
        pdf.add_page()
        pdf.paragraph(paragraph_about("parks", n))
        pdf.paragraph(paragraph_about("library", n))
    upright = load_pdf("upright.pdf", pdf.bytes(), "u")
    assert upright.text.count("Paragraph") == 6
    rotated = pdfium.PdfDocument(pdf.bytes())
    for index in range(len(rotated)):
        rotated[index].set_rotation(90)
    buffer = io.BytesIO()
    rotated.save(buffer)
    rotated.close()
    assert load_pdf("rotated.pdf", buffer.getvalue(), "r").text == upright.text


def test_pdf_title_metadata_kept_as_a_hint_and_placeholders_ignored():
    pdf = Paper()
    pdf.set_title("Cabinet Report: Library Strategy")
    pdf.add_page()
    pdf.paragraph(paragraph_about("library", 1))
    assert load_pdf("t.pdf", pdf.bytes(), "t").meta["pdf_title"] == "Cabinet Report: Library Strategy"
    pdf = Paper()
    pdf.set_title("Microsoft Word - report.docx")
    pdf.add_page()
    pdf.paragraph(paragraph_about("library", 1))
    assert "pdf_title" not in load_pdf("t.pdf", pdf.bytes(), "t").meta


def test_ligatures_and_no_break_spaces_are_plain_text():
    pdf = Paper()
    if pdf.family != "Body":
        pytest.skip("the DejaVu font is needed to draw ligature characters")
    pdf.add_page()
    pdf.paragraph("The ﬁnance oﬃcer’s ﬂoor plan cost £1\u00a0200.")
    doc = load_pdf("lig.pdf", pdf.bytes(), "lig")
    assert "The finance officer’s floor plan cost £1 200." in doc.text


def generated_pdf() -> bytes:
    pdf = Paper(footer=True)
    for n, service in enumerate(PAGE_WORDS[:3]):
        pdf.add_page()
        pdf.paragraph(paragraph_about(service, n))
    return pdf.bytes()


def test_encrypted_pdf_is_refused_with_a_clear_reason():
    pdf = Paper()
    pdf.add_page()
    pdf.paragraph(paragraph_about("library", 1))
    pdf.set_encryption(owner_password="owner", user_password="reader")
    with pytest.raises(LoadError) as caught:
        load_pdf("locked.pdf", pdf.bytes(), "locked")
    assert caught.value.reason == "encrypted PDF (password required)"
    assert str(caught.value) == "locked.pdf: encrypted PDF (password required)"


@pytest.mark.parametrize("keep", [0.2, 0.5, 0.9])
def test_truncated_pdf_is_refused(keep):
    data = generated_pdf()
    with pytest.raises(LoadError) as caught:
        load_pdf("cut.pdf", data[: int(len(data) * keep)], "cut")
    assert caught.value.reason == "corrupt or truncated PDF"


def test_pdf_without_pages_is_refused():
    import pypdfium2 as pdfium

    empty = pdfium.PdfDocument.new()
    buffer = io.BytesIO()
    empty.save(buffer)
    with pytest.raises(LoadError) as caught:
        load_pdf("empty.pdf", buffer.getvalue(), "empty")
    assert caught.value.reason == "PDF has no pages"


def test_pdf_header_over_junk_is_refused():
    with pytest.raises(LoadError) as caught:
        load_pdf("junk.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 8, "junk")
    assert caught.value.reason == "corrupt or truncated PDF"


@pytest.mark.parametrize("seed", range(8))
def test_flipped_bytes_load_or_fail_cleanly(seed):
    import random

    data = bytearray(generated_pdf())
    rng = random.Random(seed)
    for _ in range(40):
        data[rng.randrange(len(data))] ^= 0xFF
    try:
        doc = load_pdf("flipped.pdf", bytes(data), "flipped")
    except LoadError as exc:
        assert exc.reason and "\n" not in str(exc)
    else:
        check_offsets(doc)


def test_pdf_sniffed_by_content_when_named_txt(tmp_path):
    path = write(tmp_path, "looks_like_text.txt", generated_pdf())
    result = CliRunner().invoke(main, ["text", str(path)], catch_exceptions=False)
    assert result.exit_code == 0
    assert paragraph_about("library", 0) in result.output
    assert "%PDF" not in result.output
    assert load(path).format == "pdf"


def test_cli_names_the_file_and_reason_for_a_broken_pdf(tmp_path):
    path = write(tmp_path, "broken.pdf", generated_pdf()[:300])
    result = CliRunner().invoke(main, ["text", str(path)])
    assert result.exit_code == 1
    assert f"{path}: corrupt or truncated PDF" in result.output
    assert "Traceback" not in result.output


# --- scans ----------------------------------------------------------------------------------

def scanned_pdf(lines: list[str], with_text_page: bool = False) -> bytes:
    """A PDF whose page is only a picture of ``lines`` (what a scanner makes)."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", (1240, 1754), 255)  # A4 at 150 dpi
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT), 28) if FONT.exists() else ImageFont.load_default()
    for i, line in enumerate(lines):
        draw.text((120, 150 + 48 * i), line, fill=0, font=font)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    pdf = Paper()
    if with_text_page:
        pdf.add_page()
        pdf.paragraph(paragraph_about("library", 1))
    pdf.add_page()
    pdf.image(io.BytesIO(buffer.getvalue()), x=0, y=0, w=210, h=297)
    return pdf.bytes()


SCAN_LINES = ["Housing Growth Deal", "The Council agreed the delivery plan", "for new homes across the county."]


def without_ocr(monkeypatch):
    monkeypatch.setattr(ocr, "unavailable_reason", lambda: ocr.INSTALL_HINT)


def test_scanned_pdf_without_ocr_says_so(monkeypatch):
    without_ocr(monkeypatch)
    with pytest.raises(ScannedPdfError) as caught:
        load_pdf("scan.pdf", scanned_pdf(SCAN_LINES), "scan")
    assert "scanned" in caught.value.reason
    assert "tesseract" in caught.value.reason.lower()


def test_scan_wrapped_in_a_form_xobject_is_still_a_scan(monkeypatch):
    import pypdfium2 as pdfium

    without_ocr(monkeypatch)
    source = pdfium.PdfDocument(scanned_pdf(SCAN_LINES))
    wrapped = pdfium.PdfDocument.new()
    page = wrapped.new_page(595, 842)
    page.insert_obj(source.page_as_xobject(0, wrapped).as_pageobject())
    page.gen_content()
    buffer = io.BytesIO()
    wrapped.save(buffer)
    with pytest.raises(ScannedPdfError):
        load_pdf("wrapped.pdf", buffer.getvalue(), "wrapped")


def test_scanned_page_among_text_pages_without_ocr_is_a_warning(monkeypatch):
    without_ocr(monkeypatch)
    doc = load_pdf("mixed.pdf", scanned_pdf(SCAN_LINES, with_text_page=True), "mixed")
    assert doc.page_count == 2
    assert paragraph_about("library", 1) in doc.text
    assert any("scanned" in w and "2" in w for w in doc.warnings)
    check_offsets(doc)


@pytest.mark.skipif(ocr.unavailable_reason() is not None, reason="Tesseract is not installed")
def test_scanned_pdf_is_read_by_ocr():
    doc = load_pdf("scan.pdf", scanned_pdf(SCAN_LINES), "scan")
    assert "scanned PDF: text from OCR" in doc.warnings
    assert "Housing Growth Deal" in doc.text
    assert "delivery plan" in doc.text
    check_offsets(doc)


# --- real papers from ../shared -------------------------------------------------------------

SHARED_PDFS = sorted([*SHARED_CORPUS.glob("docs/*.pdf"), *SHARED_CORPUS.glob("extra/*.pdf")])


@pytest.mark.parametrize("name", [p.name for p in SHARED_PDFS] or ["(none)"])
def test_every_shared_pdf_loads_or_fails_clearly(name, monkeypatch):
    path = next((p for p in SHARED_PDFS if p.name == name), None)
    if path is None:
        shared_path("corpus", "docs")
        pytest.skip("no PDFs in ../shared/corpus")
    without_ocr(monkeypatch)  # OCR of whole scans is slow; the OCR path has its own test
    if "SCANNED" in name:
        with pytest.raises(ScannedPdfError) as caught:
            load(path)
        assert "scanned" in str(caught.value) and name in str(caught.value)
        return
    doc = load(path)
    check_offsets(doc)
    assert len(doc.text.split()) > 20 * doc.page_count ** 0.5
    assert not doc.warnings


def shared_doc(*parts: str) -> Document:
    return load(shared_path("corpus", *parts))


def test_register_rows_keep_supplier_and_value_apart():
    doc = shared_doc("docs", "royal_sutton_coldfield_tc_procurement_contracts_2017-18.pdf")
    rows = [[doc.text[s:e] for s, e in row.cells] for row in doc.table_rows]
    assert ["Professional Consultancy", "LGRC", "PLC - 09113787", "LCR001", "Mar-16", "Mar-18", "£32,400", "Q"] in rows
    assert sum(1 for row in doc.table_rows if not row.header) == 33  # 26 + 7 contracts
    headers = [cells for cells, row in zip(rows, doc.table_rows) if row.header]
    assert headers and all(cells[:2] == ["Title/Description", "Supplier"] for cells in headers)
    assert doc.text.count("Moor Hall Developments") == 1
    assert {row.page for row in doc.table_rows} == {1, 2}
    # The paragraph the producer wrote after the table is read where it is printed: above it.
    assert doc.text.index("Transparency Code") < doc.table_rows[0].start


def test_running_headers_and_footers_do_not_repeat_on_a_multi_page_pack():
    doc = shared_doc("docs", "merton_audit_committee_agenda_2009-10-22.pdf")
    assert doc.text.count("All minutes are draft until agreed") <= 1
    for page in doc.pages:  # page numbers gone from the page's edges
        lines = doc.text[page.start:page.end].strip().splitlines() or ["-"]
        assert not lines[0].strip().isdigit() and not lines[-1].strip().isdigit(), page
    doc = shared_doc("extra", "kent_cc_cabinet_2025-01-30_finance_monitoring_report_Q3_2024-25.pdf")
    assert not re.search(r"(?m)^Page \d+ of 54$", doc.text)


def test_no_prose_line_repeats_on_most_pages_of_the_long_packs():
    for name in ("kent_cc_cabinet_2025-01-30_finance_monitoring_report_Q3_2024-25.pdf",
                 "kent_cc_24-00093_commissioned_family_hub_contracts_decision_report.pdf",
                 "UKPARL_lords_sci_tech_committee_behaviour_change_report_2011.pdf"):
        doc = shared_doc("extra", name)
        in_tables = {doc.text[r.start:r.end] for r in doc.table_rows}
        pages_with = {}
        for page in doc.pages:
            for line in set(doc.text[page.start:page.end].splitlines()):
                if len(line) > 3 and line not in in_tables:
                    pages_with[line] = pages_with.get(line, 0) + 1
        repeated = {line: n for line, n in pages_with.items() if n > doc.page_count / 2}
        assert not repeated, (name, repeated)


def test_doubled_characters_are_undone_and_title_kept():
    doc = shared_doc("extra", "US_chicago_human_relations_schedule_DOUBLED_CHARS.pdf")
    assert "CHICAGO COMMISSION ON HUMAN RELATIONS" in doc.text
    assert "CCHH" not in doc.text
    assert doc.meta["pdf_title"] == "CHICAGO COMMISSION ON HUMAN RELATIONS"


def test_reading_order_and_paragraphs_on_a_kent_report():
    doc = shared_doc("extra", "kent_cc_24-00093_commissioned_family_hub_contracts_decision_report.pdf")
    text = doc.text
    assert text.index("1. INTRODUCTION") < text.index("2. BACKGROUND") < text.index("4. THE PROPOSAL")
    # A wrapped numbered paragraph is one line.
    assert re.search(r"(?m)^1\.1 KCC commissions two providers to deliver Family Hub services: .*Isle of Sheppey\.", text)
    rows = [[text[s:e] for s, e in row.cells] for row in doc.table_rows]
    assert ["Millmead", "Margate", "31/03/2025", "£222,127.44"] in rows


def test_password_and_malformed_fixtures():
    with pytest.raises(LoadError) as caught:
        load(shared_path("eval", "fixtures", "password-example.pdf"))
    assert caught.value.reason == "encrypted PDF (password required)"
    try:
        doc = load(shared_path("eval", "fixtures", "malformed-from-issue-932.pdf"))
    except LoadError as exc:
        assert "PDF" in exc.reason
    else:
        check_offsets(doc)


def test_minutes_text_prints_a_shared_pdf():
    path = shared_path("corpus", "docs", "merton_audit_committee_agenda_2009-10-22.pdf")
    result = CliRunner().invoke(main, ["text", str(path)], catch_exceptions=False)
    assert result.exit_code == 0
    assert "AUDIT COMMITTEE" in result.output and "Dave Roberts (Chairman)" in result.output
