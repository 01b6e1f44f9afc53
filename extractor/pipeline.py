"""The one pure function: path → (Document, blocks, records). load → structure → extract.

``read`` (load → structure) and ``extract_read`` (the rest) are its two halves, for callers
that read a paper in one process and extract it in another (``ingest`` while its workers start).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .document import Document
from .extract import extract_records
from .loaders import load
from .records import Record
from .structure import Block, structure


@dataclass
class Extraction:
    document: Document
    blocks: list[Block]
    records: list[Record]


def read(path: str | Path) -> tuple[Document, list[Block]]:
    """Load one paper and find its blocks (no spaCy needed). Raises ``LoadError`` for unreadable files."""
    document = load(path)
    return document, structure(document)


def extract(path: str | Path, *, council: str | None = None, folder_council: str | None = None) -> Extraction:
    """Read one paper and extract every record from it. Raises ``LoadError`` for unreadable files.

    ``council`` (``--council``) wins over what the paper says; ``folder_council``
    (from a folder such as ``papers/barnet/``) is used only when the paper names none.
    """
    return extract_read(*read(path), council=council, folder_council=folder_council)


def extract_read(document: Document, blocks: list[Block], *, council: str | None = None,
                 folder_council: str | None = None) -> Extraction:
    """Every record of a paper already ``read``; see ``extract``."""
    records = extract_records(document, blocks, council=council, folder_council=folder_council)
    if folder_council:
        for record in records:
            if record.TYPE == "document" and not getattr(record, "council", None):
                record.council = folder_council
    return Extraction(document, blocks, records)
