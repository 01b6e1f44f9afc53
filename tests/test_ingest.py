"""``minutes ingest``: incremental, crash-safe, one writer at a time, council from the folder."""
from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor import ingest as ing
from extractor.cli import main
from extractor.pipeline import extract
from extractor.store import Store

from .conftest import ROOT, SEED_DOCS


@pytest.fixture
def papers(tmp_path) -> Path:
    folder = tmp_path / "papers"
    folder.mkdir()
    for seed in SEED_DOCS:
        shutil.copy(seed, folder / seed.name)
    return folder


def _rows(db: Path, sql: str, *args) -> list[tuple]:
    con = sqlite3.connect(db)
    try:
        return [tuple(r) for r in con.execute(sql, args)]
    finally:
        con.close()


def _record_sets(db: Path) -> dict[str, list[str]]:
    """Each paper's records as sorted JSON, for comparing two databases."""
    out: dict[str, list[str]] = {}
    for doc_id, data in _rows(db, "SELECT doc_id, data FROM records"):
        out.setdefault(doc_id, []).append(data)
    return {k: sorted(v) for k, v in out.items()}


def test_ingest_stores_every_record_once_and_skips_unchanged_papers(papers, tmp_path):
    db = tmp_path / "m.db"
    first = ing.ingest([papers], db, jobs=1)
    assert (first.ingested, first.skipped, first.failures) == (len(SEED_DOCS), 0, [])
    stored = _record_sets(db)
    for seed in SEED_DOCS:
        result = extract(seed)
        expected = sorted(json.dumps(r.to_dict(), ensure_ascii=False) for r in result.records)
        assert stored[result.document.doc_id] == expected
        blocks = _rows(db, "SELECT count(*) FROM blocks WHERE doc_id = ?", result.document.doc_id)[0][0]
        assert blocks == len(result.blocks)
    again = ing.ingest([papers], db, jobs=1)
    assert (again.ingested, again.skipped) == (0, len(SEED_DOCS))
    # touched but unchanged: hashed, found, still skipped
    os.utime(papers / SEED_DOCS[0].name, ns=(1, 1))
    assert ing.ingest([papers], db, jobs=1).ingested == 0
    # changed: only that paper is extracted again, and its old rows go
    changed = papers / SEED_DOCS[4].name
    changed.write_text(changed.read_text(encoding="utf-8") + "\nA closing note.\n", encoding="utf-8")
    third = ing.ingest([papers], db, jobs=1)
    assert (third.ingested, third.skipped) == (1, len(SEED_DOCS) - 1)
    assert _rows(db, "SELECT count(*) FROM documents")[0][0] == len(SEED_DOCS) + 1  # old bytes' paper stays
    assert ing.ingest([papers], db, jobs=1, force=True).ingested == len(SEED_DOCS)
    with Store(db) as store:
        assert store.integrity_ok()


def test_a_new_extraction_version_extracts_again(papers, tmp_path, monkeypatch):
    db = tmp_path / "m.db"
    ing.ingest([papers], db, jobs=1)
    monkeypatch.setattr(ing, "extraction_version", lambda: "0.0.0+rules-changed")
    redo = ing.ingest([papers], db, jobs=1)
    assert redo.ingested == len(SEED_DOCS)
    versions = _rows(db, "SELECT DISTINCT extraction_version FROM documents")
    assert versions == [("0.0.0+rules-changed",)]


def test_extraction_version_follows_rules_and_extraction_code_but_not_the_cli(tmp_path):
    assert ing.extraction_version().startswith(__import__("extractor").__version__ + "+")
    package, models = tmp_path / "extractor", tmp_path / "models"
    shutil.copytree(ROOT / "extractor", package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "models", models)
    base = ing.code_and_rules_hash(package, models)
    (package / "cli.py").write_text("# a new command\n", encoding="utf-8")
    (package / "analyses" / "search.py").write_text("# faster search\n", encoding="utf-8")
    assert ing.code_and_rules_hash(package, models) == base
    (package / "structure.py").write_text("# new structure rules\n", encoding="utf-8")
    changed_code = ing.code_and_rules_hash(package, models)
    assert changed_code != base
    (models / "rules" / "folder_names.json").write_text("{}", encoding="utf-8")
    assert ing.code_and_rules_hash(package, models) not in (base, changed_code)


