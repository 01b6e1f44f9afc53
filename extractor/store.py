"""store: the corpus database — documents, blocks, records and errors in one SQLite file.

Plain SQLite that Datasette or ``sqlite3`` opens as it is:

- WAL journal with ``synchronous=NORMAL``: readers never wait for the ingest,
  and a crash (even ``kill -9``) loses at most the paper being written.
- One transaction per paper: its old rows go and its new rows come in the same
  transaction, so a paper is either wholly there or not there at all, never twice.
- ``blocks_fts`` is an FTS5 index over ``blocks.text`` kept in step by the
  ``blocks_ai``/``blocks_ad``/``blocks_au`` triggers (the naming sqlite-utils
  uses, which is how Datasette finds a table's search index).
- Records are stored whole as contract JSON (``data``) with their type,
  paper, page, section, offsets and quote as indexed columns.
- The same text published twice (a ModernGov "Agenda item" page and the
  "Agenda and minutes" page that holds the same item) is linked:
  ``blocks.duplicate_of`` and ``records.duplicate_of`` point at the copy that
  was stored first, so analyses count each thing once (``WHERE duplicate_of IS NULL``).
"""
from __future__ import annotations

import os
import re
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .errors import MinutesError

# hashlib and json are imported where rows are written or read: an unchanged
# re-ingest opens the database, compares fingerprints and needs neither.

SCHEMA_VERSION = 2
# Each step upgrades a database from the version before it (the key) to the key + 1.
_MIGRATIONS = {
    1: "ALTER TABLE blocks ADD COLUMN head_hash TEXT; CREATE INDEX IF NOT EXISTS blocks_head ON blocks(head_hash);",
}
DEFAULT_DB = "minutes.db"
# How long a writer waits for another writer's transaction before giving up.
BUSY_TIMEOUT_MS = 30_000
# Blocks shorter than this are headings and furniture that papers share by
# coincidence ("Minutes", "Recommendations"), not the same text published twice.
MIN_DUPLICATE_CHARS = 60

