"""The corpus database: schema, one transaction per paper, FTS kept in step, duplicates linked."""
from __future__ import annotations

import sqlite3

import pytest

from extractor.store import (SCHEMA_VERSION, PaperRows, Store, StoreError, block_hashes, default_db, folded_hash,
                             record_key, truncated_stem)

LONG = "The Council commissioned Babcock Prime to deliver learning and achievement services from October 2015."


def _paper(doc_id: str, blocks: list[str], records: list[dict] | None = None, path: str | None = None) -> PaperRows:
    text_blocks = []
    pos = 0
    for text in blocks:
        text_blocks.append(("paragraph", None, None, None, pos, pos + len(text), text))
        pos += len(text) + 1
    return PaperRows(path=path or f"/papers/{doc_id}.txt", doc_id=doc_id, sha256=doc_id * 4, size=pos, mtime_ns=1,
                     format="txt", chars=pos, pages=None,
                     document={"type": "document", "id": doc_id, "council": "Worcestershire", "title": "t"},
                     blocks=text_blocks, records=records or [])


def _provider(doc_id: str, start: int, quote: str, name: str = "Babcock Prime") -> dict:
    return {"type": "provider", "doc": doc_id, "name": name, "kind": "company", "aliases": [],
            "source": {"page": None, "section": None, "start": start, "end": start + len(quote), "quote": quote}}


def test_new_database_has_the_schema_wal_and_a_version(tmp_path):
    with Store(tmp_path / "m.db") as store:
        c = store.conn
        assert c.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert c.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
        assert c.execute("SELECT max(version) FROM schema_version").fetchone()[0] == SCHEMA_VERSION
        names = {r[0] for r in c.execute("SELECT name FROM sqlite_master")}
        assert {"documents", "blocks", "records", "errors", "runs", "files", "blocks_fts",
                "blocks_ai", "blocks_ad", "blocks_au"} <= names
        # Datasette finds a table's search index by the FTS table naming its content table
        fts_sql = c.execute("SELECT sql FROM sqlite_master WHERE name='blocks_fts'").fetchone()[0]
        assert 'content="blocks"' in fts_sql
    # opening again neither fails nor adds a second version row
    with Store(tmp_path / "m.db") as store:
        assert store.conn.execute("SELECT count(*) FROM schema_version").fetchone()[0] == 1


def test_datasette_finds_the_search_index_of_blocks(tmp_path):
    # the query Datasette runs to decide whether a table gets a search box (datasette.utils.detect_fts_sql)
    detect = ("select name from sqlite_master where rootpage = 0 and ("
              " sql like :double_quoted escape char(92) or sql like :bracketed escape char(92)"
              " or (tbl_name = :table and sql like '%VIRTUAL TABLE%USING FTS%'))")
    with Store(tmp_path / "m.db") as store:
        store.write_paper(_paper("a" * 16, [LONG]), "v1")
        found = store.conn.execute(detect, {"double_quoted": '%VIRTUAL TABLE%USING FTS%content="blocks"%',
                                            "bracketed": "%VIRTUAL TABLE%USING FTS%content=[blocks]%",
                                            "table": "blocks"}).fetchall()
        assert [r[0] for r in found] == ["blocks_fts"]
        # and its search (a MATCH joined back on rowid) finds the block
        rows = store.conn.execute("select blocks.text from blocks join blocks_fts on blocks.rowid = blocks_fts.rowid "
                                  "where blocks_fts match 'commissioned'").fetchall()
        assert [r[0] for r in rows] == [LONG]


def test_writing_a_paper_twice_replaces_it(tmp_path):
    with Store(tmp_path / "m.db") as store:
        paper = _paper("a" * 16, [LONG, "Second paragraph about the partnership board."], [_provider("a" * 16, 25, "Babcock Prime")])
        store.write_paper(paper, "v1")
        store.write_paper(paper, "v1")
        assert store.counts() == {"documents": 1, "blocks": 2, "records": 1, "errors": 0}
        hits = store.conn.execute("SELECT rowid FROM blocks_fts WHERE blocks_fts MATCH 'partnership'").fetchall()
        assert len(hits) == 1
        assert store.integrity_ok()
        # the record knows the block that holds its quote
        block = store.conn.execute("SELECT b.text FROM records r JOIN blocks b ON b.id = r.block_id").fetchone()[0]
        assert block == LONG


def test_a_failed_write_leaves_nothing_half_written(tmp_path):
    with Store(tmp_path / "m.db") as store:
        store.write_paper(_paper("a" * 16, [LONG]), "v1")
        broken = _paper("a" * 16, [LONG, "New text."], [_provider("a" * 16, 0, "x")])
        broken.records[0]["name"] = object()  # not JSON: the insert fails half way through the paper
        with pytest.raises(TypeError):
            store.write_paper(broken, "v2")
        assert store.counts()["blocks"] == 1
        assert store.conn.execute("SELECT extraction_version FROM documents").fetchone()[0] == "v1"
        assert store.integrity_ok()


