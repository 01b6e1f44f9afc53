"""load: bytes on disk → ``Document``. The format is sniffed from the content.

``identify`` decides the format from the bytes (the suffix only breaks ties),
and refuses what is not a paper with a one-line reason: legacy Office files,
images, archives, binary junk. ``load`` reads the file with guards (missing,
directory, unreadable, empty, too large) and hands the bytes to one loader.
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

from ..document import Document, document_id
from ..errors import LoadError

# A paper larger than this is refused rather than read into memory whole.
MAX_BYTES = 200 * 1024 * 1024
# How much of the head the sniffing heuristics look at.
SNIFF_BYTES = 64 * 1024
# Share of C0 control bytes (not tab/newline/CR/FF/ESC) above which bytes are not text.
BINARY_CONTROL_SHARE = 0.05

FORMATS = ("pdf", "docx", "html", "md", "txt")
_TEXT_CONTROLS = {9, 10, 12, 13, 27}
_CONTROL_BYTES = bytes(b for b in range(32) if b not in _TEXT_CONTROLS) + b"\x7f"
_HTML_OPENERS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<div", b"<table", b"<p>", b"<p ",
                 b"<h1", b"<h2", b"<h3", b"<ul", b"<ol", b"<section", b"<article", b"<main", b"<span", b"<meta",
                 b"<title", b"<!--")
_HTML_MARKERS = (b"<html", b"<body", b"<!doctype html", b"<div", b"<p>", b"<p ", b"<table", b"<h1", b"<h2", b"<br")
# Office Open XML siblings of DOCX, named so the user knows why theirs is refused.
_OOXML_KINDS = (("xl/", "an Excel workbook (XLSX)"), ("ppt/", "a PowerPoint deck (PPTX)"))


class Unsupported(Exception):
    """Raised by ``identify`` with the reason a file is not a readable paper."""


def identify(data: bytes, suffix: str = "") -> str:
    """The paper's format (one of ``FORMATS``) from its bytes; raises ``Unsupported`` with a reason.

    The content decides; the suffix only says which loader to blame for a file
    that claims a format it does not have (junk named ``.docx``), and whether
    text is markdown.
    """
    suffix = suffix.lower()
    head = data[:SNIFF_BYTES]
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _identify_zip(data, suffix)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise Unsupported(_ole_reason(data))
    if head.lstrip().startswith(b"{\\rtf"):
        raise Unsupported("RTF document: unsupported (save it as DOCX or PDF)")
    image = _image_kind(head)
    if image:
        raise Unsupported(f"image file ({image}), not a paper")
    if _looks_binary(head):
        if suffix == ".pdf":
            raise Unsupported("not a valid PDF (no %PDF- header; unknown file type)")
        if suffix in (".docx", ".docm"):
            raise Unsupported("not a valid DOCX (not a zip archive; unknown file type)")
        kind = _magic_name(data)
        raise Unsupported(f"unknown file type ({kind})" if kind else "unknown file type (binary data, not PDF, DOCX, HTML or text)")
    if suffix == ".pdf":
        raise Unsupported("not a valid PDF (no %PDF- header)")
    if suffix in (".docx", ".docm"):
        raise Unsupported("not a valid DOCX (not a zip archive)")
    if _looks_html(head, suffix):
        return "html"
    if suffix in (".md", ".markdown"):
        return "md"
    return "txt"


def sniff(data: bytes, suffix: str = "") -> str | None:
    """The paper's format from its bytes: pdf, docx, html, md, txt — or None if it is not a paper."""
    try:
        return identify(data, suffix)
    except Unsupported:
        return None


def _identify_zip(data: bytes, suffix: str) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        if suffix in (".docx", ".docm"):
            return "docx"  # the DOCX loader says how the zip is broken
        raise Unsupported(f"unknown file type (a damaged zip archive: {exc})") from None
    if any(n.startswith("word/") for n in names):
        return "docx"
    for prefix, kind in _OOXML_KINDS:
        if any(n.startswith(prefix) for n in names):
            raise Unsupported(f"{kind}: unsupported, only DOCX among Office files")
    if "mimetype" in names and b"opendocument" in data[:200]:
        raise Unsupported("an OpenDocument file: unsupported (save it as DOCX or PDF)")
    if suffix in (".docx", ".docm"):
        raise Unsupported("not a valid DOCX (a zip archive without word/document.xml)")
    raise Unsupported("a zip archive, not a paper (unzip it first)")


def _ole_reason(data: bytes) -> str:
    """Name the legacy Office format inside an OLE compound file, from its stream names."""
    def has(stream: str) -> bool:
        return stream.encode("utf-16-le") in data
    if has("EncryptedPackage"):
        return "password-protected Office document: unsupported (remove the password and save as DOCX or PDF)"
    if has("WordDocument"):
        return "legacy Word .doc (OLE) file: unsupported (save it as DOCX or PDF)"
    if has("Workbook") or has("Book"):
        return "legacy Excel .xls (OLE) file: unsupported (save it as PDF)"
    if has("PowerPoint Document"):
        return "legacy PowerPoint .ppt (OLE) file: unsupported (save it as PDF)"
    return "legacy Office (OLE) file: unsupported (save it as DOCX or PDF)"