_SCHEMA = """
CREATE TABLE IF NOT EXISTS schema_version (
    version INTEGER NOT NULL,
    applied_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    extraction_version TEXT NOT NULL,
    status TEXT NOT NULL,            -- running | completed | interrupted | failed
    files INTEGER DEFAULT 0,
    ingested INTEGER DEFAULT 0,
    skipped INTEGER DEFAULT 0,
    failed INTEGER DEFAULT 0
);
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,             -- sha256[:16] of the bytes: the contract's doc id
    sha256 TEXT NOT NULL,
    path TEXT NOT NULL,              -- where it was last read from
    name TEXT NOT NULL,              -- the file name, for citations
    format TEXT,
    title TEXT,
    council TEXT,
    committee TEXT,
    doc_type TEXT,
    meeting_date TEXT,
    pages INTEGER,
    size INTEGER,
    chars INTEGER,
    block_count INTEGER,
    record_count INTEGER,
    warnings TEXT,                   -- JSON list
    extraction_version TEXT NOT NULL,
    run_id INTEGER REFERENCES runs(id),
    ingested_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_council ON documents(council, meeting_date);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY,           -- every path a paper was seen at (copies share a doc id)
    doc_id TEXT NOT NULL,
    size INTEGER,
    mtime_ns INTEGER,
    seen_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS files_doc ON files(doc_id);
CREATE TABLE IF NOT EXISTS blocks (
    id INTEGER PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,            -- reading order within the paper
    kind TEXT NOT NULL,              -- heading | paragraph | list_item | table_row | agenda_item
    page INTEGER,
    section TEXT,
    number TEXT,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    text_hash TEXT,                  -- of the folded text; null for blocks too short to compare
    duplicate_of INTEGER REFERENCES blocks(id) ON DELETE SET NULL,
    head_hash TEXT                   -- of the folded text's first characters: finds truncated copies
);
CREATE INDEX IF NOT EXISTS blocks_doc ON blocks(doc_id, seq);
CREATE INDEX IF NOT EXISTS blocks_hash ON blocks(text_hash);
CREATE INDEX IF NOT EXISTS blocks_head ON blocks(head_hash);
CREATE TABLE IF NOT EXISTS records (
    id INTEGER PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,            -- order the extractor gave
    type TEXT NOT NULL,
    page INTEGER,
    section TEXT,
    start INTEGER,
    "end" INTEGER,
    quote TEXT,
    block_id INTEGER REFERENCES blocks(id) ON DELETE SET NULL,
    record_key TEXT,                 -- type + folded quote + what the record says: finds copies
    duplicate_of INTEGER REFERENCES records(id) ON DELETE SET NULL,
    data TEXT NOT NULL               -- the record as contract JSON
);
CREATE INDEX IF NOT EXISTS records_type ON records(type, doc_id);
CREATE INDEX IF NOT EXISTS records_doc ON records(doc_id, seq);
CREATE INDEX IF NOT EXISTS records_block ON records(block_id);
CREATE INDEX IF NOT EXISTS records_key ON records(record_key);
CREATE INDEX IF NOT EXISTS records_duplicate ON records(duplicate_of);
CREATE INDEX IF NOT EXISTS blocks_duplicate ON blocks(duplicate_of);
CREATE TABLE IF NOT EXISTS errors (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL,
    doc_id TEXT,
    extraction_version TEXT,
    message TEXT NOT NULL,
    run_id INTEGER REFERENCES runs(id),
    at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS errors_doc ON errors(doc_id, extraction_version);
CREATE TABLE IF NOT EXISTS followup_reviews (
    recommendation_key TEXT NOT NULL,  -- doc id + hash of the recommendation's folded text (survives re-ingest)
    evidence_key TEXT NOT NULL,        -- doc id + hash of the evidence passage's folded text
    decision TEXT NOT NULL,            -- confirmed | rejected: a person's ruling on a proposed follow-up link
    recommendation TEXT,
    evidence TEXT,
    decided_at TEXT NOT NULL,
    PRIMARY KEY (recommendation_key, evidence_key)
);
CREATE VIRTUAL TABLE IF NOT EXISTS blocks_fts USING fts5(
    text, content="blocks", content_rowid="id", tokenize="porter unicode61 remove_diacritics 2"
);
CREATE TRIGGER IF NOT EXISTS blocks_ai AFTER INSERT ON blocks BEGIN
    INSERT INTO blocks_fts(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER IF NOT EXISTS blocks_ad AFTER DELETE ON blocks BEGIN
    INSERT INTO blocks_fts(blocks_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER IF NOT EXISTS blocks_au AFTER UPDATE OF text ON blocks BEGIN
    INSERT INTO blocks_fts(blocks_fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO blocks_fts(rowid, text) VALUES (new.id, new.text);
END;
"""


# Tables added after schema 1 shipped: created on demand (``Store.ensure_tables``), never by a migration.
LATER_TABLES = _SCHEMA[_SCHEMA.index("CREATE TABLE IF NOT EXISTS followup_reviews"):_SCHEMA.index("CREATE VIRTUAL TABLE IF NOT EXISTS blocks_fts")]


class StoreError(MinutesError):
    """The database cannot be used (missing, locked by another ingest, too new)."""


def default_db() -> Path:
    """``$MINUTES_DB``, else ``minutes.db`` in the current folder."""
    return Path(os.environ.get("MINUTES_DB") or DEFAULT_DB)


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


class _FoldTable(dict):
    """``str.translate`` table of fold_text: a character that is not a word character (regex ``\\w``:
    alphanumeric or ``_``), ``%`` or ``£`` becomes a space; the others stay. Filled as characters are met."""

    def __missing__(self, code: int) -> int:
        char = chr(code)
        self[code] = value = code if char.isalnum() or char in "_%£" else 32
        return value


_FOLD_TABLE = _FoldTable()


def fold_text(text: str) -> str:
    """Lower case, punctuation and spacing folded to single spaces.

    The same as ``re.sub(r"[^\\w%£]+", " ", text.lower()).strip()`` (tests check it), in about
    two thirds of the time: after the table, every character is kept or a space, and only spaces split.
    """
    return " ".join(text.lower().translate(_FOLD_TABLE).split())


def folded_hash(text: str) -> str:
    """A hash of the text with case, punctuation and spacing folded away."""
    import hashlib

    return hashlib.sha1(fold_text(text).encode("utf-8")).hexdigest()[:16]


