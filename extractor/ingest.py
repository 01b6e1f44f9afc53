"""ingest: walk folders of papers, extract each in a process pool, store each in one transaction.

The parent process decides what needs doing before anything heavy is imported:
it hashes each file and skips papers whose bytes are already stored by the
same extraction version (package version + a hash of ``models/`` and of the
extraction code). Only the papers left are sent, whole, to worker processes,
which call ``extractor.pipeline.extract`` (while the workers start, a reader
process reads the largest papers ahead, so the workers only have to extract
them: ``pipeline.read`` then ``pipeline.extract_read``); the parent writes each result in
its own transaction, so a crash, Ctrl-C or ``kill -9`` loses at most the paper
being written, and the next run picks up the rest.
"""
from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .errors import MinutesError
from .resources import models_dir
from .store import PaperRows, Store, StoreError

# Files a folder walk picks up (a file named on the command line is always read).
PAPER_SUFFIXES = {".pdf", ".docx", ".docm", ".html", ".htm", ".txt", ".text", ".md", ".markdown"}
# Modules whose code does not change what a paper's records are.
_NOT_EXTRACTION = {"cli.py", "commands.py", "ingest.py", "worker_preload.py", "store.py", "evaluate.py", "__main__.py"}
_NOT_EXTRACTION_DIRS = {"analyses", "outputs", "__pycache__", "models"}


# --- what to ingest -----------------------------------------------------------------------


@dataclass(frozen=True)
class PaperFile:
    path: Path
    root: Path  # the folder named on the command line (the file itself when a file was named)


def find_papers(paths: list[Path]) -> list[PaperFile]:
    """Files named, and papers found walking folders (sorted; hidden files and folders skipped)."""
    out: list[PaperFile] = []
    seen: set[Path] = set()
    for given in paths:
        if given.is_dir():
            found = sorted(p for p in given.rglob("*")
                           if p.is_file() and p.suffix.lower() in PAPER_SUFFIXES
                           and not any(part.startswith(".") for part in p.relative_to(given).parts))
            items = [PaperFile(p, given) for p in found]
        else:
            items = [PaperFile(given, given.parent)]
        for item in items:
            key = item.path.resolve() if item.path.exists() else item.path
            if key not in seen:
                seen.add(key)
                out.append(item)
    return out


@cache
def _folder_words() -> tuple[frozenset[str], frozenset[str]]:
    import json

    data = json.loads((models_dir() / "rules" / "folder_names.json").read_text(encoding="utf-8"))
    return frozenset(data["not_council"]), frozenset(data["drop_words"])


_SMALL_WORDS = {"of", "on", "upon", "and", "the", "in", "under", "with"}


def council_from_name(name: str) -> str | None:
    """A folder name as a council's short name (``barnet`` → ``Barnet``), or None if it is not one."""
    not_council, drop = _folder_words()
    words = [w for w in re.split(r"[\s_\-.]+", name.lower()) if w and not w.isdigit()]
    if not words or "_".join(words) in not_council or all(w in not_council for w in words):
        return None
    if not any(len(w) >= 3 and w.isalpha() and w not in not_council for w in words):
        return None  # years, quarters, "2017-18", "q3"
    trimmed = list(words)
    while trimmed and trimmed[0] in drop:
        trimmed.pop(0)
    while trimmed and (trimmed[-1] in drop or not trimmed[-1].isalpha()):
        trimmed.pop()
    trimmed = trimmed or words
    return " ".join(w if (i and w in _SMALL_WORDS) else w.capitalize() for i, w in enumerate(trimmed))


def folder_council(path: Path, root: Path) -> str | None:
    """The council a paper's folder names: the first folder below ``root`` that names one, else ``root``'s own name.

    ``papers/barnet/2017/x.pdf`` ingested as ``papers`` → ``Barnet``; the same
    file ingested as ``papers/barnet`` → ``Barnet`` too.
    """
    try:
        below = path.parent.relative_to(root).parts
    except ValueError:
        below = ()
    for part in below:
        council = council_from_name(part)
        if council:
            return council
    # "." or "..": the name of wherever the user happens to be says nothing
    return council_from_name(root.name) if root.name not in ("", ".", "..") else None


