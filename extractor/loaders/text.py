"""Plain text and markdown (including markdown converted from PDF)."""
from __future__ import annotations

import re

from charset_normalizer import from_bytes

from ..document import Document
from ..errors import LoadError


def decode(data: bytes, name: str) -> str:
    """Bytes → str in whatever common encoding they are in; never raises on bad bytes."""
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(enc, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data[:200_000]).best()
    if best is None:
        return data.decode("latin-1")
    return data.decode(best.encoding, errors="replace")


def normalise(text: str) -> str:
    """Newlines to ``\\n``, NULs and other control characters out, trailing spaces trimmed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", text)
    text = re.sub(r"[ \u00a0]+\n", "\n", text)
    return text


def load_text(name: str, data: bytes, doc_id: str, fmt: str = "txt") -> Document:
    text = normalise(decode(data, name))
    if not text.strip():
        raise LoadError(name, "no text")
    return Document(path=name, format=fmt, text=text, doc_id=doc_id)
