"""followup: the audit trail — was each recommendation followed up in a later paper of the same council?

For every recommendation, resolution, decision, request, suggestion and action
stored by ``minutes ingest`` (copies published twice are counted once), the
later papers of the same council are searched for evidence: the
recommendation's own distinctive words (an FTS5 query over the blocks, words
weighted by how rare they are in the corpus), the providers and services it
names, scored with rapidfuzz token overlap. The best passage above
``min_score`` makes the proposal ``followed up``; otherwise ``overdue`` when
its due date has passed (relative to ``as_of``), else ``no evidence yet``.

Proposals are for a person: ``record_review`` stores a confirmed or rejected
link in ``followup_reviews``; a confirmed link wins over any proposal, a
rejected one is never proposed again. Keys are built from the paper id and the
folded text, so they survive a re-ingest.
"""
from __future__ import annotations

import csv
import json
import math
import re
import sqlite3
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable, Iterable

from rapidfuzz import fuzz

from ..errors import MinutesError
from ..store import Store, folded_hash

RECOMMENDATION_KINDS = ("recommendation", "resolution", "decision", "request", "suggestion", "action")
STATUSES = ("followed up", "overdue", "no evidence yet")
COLUMNS = ["status", "score", "review", "council", "committee", "date", "paper", "doc", "page", "section", "kind",
           "text", "due", "evidence_paper", "evidence_doc", "evidence_date", "evidence_page", "evidence_section",
           "evidence_quote", "evidence_order", "matched_on", "recommendation_key", "evidence_key", "record_id"]
TABLE_COLUMNS = ["status", "score", "council", "date", "paper", "text", "evidence_paper", "evidence_date",
                 "evidence_quote"]
REVIEW_COLUMNS = ["decision", "status", "score", "council", "date", "paper", "page", "text", "evidence_paper",
                  "evidence_date", "evidence_page", "evidence_quote", "recommendation_key", "evidence_key"]
DEFAULT_MIN_SCORE = 0.6
# Words the FTS query is built from: the rarest few of the recommendation's own words.
QUERY_WORDS = 10
CANDIDATES = 40
# Evidence whose paper has no date cannot be shown to be later: it may be proposed, at a discount.
UNDATED_FACTOR = 0.8
ENTITY_BONUS = 0.1
# Words of the agenda item's title count, at this fraction, as the recommendation's own.
SUBJECT_WEIGHT = 1.0
# A recommendation of few or common words ("Council is asked to") is scored as if it had the weight of
# this many words seen in a single passage of the corpus, so sharing its two words with a passage proves little.
MIN_RARE_WORDS = 2
LONG_PASSAGE = 400

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|\d+/\d+")
_DATE_IN_NAME = re.compile(r"(?<!\d)((?:19|20)\d\d)[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])(?!\d)")
_ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
# A paper's own reference: a short "label: value" line near its top whose value is a number with a
# separator ("Decision no: 24/00093", "Ref: CAB-2019-12"). A later paper that refers back names it.
_OWN_REFERENCE = re.compile(r"^\s*[A-Za-z][^:\n]{1,30}:\s*((?:[A-Z]{1,6}[-/ ]?)?\d+(?:[-/]\d+)+)\s*$")
_FINANCIAL_YEAR = re.compile(r"^(?:19|20)\d\d[-/]\d\d(?:\d\d)?$")
HEADER_BLOCKS = 15
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[\"“‘'(]?[A-Z0-9•-])|\n+")
_DECISIONS = {"confirm": "confirmed", "confirmed": "confirmed", "yes": "confirmed", "y": "confirmed",
              "c": "confirmed", "reject": "rejected", "rejected": "rejected", "no": "rejected", "n": "rejected",
              "r": "rejected"}


class FollowupError(MinutesError):
    """A filter, date or review file the follow-up tracker cannot use."""