# --- versions and fingerprints ------------------------------------------------------------


@cache
def extraction_version() -> str:
    """Package version plus a hash of ``models/`` and of the extraction code.

    A paper stored under another extraction version is extracted again: a change
    to a rule pack, a register or an extractor redoes the corpus, a change to
    (say) the search command does not.
    """
    from . import __version__

    return f"{__version__}+{_cached_code_and_rules_hash(Path(__file__).resolve().parent, models_dir())}"


def code_and_rules_hash(package: Path, models: Path) -> str:
    """A short hash of every file under ``models`` and of the package's extraction code."""
    return _hash_files(_extraction_files(package, models))


def _extraction_files(package: Path, models: Path) -> list[tuple[str, str]]:
    """The files the extraction version is a hash of, in order, as (name hashed, path):
    every file under ``models``, and the package's ``*.py`` but for the modules and
    folders whose code does not change what a paper's records are."""
    files = [(os.sep.join(parts), path) for parts, path in _files_under(models, skip_dirs={"__pycache__"})]
    for parts, path in _files_under(package, skip_dirs=_NOT_EXTRACTION_DIRS):
        if parts[-1].endswith(".py") and not (len(parts) == 1 and parts[0] in _NOT_EXTRACTION):
            files.append((os.sep.join(parts), path))
    return files


def _files_under(root: Path, skip_dirs: set[str]) -> list[tuple[tuple[str, ...], str]]:
    """Files under ``root`` as (path parts below ``root``, path), sorted by parts as pathlib
    sorts paths; folders named in ``skip_dirs`` and linked folders are not entered."""
    found: list[tuple[tuple[str, ...], str]] = []
    folders: list[tuple[tuple[str, ...], str]] = [((), str(root))]
    while folders:
        parts, folder = folders.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir():
                    if entry.name not in skip_dirs and not entry.is_symlink():
                        folders.append(((*parts, entry.name), entry.path))
                elif entry.is_file():
                    found.append(((*parts, entry.name), entry.path))
    found.sort()
    return found


def _hash_files(files: list[tuple[str, str]]) -> str:
    import hashlib

    digest = hashlib.sha256()
    for name, path in files:
        digest.update(name.encode())
        with open(path, "rb") as fh:
            digest.update(fh.read())
    return digest.hexdigest()[:12]


# A file changed this recently may change again within the same timestamp tick (1-2 s on
# some file systems), unseen by its size and times: the hash is then not cached.
_RECENT_NS = 2_000_000_000


def _cached_code_and_rules_hash(package: Path, models: Path) -> str:
    """``code_and_rules_hash``, reusing the last run's when no file it read has changed.

    Hashing ~1 MB of code and rules is most of what an unchanged re-ingest does
    besides starting Python; a stat of each file says whether it is needed. The
    hash is kept in the user's cache folder with every file's name, size, mtime
    and ctime (a copy that keeps the mtime still gets a new ctime), and is used
    only when all of them match, the list of files included.
    """
    files = _extraction_files(package, models)
    stamp = [f"{package}\n{models}"]
    newest = 0
    for name, path in files:
        st = os.stat(path)  # before the file is read: a change while hashing then shows next time
        stamp.append(f"{st.st_size} {st.st_mtime_ns} {st.st_ctime_ns} {name}")
        newest = max(newest, st.st_mtime_ns, st.st_ctime_ns)
    stamp_text = "\n".join(stamp)
    cache = _hash_cache_file(package, models)
    if cache is not None:
        try:
            cached_hash, _, cached_stamp = cache.read_text(encoding="utf-8").partition("\n")
            if cached_stamp == stamp_text and cached_hash:
                return cached_hash
        except (OSError, ValueError):  # no cache yet, or unreadable: hash the files
            pass
    digest = _hash_files(files)
    if cache is not None and newest < time.time_ns() - _RECENT_NS:
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            partial = cache.with_name(f"{cache.name}.{os.getpid()}.tmp")
            partial.write_text(f"{digest}\n{stamp_text}", encoding="utf-8")
            os.replace(partial, cache)  # whole or not at all, whichever ingest writes last
        except OSError:  # a read-only home: no cache, the hash is just computed each run
            pass
    return digest


