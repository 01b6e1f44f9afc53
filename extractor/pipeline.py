"""The one pure function: path → (Document, blocks, records). load → structure → extract."""
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


def extract(path: str | Path, *, council: str | None = None, folder_council: str | None = None) -> Extraction:
    """Read one paper and extract every record from it. Raises ``LoadError`` for unreadable files.

    ``council`` (``--council``) wins over what the paper says; ``folder_council``
    (from a folder such as ``papers/barnet/``) is used only when the paper names none.
    """
    document = load(path)
    blocks = structure(document)
    records = extract_records(document, blocks, council=council, folder_council=folder_council)
    if folder_council:
        for record in records:
            if record.TYPE == "document" and not getattr(record, "council", None):
                record.council = folder_council
    return Extraction(document, blocks, records)
