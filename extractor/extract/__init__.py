"""extract: blocks → typed records, one module per record type.

``EXTRACTORS`` runs in order; each takes an ``ExtractionContext`` and yields
records. Later extractors may read what earlier ones found (``ctx.records``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable

from ..document import Document
from ..records import Record
from ..structure import Block


@dataclass
class ExtractionContext:
    document: Document
    blocks: list[Block]
    records: list[Record] = field(default_factory=list)
    council: str | None = None  # a caller's hint (``--council``) that wins over the text

    def of_type(self, type_name: str) -> list[Record]:
        return [r for r in self.records if r.TYPE == type_name]


Extractor = Callable[[ExtractionContext], Iterable[Record]]


def _extractors() -> list[Extractor]:
    from . import document_meta, items
    return [document_meta.extract, items.extract]


def extract_records(document: Document, blocks: list[Block], council: str | None = None) -> list[Record]:
    ctx = ExtractionContext(document, blocks, council=council)
    for extractor in _extractors():
        ctx.records.extend(extractor(ctx))
    return ctx.records
