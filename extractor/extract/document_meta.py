"""The ``document`` record: council, committee, doc_type, meeting date, title, pages."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from ..records import DocumentRecord, Record


def extract(ctx) -> Iterable[Record]:
    doc = ctx.document
    first = next((b for b in ctx.blocks if b.kind in ("heading", "paragraph", "agenda_item")), None)
    title = first.text(doc).strip() if first else None
    yield DocumentRecord(
        doc=doc.doc_id, id=doc.doc_id, path=Path(doc.path).name, format=doc.format,
        title=title, council=ctx.council, pages=doc.page_count,
    )
