"""search: full-text search (FTS5) over the corpus's blocks, each hit cited.

A hit is a block (paragraph, list item, table row, agenda item) with a snippet
and where it is: council, committee, meeting date, paper (file name and doc
id), page and section. ``record_type`` keeps only blocks that hold a record of
that type (``--type provider``) and lists those records. A block that is a
copy of one already stored (the same item published twice) is left out, and
its original names the papers that repeat it (``also_in``).
"""
from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from ..errors import MinutesError
from ..outputs.table import EMPHASIS
from ..store import Store

COLUMNS = ["council", "committee", "date", "paper", "doc", "page", "section", "kind", "snippet", "text",
           "also_in", "records", "path", "score"]
TABLE_COLUMNS = ["council", "date", "paper", "page", "section", "snippet"]
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class SearchError(MinutesError):
    """A query or filter the search cannot run."""


@dataclass
class SearchQuery:
    text: str
    council: str | None = None
    since: str | None = None
    until: str | None = None
    record_type: str | None = None
    limit: int | None = 100
    include_duplicates: bool = False


def _date_bound(value: str | None, upper: bool) -> str | None:
    """``2016`` / ``2016-05`` / ``2016-05-11`` as an inclusive bound on ISO dates."""
    if value is None:
        return None
    if not _DATE.match(value):
        raise SearchError(f"{value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    if upper:
        return value + {4: "-12-31", 7: "-31", 10: ""}[len(value)]
    return value


def _quoted(text: str) -> str:
    """Every word as an FTS5 string, for queries that are not valid FTS syntax (``Babcock-Prime``, ``a:b``)."""
    return " ".join('"' + word.replace('"', '""') + '"' for word in text.split())


def search(db: str | Path, query: SearchQuery) -> list[dict]:
    """Blocks matching ``query.text`` (FTS5 syntax: words, "phrases", OR, NOT, prefix*), best first."""
    if not query.text.strip():
        raise SearchError("an empty query finds nothing: give a word or phrase")
    since = _date_bound(query.since, upper=False)
    until = _date_bound(query.until, upper=True)
    where = ["blocks_fts MATCH :q"]
    params: dict = {"q": query.text}
    if query.council:
        where.append("d.council = :council COLLATE NOCASE")
        params["council"] = query.council
    if since:
        where.append("d.meeting_date >= :since")
        params["since"] = since
    if until:
        where.append("d.meeting_date <= :until")
        params["until"] = until
    if not query.include_duplicates:
        where.append("b.duplicate_of IS NULL")
    if query.record_type:
        where.append("EXISTS (SELECT 1 FROM records r WHERE r.block_id = b.id AND r.type = :type)")
        params["type"] = query.record_type
    sql = (
        "SELECT b.id AS block_id, d.council, d.committee, d.meeting_date AS date, d.name AS paper, d.id AS doc, "
        "d.path, b.page, b.section, b.kind, b.text, "
        "snippet(blocks_fts, 0, char(2), char(3), '…', 24) AS snippet, bm25(blocks_fts) AS rank, "
        "(SELECT group_concat(DISTINCT cd.name) FROM blocks c JOIN documents cd ON cd.id = c.doc_id "
        " WHERE c.duplicate_of = b.id) AS also_in "
        "FROM blocks_fts JOIN blocks b ON b.id = blocks_fts.rowid JOIN documents d ON d.id = b.doc_id "
        f"WHERE {' AND '.join(where)} ORDER BY rank"
    )
    if query.limit:
        sql += f" LIMIT {int(query.limit)}"
    with Store(db, create=False, readonly=True) as store:
        try:
            rows = store.conn.execute(sql, params).fetchall()
        except sqlite3.OperationalError as exc:
            if "fts5" not in str(exc) and "no such column" not in str(exc):
                raise
            params["q"] = _quoted(query.text)
            rows = store.conn.execute(sql, params).fetchall()
        records = _records_by_block(store, [r["block_id"] for r in rows], query.record_type) if query.record_type else {}
    return [_hit(row, records.get(row["block_id"])) for row in rows]


def _records_by_block(store: Store, block_ids: list[int], record_type: str) -> dict[int, list[dict]]:
    out: dict[int, list[dict]] = {}
    for i in range(0, len(block_ids), 500):
        chunk = block_ids[i:i + 500]
        marks = ",".join("?" * len(chunk))
        for row in store.conn.execute(f"SELECT block_id, data FROM records WHERE type = ? AND block_id IN ({marks}) "
                                      "ORDER BY block_id, seq", [record_type, *chunk]):
            record = json.loads(row["data"])
            record.pop("source", None)
            record.pop("doc", None)
            out.setdefault(row["block_id"], []).append(record)
    return out


def _hit(row: sqlite3.Row, records: list[dict] | None) -> dict:
    snippet = " ".join((row["snippet"] or "").split()).replace("\x02", EMPHASIS).replace("\x03", EMPHASIS)
    return {
        "council": row["council"], "committee": row["committee"], "date": row["date"], "paper": row["paper"],
        "doc": row["doc"], "page": row["page"], "section": row["section"], "kind": row["kind"],
        "snippet": snippet, "text": row["text"], "also_in": row["also_in"].split(",") if row["also_in"] else [],
        "records": records, "path": row["path"], "score": round(-row["rank"], 3),
    }