def _magic_name(data: bytes) -> str | None:
    """A human name for binary content, from puremagic's signature table (None if unknown)."""
    import puremagic

    try:
        matches = puremagic.magic_string(data[:SNIFF_BYTES])
    except (puremagic.PureError, ValueError):
        return None
    best = next((m for m in matches if m.confidence >= 0.5 and len(m.byte_match) >= 4), None)
    return best.name if best else None


def _image_kind(head: bytes) -> str | None:
    """PNG/JPEG/GIF/TIFF/BMP/WebP and other images, by their magic bytes."""
    signatures = ((b"\x89PNG\r\n\x1a\n", "PNG"), (b"\xff\xd8\xff", "JPEG"), (b"GIF87a", "GIF"), (b"GIF89a", "GIF"),
                  (b"II*\x00", "TIFF"), (b"MM\x00*", "TIFF"), (b"BM", None), (b"RIFF", None))
    for magic, kind in signatures:
        if head.startswith(magic):
            if kind:
                return kind
            break
    else:
        return None
    # Two-letter and container signatures need confirmation: ask puremagic.
    import puremagic

    try:
        matches = puremagic.magic_string(head)
    except (puremagic.PureError, ValueError):
        return None
    for m in matches:
        if m.mime_type.startswith("image/") and m.confidence >= 0.5:
            return m.extension.lstrip(".").upper() or m.name
    return None


def _utf16_order(sample: bytes) -> str | None:
    """'le' or 'be' when NULs fill alternate bytes (UTF-16 text without a BOM), else None."""
    if len(sample) < 16:
        return None
    even, odd = sample[0::2], sample[1::2]
    zero_even, zero_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    if zero_odd > 0.3 and zero_even < 0.05:
        return "le"
    if zero_even > 0.3 and zero_odd < 0.05:
        return "be"
    return None


def _looks_binary(head: bytes) -> bool:
    """True when the head holds many control bytes no text file has (NULs aside: text may carry them)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or _utf16_order(head[:4096]):
        return False
    sample = head.replace(b"\x00", b"")
    if not sample:
        return False
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls / len(sample) > BINARY_CONTROL_SHARE


def _looks_html(head: bytes, suffix: str) -> bool:
    """Markup at the start, or an HTML suffix with tags in it."""
    probe = head[:8192]
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        if probe.startswith(bom):
            probe = probe[len(bom):]
            break
    probe = probe.replace(b"\x00", b"").lower()
    start = probe.lstrip()
    if start.startswith(b"<?xml"):
        end = start.find(b"?>")
        start = start[end + 2:].lstrip() if end >= 0 else b""
    if start.startswith(_HTML_OPENERS) and any(m in probe for m in _HTML_MARKERS):
        return True
    if suffix in (".htm", ".html", ".xhtml", ".aspx"):
        return any(m in probe for m in _HTML_MARKERS) or start.startswith(b"<")
    return False


def load(path: str | Path) -> Document:
    """Read one paper. Raises ``LoadError`` naming the file and the reason."""
    p = Path(path)
    name = str(path)
    try:
        if p.is_dir():
            raise LoadError(name, "is a directory, not a paper")
        if not p.exists():
            raise LoadError(name, "no such file")
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise LoadError(name, f"file too large ({size // (1024 * 1024)} MB, limit {MAX_BYTES // (1024 * 1024)} MB)")
        data = p.read_bytes()
    except FileNotFoundError:
        raise LoadError(name, "no such file") from None
    except PermissionError:
        raise LoadError(name, "permission denied") from None
    except IsADirectoryError:
        raise LoadError(name, "is a directory, not a paper") from None
    except OSError as exc:
        raise LoadError(name, f"cannot read ({exc.strerror or exc})") from None
    return load_bytes(name, data, p.suffix)


def load_bytes(name: str, data: bytes, suffix: str = "") -> Document:
    """Read a paper already in memory (``name`` is used in messages and as ``Document.path``)."""
    if len(data) > MAX_BYTES:
        raise LoadError(name, f"file too large ({len(data) // (1024 * 1024)} MB, limit {MAX_BYTES // (1024 * 1024)} MB)")
    if not data.strip(b" \t\r\n\x00\x0b\x0c"):
        raise LoadError(name, "empty file")
    try:
        fmt = identify(data, suffix)
    except Unsupported as exc:
        raise LoadError(name, str(exc)) from None
    doc_id = document_id(data)
    if fmt == "pdf":
        from .pdf import load_pdf
        return load_pdf(name, data, doc_id)
    if fmt == "docx":
        from .docx import load_docx
        return load_docx(name, data, doc_id)
    if fmt == "html":
        from .html import load_html
        return load_html(name, data, doc_id)
    from .text import load_text
    return load_text(name, data, doc_id, fmt)
