"""load: bytes on disk → ``Document``. The format is sniffed from the content."""
from __future__ import annotations

from pathlib import Path

from ..document import Document, document_id
from ..errors import LoadError

# A paper larger than this is refused rather than read into memory whole.
MAX_BYTES = 200 * 1024 * 1024


def sniff(data: bytes, suffix: str = "") -> str | None:
    """The paper's format from its first bytes: pdf, docx, html, md, txt — or None if unknown."""
    head = data[:2048]
    if head.lstrip()[:5] == b"%PDF-" or b"%PDF-" in data[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx" if suffix in ("", ".docx", ".docm") or b"word/" in data[:65536] else None
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return None  # legacy OLE (.doc/.xls): not supported
    low = head.lower()
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        if low.startswith(bom):
            low = low[len(bom):]
    probe = low.replace(b"\x00", b"").lstrip()
    if probe.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in probe or b"<div" in probe[:512]:
        if b"<html" in probe or b"<body" in probe or b"<div" in probe or b"<p" in probe:
            return "html"
    if suffix in (".md", ".markdown"):
        return "md"
    if suffix in (".htm", ".html") and b"<" in probe:
        return "html"
    return "txt"


def load(path: str | Path) -> Document:
    """Read one paper. Raises ``LoadError`` naming the file and the reason."""
    p = Path(path)
    name = str(path)
    try:
        if p.is_dir():
            raise LoadError(name, "is a directory")
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise LoadError(name, f"file too large ({size // (1024 * 1024)} MB, limit {MAX_BYTES // (1024 * 1024)} MB)")
        data = p.read_bytes()
    except FileNotFoundError:
        raise LoadError(name, "no such file") from None
    except PermissionError:
        raise LoadError(name, "permission denied") from None
    except IsADirectoryError:
        raise LoadError(name, "is a directory") from None
    if not data.strip():
        raise LoadError(name, "empty file")
    fmt = sniff(data, p.suffix.lower())
    if fmt is None:
        raise LoadError(name, "unknown file type (not PDF, DOCX, HTML or text)")
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