def _hash_cache_file(package: Path, models: Path) -> Path | None:
    """Where the hash of this installation's code and rules is cached (None without a home folder)."""
    import zlib

    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:
            return None
    key = zlib.crc32(f"{package}\n{models}".encode())  # the file says which paths it is for
    return Path(base) / "minutes" / f"extraction-hash-{key:08x}"


def fingerprint(path: Path) -> tuple[str, int, int]:
    """(sha256 hex of the bytes, size, mtime_ns)."""
    import hashlib  # only for a paper that is new or touched: an unchanged re-ingest never hashes

    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    st = path.stat()
    return digest.hexdigest(), st.st_size, st.st_mtime_ns


# --- the per-paper work (runs in a worker process) ----------------------------------------


@dataclass
class WorkResult:
    path: str
    rows: PaperRows | None = None
    error: str | None = None


def extract_paper(path: str, sha256: str, size: int, mtime_ns: int,
                  council: str | None, folder_hint: str | None, read=None) -> WorkResult:
    """Extract one paper into rows for the store; a failure comes back as its message.

    ``read``: the paper's (document, blocks) when a reader process has already read it.
    """
    from .pipeline import extract_read

    if read is None:
        read = read_paper(path)
        if isinstance(read, WorkResult):
            return read
    try:
        result = extract_read(*read, council=council, folder_council=folder_hint)
    except MinutesError as exc:
        return WorkResult(path, error=str(exc))
    except Exception as exc:  # a bug on one paper must not cost the batch
        return WorkResult(path, error=_internal_error(path, exc))
    document = result.document
    text = document.text
    records = [r.to_dict() for r in result.records]
    meta = next((r for r in records if r.get("type") == "document"), {})
    blocks = [(b.kind, b.page, b.section, b.number, b.start, b.end, text[b.start:b.end]) for b in result.blocks]
    pages = document.page_count if document.page_count is not None else (len(document.pages) or None)
    return WorkResult(path, rows=PaperRows(
        path=path, doc_id=document.doc_id, sha256=sha256, size=size, mtime_ns=mtime_ns, format=document.format,
        chars=len(text), pages=pages, document=meta, blocks=blocks, records=records, warnings=list(document.warnings)))


def read_paper(path: str):
    """(document, blocks) of one paper, for ``extract_paper(read=...)``; a failure comes back as a WorkResult."""
    from .pipeline import read

    try:
        return read(path)
    except MinutesError as exc:
        return WorkResult(path, error=str(exc))
    except Exception as exc:
        return WorkResult(path, error=_internal_error(path, exc))


def _internal_error(path: str, exc: Exception) -> str:
    return f"{path}: internal error while extracting ({type(exc).__name__}: {exc})"


def _worker_ready() -> None:
    """A no-op task: its result says the pool's workers have started."""


_stop_reading = None  # in the reader process: set by the parent once the workers are up


def _reader_init(stop_reading) -> None:
    global _stop_reading
    _worker_init_signals()
    _stop_reading = stop_reading


def read_ahead(path: str):
    """``read_paper`` in the reader process, or None once the workers are up (they then take it whole)."""
    if _stop_reading is not None and _stop_reading.is_set():
        return None
    return read_paper(path)


def _worker_init_signals() -> None:
    # Ctrl-C is the parent's to handle (it stops after the paper being written);
    # workers just end with the pool instead of each printing a traceback.
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _worker_init() -> None:
    _worker_init_signals()
    # Build the spaCy pipeline once per worker, before the first paper arrives.
    from .nlp import get_nlp

    get_nlp()


# --- progress and summary -----------------------------------------------------------------


class Progress:
    """What ``ingest`` tells its caller as it goes; the CLI draws a progress bar from it."""

    def planned(self, total: int, to_extract: int) -> None:
        """``total`` papers found, ``to_extract`` of them need extracting."""

    def done(self, path: str, pages: int, records: int) -> None:
        """One paper stored."""

    def failed(self, path: str, message: str) -> None:
        """One paper could not be read or extracted."""