# A ModernGov "Agenda and minutes" page cuts long minutes short: "... managing parental  ...  view the full minutes text".
_TRUNCATED = re.compile(r"^(?P<stem>.*\S)\s*(?:\.\.\.|…)(?P<tail>(?:(?!\.\.\.|…).){0,60})$", re.DOTALL)


def truncated_stem(text: str) -> str | None:
    """The folded text before the cut of a truncated block, or None if the block is whole."""
    text = text.strip()
    # the ellipsis is within the last 63 characters or there is no cut: skip the backtracking regex
    if "..." not in text[-70:] and "…" not in text[-70:]:
        return None
    m = _TRUNCATED.match(text)
    if not m:
        return None
    stem = fold_text(m.group("stem"))
    return stem if len(stem) >= MIN_DUPLICATE_CHARS else None


def head_hash(text: str, folded: str | None = None) -> str | None:
    """A hash of the first characters of the folded text (of its stem when truncated).
    ``folded``: ``fold_text(text)`` when the caller has it already."""
    folded = truncated_stem(text) or (folded if folded is not None else fold_text(text))
    return folded_hash(folded[:MIN_DUPLICATE_CHARS]) if len(folded) >= MIN_DUPLICATE_CHARS else None


# What a record says, for telling a copy of a record from a different one of the same quote.
_IDENTITY = {
    "item": ("number", "title"), "service": ("name",), "provider": ("name",), "contract": ("provider",),
    "kpi": ("name", "value", "period"), "figure": ("value", "unit"), "recommendation": ("text",),
    "person": ("name",),
}


def block_hashes(texts: list[str], folded: list[str] | None = None) -> list[str | None]:
    """Each block's ``text_hash``: of its folded text, or for a short block (a list item
    naming one service) of the block with its neighbours, so that two papers sharing one
    short line are not taken for the same publication; None when even that is too short.
    ``folded``: the texts already passed through ``fold_text``, when the caller has them."""
    import hashlib

    out: list[str | None] = []
    for i, text in enumerate(texts):
        if len(text.strip()) >= MIN_DUPLICATE_CHARS:
            out.append(hashlib.sha1(folded[i].encode("utf-8")).hexdigest()[:16] if folded else folded_hash(text))
            continue
        context = "\n".join(texts[max(0, i - 1):i + 2])
        out.append(folded_hash("\x01" + context) if len(context.strip()) >= 2 * MIN_DUPLICATE_CHARS else None)
    return out


def record_key(record: dict, block_hash: str | None, folds: dict[str, str] | None = None) -> str | None:
    """What the record says plus the passage it comes from (the holding block's hash), hashed;
    None when the passage is too short to tell a copy from a coincidence.

    The hash is of ``fold_text(f"{type}\\x00{block_hash}\\x00{quote}\\x00{identity JSON}")``, built from
    the parts folded one by one: a ``\\x00`` is no word character and ends a case context, so the
    folded whole is the non-empty folded parts joined by spaces (tests check it). ``folds``: a
    cache of folded parts, for a caller keying many records (a paper's records share quotes).
    """
    if record.get("type") not in _IDENTITY or not block_hash:
        return None
    import hashlib

    identity = _json_encoders()[1]([record.get(f) for f in _IDENTITY[record["type"]]])
    quote = (record.get("source") or {}).get("quote") or ""
    if folds is None:
        folds = {}
    parts = []
    for part in (record["type"], block_hash, quote, identity):
        folded = folds.get(part)
        if folded is None:
            folded = folds[part] = fold_text(part)
        if folded:
            parts.append(folded)
    return hashlib.sha1(" ".join(parts).encode("utf-8")).hexdigest()[:16]


@cache
def _json_encoders():
    """``json.dumps(x, ensure_ascii=False)`` and ``json.dumps(x, default=str)``, without a new encoder per call."""
    import json

    return json.JSONEncoder(ensure_ascii=False).encode, json.JSONEncoder(default=str).encode


