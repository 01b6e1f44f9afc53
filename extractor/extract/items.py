"""``item`` records: numbered agenda items of minutes and agendas."""
from __future__ import annotations

import re
from typing import Iterable

from ..records import ItemRecord, Record, Source

_ITEM = re.compile(r"^(\d{1,4})\.?\s+(.+)$")


def extract(ctx) -> Iterable[Record]:
    doc = ctx.document
    for block in ctx.blocks:
        if block.kind != "agenda_item":
            continue
        m = _ITEM.match(block.text(doc))
        if not m:
            continue
        yield ItemRecord(doc=doc.doc_id, number=m.group(1), title=m.group(2).strip(),
                         source=Source.span(doc.text, block.start, block.end, block.page, m.group(1)))
