"""Typed records of the contract (docs/RECORDS.md) and their one serialisation.

Every extractor yields these dataclasses; ``to_dict`` is the only place that
turns them into contract JSON, so the field order and names live here alone.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from typing import Any, ClassVar, Iterable


@dataclass
class Source:
    """Provenance: page (1-based or None), section number, offsets into the text, the quote."""

    page: int | None
    section: str | None
    start: int
    end: int
    quote: str

    @classmethod
    def span(cls, text: str, start: int, end: int, page: int | None = None, section: str | None = None) -> "Source":
        """A source for ``text[start:end]``, trimmed of surrounding whitespace."""
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        return cls(page=page, section=section, start=start, end=end, quote=text[start:end])


@dataclass(kw_only=True)
class Record:
    TYPE: ClassVar[str] = ""
    doc: str
    source: Source | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.TYPE, "doc": self.doc}
        for f in fields(self):
            if f.name in ("doc", "source"):
                continue
            out[f.name] = getattr(self, f.name)
        if self.source is not None:
            s = self.source
            out["source"] = {"page": s.page, "section": s.section, "start": s.start, "end": s.end, "quote": s.quote}
        return out


@dataclass(kw_only=True)
class DocumentRecord(Record):
    TYPE: ClassVar[str] = "document"
    id: str
    path: str
    format: str
    title: str | None = None
    council: str | None = None
    committee: str | None = None
    doc_type: str = "other"
    meeting_date: str | None = None
    pages: int | None = None


@dataclass(kw_only=True)
class ItemRecord(Record):
    TYPE: ClassVar[str] = "item"
    number: str
    title: str


@dataclass(kw_only=True)
class ServiceRecord(Record):
    TYPE: ClassVar[str] = "service"
    name: str
    status: str = "mentioned"
    provider: str | None = None
    register_id: str | None = None
    match_score: float | None = None


@dataclass(kw_only=True)
class ProviderRecord(Record):
    TYPE: ClassVar[str] = "provider"
    name: str
    kind: str | None = None
    aliases: list[str] = field(default_factory=list)
    register_id: str | None = None
    match_score: float | None = None


@dataclass(kw_only=True)
class ContractRecord(Record):
    TYPE: ClassVar[str] = "contract"
    provider: str
    start_date: str | None = None
    term_years: float | None = None
    end_date: str | None = None
    annual_value_gbp: float | None = None
    savings_gbp: float | None = None
    savings_period: str | None = None
    notes: str | None = None


@dataclass(kw_only=True)
class KpiRecord(Record):
    TYPE: ClassVar[str] = "kpi"
    name: str
    ref: str | None = None
    value: float | None = None
    unit: str | None = None
    period: str | None = None
    target: float | None = None
    qualifier: str | None = None


@dataclass(kw_only=True)
class FigureRecord(Record):
    TYPE: ClassVar[str] = "figure"
    value: float
    unit: str
    subject: str | None = None
    period: str | None = None
    text: str = ""


@dataclass(kw_only=True)
class RecommendationRecord(Record):
    TYPE: ClassVar[str] = "recommendation"
    text: str
    kind: str = "recommendation"
    by: str | None = None
    to: str | None = None
    due: str | None = None
    number: str | None = None


@dataclass(kw_only=True)
class PersonRecord(Record):
    TYPE: ClassVar[str] = "person"
    name: str
    role: str | None = None
    organisation: str | None = None


RECORD_TYPES: dict[str, type[Record]] = {
    cls.TYPE: cls
    for cls in (DocumentRecord, ItemRecord, ServiceRecord, ProviderRecord, ContractRecord,
                KpiRecord, FigureRecord, RecommendationRecord, PersonRecord)
}
TYPE_ORDER = list(RECORD_TYPES)


def to_jsonl(records: Iterable[Record]) -> str:
    return "".join(json.dumps(r.to_dict(), ensure_ascii=False) + "\n" for r in records)
