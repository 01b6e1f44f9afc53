"""export: every record type as one table joined with its paper's metadata, and the pandas writer shared
by the commands that hand spreadsheets to researchers (``compare``, ``export``).

``minutes export OUTDIR`` writes ``OUTDIR/<type>.<ext>`` (``service.csv``, ``kpi.parquet``, …): one row
per record, its contract fields as columns, ``source`` flattened (page, section, start, end, quote), and
the paper's council, committee, meeting date, title and file name beside it. Records that are copies
of one already stored (the same item published twice) carry ``duplicate_of``, so a researcher can drop them.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

from ..errors import MinutesError
from ..store import Store
from .table import _xlsx_cell

FRAME_FORMATS = ["csv", "jsonl", "parquet", "xlsx"]
PAPER_COLUMNS = ["council", "committee", "meeting_date", "title", "paper", "doc", "doc_type"]
SOURCE_COLUMNS = ["page", "section", "start", "end", "quote"]
_SUFFIX = {"csv": ".csv", "jsonl": ".jsonl", "parquet": ".parquet", "xlsx": ".xlsx"}


class ExportError(MinutesError):
    """The tables cannot be written as asked."""


def write_frame(rows: Sequence[dict], fmt: str, output: Path, *, columns: Sequence[str] | None = None,
                sheet: str = "rows") -> None:
    """Write ``rows`` with pandas as CSV, JSONL, Parquet (pyarrow) or XLSX (openpyxl) to ``output``.

    Lists and dicts become JSON text in CSV/XLSX cells; XLSX text cells never start a formula.
    """
    import pandas as pd

    frame = pd.DataFrame(list(rows), columns=list(columns) if columns else None)
    try:
        if fmt == "csv":
            frame.map(_cell).to_csv(output, index=False)
        elif fmt == "jsonl":
            frame.to_json(output, orient="records", lines=True, force_ascii=False)
        elif fmt == "parquet":
            # a column of mixed lists and nulls is stored as JSON text: Parquet wants one type a column
            for col in frame.columns:
                if frame[col].map(lambda v: isinstance(v, (list, dict))).any():
                    frame[col] = frame[col].map(_cell)
            frame.to_parquet(output, index=False, engine="pyarrow")
        elif fmt == "xlsx":
            frame.map(lambda v: _xlsx_cell(_cell(v))).to_excel(output, index=False, engine="openpyxl",
                                                                sheet_name=_sheet_name(sheet))
        else:
            raise ExportError(f"unknown format {fmt!r} (choose from {', '.join(FRAME_FORMATS)})")
    except OSError as exc:
        raise ExportError(f"{output}: cannot write ({exc.strerror or exc})") from None


def _cell(value):
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return value


def _sheet_name(name: str) -> str:
    return name[:31].translate({ord(c): " " for c in "[]:*?/\\"}) or "rows"


def record_tables(db: str | Path, include_duplicates: bool = True) -> dict[str, list[dict]]:
    """Rows per record type: the paper's metadata, the record's own fields, its source flattened."""
    tables: dict[str, list[dict]] = {}
    with Store(db, create=False, readonly=True) as store:
        papers = {r["id"]: r for r in store.conn.execute(
            "SELECT id, name, council, committee, meeting_date, title, doc_type FROM documents")}
        sql = ("SELECT id, doc_id, type, duplicate_of, data FROM records"
               + ("" if include_duplicates else " WHERE duplicate_of IS NULL") + " ORDER BY type, doc_id, seq")
        for row in store.conn.execute(sql):
            record = json.loads(row["data"])
            paper = papers.get(row["doc_id"])
            out = {"council": paper["council"] if paper else None,
                   "committee": paper["committee"] if paper else None,
                   "meeting_date": paper["meeting_date"] if paper else None,
                   "title": paper["title"] if paper else None,
                   "paper": paper["name"] if paper else None, "doc": row["doc_id"],
                   "doc_type": paper["doc_type"] if paper else None}
            source = record.pop("source", None) or {}
            record.pop("doc", None)
            record.pop("type", None)
            if row["type"] == "document":
                record.pop("id", None)
            for key, value in record.items():
                out[key if key not in out else f"record_{key}"] = value
            if row["type"] != "document":
                out.update({k: source.get(k) for k in SOURCE_COLUMNS})
            out["record_id"] = row["id"]
            out["duplicate_of"] = row["duplicate_of"]
            tables.setdefault(row["type"], []).append(out)
    return tables


def export(db: str | Path, outdir: str | Path, fmt: str, include_duplicates: bool = True) -> dict[str, Path]:
    """Write one file per record type into ``outdir``; returns type → path."""
    if fmt not in FRAME_FORMATS:
        raise ExportError(f"unknown format {fmt!r} (choose from {', '.join(FRAME_FORMATS)})")
    outdir = Path(outdir)
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"{outdir}: cannot create the folder ({exc.strerror or exc})") from None
    written = {}
    for rtype, rows in record_tables(db, include_duplicates).items():
        path = outdir / f"{rtype}{_SUFFIX[fmt]}"
        write_frame(rows, fmt, path, sheet=rtype)
        written[rtype] = path
    return written
