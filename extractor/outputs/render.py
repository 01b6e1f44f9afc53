"""Writing extracted records: JSONL (the contract), CSV, or a rich summary table."""
from __future__ import annotations

import csv
import io
import json
import sys
from collections import Counter
from pathlib import Path

from ..records import TYPE_ORDER


class RecordWriter:
    """Streams each paper's records in the chosen format to a file or stdout."""

    def __init__(self, fmt: str, output: Path | None = None):
        self.fmt = fmt
        self.output = output
        self._fh = None
        self._csv = None
        self._summaries: list = []

    def __enter__(self) -> "RecordWriter":
        self._fh = open(self.output, "w", encoding="utf-8", newline="") if self.output else sys.stdout
        return self

    def write(self, result) -> None:
        dicts = [r.to_dict() for r in result.records]
        if self.fmt == "jsonl":
            for d in dicts:
                self._fh.write(json.dumps(d, ensure_ascii=False) + "\n")
            self._fh.flush()
        elif self.fmt == "csv":
            if self._csv is None:
                self._csv = csv.writer(self._fh)
                self._csv.writerow(["doc", "type", "page", "section", "summary", "quote"])
            for d in dicts:
                src = d.get("source") or {}
                fields = {k: v for k, v in d.items() if k not in ("type", "doc", "source")}
                self._csv.writerow([d["doc"], d["type"], src.get("page"), src.get("section"),
                                    json.dumps(fields, ensure_ascii=False), src.get("quote")])
        else:
            self._summaries.append(result)

    def __exit__(self, *exc) -> None:
        if self.fmt == "table" and self._summaries:
            self._render_tables()
        if self.output and self._fh:
            self._fh.close()

    def _render_tables(self) -> None:
        from rich.console import Console
        from rich.table import Table

        console = Console(file=self._fh if self.output else None, width=None if not self.output else 140)
        overview = Table(title="Papers", show_lines=False)
        for col in ("paper", "council", "committee", "type", "date", "pages", *[t for t in TYPE_ORDER if t != "document"]):
            overview.add_column(col, overflow="fold")
        for result in self._summaries:
            meta = next((r for r in result.records if r.TYPE == "document"), None)
            counts = Counter(r.TYPE for r in result.records)
            overview.add_row(
                Path(result.document.path).name, meta.council or "" if meta else "", meta.committee or "" if meta else "",
                meta.doc_type if meta else "", meta.meeting_date or "" if meta else "", str(meta.pages or "") if meta else "",
                *[str(counts.get(t, 0)) for t in TYPE_ORDER if t != "document"],
            )
        console.print(overview)
        for result in self._summaries:
            detail = Table(title=Path(result.document.path).name, show_lines=False)
            for col in ("type", "page", "section", "what", "quote"):
                detail.add_column(col, overflow="fold")
            for r in result.records:
                if r.TYPE == "document":
                    continue
                d = r.to_dict()
                src = d.pop("source", None) or {}
                what = ", ".join(f"{k}={v}" for k, v in d.items() if k not in ("type", "doc") and v not in (None, [], ""))
                quote = src.get("quote", "")
                detail.add_row(r.TYPE, str(src.get("page") or ""), src.get("section") or "", what,
                               quote if len(quote) < 160 else quote[:157] + "…")
            if detail.row_count:
                console.print(detail)