@dataclass
class FollowupQuery:
    """What to track: filters on the recommendation's paper, the day overdue is judged on, the bar for evidence."""

    council: str | None = None
    committee: str | None = None
    since: str | None = None
    until: str | None = None
    as_of: str | None = None
    min_score: float = DEFAULT_MIN_SCORE


@dataclass
class _Paper:
    id: str
    name: str
    council: str | None
    committee: str | None
    date: str | None


@dataclass
class _Candidate:
    block_id: int
    doc_id: str
    page: int | None
    section: str | None
    text: str
    score: float
    quote: str
    order: str
    matched_on: list[str] = field(default_factory=list)


def _stopwords() -> frozenset[str]:
    """models/rules/stop_words.txt: a query reads a word list, not spaCy (a second to import)."""
    from ..resources import models_dir

    lines = (models_dir() / "rules" / "stop_words.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _stem(word: str) -> str:
    """A crude suffix fold applied identically to both sides (``reviews``/``reviewed``/``review``)."""
    word = word.lower().replace("’", "'")
    for suffix in ("ations", "ation", "ings", "ing", "ies", "ied", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)] + ("y" if suffix in ("ies", "ied") else "")
    return word


def _fold(text: str) -> str:
    return " ".join(w.lower() for w in _WORD.findall(text))


def paper_date(meeting_date: str | None, name: str | None) -> str | None:
    """The paper's date: its meeting date, else a full date in its file name (``…_2025-03-13.pdf``)."""
    if meeting_date:
        return meeting_date
    m = _DATE_IN_NAME.search(name or "")
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
        except ValueError:
            return None
    return None