@dataclass
class IngestSummary:
    db: Path
    files: int = 0
    ingested: int = 0
    skipped: int = 0          # unchanged since the last ingest by this extraction version
    pages: int = 0
    records: int = 0
    failures: list[str] = field(default_factory=list)
    known_failures: list[str] = field(default_factory=list)  # failed before, not retried (``--force`` does)
    seconds: float = 0.0
    interrupted: bool = False


class IngestLocked(StoreError):
    """Another ingest is writing to the same database."""


@contextmanager
def ingest_lock(db: Path) -> Iterator[None]:
    """One ingest per database at a time: an OS lock on ``DB.lock``, released even on ``kill -9``."""
    try:
        import fcntl
    except ImportError:  # not POSIX: SQLite's own locking still keeps the file consistent
        yield
        return
    lock_path = db.with_name(db.name + ".lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fh = open(lock_path, "a+")
    try:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip()
            raise IngestLocked(f"{db}: another `minutes ingest` is writing to this database"
                               f"{f' (pid {holder})' if holder else ''}; wait for it to finish or use another --db") from None
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        yield
    finally:
        fh.close()


# --- the run ------------------------------------------------------------------------------


def ingest(paths: list[Path], db: Path, *, jobs: int | None = None, force: bool = False,
           council: str | None = None, progress: Progress | None = None) -> IngestSummary:
    """Ingest the papers under ``paths`` into the database ``db``; see the module docstring.

    ``jobs``: worker processes (default: all cores; 1 runs in this process).
    ``council``: the council of every paper, whatever the papers say.
    Raises ``IngestLocked`` if another ingest holds the database. Ctrl-C stops
    after the paper being written (``summary.interrupted``).
    """
    progress = progress or Progress()
    started = time.perf_counter()
    summary = IngestSummary(db=db)
    papers = find_papers(paths)
    summary.files = len(papers)
    missing = [p for p in papers if not p.path.exists()]
    with ingest_lock(db), Store(db) as store:
        version = extraction_version()
        run_id = store.start_run(version)
        status = "failed"
        try:
            todo = _plan(store, papers, version, force, council, summary)
            progress.planned(len(papers), len(todo) + len(missing))
            for p in missing:
                msg = f"{p.path}: no such file"
                summary.failures.append(msg)
                progress.failed(str(p.path), msg)
            for result in _run(todo, jobs):
                if result.error:
                    summary.failures.append(result.error)
                    doc_id = next((t[1][:16] for t in todo if t[0] == result.path), None)
                    store.write_error(result.path, result.error, doc_id=doc_id, extraction_version=version, run_id=run_id)
                    progress.failed(result.path, result.error)
                    continue
                rows = result.rows
                store.write_paper(rows, version, run_id)
                summary.ingested += 1
                summary.pages += rows.pages or 0
                summary.records += len(rows.records)
                progress.done(result.path, rows.pages or 0, len(rows.records))
            status = "completed"
        except KeyboardInterrupt:
            summary.interrupted = True
            status = "interrupted"
        finally:
            summary.seconds = time.perf_counter() - started
            try:
                store.finish_run(run_id, status, files=summary.files, ingested=summary.ingested,
                                 skipped=summary.skipped, failed=len(summary.failures))
            except Exception:  # the run log must not hide the real error
                pass
    return summary


def _plan(store: Store, papers: list[PaperFile], version: str, force: bool, council: str | None,
          summary: IngestSummary) -> list[tuple]:
    """The papers that need extracting, as worker arguments; the rest are counted as skipped."""
    current = set() if force else store.current_documents(version)
    known_failures = {} if force else store.known_failures(version)
    known_files = store.files()
    todo: list[tuple] = []
    queued: set[str] = set()
    seen: list[tuple[str, str, int, int]] = []
    for paper in papers:
        if not paper.path.exists():
            continue
        path = str(paper.path)
        try:
            st = paper.path.stat()
            known = known_files.get(path)
            # same size and modification time as when stored: the bytes have not changed
            if known and known[1] == st.st_size and known[2] == st.st_mtime_ns and known[0] in current:
                summary.skipped += 1
                continue
            sha, size, mtime_ns = fingerprint(paper.path)
        except OSError as exc:
            summary.failures.append(f"{path}: cannot read ({exc.strerror or exc})")
            continue
        doc_id = sha[:16]
        if doc_id in current or doc_id in queued:
            summary.skipped += 1
            seen.append((path, doc_id, size, mtime_ns))
            continue
        if doc_id in known_failures:
            summary.known_failures.append(known_failures[doc_id])
            continue
        queued.add(doc_id)
        hint = None if council else folder_council(paper.path, paper.root)
        todo.append((path, sha, size, mtime_ns, council, hint))
    store.note_files(seen)
    return todo


# Papers up to this size may be read ahead by the reader process while the workers start (their text
# and blocks then travel between processes); larger ones go to the workers whole.
READ_AHEAD_MAX_BYTES = 8 << 20


def _run(todo: list[tuple], jobs: int | None) -> Iterator[WorkResult]:
    """Results as they finish: in this process for one job, else from a process pool over whole files.

    The pool's workers fork from a server that first imports spaCy and warms the extractors (about a
    second, on one core). Meanwhile a light reader process uses another core to read papers ahead
    (load and structure need no spaCy), largest first, so the workers start with papers only left
    to extract. Once the workers are up, reading ahead stops and they take whole papers.
    """
    if not todo:
        return
    jobs = max(1, jobs or os.cpu_count() or 1)
    jobs = min(jobs, len(todo))
    if jobs == 1:
        for args in todo:
            yield extract_paper(*args)
        return
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    # forkserver: workers start from a clean process (no progress-bar thread, no open database)
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["extractor.worker_preload"])

    def new_pool() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_worker_init)

    # biggest papers first, so one long pack does not leave the other workers idle at the end
    queue = sorted(todo, key=lambda args: args[2])  # pop() takes from the end: the largest
    readable = [args for args in queue if args[2] <= READ_AHEAD_MAX_BYTES][-jobs * 4:]
    queue = [args for args in queue if args not in readable]
    extracting: dict[Future, str] = {}
    reading: dict[Future, tuple] = {}
    reader = None
    if readable:
        # The reader starts at once and reads its papers while the forkserver imports spaCy.
        spawn = multiprocessing.get_context("spawn")
        stop_reading = spawn.Event()
        reader = ProcessPoolExecutor(max_workers=1, mp_context=spawn, initializer=_reader_init,
                                     initargs=(stop_reading,))
        for args in reversed(readable):
            reading[reader.submit(read_ahead, args[0])] = args
    pool = new_pool()
    started = pool.submit(_worker_ready)  # done once the workers are up (the first submit may wait for it)

    def submit(args: tuple, read=None) -> None:
        nonlocal pool
        try:
            extracting[pool.submit(extract_paper, *args, read=read)] = args[0]
        except BrokenProcessPool:  # died between papers: start afresh and carry on
            queue.append(args)
            pool.shutdown(wait=False, cancel_futures=True)
            pool = new_pool()

    try:
        while queue or extracting or reading:
            if started.done():
                if reader is not None:  # the workers are up: what the reader has not begun goes to them whole
                    stop_reading.set()
                    if not reading:
                        reader.shutdown(wait=False)
                        reader = None
                # a bounded window of papers in flight keeps memory flat on big corpora
                while queue and len(extracting) < jobs * 2:
                    submit(queue.pop())
            waiting = set(extracting) | set(reading) | ({started} if not started.done() else set())
            finished, _ = wait(waiting, return_when=FIRST_COMPLETED)
            broken = False
            # papers read ahead go to the workers largest first, as the rest do
            for future in sorted(finished, key=lambda f: -reading[f][2] if f in reading else 0):
                if future in reading:
                    args = reading.pop(future)
                    try:
                        read = future.result()
                    except BrokenProcessPool:
                        # the reader died (a crash in a PDF library): the workers take this paper whole,
                        # and fail it on their own if it crashes them too
                        read = None
                    if read is None:  # not read: the workers take it whole
                        queue = sorted([*queue, args], key=lambda args: args[2])
                    elif isinstance(read, WorkResult):
                        yield read
                    else:
                        submit(args, read)
                    continue
                if future is started:
                    continue
                path = extracting.pop(future)
                try:
                    yield future.result()
                except BrokenProcessPool:
                    broken = True
                    yield WorkResult(path, error=f"{path}: the worker process extracting it died")
                except Exception as exc:
                    yield WorkResult(path, error=_internal_error(path, exc))
            if broken:
                # a worker died (a crash in a PDF library): papers in flight are named, the rest go on
                for future, path in extracting.items():
                    yield WorkResult(path, error=f"{path}: the worker process extracting it died")
                extracting.clear()
                pool.shutdown(wait=False, cancel_futures=True)
                pool = new_pool()
    except KeyboardInterrupt:
        # stop now rather than after each worker's current paper (a long pack can take a minute);
        # what they were doing is not stored, so nothing is lost that the next run will not redo
        for executor in (pool, reader):
            for process in list((getattr(executor, "_processes", None) or {}).values()):
                process.terminate()
        raise
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
        if reader is not None:
            reader.shutdown(wait=False, cancel_futures=True)


