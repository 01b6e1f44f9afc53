"""``item`` records: the numbered agenda items of minutes and agendas.

The structure stage finds agenda items (a number, then a title); here each
title is cleaned of furniture: ModernGov's ``pdf icon PDF 107 KB``, the page
numbers an agenda prints beside its items, footnote markers, and a minute's
"(Agenda item 3)" cross-reference with anything run on after it. Items come
from minutes and agendas, or from any paper where the structure stage found a
run of agenda items (so a mistaken doc_type cannot remove them), and only
where the paper prints a number or letter: a number is never guessed.
"""
from __future__ import annotations

import re
from typing import Iterable

from ..records import ItemRecord, Record, Source
from ..structure import Block, item_ordinal, plain, strip_furniture
from .document_meta import MEETING_ITEMS, agenda_run

ITEM_DOC_TYPES = ("minutes", "agenda")
_CROSS_REFERENCE = re.compile(r"\s*\((?:agenda\s+)?item\s+\d+\)", re.IGNORECASE)
_RUN_ON_LABEL = re.compile(r"\s+(?:RESOLVED|NOTED|AGREED|DECISION|DECIDED|RECOMMENDED)\b.*$")
_TRAILING_NUMBER = re.compile(r"(?<=\S)\s+\d{1,3}$")
_PAGE_NUMBER = re.compile(r"\d{1,4}")
_SPACES = re.compile(r"\s+")


def item_title(text: str) -> str:
    """An agenda item's title as printed, without furniture."""
    lines = [plain(line) for line in text.split("\n")]
    lines = [line for line in lines if line and not _PAGE_NUMBER.fullmatch(line)]  # margin page numbers
    title = _SPACES.sub(" ", " ".join(lines)).strip()
    m = _CROSS_REFERENCE.search(title)
    if m:
        title = title[:m.start()]
    title = _RUN_ON_LABEL.sub("", title)
    title = strip_furniture(title)
    return title.strip(" .:-–—")


def extract(ctx) -> Iterable[Record]:
    doc = ctx.document
    meta = ctx.of_type("document")
    if meta and meta[0].doc_type not in ITEM_DOC_TYPES and agenda_run(ctx.blocks) < MEETING_ITEMS:
        return  # a report's numbered headings; a run of agenda items stands on its own whatever the doc_type
    items: list[tuple[Block, str]] = []
    for block in ctx.blocks:
        if block.kind != "agenda_item" or not block.number or block.title is None:
            continue
        title = item_title(doc.text[block.title[0]:block.title[1]])
        if title:
            items.append((block, title))
    # An agenda that prints page numbers beside its items: most titles in a run end in a small number.
    runs: list[list[int]] = []
    for i, (block, _) in enumerate(items):
        if not runs or item_ordinal(block.number) <= item_ordinal(items[runs[-1][-1]][0].number):
            runs.append([])
        runs[-1].append(i)
    for run in runs:
        numbered = [i for i in run if _TRAILING_NUMBER.search(items[i][1])]
        if len(run) >= 3 and len(numbered) * 2 >= len(run):
            for i in numbered:
                items[i] = (items[i][0], _TRAILING_NUMBER.sub("", items[i][1]))
    for block, title in items:
        yield ItemRecord(doc=doc.doc_id, number=block.number, title=title,
                         source=Source.span(doc.text, block.start, block.end, block.page, block.number))