@dataclass
class PaperRows:
    """One paper's extraction, ready to store: what a worker sends back to the writer."""

    path: str
    doc_id: str
    sha256: str
    size: int
    mtime_ns: int
    format: str
    chars: int
    pages: int | None
    document: dict[str, object]                     # the contract's document record
    blocks: list[tuple] = field(default_factory=list)  # (kind, page, section, number, start, end, text)
    records: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class Store:
    """The corpus database. ``Store(path)`` opens (and creates or upgrades) it.

    Use as a context manager, or call ``close()``.
    """

    def __init__(self, path: str | Path, *, create: bool = True, readonly: bool = False):
        self.path = Path(path)
        if not create and not self.path.exists():
            raise StoreError(f"{self.path}: no corpus database here (run `minutes ingest PATH --db {self.path}` first)")
        try:
            if readonly:
                self.conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, isolation_level=None,
                                            timeout=BUSY_TIMEOUT_MS / 1000)
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self.conn = sqlite3.connect(self.path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if not readonly:
                self.conn.execute("PRAGMA journal_mode = WAL")
                self.conn.execute("PRAGMA synchronous = NORMAL")
            self.conn.execute("PRAGMA foreign_keys = ON")
            self._migrate(readonly)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a minutes database ({exc})") from None

    # --- lifecycle ------------------------------------------------------------------------

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    def _migrate(self, readonly: bool) -> None:
        has_version = self.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='schema_version'").fetchone()
        version = self.conn.execute("SELECT max(version) FROM schema_version").fetchone()[0] if has_version else None
        if version is not None and version > SCHEMA_VERSION:
            raise StoreError(f"{self.path}: made by a newer minutes (schema {version}, this one knows {SCHEMA_VERSION}); upgrade minutes")
        if version == SCHEMA_VERSION:
            return
        if readonly:
            if version is None:
                raise StoreError(f"{self.path}: not a minutes database (no schema version)")
            return  # an older database reads fine; the next ingest upgrades it
        if version is not None:
            for step in range(version, SCHEMA_VERSION):
                self.conn.executescript(
                    f"BEGIN IMMEDIATE; {_MIGRATIONS[step]} INSERT INTO schema_version(version, applied_at) "
                    f"VALUES ({step + 1}, '{_now()}'); COMMIT;")
            return
        if version is None:
            tables = self.conn.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0]
            if tables:
                raise StoreError(f"{self.path}: an SQLite database, but not one minutes made; give another --db")
        # one script, one transaction: two processes creating the database at once both succeed
        self.conn.executescript(
            "BEGIN IMMEDIATE;" + _SCHEMA +
            f"INSERT INTO schema_version(version, applied_at) SELECT {SCHEMA_VERSION}, '{_now()}' "
            f"WHERE NOT EXISTS (SELECT 1 FROM schema_version WHERE version = {SCHEMA_VERSION}); COMMIT;")

    def ensure_tables(self) -> None:
        """Create tables newer than the database (``followup_reviews``); a no-op when they are there."""
        self.conn.executescript("BEGIN IMMEDIATE;" + LATER_TABLES + "COMMIT;")

    def has_table(self, name: str) -> bool:
        """Whether the database holds table ``name`` (an older database may lack later tables)."""
        return self.conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (name,)).fetchone() is not None

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """``BEGIN IMMEDIATE`` … ``COMMIT``; rolled back on any exception (Ctrl-C included)."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    # --- runs -----------------------------------------------------------------------------

    def start_run(self, extraction_version: str) -> int:
        with self.transaction() as c:
            cur = c.execute("INSERT INTO runs(started_at, extraction_version, status) VALUES (?, ?, 'running')",
                            (_now(), extraction_version))
            return cur.lastrowid

    def finish_run(self, run_id: int, status: str, *, files: int, ingested: int, skipped: int, failed: int) -> None:
        with self.transaction() as c:
            c.execute("UPDATE runs SET finished_at=?, status=?, files=?, ingested=?, skipped=?, failed=? WHERE id=?",
                      (_now(), status, files, ingested, skipped, failed, run_id))

    # --- incremental checks ---------------------------------------------------------------

    def current_documents(self, extraction_version: str) -> set[str]:
        """Ids of papers stored by this extraction version (nothing to redo for them)."""
        rows = self.conn.execute("SELECT id FROM documents WHERE extraction_version = ?", (extraction_version,))
        return {r[0] for r in rows}

    def known_failures(self, extraction_version: str) -> dict[str, str]:
        """Papers (by id) this extraction version already failed on, with the message."""
        rows = self.conn.execute(
            "SELECT doc_id, message FROM errors WHERE extraction_version = ? AND doc_id IS NOT NULL "
            "AND doc_id NOT IN (SELECT id FROM documents)", (extraction_version,))
        return {r[0]: r[1] for r in rows}

    def files(self) -> dict[str, tuple[str, int, int]]:
        """Every known path → (doc id, size, mtime_ns)."""
        return {r[0]: (r[1], r[2], r[3]) for r in self.conn.execute("SELECT path, doc_id, size, mtime_ns FROM files")}

    def note_files(self, seen: list[tuple[str, str, int, int]]) -> None:
        """Remember where papers were seen: (path, doc id, size, mtime_ns), in one transaction."""
        if not seen:
            return
        now = _now()
        with self.transaction() as c:
            c.executemany("INSERT INTO files(path, doc_id, size, mtime_ns, seen_at) VALUES (?, ?, ?, ?, ?) "
                          "ON CONFLICT(path) DO UPDATE SET doc_id=excluded.doc_id, size=excluded.size, "
                          "mtime_ns=excluded.mtime_ns, seen_at=excluded.seen_at",
                          [(p, d, s, m, now) for p, d, s, m in seen])

    # --- writing a paper ------------------------------------------------------------------

    def write_paper(self, paper: PaperRows, extraction_version: str, run_id: int | None = None) -> None:
        """Replace everything stored for this paper with ``paper``, in one transaction."""
        import json

        doc = paper.document
        with self.transaction() as c:
            self._delete_paper(c, paper.doc_id)
            c.execute(
                "INSERT INTO documents(id, sha256, path, name, format, title, council, committee, doc_type, "
                "meeting_date, pages, size, chars, block_count, record_count, warnings, extraction_version, "
                "run_id, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (paper.doc_id, paper.sha256, paper.path, Path(paper.path).name, paper.format, doc.get("title"),
                 doc.get("council"), doc.get("committee"), doc.get("doc_type"), doc.get("meeting_date"),
                 paper.pages, paper.size, paper.chars, len(paper.blocks), len(paper.records),
                 json.dumps(paper.warnings, ensure_ascii=False), extraction_version, run_id, _now()))
            block_ids, hashes, heads = self._insert_blocks(c, paper)
            self._insert_records(c, paper, block_ids, hashes)
            self._relink_truncated(c, sorted({h for h in heads if h}))
            c.execute("INSERT INTO files(path, doc_id, size, mtime_ns, seen_at) VALUES (?, ?, ?, ?, ?) "
                      "ON CONFLICT(path) DO UPDATE SET doc_id=excluded.doc_id, size=excluded.size, "
                      "mtime_ns=excluded.mtime_ns, seen_at=excluded.seen_at",
                      (paper.path, paper.doc_id, paper.size, paper.mtime_ns, _now()))
            c.execute("DELETE FROM errors WHERE doc_id = ? OR path = ?", (paper.doc_id, paper.path))

    def write_error(self, path: str, message: str, *, doc_id: str | None, extraction_version: str,
                    run_id: int | None = None) -> None:
        """Record that a paper failed (the latest failure per paper is kept)."""
        with self.transaction() as c:
            c.execute("DELETE FROM errors WHERE path = ?", (path,))
            c.execute("INSERT INTO errors(path, doc_id, extraction_version, message, run_id, at) VALUES (?, ?, ?, ?, ?, ?)",
                      (path, doc_id, extraction_version, message, run_id, _now()))

    def _delete_paper(self, c: sqlite3.Connection, doc_id: str) -> None:
        hashes = [r[0] for r in c.execute("SELECT DISTINCT text_hash FROM blocks WHERE doc_id = ? AND text_hash IS NOT NULL", (doc_id,))]
        keys = [r[0] for r in c.execute("SELECT DISTINCT record_key FROM records WHERE doc_id = ? AND record_key IS NOT NULL", (doc_id,))]
        heads = [r[0] for r in c.execute("SELECT DISTINCT head_hash FROM blocks WHERE doc_id = ? AND head_hash IS NOT NULL", (doc_id,))]
        c.execute("DELETE FROM records WHERE doc_id = ?", (doc_id,))
        c.execute("DELETE FROM blocks WHERE doc_id = ?", (doc_id,))
        c.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
        # copies that pointed at this paper now point at the next-oldest copy
        self._relink(c, hashes, keys)
        self._relink_truncated(c, heads)

    def _insert_blocks(self, c: sqlite3.Connection, paper: PaperRows) -> tuple[list[int], list[str | None], list[str | None]]:
        """Insert the paper's blocks; their ids, text hashes and head hashes, in order."""
        texts = [b[6] for b in paper.blocks]
        folded = [fold_text(t) for t in texts]  # once per block: both hashes read it
        hashes = block_hashes(texts, folded)
        heads = [head_hash(t, f) for t, f in zip(texts, folded)]
        c.executemany(
            'INSERT INTO blocks(doc_id, seq, kind, page, section, number, start, "end", text, text_hash, head_hash) '
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(paper.doc_id, seq, kind, page, section, number, start, end, text, hashes[seq], heads[seq])
             for seq, (kind, page, section, number, start, end, text) in enumerate(paper.blocks)])
        # the paper's old blocks went at the start of the transaction: these are the new ones
        ids = [r[0] for r in c.execute("SELECT id FROM blocks WHERE doc_id = ? ORDER BY seq", (paper.doc_id,))]
        self._relink(c, sorted({h for h in hashes if h}), [])
        return ids, hashes, heads

    def _insert_records(self, c: sqlite3.Connection, paper: PaperRows, block_ids: list[int],
                        hashes: list[str | None]) -> None:
        encode = _json_encoders()[0]
        hash_of = dict(zip(block_ids, hashes))
        spans = sorted((b[4], b[5], block_ids[i]) for i, b in enumerate(paper.blocks))
        starts = [s for s, _, _ in spans]
        keys = set()
        folds: dict[str, str] = {}
        rows = []
        for seq, record in enumerate(paper.records):
            source = record.get("source") or {}
            start = source.get("start")
            block_id = None
            if start is not None and starts:
                i = _last_le(starts, start)
                if i is not None and start < spans[i][1]:
                    block_id = spans[i][2]
            key = record_key(record, hash_of.get(block_id), folds)
            if key:
                keys.add(key)
            rows.append((paper.doc_id, seq, record.get("type"), source.get("page"), source.get("section"), start,
                         source.get("end"), source.get("quote"), block_id, key, encode(record)))
        c.executemany(
            'INSERT INTO records(doc_id, seq, type, page, section, start, "end", quote, block_id, record_key, data) '
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        self._relink(c, [], list(keys))

    @staticmethod
    def _relink(c: sqlite3.Connection, hashes: list[str], keys: list[str]) -> None:
        """Point each copy at the oldest earlier copy in another paper (or at nothing).

        Only rows whose link changes are written: most keep theirs (a new paper's rows have none
        and most get none), and rewriting a row costs more than working out its link again.
        """
        oldest_block = ("(SELECT min(o.id) FROM blocks o WHERE o.text_hash = blocks.text_hash "
                        "AND o.doc_id != blocks.doc_id AND o.id < blocks.id)")
        for i in range(0, len(hashes), 500):
            chunk = hashes[i:i + 500]
            marks = ",".join("?" * len(chunk))
            c.execute(f"UPDATE blocks SET duplicate_of = {oldest_block} "
                      f"WHERE text_hash IN ({marks}) AND duplicate_of IS NOT {oldest_block}", chunk)
        oldest_record = ("(SELECT min(o.id) FROM records o WHERE o.record_key = records.record_key "
                         "AND o.doc_id != records.doc_id AND o.id < records.id)")
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            marks = ",".join("?" * len(chunk))
            c.execute(f"UPDATE records SET duplicate_of = {oldest_record} "
                      f"WHERE record_key IN ({marks}) AND duplicate_of IS NOT {oldest_record}", chunk)

    @staticmethod
    def _relink_truncated(c: sqlite3.Connection, heads: list[str]) -> None:
        """Point a truncated copy ("… view the full minutes") at the whole block it was cut from,
        and its records at that block's records of the same type, in order."""
        for i in range(0, len(heads), 500):
            chunk = heads[i:i + 500]
            marks = ",".join("?" * len(chunk))
            rows = c.execute(f"SELECT b.id, b.doc_id, b.text, b.head_hash, o.text_hash = b.text_hash AS exact "
                             f"FROM blocks b LEFT JOIN blocks o ON o.id = b.duplicate_of "
                             f"WHERE b.head_hash IN ({marks}) ORDER BY b.id", chunk).fetchall()
            groups: dict[str, list] = {}
            for row in rows:
                groups.setdefault(row[3], []).append(row)
            for group in groups.values():
                stems = [truncated_stem(r[2]) for r in group]
                if not any(stem is not None and not r[4] for stem, r in zip(stems, group)):
                    continue  # no truncated copy to link in this group
                whole = [(r[0], r[1], fold_text(r[2])) for stem, r in zip(stems, group) if stem is None]
                for stem, (block_id, doc_id, text, _, exact) in zip(stems, group):
                    if stem is None or exact:
                        continue
                    target = next((w for w, d, folded in whole if d != doc_id and folded.startswith(stem)), None)
                    c.execute("UPDATE blocks SET duplicate_of = ? WHERE id = ?", (target, block_id))
                    Store._pair_records(c, block_id, target)

    @staticmethod
    def _pair_records(c: sqlite3.Connection, block_id: int, target: int | None) -> None:
        """Records of a truncated block with no exact copy → the target block's records, by type in order."""
        # a truncated block's records have no exact copies of their own (else the block would be an exact copy too)
        mine = c.execute("SELECT id, type FROM records WHERE block_id = ? ORDER BY seq", (block_id,)).fetchall()
        theirs: dict[str, list[int]] = {}
        if target is not None:
            for rid, rtype in c.execute("SELECT id, type FROM records WHERE block_id = ? ORDER BY seq", (target,)):
                theirs.setdefault(rtype, []).append(rid)
        for rid, rtype in mine:
            pool = theirs.get(rtype)
            c.execute("UPDATE records SET duplicate_of = ? WHERE id = ?", (pool.pop(0) if pool else None, rid))

    # --- reading --------------------------------------------------------------------------

    def records(self, types: list[str] | None = None, *, council: str | None = None, since: str | None = None,
                until: str | None = None, include_duplicates: bool = False) -> Iterator[dict]:
        """Stored records with their paper's metadata, in meeting-date order (undated papers last).

        Each row: ``id`` (the row id), ``doc``, ``type``, ``council``, ``committee``,
        ``meeting_date``, ``doc_type``, ``paper`` (file name), ``path``, ``page``,
        ``section``, ``quote``, ``duplicate_of`` and ``record`` (the contract dict).
        Copies of a record published twice are left out unless ``include_duplicates``.
        ``since``/``until`` are inclusive ISO dates compared with the meeting date.
        """
        import json

        where, params = [], []
        if types:
            where.append(f"r.type IN ({','.join('?' * len(types))})")
            params.extend(types)
        if council:
            where.append("d.council = ? COLLATE NOCASE")
            params.append(council)
        if since:
            where.append("d.meeting_date >= ?")
            params.append(since)
        if until:
            where.append("d.meeting_date <= ?")
            params.append(until)
        if not include_duplicates:
            where.append("r.duplicate_of IS NULL")
        sql = ("SELECT r.id, r.doc_id, r.type, d.council, d.committee, d.meeting_date, d.doc_type, d.name, d.path, "
               "r.page, r.section, r.quote, r.duplicate_of, r.data FROM records r JOIN documents d ON d.id = r.doc_id"
               + (f" WHERE {' AND '.join(where)}" if where else "")
               + " ORDER BY d.meeting_date IS NULL, d.meeting_date, d.id, r.seq")
        for row in self.conn.execute(sql, params):
            yield {"id": row[0], "doc": row[1], "type": row[2], "council": row[3], "committee": row[4],
                   "meeting_date": row[5], "doc_type": row[6], "paper": row[7], "path": row[8], "page": row[9],
                   "section": row[10], "quote": row[11], "duplicate_of": row[12], "record": json.loads(row[13])}

    def counts(self) -> dict[str, int]:
        """Rows per table, for summaries."""
        return {t: self.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("documents", "blocks", "records", "errors")}

    def integrity_ok(self) -> bool:
        """SQLite's own check plus the FTS index agreeing with its table."""
        if self.conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            return False
        try:
            self.conn.execute("INSERT INTO blocks_fts(blocks_fts, rank) VALUES ('integrity-check', 1)")
        except sqlite3.DatabaseError:
            return False
        return True


def _last_le(values: list[int], x: int) -> int | None:
    """Index of the last value <= x in a sorted list, or None."""
    from bisect import bisect_right

    i = bisect_right(values, x) - 1
    return i if i >= 0 else None