class RichProgress(Progress):
    """A progress bar on stderr: papers done of those to extract, pages, failures.

    rich is imported only once there is work to show, which keeps an unchanged
    re-ingest (nothing to extract) as quick as the command's start-up.
    """

    def __init__(self):
        self.pages = 0
        self.failures = 0
        self.bar = None
        self.task = None

    def __enter__(self) -> "RichProgress":
        return self

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)

    def planned(self, total: int, to_extract: int) -> None:
        if not to_extract or not _stderr_may_be_terminal():
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
        from rich.progress import Progress as Bar

        console = Console(stderr=True)
        self.bar = Bar(TextColumn("ingest"), BarColumn(), MofNCompleteColumn(), TextColumn("papers"),
                       TextColumn("{task.fields[pages]} pages · {task.fields[failures]} failed"),
                       TimeElapsedColumn(), console=console, transient=True, disable=not console.is_terminal)
        self.bar.__enter__()
        self.task = self.bar.add_task("ingest", total=to_extract, pages=0, failures=0)

    def done(self, path: str, pages: int, records: int) -> None:
        self.pages += pages
        if self.bar is not None:
            self.bar.update(self.task, advance=1, pages=self.pages)

    def failed(self, path: str, message: str) -> None:
        self.failures += 1
        if self.bar is not None:
            self.bar.update(self.task, advance=1, failures=self.failures)