def test_the_same_text_in_two_papers_is_linked_to_the_first(tmp_path):
    a, b, c = "a" * 16, "b" * 16, "c" * 16
    with Store(tmp_path / "m.db") as store:
        store.write_paper(_paper(a, [LONG, "Only in A, and long enough to be compared with other papers' text."],
                                 [_provider(a, 25, "Babcock Prime")]), "v1")
        store.write_paper(_paper(b, ["Short.", LONG.upper()], [_provider(b, 7 + 25, "BABCOCK PRIME")]), "v1")
        store.write_paper(_paper(c, [LONG], [_provider(c, 25, "Babcock Prime")]), "v1")
        rows = store.conn.execute("SELECT b.doc_id, o.doc_id FROM blocks b LEFT JOIN blocks o ON o.id = b.duplicate_of "
                                  "WHERE b.text_hash = ?", (folded_hash(LONG),)).fetchall()
        assert sorted(tuple(r) for r in rows) == [(a, None), (b, a), (c, a)]
        recs = store.conn.execute("SELECT r.doc_id, o.doc_id FROM records r LEFT JOIN records o ON o.id = r.duplicate_of").fetchall()
        assert sorted(tuple(r) for r in recs) == [(a, None), (b, a), (c, a)]
        # the first paper re-extracted: the copies now point at the oldest remaining one
        store.write_paper(_paper(a, [LONG], [_provider(a, 25, "Babcock Prime")]), "v2")
        rows = store.conn.execute("SELECT b.doc_id, o.doc_id FROM blocks b LEFT JOIN blocks o ON o.id = b.duplicate_of "
                                  "WHERE b.text_hash = ?", (folded_hash(LONG),)).fetchall()
        assert sorted(tuple(r) for r in rows) == [(a, b), (b, None), (c, b)]
        unique = store.conn.execute("SELECT count(*) FROM records WHERE duplicate_of IS NULL").fetchone()[0]
        assert unique == 1


def test_short_blocks_and_different_records_are_not_duplicates(tmp_path):
    with Store(tmp_path / "m.db") as store:
        store.write_paper(_paper("a" * 16, ["Recommendations", LONG], [_provider("a" * 16, 16 + 25, "Babcock Prime")]), "v1")
        store.write_paper(_paper("b" * 16, ["Recommendations"]), "v1")
        assert store.conn.execute("SELECT count(duplicate_of) FROM blocks").fetchone()[0] == 0
        # one short line in common is a coincidence, not a copy
        store.write_paper(_paper("c" * 16, ["Intro to paper C, which is about something else entirely here.",
                                            "- Elective Home Education", "Closing words of paper C, unrelated to A or B."]), "v1")
        store.write_paper(_paper("d" * 16, ["Intro to paper D, on a different subject from the other papers.",
                                            "- Elective Home Education", "Closing words of paper D, also unrelated to C."]), "v1")
        assert store.conn.execute("SELECT count(duplicate_of) FROM blocks").fetchone()[0] == 0
    assert block_hashes(["x" * 10]) == [None]
    assert record_key(_provider("a", 0, LONG), "h1") != record_key(_provider("a", 0, LONG, name="Babcock"), "h1")
    assert record_key(_provider("a", 0, LONG), "h1") != record_key(_provider("a", 0, LONG), "h2")
    assert record_key(_provider("a", 0, LONG), None) is None


def test_a_database_from_a_newer_minutes_or_another_tool_is_refused(tmp_path):
    newer = tmp_path / "newer.db"
    with Store(newer) as store:
        store.conn.execute("INSERT INTO schema_version VALUES (?, 'later')", (SCHEMA_VERSION + 1,))
    with pytest.raises(StoreError, match="newer minutes"):
        Store(newer)
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    with pytest.raises(StoreError, match="not one minutes made"):
        Store(other)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError, match="not a minutes database"):
        Store(junk)
    with pytest.raises(StoreError, match="run `minutes ingest"):
        Store(tmp_path / "missing.db", create=False)


def test_default_db_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("MINUTES_DB", raising=False)
    assert default_db().name == "minutes.db"
    monkeypatch.setenv("MINUTES_DB", str(tmp_path / "x.db"))
    assert default_db() == tmp_path / "x.db"


def test_records_come_with_their_paper_and_copies_left_out(tmp_path):
    a, b = "a" * 16, "b" * 16
    with Store(tmp_path / "m.db") as store:
        first, second = _paper(a, [LONG], [_provider(a, 25, "Babcock Prime")]), _paper(b, [LONG], [_provider(b, 25, "Babcock Prime")])
        first.document["meeting_date"], second.document["meeting_date"] = "2016-05-11", "2016-03-17"
        store.write_paper(first, "v1")
        store.write_paper(second, "v1")
        rows = list(store.records(["provider"]))
        assert [r["doc"] for r in rows] == [a] and rows[0]["record"]["name"] == "Babcock Prime"
        assert rows[0]["council"] == "Worcestershire" and rows[0]["meeting_date"] == "2016-05-11"
        both = list(store.records(["provider"], include_duplicates=True))
        assert [r["doc"] for r in both] == [b, a]  # meeting-date order
        assert list(store.records(["provider"], since="2016-04-01", include_duplicates=True))[0]["doc"] == a
        assert not list(store.records(["person"]))


