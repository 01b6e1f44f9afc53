"""Hostile and broken inputs the tests make themselves: each is refused by name or read safely."""
from __future__ import annotations

import io
import zipfile

import docx
import pytest
from click.testing import CliRunner

from extractor.cli import main
from extractor.errors import LoadError
from extractor.loaders import load_bytes
from extractor.loaders import docx as docx_loader

from .conftest import SEED_DOCS

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                 '<Default Extension="xml" ContentType="application/xml"/>'
                 '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                 'wordprocessingml.document.main+xml"/></Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"'
        ' Target="word/document.xml"/></Relationships>')


def package(document_xml: str | bytes, extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        z.writestr("word/document.xml", document_xml)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return buffer.getvalue()


def body(paragraph_text: str, prolog: str = "") -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<w:document xmlns:w="{W_NS}"><w:body>'
            f"<w:p><w:r><w:t>{paragraph_text}</w:t></w:r></w:p></w:body></w:document>")


def good_docx() -> bytes:
    d = docx.Document()
    d.add_heading("Audit Committee", 1)
    for i in range(40):
        d.add_paragraph(f"Paragraph {i} on contract monitoring of the education services partnership.")
    buffer = io.BytesIO()
    d.save(buffer)
    return buffer.getvalue()


def refused(name: str, data: bytes, match: str) -> str:
    with pytest.raises(LoadError) as info:
        load_bytes(name, data, "." + name.rsplit(".", 1)[-1] if "." in name else "")
    message = str(info.value)
    assert message.startswith(f"{name}: ") and match in message, message
    return message


# ------------------------------------------------------------------ DOCX

def test_minimal_hand_made_package_reads():
    doc = load_bytes("plain.docx", package(body("Apologies were received.")), ".docx")
    assert doc.text == "Apologies were received."


def test_xxe_docx_is_refused_and_never_resolves(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    prolog = f'<!DOCTYPE d [<!ENTITY x SYSTEM "file://{secret}">]>'
    message = refused("xxe.docx", package(body("XXE-MARKER &x;", prolog)), "declares a DTD or entities")
    assert "TOP-SECRET" not in message


def test_xxe_in_another_part_and_in_utf16_is_refused():
    styles = '<?xml version="1.0"?><!DOCTYPE s [<!ENTITY e "boom">]><w:styles xmlns:w="%s"/>' % W_NS
    refused("styles.docx", package(body("Text"), {"word/styles.xml": styles}), "word/styles.xml declares")
    utf16 = body("Text", '<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/hostname">]>').replace("UTF-8", "UTF-16")
    refused("utf16.docx", package(utf16.encode("utf-16")), "declares a DTD")


def test_parameter_entity_billion_laughs_docx_is_refused():
    laughs = '<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "' + f"&{chr(97 + i)};" * 10 + '">' for i in range(8)) + "]>"
    refused("laughs.docx", package(body("&i;", laughs)), "declares a DTD")


def test_zip_bomb_member_ratio_is_refused():
    # 11 MB of one byte deflates ~1000-fold: past both the size and the ratio bars.
    data = package(body("Text"), {"word/media/padding.bin": b"\x00" * (11 * 1024 * 1024)})
    assert len(data) < 200_000
    refused("bomb.docx", data, "suspicious DOCX (zip bomb?)")


def test_zip_bomb_total_size_is_refused(monkeypatch):
    monkeypatch.setattr(docx_loader, "MAX_UNCOMPRESSED", 1024 * 1024)
    data = package(body("Text"), {f"word/media/{i}.bin": bytes(range(256)) * 1024 for i in range(8)})
    refused("wide.docx", data, "suspicious DOCX (zip bomb?)")


def test_big_but_honest_members_are_not_a_bomb():
    # A large image that does not compress (ratio ~1) is normal in a paper.
    import random

    noise = random.Random(7).randbytes(11 * 1024 * 1024)
    doc = load_bytes("photo.docx", package(body("Report with a photo."), {"word/media/image1.png": noise}), ".docx")
    assert doc.text == "Report with a photo."