def _stderr_may_be_terminal() -> bool:
    """False when rich would find stderr no terminal and draw nothing (so rich, some 45 ms of
    start-up, need not be imported): stderr is not a tty and neither of the variables rich reads
    to override that (``TTY_COMPATIBLE``, ``FORCE_COLOR``) is set. Anything else is left to rich."""
    if "TTY_COMPATIBLE" in os.environ or "FORCE_COLOR" in os.environ:
        return True
    try:
        return sys.stderr is not None and sys.stderr.isatty()
    except (AttributeError, ValueError):  # no isatty, or a closed stream: rich says no terminal too
        return False


def summary_lines(summary: IngestSummary) -> list[str]:
    """The closing summary, one fact a line."""
    lines = [f"{summary.ingested} paper(s) ingested ({summary.pages} pages, {summary.records} records), "
             f"{summary.skipped} unchanged, {len(summary.failures)} failed, in {summary.seconds:.1f} s → {summary.db}"]
    if summary.known_failures:
        lines.append(f"{len(summary.known_failures)} paper(s) failed in an earlier run and were not retried "
                     "(--force retries them):")
        lines.extend(f"  {msg}" for msg in summary.known_failures)
    if summary.interrupted:
        lines.append("interrupted: every paper listed above as ingested is stored; run the same command again to do the rest")
    return lines