WHOLE = ("It was suggested that the deficit of primary school places was due to a bulge year and managing "
         "parental choice v parental preference. It was confirmed that the Council retained place planning.")
CUT = ("It was suggested that the deficit of primary school places was due to a bulge year and managing "
       "parental  ...  view the full minutes text for item 242.")


def _suggestion(doc_id: str, quote: str) -> dict:
    return {"type": "recommendation", "doc": doc_id, "text": quote, "kind": "suggestion", "by": None, "to": None,
            "due": None, "number": None,
            "source": {"page": None, "section": "242", "start": 0, "end": len(quote), "quote": quote}}


@pytest.mark.parametrize("whole_first", [True, False])
def test_a_truncated_copy_points_at_the_whole_text(tmp_path, whole_first):
    whole, cut = "a" * 16, "b" * 16
    papers = [_paper(whole, [WHOLE], [_suggestion(whole, WHOLE)]), _paper(cut, [CUT], [_suggestion(cut, CUT)])]
    with Store(tmp_path / "m.db") as store:
        for paper in (papers if whole_first else papers[::-1]):
            store.write_paper(paper, "v1")
        link = "SELECT x.doc_id, o.doc_id FROM {t} x JOIN {t} o ON o.id = x.duplicate_of"
        assert [tuple(r) for r in store.conn.execute(link.format(t="blocks"))] == [(cut, whole)]
        assert [tuple(r) for r in store.conn.execute(link.format(t="records"))] == [(cut, whole)]
        # the whole text re-extracted: the cut copy follows it
        store.write_paper(papers[0], "v2")
        assert [tuple(r) for r in store.conn.execute(link.format(t="records"))] == [(cut, whole)]
    assert truncated_stem(WHOLE) is None
    assert truncated_stem("Spend rose from 10 to 20 ... and then to 30 over the three years of the partnership.") is None


def test_an_older_database_is_upgraded_in_place(tmp_path):
    db = tmp_path / "old.db"
    with Store(db) as store:
        store.write_paper(_paper("a" * 16, [LONG]), "v1")
        # make it look like schema 1, before blocks had head_hash
        store.conn.executescript("DROP INDEX blocks_head; ALTER TABLE blocks DROP COLUMN head_hash; "
                                 "DELETE FROM schema_version; INSERT INTO schema_version VALUES (1, 'then');")
    with Store(db, create=False, readonly=True) as reader:  # readers need no upgrade
        assert reader.counts()["blocks"] == 1
    with Store(db) as store:
        versions = [r[0] for r in store.conn.execute("SELECT version FROM schema_version ORDER BY version")]
        assert versions == [1, *range(2, SCHEMA_VERSION + 1)]
        store.write_paper(_paper("b" * 16, [LONG]), "v1")
        assert store.counts()["blocks"] == 2 and store.integrity_ok()


def test_fold_text_is_the_regex_fold_for_every_character():
    import re
    import sys

    from extractor.store import fold_text

    regex = re.compile(r"[^\w%£]+")

    def by_regex(text: str) -> str:
        return regex.sub(" ", text.lower()).strip()

    chars = [chr(code) for code in range(sys.maxunicode + 1)]
    for start in range(0, len(chars), 4096):  # each character between letters, and next to its neighbours
        block = chars[start:start + 4096]
        for text in ("b".join(block), "".join(block), "  ".join(block)):
            assert fold_text(text) == by_regex(text), hex(start)
    assert fold_text("  The £5m Plan — 12% of it_all! ") == "the £5m plan 12% of it_all"


def test_record_key_is_the_hash_of_its_parts_folded_together():
    import hashlib
    import json
    import random

    from extractor.store import _IDENTITY, fold_text

    def whole(record: dict, block_hash: str) -> str:
        # the definition: the parts joined by NULs, folded at once
        identity = json.dumps([record.get(f) for f in _IDENTITY[record["type"]]], default=str)
        quote = (record.get("source") or {}).get("quote") or ""
        text = f"{record['type']}\x00{block_hash}\x00{quote}\x00{identity}"
        return hashlib.sha1(fold_text(text).encode("utf-8")).hexdigest()[:16]

    # letters, case-ignorable marks and stops around a Greek capital sigma (its lower case depends on its neighbours)
    alphabet = "aZ Σσς.'’\u0301\u00ad-–İß£%_…\x00\n0"
    rng = random.Random(7)
    folds: dict[str, str] = {}
    for _ in range(3000):
        def text(n=8):
            return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, n)))
        record = {"type": "provider", "name": text(), "source": {"quote": text(12)}}
        block_hash = rng.choice(["0123abcd", text(4) or "Σ", "h1"])
        assert record_key(record, block_hash) == whole(record, block_hash)
        assert record_key(record, block_hash, folds) == whole(record, block_hash)
