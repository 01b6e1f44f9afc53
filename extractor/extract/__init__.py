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
    folder_council: str | None = None  # from the paper's folder: used only when the text names no council

    def of_type(self, type_name: str) -> list[Record]:
        return [r for r in self.records if r.TYPE == type_name]

    @property
    def text_parse(self):
        """The shared pipeline's sentence starts and rule matches over the whole text (``nlp.TextParse``).

        Parsed once, on first use, in bounded chunks: every extractor reads this one parse, and no
        Doc over the whole text is ever held (a 30 MB paper parses in constant memory).
        """
        parsed = self.__dict__.get("_text_parse")
        if parsed is None:
            from ..nlp import parse_text
            parsed = self.__dict__["_text_parse"] = parse_text(self.document.text)
        return parsed

    @property
    def spacy_doc(self):
        """The whole text as one spaCy Doc, for callers that need tokens across the paper.

        Costly on long papers (memory grows with the text): extractors read ``sentence_starts``
        and ``rule_matches`` instead, which come from the bounded ``text_parse``.
        """
        parsed = self.__dict__.get("_spacy_doc")
        if parsed is None:
            from ..nlp import get_nlp
            nlp = get_nlp()
            nlp.max_length = max(nlp.max_length, len(self.document.text) + 1)
            parsed = self.__dict__["_spacy_doc"] = nlp(self.document.text)
        return parsed

    def sentence_starts(self) -> list[int]:
        """Character offsets where the sentencizer starts sentences, ascending (from the shared parse)."""
        return self.text_parse.sentence_starts

    def rule_matches(self, label: str) -> list[tuple[int, int, str, str]]:
        """(start_char, end_char, id, text) of the span_ruler matches with ``label``, in text order."""
        return self.text_parse.rule_matches(label)


Extractor = Callable[[ExtractionContext], Iterable[Record]]


def _extractors() -> list[Extractor]:
    from . import contracts, document_meta, figures, items, kpis, people, providers, recommendations, services
    # Order matters: providers before services and contracts (they resolve names
    # against the providers found), figures before kpis (a KPI is also a figure).
    return [document_meta.extract, items.extract, people.extract, providers.extract, services.extract,
            contracts.extract, figures.extract, kpis.extract, recommendations.extract]


def extract_records(document: Document, blocks: list[Block], council: str | None = None,
                    folder_council: str | None = None) -> list[Record]:
    ctx = ExtractionContext(document, blocks, council=council, folder_council=folder_council)
    for extractor in _extractors():
        ctx.records.extend(extractor(ctx))
    return ctx.records
