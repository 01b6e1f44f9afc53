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
    def spacy_doc(self):
        """The whole text run once through the shared pipeline (sentences, rule spans); parsed on first use."""
        parsed = self.__dict__.get("_spacy_doc")
        if parsed is None:
            from ..nlp import get_nlp
            nlp = get_nlp()
            nlp.max_length = max(nlp.max_length, len(self.document.text) + 1)
            parsed = self.__dict__["_spacy_doc"] = nlp(self.document.text)
        return parsed

    def rule_matches(self, label: str) -> list[tuple[int, int, str, str]]:
        """(start_char, end_char, id, text) of the span_ruler matches with ``label``, in text order (grouped once)."""
        groups = self.__dict__.get("_rule_matches")
        if groups is None:
            from ..nlp import SPANS_KEY
            groups = {}
            for sp in self.spacy_doc.spans.get(SPANS_KEY, []):
                groups.setdefault(sp.label_, []).append((sp.start_char, sp.end_char, sp.id_, sp.text))
            for matches in groups.values():
                matches.sort()
            self.__dict__["_rule_matches"] = groups
        return groups.get(label, [])


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