def _bound(value: str | None, upper: bool) -> str | None:
    if value is None:
        return None
    if not _ISO.match(value):
        raise FollowupError(f"{value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    return value + {4: "-12-31", 7: "-31", 10: ""}[len(value)] if upper else value


def recommendation_key(doc_id: str, text: str) -> str:
    """A recommendation's identity across re-ingests: its paper and its folded text."""
    return f"{doc_id}:{folded_hash(text)}"


def evidence_key(doc_id: str, passage: str) -> str:
    """An evidence passage's identity across re-ingests: its paper and its folded text."""
    return f"{doc_id}:{folded_hash(passage)}"


class _Tracker:
    """One pass over the store: papers, word rarity, reviews; ``candidates`` scores passages for one recommendation."""

    def __init__(self, store: Store, query: FollowupQuery):
        self.conn = store.conn
        self.query = query
        self.stop = _stopwords()
        self.papers = {r["id"]: _Paper(r["id"], r["name"], r["council"], r["committee"],
                                       paper_date(r["meeting_date"], r["name"]))
                       for r in self.conn.execute("SELECT id, name, council, committee, meeting_date FROM documents")}
        self.blocks_total = self.conn.execute("SELECT count(*) FROM blocks").fetchone()[0] or 1
        self._df: dict[str, int] = {}
        self.reviews: dict[tuple[str, str], str] = {}
        self.confirmed_links: dict[str, list[str]] = {}
        if store.has_table("followup_reviews"):
            for r in self.conn.execute("SELECT recommendation_key, evidence_key, decision FROM followup_reviews "
                                       "ORDER BY decided_at DESC"):
                self.reviews[(r[0], r[1])] = r[2]
                if r[2] == "confirmed":
                    self.confirmed_links.setdefault(r[0], []).append(r[1])
        self._doc_hashes: dict[str, set[str]] = {}
        self._entities: dict[str, list[tuple[str, str | None]]] = {}
        self._references: tuple[dict[str, set[str]], dict[str, set[str]]] | None = None

    # --- word weights ---------------------------------------------------------------------

    def idf(self, word: str) -> float:
        """How rare ``word`` is among the corpus's passages (FTS stems it the way the index does)."""
        if word not in self._df:
            try:
                self._df[word] = self.conn.execute("SELECT count(*) FROM blocks_fts WHERE blocks_fts MATCH ?",
                                                   ('"' + word.replace('"', '') + '"',)).fetchone()[0]
            except sqlite3.OperationalError:  # a word FTS cannot parse weighs nothing
                self._df[word] = self.blocks_total
        return max(0.0, math.log((self.blocks_total + 1) / (self._df[word] + 0.5)))

    def keywords(self, text: str) -> dict[str, tuple[str, float]]:
        """The recommendation's content words: stem → (word as written, weight)."""
        out: dict[str, tuple[str, float]] = {}
        for word in _WORD.findall(text):
            low = word.lower().replace("’", "'")
            if len(low) < 3 or low in self.stop:
                continue
            stem = _stem(low)
            if stem not in out:
                out[stem] = (low, self.idf(low))
        return {k: v for k, v in out.items() if v[1] > 0}

    # --- what the paper holds -------------------------------------------------------------

    def doc_hashes(self, doc_id: str) -> set[str]:
        """Hashes of a paper's passages: the same passage in another paper is a copy, not evidence."""
        if doc_id not in self._doc_hashes:
            self._doc_hashes[doc_id] = {r[0] for r in self.conn.execute(
                "SELECT text_hash FROM blocks WHERE doc_id = ? AND text_hash IS NOT NULL", (doc_id,))}
        return self._doc_hashes[doc_id]

    def entities(self, doc_id: str) -> list[tuple[str, str | None]]:
        """Providers and services a paper names, with register ids where reconciled."""
        if doc_id not in self._entities:
            found: dict[str, str | None] = {}
            for r in self.conn.execute("SELECT data FROM records WHERE doc_id = ? AND type IN ('provider', 'service')",
                                       (doc_id,)):
                data = json.loads(r[0])
                for name in [data.get("name"), *(data.get("aliases") or [])]:
                    if isinstance(name, str) and len(name) >= 3:
                        found.setdefault(name, data.get("register_id"))
            self._entities[doc_id] = sorted(found.items(), key=lambda kv: -len(kv[0]))
        return self._entities[doc_id]

    def register_ids(self, block_id: int) -> set[str]:
        """Register ids of the providers and services a passage holds."""
        return {rid for (rid,) in self.conn.execute(
            "SELECT json_extract(data, '$.register_id') FROM records WHERE block_id = ? AND type IN ('provider', 'service') "
            "AND json_extract(data, '$.register_id') IS NOT NULL", (block_id,))}

    def references(self) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
        """Each paper's own references (``Decision no: 24/00093``), and the papers citing each paper's references."""
        if self._references is None:
            from ..dates import find_dates

            own: dict[str, set[str]] = {}
            for r in self.conn.execute("SELECT doc_id, text FROM blocks WHERE seq < ? AND length(text) < 80",
                                       (HEADER_BLOCKS,)):
                m = _OWN_REFERENCE.match(r["text"])
                if m and not _FINANCIAL_YEAR.match(m.group(1)) and not find_dates(m.group(1)):
                    own.setdefault(r["doc_id"], set()).add(m.group(1))
            citing: dict[str, set[str]] = {}
            for doc_id, refs in own.items():
                for ref in refs:
                    phrase = '"' + " ".join(re.findall(r"\w+", ref)) + '"'
                    for hit in self.conn.execute("SELECT b.doc_id, b.text FROM blocks_fts JOIN blocks b "
                                                 "ON b.id = blocks_fts.rowid WHERE blocks_fts MATCH ?", (phrase,)):
                        if hit["doc_id"] != doc_id and ref in hit["text"]:
                            citing.setdefault(doc_id, set()).add(hit["doc_id"])
            self._references = (own, citing)
        return self._references

    def later_papers(self, paper: _Paper) -> list[tuple[str, str]]:
        """Papers of the same council that may follow ``paper``: (doc id, 'later' | 'undated').

        Dates decide when both papers have one; otherwise a paper citing the other's own reference
        is the later of the two, and the rest are 'undated' (order unknown)."""
        if not paper.council:
            return []
        own, citing = self.references()
        out = []
        for other in self.papers.values():
            if other.id == paper.id or (other.council or "").lower() != paper.council.lower():
                continue
            if paper.date and other.date:
                if other.date > paper.date:
                    out.append((other.id, "later"))
            elif other.id in citing.get(paper.id, ()):
                out.append((other.id, "later"))
            elif paper.id not in citing.get(other.id, ()):
                out.append((other.id, "undated"))
        return out

    # --- one recommendation ---------------------------------------------------------------

    def subject(self, block_id: int | None) -> str | None:
        """The heading or agenda item a recommendation sits under (``RESOLVED that the report be noted``
        says nothing on its own; its item, "Library contract review", says what it is about)."""
        if block_id is None:
            return None
        row = self.conn.execute(
            "SELECT h.text FROM blocks b JOIN blocks h ON h.doc_id = b.doc_id AND h.seq < b.seq "
            "AND h.kind IN ('heading', 'agenda_item') WHERE b.id = ? ORDER BY h.seq DESC LIMIT 1", (block_id,)).fetchone()
        return row[0] if row else None

    def candidates(self, paper: _Paper, text: str, rec_key: str, subject: str | None = None) -> list[_Candidate]:
        """Passages of later papers that may report on the recommendation, best first."""
        later = dict(self.later_papers(paper))
        words = self.keywords(text)
        for stem, (word, weight) in self.keywords(subject or "").items():
            words.setdefault(stem, (word, weight * SUBJECT_WEIGHT))
        if not later or not words:
            return []
        entities = [(n, rid) for n, rid in self.entities(paper.id) if n.lower() in text.lower()]
        # a passage holding a provider or service reconciled to the same register entry names it too ("Babcock")
        same_ids = {rid for _, rid in entities if rid}
        rarest = sorted(words.values(), key=lambda w: -w[1])[:QUERY_WORDS]
        refs = sorted(self.references()[0].get(paper.id, ()))
        terms = ([f'"{w}"' for w, _ in rarest] + [f'"{n.replace(chr(34), "")}"' for n, _ in entities]
                 + ['"' + " ".join(re.findall(r"\w+", ref)) + '"' for ref in refs])
        rows = self.conn.execute(
            "SELECT b.id, b.doc_id, b.page, b.section, b.text, b.text_hash FROM blocks_fts "
            "JOIN blocks b ON b.id = blocks_fts.rowid WHERE blocks_fts MATCH ? "
            "AND b.doc_id IN (SELECT value FROM json_each(?)) ORDER BY bm25(blocks_fts) LIMIT ?",
            (" OR ".join(terms), json.dumps(list(later)), CANDIDATES)).fetchall()
        own = self.doc_hashes(paper.id)
        total = max(sum(w for _, w in words.values()), MIN_RARE_WORDS * math.log((self.blocks_total + 1) / 1.5))
        folded_rec = _fold(text)
        out = []
        for r in rows:
            if r["text_hash"] and r["text_hash"] in own:
                continue
            if self.reviews.get((rec_key, evidence_key(r["doc_id"], r["text"]))) == "rejected":
                continue
            stems = {_stem(w) for w in _WORD.findall(r["text"])}
            shared = [s for s in words if s in stems]
            coverage = sum(words[s][1] for s in shared) / total
            # how closely some stretch of the passage follows the recommendation's wording
            overlap = fuzz.partial_ratio(folded_rec, _fold(r["text"])) / 100
            score = 0.8 * coverage + 0.2 * overlap
            low = r["text"].lower()
            # the passage names the recommendation's paper by its reference, or a provider or service it names
            named = [ref for ref in refs if ref in r["text"]] + [n for n, _ in entities if n.lower() in low]
            if same_ids:
                named += [f"{rid} (register)" for rid in self.register_ids(r["id"]) & same_ids]
            if named:
                score += ENTITY_BONUS
            if later[r["doc_id"]] == "undated":
                score *= UNDATED_FACTOR
            out.append(_Candidate(r["id"], r["doc_id"], r["page"], r["section"], r["text"], round(min(score, 1.0), 3),
                                  _best_sentence(r["text"], words), later[r["doc_id"]],
                                  named + [words[s][0] for s in shared
                                           if not any(words[s][0] in n.lower() for n in named)][:6]))
        out.sort(key=lambda c: -c.score)
        return out

    def confirmed(self, rec_key: str) -> _Candidate | None:
        """The passage a person confirmed for this recommendation, if it is still in the store."""
        for ek in self.confirmed_links.get(rec_key, []):
            doc_id, _, digest = ek.partition(":")
            for r in self.conn.execute("SELECT id, page, section, text FROM blocks WHERE doc_id = ? ORDER BY seq", (doc_id,)):
                if folded_hash(r["text"]) == digest:
                    return _Candidate(r["id"], doc_id, r["page"], r["section"], r["text"], 1.0, r["text"], "confirmed")
        return None


def _best_sentence(text: str, words: dict[str, tuple[str, float]]) -> str:
    """The sentence of a long passage that shares most weight with the recommendation (an exact slice)."""
    if len(text) <= LONG_PASSAGE:
        return text.strip()
    best, best_weight, start = text.strip(), -1.0, 0
    for m in [*_SENTENCE_END.finditer(text), None]:
        end = m.start() if m else len(text)
        sentence = text[start:end].strip()
        if sentence:
            stems = {_stem(w) for w in _WORD.findall(sentence)}
            weight = sum(w for s, (_, w) in words.items() if s in stems)
            if weight > best_weight:
                best, best_weight = sentence, weight
        start = m.end() if m else len(text)
    return best


def _due_of(record: dict) -> str | None:
    """The record's due date, else a deadline its own words give (``… by 1 March 2020``)."""
    if record.get("due"):
        return record["due"]
    from ..extract.recommendations import _due

    return _due(record.get("text") or "")


def followup(db: str | Path, query: FollowupQuery | None = None) -> list[dict]:
    """One row per recommendation (copies counted once): its status, and the evidence for ``followed up``."""
    query = query or FollowupQuery()
    as_of = _bound(query.as_of, upper=False) or date.today().isoformat()
    if len(as_of) != 10:
        raise FollowupError(f"--as-of {query.as_of!r}: give a whole date (YYYY-MM-DD)")
    since, until = _bound(query.since, upper=False), _bound(query.until, upper=True)
    kinds = ",".join(f"'{k}'" for k in RECOMMENDATION_KINDS)
    rows = []
    with Store(db, create=False, readonly=True) as store:
        tracker = _Tracker(store, query)
        records = store.conn.execute(
            "SELECT r.id, r.doc_id, r.page, r.section, r.block_id, r.data FROM records r WHERE r.type = 'recommendation' "
            f"AND r.duplicate_of IS NULL AND json_extract(r.data, '$.kind') IN ({kinds}) ORDER BY r.doc_id, r.seq").fetchall()
        for r in records:
            paper = tracker.papers.get(r["doc_id"])
            if paper is None or not _wanted(paper, query, since, until):
                continue
            data = json.loads(r["data"])
            text = data.get("text") or ""
            rec_key = recommendation_key(paper.id, text)
            evidence = tracker.confirmed(rec_key)
            review = "confirmed" if evidence else None
            if evidence is None:
                found = tracker.candidates(paper, text, rec_key, tracker.subject(r["block_id"]))
                if found and found[0].score >= query.min_score:
                    evidence, review = found[0], "proposed"
            due = _due_of(data)
            # a date on or before the meeting itself ("since commencement on 1 April 2016") is history, not a deadline
            deadline = due if due and not (paper.date and due <= paper.date) else None
            status = "followed up" if evidence else ("overdue" if deadline and deadline < as_of else "no evidence yet")
            rows.append(_row(paper, r, data, due, status, review, evidence, tracker, rec_key))
    rows.sort(key=lambda x: (x["council"] or "", x["date"] or "", x["paper"] or ""))
    return rows


def _wanted(paper: _Paper, query: FollowupQuery, since: str | None, until: str | None) -> bool:
    if query.council and (paper.council or "").lower() != query.council.lower():
        return False
    if query.committee and query.committee.lower() not in (paper.committee or "").lower():
        return False
    if since and not (paper.date and paper.date >= since):
        return False
    if until and not (paper.date and paper.date <= until):
        return False
    return True


def _row(paper: _Paper, r, data: dict, due: str | None, status: str, review: str | None,
         evidence: _Candidate | None, tracker: _Tracker, rec_key: str) -> dict:
    ev_paper = tracker.papers.get(evidence.doc_id) if evidence else None
    return {
        "status": status, "score": evidence.score if evidence else None, "review": review,
        "council": paper.council, "committee": paper.committee, "date": paper.date, "paper": paper.name,
        "doc": paper.id, "page": r["page"], "section": r["section"], "kind": data.get("kind"),
        "text": data.get("text"), "due": due,
        "evidence_paper": ev_paper.name if ev_paper else None, "evidence_doc": evidence.doc_id if evidence else None,
        "evidence_date": ev_paper.date if ev_paper else None, "evidence_page": evidence.page if evidence else None,
        "evidence_section": evidence.section if evidence else None,
        "evidence_quote": evidence.quote if evidence else None, "evidence_order": evidence.order if evidence else None,
        "matched_on": evidence.matched_on if evidence else [],
        "recommendation_key": rec_key,
        "evidence_key": evidence_key(evidence.doc_id, evidence.text) if evidence else None,
        "record_id": r["id"],
    }


# --- a person's rulings ---------------------------------------------------------------------


def record_review(db: str | Path, rulings: Iterable[tuple[str, str, str, str | None, str | None]]) -> int:
    """Store rulings ``(recommendation_key, evidence_key, decision, recommendation, evidence)``; the last one wins."""
    from ..store import _now

    rulings = list(rulings)
    for _, _, decision, _, _ in rulings:
        if decision not in ("confirmed", "rejected"):
            raise FollowupError(f"unknown ruling {decision!r} (confirmed or rejected)")
    with Store(db, create=False) as store:
        store.ensure_tables()
        with store.transaction() as c:
            c.executemany(
                "INSERT INTO followup_reviews(recommendation_key, evidence_key, decision, recommendation, evidence, "
                "decided_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(recommendation_key, evidence_key) DO UPDATE SET "
                "decision = excluded.decision, decided_at = excluded.decided_at",
                [(rk, ek, d, rt, et, _now()) for rk, ek, d, rt, et in rulings])
    return len(rulings)


def proposals(rows: Iterable[dict]) -> list[dict]:
    """Rows whose evidence a person has not ruled on yet."""
    return [r for r in rows if r["review"] == "proposed" and r["evidence_key"]]


def export_review(rows: Iterable[dict], path: str | Path) -> int:
    """Write the unreviewed proposals to a CSV whose ``decision`` column a person fills (confirm / reject)."""
    todo = proposals(rows)
    try:
        with open(path, "w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=REVIEW_COLUMNS, extrasaction="ignore")
            writer.writeheader()
            for row in todo:
                writer.writerow({**row, "decision": ""})
    except OSError as exc:
        raise FollowupError(f"{path}: cannot write ({exc.strerror or exc})") from None
    return len(todo)


def apply_review(db: str | Path, path: str | Path) -> tuple[int, list[str]]:
    """Store the rulings filled in a review CSV; returns (rulings stored, problems with their line numbers)."""
    problems: list[str] = []
    rulings = []
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = {"decision", "recommendation_key", "evidence_key"} - set(reader.fieldnames or [])
            if missing:
                raise FollowupError(f"{path}: not a follow-up review file (no {', '.join(sorted(missing))} column)")
            for line, row in enumerate(reader, start=2):
                answer = (row.get("decision") or "").strip().lower()
                if answer in ("", "skip", "s"):
                    continue
                decision = _DECISIONS.get(answer)
                if decision is None:
                    problems.append(f"{path}:{line}: decision {answer!r} is not confirm or reject")
                elif not row.get("recommendation_key") or not row.get("evidence_key"):
                    problems.append(f"{path}:{line}: the recommendation_key and evidence_key columns are empty")
                else:
                    rulings.append((row["recommendation_key"], row["evidence_key"], decision, row.get("text"),
                                    row.get("evidence_quote")))
    except FileNotFoundError:
        raise FollowupError(f"{path}: no such file") from None
    except (UnicodeDecodeError, csv.Error) as exc:
        raise FollowupError(f"{path}: not a readable CSV ({exc})") from None
    return record_review(db, rulings), problems


def review_interactively(db: str | Path, rows: Iterable[dict], ask: Callable[[dict], str],
                         show: Callable[[dict], None] | None = None) -> int:
    """Put each unreviewed proposal to a person: ``ask(row)`` answers ``c`` (confirm), ``r`` (reject), ``s``
    (skip) or ``q`` (stop). Each ruling is stored at once, so stopping half-way loses nothing."""
    made = 0
    for row in proposals(rows):
        if show is not None:
            show(row)
        answer = (ask(row) or "s").strip().lower()[:1]
        if answer == "q":
            break
        decision = _DECISIONS.get(answer)
        if decision:
            made += record_review(db, [(row["recommendation_key"], row["evidence_key"], decision, row["text"],
                                        row["evidence_quote"])])
    return made


def rich_review(db: str | Path, rows: list[dict]) -> int:
    """``review_interactively`` in the terminal, with rich panels and prompts."""
    from rich.console import Console
    from rich.panel import Panel
    from rich.prompt import Prompt
    from rich.text import Text

    console = Console()
    todo = proposals(rows)
    console.print(f"{len(todo)} proposed follow-up link(s) to review")

    def show(row: dict) -> None:
        body = Text()
        body.append(f"{row['kind']} — {row['paper']} ({row['date'] or 'undated'}, page {row['page'] or '-'})\n", style="bold")
        body.append(f"{row['text']}\n\n")
        body.append(f"evidence (score {row['score']}) — {row['evidence_paper']} ({row['evidence_date'] or 'undated'}, "
                    f"page {row['evidence_page'] or '-'})\n", style="bold")
        body.append(row["evidence_quote"] or "")
        console.print(Panel(body, title=row["council"] or ""))

    return review_interactively(db, rows, lambda row: Prompt.ask("[c]onfirm, [r]eject, [s]kip or [q]uit",
                                                                 choices=["c", "r", "s", "q"], default="s"), show)


def run_followup(db: str | Path, query: FollowupQuery, *, fmt: str, output: Path | None = None, review: bool = False,
                 export_review_path: Path | None = None, apply_path: Path | None = None,
                 echo: Callable[[str], None] = print) -> list[str]:
    """The ``minutes followup`` command: apply a filled review CSV, walk proposals in the terminal, export
    them for review, and list the tracker. Returns problems found in a review file (one line each)."""
    from ..outputs.table import write_rows

    problems: list[str] = []
    if apply_path is not None:
        stored, problems = apply_review(db, apply_path)
        echo(f"minutes: {stored} follow-up ruling(s) stored from {apply_path}")
    rows = followup(db, query)
    if review:
        made = rich_review(db, rows)
        echo(f"minutes: {made} follow-up ruling(s) stored")
        rows = followup(db, query)
    if export_review_path is not None:
        n = export_review(rows, export_review_path)
        echo(f"minutes: {n} proposal(s) written to {export_review_path}; fill 'decision' (confirm / reject), "
             f"then minutes followup --apply {export_review_path}")
        if output is None:
            return problems
    counts = {s: sum(1 for r in rows if r["status"] == s) for s in STATUSES}
    write_rows(rows, fmt, output, columns=COLUMNS, table_columns=TABLE_COLUMNS,
               title=f"{len(rows)} recommendation(s): " + ", ".join(f"{n} {s}" for s, n in counts.items()))
    return problems