def test_truncated_docx_is_refused():
    data = good_docx()
    refused("truncated.docx", data[: len(data) // 2], "not a valid DOCX")


def test_corrupted_member_is_refused():
    data = bytearray(package(body("Apologies were received from Jane Doe " * 200)))
    start = data.index(b"word/document.xml") + len("word/document.xml")  # inside that member's deflated data
    for i in range(start + 40, start + 140):
        data[i] ^= 0x5A
    refused("corrupt.docx", bytes(data), "not a valid DOCX")


def test_junk_and_wrong_zips_named_docx():
    refused("junk.docx", bytes(range(256)) * 20, "not a valid DOCX")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("hello.txt", "not word")
    refused("archive.docx", buffer.getvalue(), "not a valid DOCX (a zip archive without word/document.xml)")
    no_types = io.BytesIO()
    with zipfile.ZipFile(no_types, "w") as z:
        z.writestr("word/document.xml", body("x"))
    refused("no-types.docx", no_types.getvalue(), "not a valid DOCX")


def test_malformed_document_xml_is_refused():
    refused("broken.docx", package('<?xml version="1.0"?><w:document xmlns:w="%s"><w:body><w:p>' % W_NS),
            "not a valid DOCX")


# ------------------------------------------------------------------ HTML

def test_script_and_style_never_become_content():
    markup = ("<html><head><script>var x = 'HEAD-SCRIPT';</script></head><body><style>p { color: red }</style>"
              "<script>document.write('KPI 3 was 99%')</script><p>Apologies were received from Jane Doe.</p>"
              "<script type='text/template'><p>TEMPLATE-TEXT</p></script><template><p>INERT</p></template>"
              "<p onclick=\"alert('HANDLER')\">Item 2 noted.</p><svg><text>SVG-TEXT</text></svg></body></html>")
    doc = load_bytes("script.html", markup.encode(), ".html")
    assert doc.text == "Apologies were received from Jane Doe.\n\nItem 2 noted."


def test_html_external_entity_is_not_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    for prolog in ("", '<?xml version="1.0"?>'):
        markup = (f'{prolog}<!DOCTYPE html [<!ENTITY x SYSTEM "file://{secret}">]>'
                  "<html><body><p>XXE-MARKER &x;</p><p>Minutes of the meeting.</p></body></html>")
        doc = load_bytes("xxe.html", markup.encode(), ".html")
        assert "TOP-SECRET" not in doc.text and "ENTITY" not in doc.text and "]>" not in doc.text
        assert "Minutes of the meeting." in doc.text


def test_billion_laughs_html_does_not_expand():
    laughs = '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "' + f"&{chr(97 + i)};" * 10 + '">' for i in range(8)) + "]><html><body><p>&i; Minutes</p></body></html>"
    doc = load_bytes("laughs.html", laughs.encode(), ".html")
    assert len(doc.text) < 100 and "Minutes" in doc.text


def test_very_deep_nesting_is_read():
    markup = "<div>" * 100_000 + "Minutes of the meeting" + "</div>" * 100_000
    doc = load_bytes("deep.html", markup.encode(), ".html")
    assert doc.text == "Minutes of the meeting"


def test_unclosed_and_garbled_markup():
    doc = load_bytes("bad.html", b"<html><body><p>Item one<table><tr><td>A<td>B<tr><td>C<td>D</table><p>Item <b>two",
                     ".html")
    assert "Item one" in doc.text and "Item two" in doc.text
    assert [[doc.text[s:e] for s, e in r.cells] for r in doc.table_rows] == [["A", "B"], ["C", "D"]]


def test_markup_without_text_is_refused():
    refused("blank.html", b"<html><body><script>only()</script><div> </div></body></html>", "no text")


# ------------------------------------------------------------------ text

def test_utf16_without_bom_and_nul_runs():
    text = "Minutes of the Audit Committee held on 21 June 2016\n" * 30
    assert load_bytes("le.txt", text.encode("utf-16-le"), ".txt").text == text
    assert load_bytes("be.txt", text.encode("utf-16-be"), ".txt").text == text
    nul = text.encode()[:500] + b"\x00" * 5000 + text.encode()[500:]
    assert load_bytes("nul.txt", nul, ".txt").text == text


def test_binary_junk_named_txt_is_refused():
    import random

    refused("junk.txt", random.Random(1).randbytes(20_000), "unknown file type")


def test_big_text_loads():
    line = "The Council retained Place planning and provision; KPI 3 was 85% against a target of 90%.\n"
    data = (line * 60_000).encode()  # ~5.5 MB
    doc = load_bytes("big.txt", data, ".txt")
    assert len(doc.text) == len(data.decode())


def test_one_enormous_line_loads():
    data = ("Apologies **were** received <sup>th</sup> from [Jane](https://x.org) " * 20_000).encode()
    doc = load_bytes("one-line.txt", data, ".txt")
    assert "\n" not in doc.text and "**" not in doc.text and doc.text.startswith("Apologies were received th from Jane ")


# ------------------------------------------------------------------ the CLI over a mixed batch

def test_batch_names_each_bad_file_and_goes_on(tmp_path):
    good = SEED_DOCS[-1]
    (tmp_path / "empty.pdf").write_bytes(b"")
    (tmp_path / "junk.docx").write_bytes(bytes(range(256)) * 20)
    (tmp_path / "bomb.docx").write_bytes(package(body("x"), {"word/media/p.bin": b"\x00" * (11 * 1024 * 1024)}))
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    (tmp_path / "scan.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    names = ["empty.pdf", "junk.docx", "bomb.docx", "old.doc", "scan.png"]
    result = CliRunner().invoke(main, ["text", str(tmp_path / "junk.docx")])
    assert result.exit_code == 1 and "junk.docx: not a valid DOCX" in result.output
    result = CliRunner().invoke(main, ["extract", *(str(tmp_path / n) for n in names), str(good), "--format", "jsonl"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
    for name in names:
        assert f"{name}: " in result.output, name
    assert '"type": "document"' in result.output or '"type":"document"' in result.output
    assert good.name in result.output