def test_the_cached_code_and_rules_hash_is_reused_only_while_no_file_changed(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(ing, "_RECENT_NS", 0)  # the copies below were just written; cache them all the same
    package, models = tmp_path / "extractor", tmp_path / "models"
    shutil.copytree(ROOT / "extractor", package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "models", models)
    base = ing._cached_code_and_rules_hash(package, models)
    assert base == ing.code_and_rules_hash(package, models)
    assert list((tmp_path / "cache" / "minutes").iterdir())

    def no_hashing(files):
        raise AssertionError("hashed the files again although none changed")

    with monkeypatch.context() as m:
        m.setattr(ing, "_hash_files", no_hashing)
        assert ing._cached_code_and_rules_hash(package, models) == base

    rules = models / "rules" / "folder_names.json"
    rules.write_text(rules.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    changed_rules = ing._cached_code_and_rules_hash(package, models)
    assert changed_rules == ing.code_and_rules_hash(package, models) != base

    # the same size and mtime (a copy that keeps the time): the ctime still tells
    before = rules.stat()
    rules.write_text(rules.read_text(encoding="utf-8")[:-1] + " ", encoding="utf-8")
    os.utime(rules, ns=(before.st_atime_ns, before.st_mtime_ns))
    if rules.stat().st_ctime_ns == before.st_ctime_ns:
        pytest.skip("this file system's ctime is too coarse to see the rewrite")
    assert ing._cached_code_and_rules_hash(package, models) == ing.code_and_rules_hash(package, models) != changed_rules

    settled = ing._cached_code_and_rules_hash(package, models)
    (package / "extract" / "new_rules.py").write_text("# a new extractor\n", encoding="utf-8")
    assert ing._cached_code_and_rules_hash(package, models) == ing.code_and_rules_hash(package, models) != settled
    settled = ing._cached_code_and_rules_hash(package, models)
    (package / "cli.py").write_text("# a new command\n", encoding="utf-8")
    assert ing._cached_code_and_rules_hash(package, models) == settled


def test_code_and_rules_changed_moments_ago_are_not_cached(tmp_path, monkeypatch):
    """A file written within the file system's timestamp tick may change again unseen: hash it each time."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    package, models = tmp_path / "extractor", tmp_path / "models"
    (package / "extract").mkdir(parents=True)
    (package / "extract" / "rules.py").write_text("A = 1\n", encoding="utf-8")
    (models / "rules").mkdir(parents=True)
    (models / "rules" / "words.json").write_text("[]", encoding="utf-8")
    assert ing._cached_code_and_rules_hash(package, models) == ing.code_and_rules_hash(package, models)
    assert not (tmp_path / "cache").exists()


def test_process_pool_gives_the_same_records(papers, tmp_path):
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    ing.ingest([papers], one, jobs=1)
    summary = ing.ingest([papers], two, jobs=2)
    assert summary.ingested == len(SEED_DOCS) and not summary.failures
    assert _record_sets(one) == _record_sets(two)


def test_a_paper_read_in_one_process_and_extracted_in_another_gives_the_same_rows(papers):
    """The reader process's half (``read_paper``) and a worker's half together equal one whole extraction."""
    for path in sorted(papers.iterdir()):
        args = (str(path), "0" * 64, path.stat().st_size, 0, None, "Barnet")
        whole, halves = ing.extract_paper(*args), ing.extract_paper(*args, read=ing.read_paper(str(path)))
        assert whole.error is None and whole.rows == halves.rows


def test_a_paper_the_reader_cannot_read_is_named_once_and_the_rest_stored(papers, tmp_path):
    (papers / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog")
    db = tmp_path / "m.db"
    summary = ing.ingest([papers], db, jobs=2)
    assert [Path(f.split(":")[0]).name for f in summary.failures] == ["broken.pdf"]
    assert summary.ingested == len(SEED_DOCS)


def _reader_dies(path: str):
    """Stands in for ``read_ahead`` in the reader process: the process dies as a PDF library crash would."""
    os.kill(os.getpid(), signal.SIGKILL)


def test_when_the_reader_process_dies_the_workers_take_its_papers_whole(papers, tmp_path, monkeypatch):
    monkeypatch.setattr(ing, "read_ahead", _reader_dies)
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    ing.ingest([papers], one, jobs=1)
    summary = ing.ingest([papers], two, jobs=2)
    assert summary.ingested == len(SEED_DOCS) and not summary.failures
    assert _record_sets(one) == _record_sets(two)


def test_the_same_item_published_twice_is_linked(papers, tmp_path):
    db = tmp_path / "m.db"
    ing.ingest([papers], db, jobs=1)
    item_page, minutes_page = (ing.fingerprint(papers / s.name)[0][:16] for s in SEED_DOCS[:2])
    links = _rows(db, "SELECT r.doc_id, o.doc_id FROM records r JOIN records o ON o.id = r.duplicate_of")
    assert links and all({a, b} == {item_page, minutes_page} for a, b in links)
    block_links = _rows(db, "SELECT b.doc_id, o.doc_id FROM blocks b JOIN blocks o ON o.id = b.duplicate_of")
    assert len(block_links) >= 5 and all({a, b} == {item_page, minutes_page} for a, b in block_links)


@pytest.mark.parametrize("name,council", [
    ("barnet", "Barnet"), ("north-yorkshire", "North Yorkshire"), ("kent_cc", "Kent"),
    ("london-borough-of-barnet", "Barnet"), ("stoke-on-trent", "Stoke on Trent"), ("city-of-london", "City of London"),
    ("2017", None), ("2017-18", None), ("q3", None), ("papers", None), ("minutes", None), ("Agendas", None),
    ("march", None), ("test_x0", None),
])
def test_council_from_a_folder_name(name, council):
    assert ing.council_from_name(name) == council


def test_folder_council_looks_below_the_root_then_at_it():
    assert ing.folder_council(Path("papers/barnet/2017/x.pdf"), Path("papers")) == "Barnet"
    assert ing.folder_council(Path("papers/barnet/2017/x.pdf"), Path("papers/barnet")) == "Barnet"
    assert ing.folder_council(Path("papers/2017/x.pdf"), Path("papers")) is None
    assert ing.folder_council(Path("x.pdf"), Path(".")) is None


NO_COUNCIL_PAPER = """Minutes of the meeting of the Scrutiny Panel

1. Apologies
Apologies were received from two members.

2. Home to School Transport
The Panel considered the report on home to school transport.
RESOLVED that the report be noted.
"""


def test_council_comes_from_the_folder_only_when_the_paper_does_not_say(tmp_path):
    root = tmp_path / "papers"
    (root / "north-yorkshire" / "2019").mkdir(parents=True)
    (root / "north-yorkshire" / "2019" / "panel.txt").write_text(NO_COUNCIL_PAPER, encoding="utf-8")
    (root / "barnet").mkdir()
    shutil.copy(SEED_DOCS[2], root / "barnet" / SEED_DOCS[2].name)  # a Barnet paper that says so
    (root / "staffordshire").mkdir()
    shutil.copy(SEED_DOCS[3], root / "staffordshire" / "misfiled.txt")  # says Staffordshire: the text wins
    db = tmp_path / "m.db"
    ing.ingest([root], db, jobs=1)
    councils = dict(_rows(db, "SELECT name, council FROM documents"))
    assert councils["panel.txt"] == "North Yorkshire"
    assert councils[SEED_DOCS[2].name] == "Barnet"
    assert councils["misfiled.txt"] == extract(SEED_DOCS[3]).records[0].council
    forced = tmp_path / "forced.db"
    ing.ingest([root], forced, jobs=1, council="Somerset")
    assert {c for _, c in _rows(forced, "SELECT name, council FROM documents")} == {"Somerset"}


def test_failures_are_named_the_rest_stored_and_known_failures_not_retried(papers, tmp_path):
    (papers / "empty.txt").write_bytes(b"")
    (papers / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog")
    db = tmp_path / "m.db"
    runner = CliRunner()
    result = runner.invoke(main, ["ingest", str(papers), "--db", str(db), "--jobs", "1"])
    assert result.exit_code == 1
    assert "empty.txt" in result.stderr and "broken.pdf" in result.stderr
    assert "Traceback" not in result.output
    assert _rows(db, "SELECT count(*) FROM documents")[0][0] == len(SEED_DOCS)
    assert {Path(p).name for (p,) in _rows(db, "SELECT path FROM errors")} == {"empty.txt", "broken.pdf"}
    again = runner.invoke(main, ["ingest", str(papers), "--db", str(db), "--jobs", "1"])
    assert again.exit_code == 0, again.output
    assert "not retried" in again.stderr and "broken.pdf" in again.stderr
    forced = runner.invoke(main, ["ingest", str(papers), "--db", str(db), "--jobs", "1", "--force"])
    assert forced.exit_code == 1


def test_missing_path_is_a_failure_not_a_crash(tmp_path):
    result = CliRunner().invoke(main, ["ingest", str(tmp_path / "nope.pdf"), "--db", str(tmp_path / "m.db")])
    assert result.exit_code == 1 and "nope.pdf: no such file" in result.stderr


# --- real processes: kill -9, Ctrl-C, two ingests at once ---------------------------------------


def _variants(folder: Path, count: int) -> None:
    """``count`` distinct papers (different bytes) made from the seeds."""
    folder.mkdir(parents=True, exist_ok=True)
    quick = [SEED_DOCS[1], SEED_DOCS[3], SEED_DOCS[4]]  # the shorter seeds keep the test fast
    for i in range(count):
        seed = quick[i % len(quick)]
        tag = "".join(chr(ord("a") + int(d)) for d in f"{i:04d}")
        (folder / f"p{i:03d}_{seed.name}").write_text(
            seed.read_text(encoding="utf-8") + f"\nFiled under reference {tag}.\n", encoding="utf-8")


def _start(db: Path, folder: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "extractor", "ingest", str(folder), "--db", str(db), *extra],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _stored(db: Path) -> int:
    try:
        return _rows(db, "SELECT count(*) FROM documents")[0][0]
    except sqlite3.Error:
        return 0


def _wait_for(db: Path, at_least: int, proc: subprocess.Popen, timeout: float = 120) -> int:
    deadline = time.time() + timeout
    while time.time() < deadline:
        n = _stored(db)
        if n >= at_least or proc.poll() is not None:
            return n
        time.sleep(0.02)
    return _stored(db)


def test_kill_9_mid_run_then_rerun_completes_with_nothing_lost_or_doubled(tmp_path):
    folder = tmp_path / "papers"
    _variants(folder, 24)
    db = tmp_path / "m.db"
    proc = _start(db, folder, "--jobs", "1")
    stored = _wait_for(db, 3, proc)
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    assert 0 < stored < 24, f"the run was not caught mid-way ({stored} of 24 stored)"
    with Store(db) as store:
        assert store.integrity_ok()
    rerun = _start(db, folder, "--jobs", "2")
    out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err
    clean = tmp_path / "clean.db"
    reference = _start(clean, folder, "--jobs", "2")
    reference.communicate(timeout=300)
    assert _record_sets(db) == _record_sets(clean)
    assert _rows(db, "SELECT count(*), count(DISTINCT id) FROM documents")[0] == (24, 24)
    with Store(db) as store:
        assert store.integrity_ok()


def test_ctrl_c_stops_cleanly_and_the_next_run_finishes(tmp_path):
    folder = tmp_path / "papers"
    _variants(folder, 16)
    db = tmp_path / "m.db"
    proc = _start(db, folder, "--jobs", "2")
    stored = _wait_for(db, 2, proc)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert 0 < stored < 16, f"the run was not caught mid-way ({stored} of 16 stored)"
    assert proc.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    assert _rows(db, "SELECT status FROM runs")[-1] == ("interrupted",)
    rerun = _start(db, folder, "--jobs", "2")
    rerun.communicate(timeout=300)
    assert rerun.returncode == 0
    assert _stored(db) == 16


def test_a_second_ingest_on_the_same_database_stops_with_a_clear_message(tmp_path):
    folder = tmp_path / "papers"
    _variants(folder, 12)
    db = tmp_path / "m.db"
    first = _start(db, folder, "--jobs", "1")
    _wait_for(db, 1, first)
    second = _start(db, folder, "--jobs", "1")
    out, err = second.communicate(timeout=60)
    still_running = first.poll() is None
    first_out, first_err = first.communicate(timeout=300)
    assert still_running, "the first ingest ended before the second started"
    assert second.returncode == 1
    assert "another `minutes ingest` is writing to this database" in err and "Traceback" not in err
    assert first.returncode == 0, first_err
    assert _stored(db) == 12
    with Store(db) as store:
        assert store.integrity_ok()


def test_the_progress_bar_imports_rich_only_when_stderr_may_be_a_terminal(monkeypatch):
    class Stream:
        def __init__(self, tty):
            self.tty = tty

        def isatty(self):
            return self.tty

        def write(self, text):
            return len(text)

        def flush(self):
            pass

    for name in ("TTY_COMPATIBLE", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(sys, "stderr", Stream(False))
    assert not ing._stderr_may_be_terminal()
    with ing.RichProgress() as progress:
        progress.planned(3, 2)
        progress.done("a.txt", 1, 4)
        progress.failed("b.txt", "b.txt: broken")
        assert progress.bar is None and (progress.pages, progress.failures) == (1, 1)
    # rich is told otherwise by these variables (or finds a terminal): it decides, as before
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert ing._stderr_may_be_terminal()
    monkeypatch.delenv("FORCE_COLOR")
    monkeypatch.setattr(sys, "stderr", Stream(True))
    assert ing._stderr_may_be_terminal()
