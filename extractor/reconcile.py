"""Reconciliation: names as councils write them -> canonical register ids, with a score, the
runner-up and a decision (``matched``, ``review``, ``unmatched``; ``confirmed``/``rejected`` when a
person decided).

How a score is made (0-100):

1. Both the name and every register label are *folded* (:class:`Normaliser`): case, accents,
   ``&``/``+`` to ``and``, apostrophes, bracketed asides, punctuation, procurement lead-ins
   (``Improvements to``), stop words, trailing ``service(s)``/``team``, years, plural ``s``. The
   word lists are data in ``models/registers/normalisation.json``.
2. A name yields query *forms*: the folded name, plus each bracketed aside that is not a negation
   (``School Support and Intervention (School Improvement)`` also tries ``school improvement``;
   ``(not the Headteacher role)`` is dropped) and each side of a ``/``. For services, words the
   register has never heard of (place names: ``Calder Drive``) are set aside, unless nothing
   else is left; a misspelt word is corrected to the closest register word first.
3. Each form is scored against every label with rapidfuzz: ``SET_WEIGHT * token_set_ratio +
   (1 - SET_WEIGHT) * token_sort_ratio`` (token-set rewards containment, token-sort penalises
   the words left over), 100 for an exact label (an *alias hit*). An entry's score is its best
   label over all forms, less ``category_penalty`` when a category was asked for and differs.
4. Decision: ``matched`` when score >= ``match`` **and** it beats the runner-up entry by at least
   ``margin``; ``review`` when score >= ``review``; else ``unmatched``. A person's decision
   (the decisions file) wins over any score.

Batches (:meth:`Reconciler.match_many`) deduplicate names and forms, cache results, and score
all distinct forms at once with ``process.cdist``.
"""
from __future__ import annotations

import csv
import datetime as _dt
import html
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Callable, Iterable, Iterator

import numpy as np
from rapidfuzz import fuzz, process

from .errors import MinutesError
from .registers import KINDS, Entry, Register, normalisation_rules, shipped_register

SET_WEIGHT = 0.6          # weight of token_set_ratio; the rest is token_sort_ratio
SPELLING_CUTOFF = 92      # a word unknown to the register is corrected when this close to a known one
SPELLING_MIN_LENGTH = 5   # shorter words are never "corrected" (too many near neighbours)
PARALLEL_FORMS = 256      # batches with this many distinct forms are scored on every core
UNEXPLAINED_COST = 0.1    # a name none of whose words the register knows keeps 90% of its score
DECISION_VALUES = ("matched", "review", "unmatched", "confirmed", "rejected")


@dataclass(frozen=True)
class Thresholds:
    """When a score is accepted, and when it is put in front of a person.

    Defaults chosen on the corpus gold (the 80 distinct service names in tests/data/): 77 are
    matched with the id a person picked, every one at a score >= 88.3 and a margin >= 7.0; the
    other three (a 2.3-point call between "Press and PR" and "Concerts", a trim trail at 85.8, and
    "Sona Arch - Mere Green" at 61.7 in a tie) go to review, and none is accepted wrongly. Agenda
    boilerplate ("Minutes of the previous meeting", "Capital programme") stays below 88.
    """

    match: float = 88.0           # at or above (and clear of the runner-up): matched
    review: float = 60.0          # at or above, but not matched: review; below: unmatched
    margin: float = 6.0           # the top entry must beat the runner-up by this much to be matched
    category_penalty: float = 10.0  # taken off entries outside the category a caller asked for

    def __post_init__(self) -> None:
        if not (0 <= self.review <= self.match <= 100):
            raise MinutesError(f"thresholds must satisfy 0 <= review ({self.review}) <= match ({self.match}) <= 100")
        if self.margin < 0:
            raise MinutesError(f"margin must be >= 0 (got {self.margin})")


@dataclass
class Candidate:
    """One register entry proposed for a name, with the features behind its score."""

    id: str
    name: str
    score: float
    features: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "score": self.score, "features": self.features}


@dataclass
class Match:
    """The reconciliation of one name. ``register_id`` is set only when ``matched`` or ``confirmed``."""

    name: str
    register_id: str | None
    register_name: str | None
    score: float
    decision: str
    candidates: list[Candidate] = field(default_factory=list)
    runner_up: str | None = None
    runner_up_score: float | None = None
    margin: float | None = None

    @property
    def best(self) -> Candidate | None:
        """The top candidate, accepted or not."""
        return self.candidates[0] if self.candidates else None

    @property
    def accepted(self) -> bool:
        return self.register_id is not None

    def row(self) -> dict:
        """The flat row ``reconcile --names`` writes."""
        best = self.best
        return {
            "name": self.name,
            "register_id": self.register_id or "",
            "register_name": self.register_name or "",
            "score": self.score,
            "decision": self.decision,
            "runner_up": self.runner_up or "",
            "runner_up_score": "" if self.runner_up_score is None else self.runner_up_score,
            "candidate": best.id if best else "",
            "candidate_name": best.name if best else "",
            "margin": "" if self.margin is None else self.margin,
        }

    def to_dict(self) -> dict:
        return {**{k: v for k, v in self.row().items()}, "candidates": [c.to_dict() for c in self.candidates]}


ROW_COLUMNS = ("name", "register_id", "register_name", "score", "decision", "runner_up",
               "runner_up_score", "candidate", "candidate_name", "margin")

# --------------------------------------------------------------------------- normalisation

_ASIDE = re.compile(r"\(([^()]*)\)|\[([^\[\]]*)\]")
_APOSTROPHE = re.compile(r"['’‘`]")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_YEAR = re.compile(r"^(19|20)\d\d$")


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKD", html.unescape(text))
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def _stem(token: str) -> str:
    """Fold a plural to its singular, crudely but identically on both sides."""
    if len(token) > 4 and token.endswith("ies"):
        return token[:-3] + "y"
    if len(token) > 3 and token.endswith("s") and not token.endswith(("ss", "us", "is")):
        return token[:-1]
    return token


class Normaliser:
    """Folds names and register labels the same way; the word lists come from the rules file."""

    def __init__(self, rules: dict):
        self.drop_years = bool(rules.get("drop_years"))
        self.drop_unknown = bool(rules.get("drop_unknown_tokens"))
        self.stopwords = frozenset(rules.get("stopwords", ()))
        self.trailing = frozenset(_stem(w) for w in rules.get("trailing_words", ()))
        self.lead_ins = sorted((self._tokens(p) for p in rules.get("lead_ins", ())), key=len, reverse=True)
        self.noise = sorted((self._tokens(p) for p in rules.get("noise_phrases", ())), key=len, reverse=True)
        self.negations = tuple(self._tokens(p) for p in rules.get("negated_asides", ()))
        self.generic = frozenset(_stem(w) for w in rules.get("generic_words", ()))

    @staticmethod
    def _tokens(text: str) -> list[str]:
        text = _plain(text).replace("&", " and ").replace("+", " and ")
        return _NON_WORD.sub(" ", _APOSTROPHE.sub("", text)).split()

    def fold(self, text: str, keep_asides: bool = False) -> str:
        """The folded form of ``text`` (bracketed asides removed unless ``keep_asides``)."""
        if not keep_asides:
            text = _ASIDE.sub(" ", text)
        tokens = self._tokens(text)
        stripped = True
        while stripped:
            stripped = False
            for lead in self.lead_ins:
                if lead and len(tokens) > len(lead) and tokens[:len(lead)] == lead:
                    tokens = tokens[len(lead):]
                    stripped = True
                    break
        tokens = self._drop_noise(tokens)
        out = []
        for t in tokens:
            if t in self.stopwords or (self.drop_years and _YEAR.match(t)):
                continue
            out.append(_stem(t))
        if not out:  # a name made only of stop words keeps them
            out = [_stem(t) for t in tokens]
        while len(out) > 1 and out[-1] in self.trailing:
            out.pop()
        return " ".join(out)

    def _drop_noise(self, tokens: list[str]) -> list[str]:
        """Remove noise phrases (``provision of``, ``tender``) wherever they occur, unless nothing would be left."""
        if not self.noise:
            return tokens
        out, i = [], 0
        while i < len(tokens):
            for phrase in self.noise:
                if phrase and tokens[i:i + len(phrase)] == phrase:
                    i += len(phrase)
                    break
            else:
                out.append(tokens[i])
                i += 1
        return out or tokens

    def forms(self, text: str) -> list[str]:
        """Query forms of a name: the folded name, non-negated asides, and each side of a ``/``."""
        forms = [self.fold(text)]
        for m in _ASIDE.finditer(text):
            inner = (m.group(1) or m.group(2) or "").strip()
            words = self._tokens(inner)
            if not words or any(words[:len(n)] == n for n in self.negations if n):
                continue
            forms.append(self.fold(inner))
        bare = _ASIDE.sub(" ", text)
        if "/" in bare:
            parts = [p for p in bare.split("/") if len(self._tokens(p)) >= 1]
            if len(parts) > 1:
                forms.extend(self.fold(p) for p in parts)
        if self.generic:  # the brand without its line of business: "Kier Construction" -> "kier"
            for f in list(forms):
                brand = [t for t in f.split() if t not in self.generic]
                if brand and len(brand) < len(f.split()):
                    forms.append(" ".join(brand))
        seen: list[str] = []
        for f in forms:
            if f and f not in seen:
                seen.append(f)
        return seen or [""]


@cache
def normaliser_for(kind: str) -> Normaliser:
    """The normaliser for ``services`` or ``providers``."""
    return Normaliser(normalisation_rules()[kind])


def combined_score(query: str, label: str, **_: object) -> float:
    """The score of one folded query against one folded label (also usable as a rapidfuzz scorer).

    token_set_ratio is 100 whenever one side's words are a subset of the other's; when the *query*
    is the shorter side (``programme`` against ``events programme``) that proves little, so the
    token-set part is scaled by the share of the label's words the query has.
    """
    if query == label:
        return 100.0
    s_set = fuzz.token_set_ratio(query, label)
    nq, nl = len(query.split()), len(label.split())
    if nq < nl:
        s_set *= nq / nl
    return SET_WEIGHT * s_set + (1 - SET_WEIGHT) * fuzz.token_sort_ratio(query, label)


def coverage_factor(coverage: float) -> float:
    """Scores of a name are scaled by how much of it the register explains: words set aside as
    unknown (place names) cost up to ``UNEXPLAINED_COST`` of the score."""
    return 1.0 - UNEXPLAINED_COST * (1.0 - coverage)


# --------------------------------------------------------------------------- decisions

DECISION_COLUMNS = ("register", "name", "register_id", "action", "decided_at")
ACTIONS = ("accept", "alias", "reject")


@dataclass
class Decision:
    """A person's ruling on one name: ``accept`` an id, make the name an ``alias`` of it, or ``reject``."""

    register: str
    name: str
    register_id: str | None
    action: str
    decided_at: str = ""


class Decisions:
    """Remembered decisions, a CSV (``register,name,register_id,action,decided_at``); the last
    decision on a name wins, and decisions win over fuzzy scores."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path else None
        self._by_key: dict[tuple[str, str], Decision] = {}
        if self.path and self.path.exists():
            self._load()

    def _load(self) -> None:
        try:
            with open(self.path, encoding="utf-8-sig", newline="") as fh:
                for line, row in enumerate(csv.DictReader(fh), start=2):
                    reg = (row.get("register") or "").strip()
                    action = (row.get("action") or "").strip()
                    name = (row.get("name") or "").strip()
                    if reg not in KINDS or action not in ACTIONS or not name:
                        raise MinutesError(f"{self.path}:{line}: not a decision row (register one of {KINDS}, "
                                           f"action one of {ACTIONS}, a name)")
                    rid = (row.get("register_id") or "").strip() or None
                    self._put(Decision(reg, name, rid, action, (row.get("decided_at") or "").strip()))
        except UnicodeDecodeError:
            raise MinutesError(f"{self.path}: decisions file is not UTF-8 text") from None

    def _put(self, d: Decision) -> None:
        self._by_key[(d.register, normaliser_for(d.register).fold(d.name, keep_asides=True))] = d

    def get(self, register: str, name: str) -> Decision | None:
        return self._by_key.get((register, normaliser_for(register).fold(name, keep_asides=True)))

    def aliases(self, register: str) -> dict[str, list[str]]:
        """Names a person made aliases of an entry: entry id -> names."""
        out: dict[str, list[str]] = {}
        for (reg, _), d in self._by_key.items():
            if reg == register and d.action == "alias" and d.register_id:
                out.setdefault(d.register_id, []).append(d.name)
        return out

    def __len__(self) -> int:
        return len(self._by_key)

    def __iter__(self) -> Iterator[Decision]:
        return iter(self._by_key.values())

    def record(self, register: str, name: str, register_id: str | None, action: str) -> Decision:
        """Remember a decision (call :meth:`save` to write the file)."""
        if action not in ACTIONS:
            raise MinutesError(f"unknown decision action {action!r} (one of {', '.join(ACTIONS)})")
        if action != "reject" and not register_id:
            raise MinutesError(f"decision {action!r} on {name!r} needs a register id")
        d = Decision(register, name, register_id if action != "reject" else None, action,
                     _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))
        self._put(d)
        return d

    def save(self, path: str | Path | None = None) -> Path:
        path = Path(path) if path else self.path
        if path is None:
            raise MinutesError("no decisions file to write to")
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(DECISION_COLUMNS)
            for d in self._by_key.values():
                w.writerow([d.register, d.name, d.register_id or "", d.action, d.decided_at])
        tmp.replace(path)
        self.path = path
        return path


def default_decisions_path(register_file: str | Path | None = None) -> Path:
    """Next to the user's register (``mine.csv`` -> ``mine.decisions.csv``), else next to the shipped
    one, or ``~/.minutes/decisions.csv`` when the installation's folder is read-only."""
    import os

    if register_file:
        p = Path(register_file)
        return p.with_name(p.stem + ".decisions.csv")
    from .registers import shipped_register_path
    folder = shipped_register_path("services").parent
    if os.access(folder, os.W_OK):
        return folder / "decisions.csv"
    return Path.home() / ".minutes" / "decisions.csv"


# --------------------------------------------------------------------------- matching


class Reconciler:
    """Matches names against one register. Thread-safe for reads once built."""

    def __init__(self, register: Register, decisions: Decisions | None = None,
                 thresholds: Thresholds | None = None, limit: int = 5):
        self.register = register
        self.kind = register.kind
        self.decisions = decisions
        self.thresholds = thresholds or Thresholds()
        self.limit = limit
        self.normaliser = normaliser_for(self.kind)
        self._cache: dict[tuple[str, str | None], Match] = {}
        self._build_index()

    # ---- index
    def _build_index(self) -> None:
        extra = self.decisions.aliases(self.kind) if self.decisions else {}
        self.entries: list[Entry] = list(self.register)
        labels: list[str] = []
        folded: list[str] = []
        owner: list[int] = []
        for i, e in enumerate(self.entries):
            seen = set()
            for label in (*e.names(), *extra.get(e.id, ())):
                key = self.normaliser.fold(label)
                if key and key not in seen:
                    seen.add(key)
                    labels.append(label)
                    folded.append(key)
                    owner.append(i)
        self.labels, self.choices = labels, folded
        self._label_words = np.asarray([len(f.split()) for f in folded], dtype=np.float64)
        self.owner = np.asarray(owner, dtype=np.int64)
        # columns are grouped by entry, so an entry's best label is one reduceat away
        self._starts = np.flatnonzero(np.r_[True, self.owner[1:] != self.owner[:-1]]) if len(owner) else np.zeros(0, int)
        self._start_entry = self.owner[self._starts] if len(owner) else np.zeros(0, int)
        self.vocabulary = sorted({t for f in folded for t in f.split()})
        self._vocab_set = frozenset(self.vocabulary)
        self._token_cache: dict[str, str | None] = {}
        self.categories = np.asarray([e.category or "" for e in self.entries], dtype=object)

    # ---- query forms
    def _known(self, token: str) -> str | None:
        """The register's word for ``token``: itself, a close spelling, or None."""
        if token in self._vocab_set:
            return token
        if token not in self._token_cache:
            hit = None
            if len(token) >= SPELLING_MIN_LENGTH and not token.isdigit():
                best = process.extractOne(token, self.vocabulary, scorer=fuzz.ratio, score_cutoff=SPELLING_CUTOFF)
                hit = best[0] if best else None
            self._token_cache[token] = hit
        return self._token_cache[token]

    def query_forms(self, name: str) -> tuple[list[str], float]:
        """The scored forms of ``name`` and its coverage (the share of its words the register knows)."""
        forms = self.normaliser.forms(name)
        if not self.normaliser.drop_unknown:
            return forms, 1.0
        out, coverage = [], None
        for f in forms:
            tokens = f.split()
            known = [k for k in (self._known(t) for t in tokens) if k]
            if coverage is None:
                coverage = len(known) / len(tokens) if tokens else 0.0
            out.append(" ".join(known) if known else f)
        seen: list[str] = []
        for f in out:
            if f not in seen:
                seen.append(f)
        return seen, round(coverage or 0.0, 3)

    # ---- scoring
    def _score_forms(self, forms: list[str]) -> np.ndarray:
        """Scores of each distinct form against every label (rows: forms, columns: labels)."""
        if not forms or not self.choices:
            return np.zeros((len(forms), len(self.choices)))
        workers = -1 if len(forms) >= PARALLEL_FORMS else 1  # threads only pay off on big batches
        s_set = process.cdist(forms, self.choices, scorer=fuzz.token_set_ratio, dtype=np.float64, workers=workers)
        s_sort = process.cdist(forms, self.choices, scorer=fuzz.token_sort_ratio, dtype=np.float64, workers=workers)
        n_query = np.asarray([len(f.split()) for f in forms], dtype=np.float64)[:, None]
        shorter = n_query < self._label_words[None, :]
        s_set = np.where(shorter, s_set * (n_query / self._label_words[None, :]), s_set)
        scores = SET_WEIGHT * s_set + (1 - SET_WEIGHT) * s_sort
        exact = {f: i for i, f in enumerate(forms)}
        for j, c in enumerate(self.choices):
            i = exact.get(c)
            if i is not None:
                scores[i, j] = 100.0
        return scores

    def _entry_scores(self, label_scores: np.ndarray) -> np.ndarray:
        """Best label per entry (rows kept)."""
        out = np.zeros((label_scores.shape[0], len(self.entries)))
        if label_scores.shape[1]:
            out[:, self._start_entry] = np.maximum.reduceat(label_scores, self._starts, axis=1)
        return out

    def match(self, name: str, category: str | None = None) -> Match:
        """Reconcile one name (cached)."""
        return self.match_many([name], category=category)[0]

    def match_many(self, names: Iterable[str], category: str | None = None) -> list[Match]:
        """Reconcile many names: deduplicated, cached, and scored in one ``cdist`` per chunk."""
        names = [n if isinstance(n, str) else "" for n in names]
        todo = [n for n in dict.fromkeys(names) if (n, category) not in self._cache]
        chunk = 2000
        for start in range(0, len(todo), chunk):
            self._match_chunk(todo[start:start + chunk], category)
        return [self._cache[(n, category)] for n in names]

    def _match_chunk(self, names: list[str], category: str | None) -> None:
        per_name = [self.query_forms(n) for n in names]
        distinct = list(dict.fromkeys(f for forms, _ in per_name for f in forms))
        row_of = {f: i for i, f in enumerate(distinct)}
        label_scores = self._score_forms(distinct)
        entry_scores = self._entry_scores(label_scores)
        if category:
            entry_scores = entry_scores - np.where(self.categories == category, 0.0, self.thresholds.category_penalty)
            np.clip(entry_scores, 0, 100, out=entry_scores)
        for name, (forms, coverage) in zip(names, per_name):
            rows = [row_of[f] for f in forms]
            scores = entry_scores[rows].max(axis=0) if rows else np.zeros(len(self.entries))
            scores = scores * coverage_factor(coverage)
            self._cache[(name, category)] = self._decide(name, forms, coverage, rows, scores, label_scores, category)

    def _candidate(self, idx: int, score: float, forms: list[str], rows: list[int],
                   label_scores: np.ndarray, coverage: float, category: str | None) -> Candidate:
        entry = self.entries[idx]
        cols = np.flatnonzero(self.owner == idx)
        sub = label_scores[np.ix_(rows, cols)]
        r, c = np.unravel_index(int(np.argmax(sub)), sub.shape)
        form, col = forms[r], int(cols[c])
        features = {
            "form": form,
            "label": self.labels[col],
            "token_set": round(float(fuzz.token_set_ratio(form, self.choices[col])), 1),
            "token_sort": round(float(fuzz.token_sort_ratio(form, self.choices[col])), 1),
            "alias_hit": form == self.choices[col],
            "category": entry.category,
            "category_match": None if not category else entry.category == category,
            "coverage": coverage,
            "coverage_factor": round(coverage_factor(coverage), 3),
        }
        if entry.parent:
            features["group"] = self.register.group_of(entry.id)
        return Candidate(entry.id, entry.name, round(float(score), 1), features)

    def _decide(self, name: str, forms: list[str], coverage: float, rows: list[int], scores: np.ndarray,
                label_scores: np.ndarray, category: str | None) -> Match:
        t = self.thresholds
        k = min(self.limit, len(scores))
        order = np.argsort(-scores, kind="stable")[:k] if k else np.zeros(0, int)
        candidates = [self._candidate(int(i), float(scores[i]), forms, rows, label_scores, coverage, category)
                      for i in order if scores[i] > 0]
        top = candidates[0] if candidates else None
        second = candidates[1] if len(candidates) > 1 else None
        score = top.score if top else 0.0
        margin = round(score - (second.score if second else 0.0), 1) if top else None
        decision = "unmatched"
        if top and score >= t.match and (margin or 0) >= t.margin:
            decision = "matched"
        elif top and score >= t.review:
            decision = "review"
        ruling = self.decisions.get(self.kind, name) if self.decisions else None
        if ruling is not None:
            if ruling.action == "reject":
                decision = "rejected"
            elif ruling.register_id in self.register:
                chosen = next((c for c in candidates if c.id == ruling.register_id), None)
                if chosen is None:
                    e = self.register.get(ruling.register_id)
                    chosen = Candidate(e.id, e.name, 0.0, {"form": forms[0] if forms else ""})
                chosen.features = {**chosen.features, "decision": ruling.action}
                candidates = [chosen, *[c for c in candidates if c.id != chosen.id]]
                others = [c for c in candidates[1:]]
                return Match(name, chosen.id, chosen.name, 100.0, "confirmed", candidates,
                             others[0].id if others else None, others[0].score if others else None,
                             round(100.0 - (others[0].score if others else 0.0), 1))
        accepted = top if decision == "matched" else None
        return Match(name, accepted.id if accepted else None, accepted.name if accepted else None, score, decision,
                     candidates, second.id if second else None, second.score if second else None, margin)

    def reference_best(self, name: str) -> tuple[str | None, float]:
        """The best entry for ``name`` found the slow way — ``process.extractOne`` over every label,
        per form — for checking and benchmarking :meth:`match_many` (no category, no decisions)."""
        forms, coverage = self.query_forms(name)
        best_id, best_score, best_idx = None, -1.0, None
        for f in forms:
            hit = process.extractOne(f, self.choices, scorer=combined_score)
            if hit is None:
                continue
            _, s, j = hit
            idx = int(self.owner[j])
            if s > best_score or (s == best_score and best_idx is not None and idx < best_idx):
                best_id, best_score, best_idx = self.entries[idx].id, s, idx
        return best_id, round(best_score * coverage_factor(coverage), 1)

    def reload(self) -> None:
        """Rebuild after new decisions or aliases (clears the cache)."""
        self._cache.clear()
        self._build_index()


# --------------------------------------------------------------------------- records, names, review


@dataclass
class ReconcileStats:
    """Counts per record type and decision, for the end-of-run summary."""

    counts: dict[tuple[str, str], int] = field(default_factory=dict)

    def add(self, kind: str, decision: str) -> None:
        self.counts[(kind, decision)] = self.counts.get((kind, decision), 0) + 1

    def summary(self) -> str:
        parts = []
        for kind in ("service", "provider"):
            row = {d: n for (k, d), n in self.counts.items() if k == kind}
            if row:
                parts.append(f"{kind}: " + ", ".join(f"{n} {d}" for d, n in sorted(row.items())))
        return "; ".join(parts) or "no service or provider records"


def reconcile_records(records: Iterable[dict], services: Reconciler, providers: Reconciler | None = None,
                      stats: ReconcileStats | None = None, reviews: dict | None = None,
                      chunk: int = 5000) -> Iterator[dict]:
    """Fill ``register_id`` and ``match_score`` on ``service`` records (and on ``provider`` records when a
    provider reconciler is given); other records pass through unchanged. Streams in chunks.

    ``register_id`` is set only for ``matched`` or ``confirmed`` names; ``match_score`` is the best
    candidate's score either way (null when there was no candidate), so close calls can be sorted.
    Matches that need a person are collected in ``reviews`` (``(kind, name) -> Match``) when given.
    """
    buffer: list[dict] = []

    def flush() -> Iterator[dict]:
        by_kind = {"service": services, "provider": providers}
        for kind, rec in by_kind.items():
            if rec is None:
                continue
            items = [r for r in buffer if r.get("type") == kind and isinstance(r.get("name"), str)]
            matches = rec.match_many([r["name"] for r in items])
            for r, m in zip(items, matches):
                r["register_id"] = m.register_id
                r["match_score"] = m.score if m.candidates else None
                if stats is not None:
                    stats.add(kind, m.decision)
                if reviews is not None and m.decision == "review":
                    reviews[(rec.kind, m.name)] = m
        yield from buffer
        buffer.clear()

    for record in records:
        buffer.append(record)
        if len(buffer) >= chunk:
            yield from flush()
    yield from flush()


def read_names(path: str | Path, column: str | None = None) -> list[str]:
    """Names from a plain list (one a line) or a CSV column (``column``, else the first column).

    A ``.csv``/``.tsv`` file, or any file when ``column`` is given, is read as CSV with a header.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise MinutesError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise MinutesError(f"{path}: not UTF-8 text") from None
    first = text.split("\n", 1)[0]
    if column is None and path.suffix.lower() not in (".csv", ".tsv"):
        return [ln.strip() for ln in text.splitlines() if ln.strip()]
    dialect = "excel-tab" if "\t" in first and "," not in first else "excel"
    reader = csv.DictReader(text.splitlines(), dialect=dialect)
    fields = reader.fieldnames or []
    if column is None:
        column = fields[0] if fields else None
    if column not in fields:
        raise MinutesError(f"{path}: no column {column!r} (columns: {', '.join(fields) or 'none'})")
    return [(row.get(column) or "").strip() for row in reader if (row.get(column) or "").strip()]


REVIEW_COLUMNS_BASE = ("register", "name", "decision", "score")


def export_review(matches: Iterable[Match], kind: str | list[str], path: str | Path, per_row: int = 3) -> int:
    """Write close calls to a CSV a person fills in: put an id (or ``none``) in ``choice``,
    ``yes`` in ``alias`` to also make the name an alias. ``kind`` is the register of every row,
    or a list giving each row's. Returns the number of rows."""
    path = Path(path)
    matches = list(matches)
    kinds = kind if isinstance(kind, list) else [kind] * len(matches)
    cols = [*REVIEW_COLUMNS_BASE]
    for i in range(1, per_row + 1):
        cols += [f"candidate_{i}", f"candidate_{i}_name", f"candidate_{i}_score"]
    cols += ["choice", "alias"]
    n = 0
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=cols)
        w.writeheader()
        for m, k in zip(matches, kinds):
            row = {"register": k, "name": m.name, "decision": m.decision, "score": m.score, "choice": "", "alias": ""}
            for i, c in enumerate(m.candidates[:per_row], start=1):
                row.update({f"candidate_{i}": c.id, f"candidate_{i}_name": c.name, f"candidate_{i}_score": c.score})
            w.writerow(row)
            n += 1
    return n


def apply_review(path: str | Path, registers: dict[str, Register], decisions: Decisions) -> tuple[int, list[str]]:
    """Record the decisions filled in an exported review CSV. Rows with an empty ``choice`` are
    skipped; ``none`` rejects; an id (or ``1``-``3`` for a listed candidate) accepts, as an alias
    when ``alias`` is yes. Returns (decisions recorded, problems naming their rows)."""
    path = Path(path)
    recorded, problems = 0, []
    try:
        fh = open(path, encoding="utf-8-sig", newline="")
    except FileNotFoundError:
        raise MinutesError(f"{path}: no such review file") from None
    with fh:
        reader = csv.DictReader(fh)
        if not reader.fieldnames or not {"register", "name", "choice"} <= set(reader.fieldnames):
            raise MinutesError(f"{path}: not a review file (needs register, name and choice columns)")
        for line, row in enumerate(reader, start=2):
            kind = (row.get("register") or "").strip()
            name = (row.get("name") or "").strip()
            choice = (row.get("choice") or "").strip()
            if not choice:
                continue
            if kind not in registers or not name:
                problems.append(f"{path}:{line}: unknown register {kind!r} or empty name")
                continue
            if choice.isdigit() and row.get(f"candidate_{choice}"):
                choice = row[f"candidate_{choice}"].strip()
            if choice.lower() in ("none", "no", "reject", "-"):
                decisions.record(kind, name, None, "reject")
                recorded += 1
                continue
            if choice not in registers[kind]:
                problems.append(f"{path}:{line}: {choice!r} is not an id in the {kind} register")
                continue
            alias = (row.get("alias") or "").strip().lower() in ("yes", "y", "true", "1", "x")
            decisions.record(kind, name, choice, "alias" if alias else "accept")
            recorded += 1
    return recorded, problems


def review_interactively(matches: list[Match], kind: str, register: Register, decisions: Decisions,
                         ask: Callable[[str], str] | None = None, console=None) -> int:
    """Walk close calls with a person: accept the top candidate, pick another (its number or any id),
    make the name a new alias, reject it, skip it, or quit. Returns the number of decisions made."""
    from rich.console import Console
    from rich.markup import escape
    from rich.prompt import Prompt
    from rich.table import Table

    console = console or Console(stderr=True)
    ask = ask or (lambda prompt: Prompt.ask(prompt, console=console, default="s"))
    made = 0
    for n, m in enumerate(matches, start=1):
        table = Table(title=escape(f"[{n}/{len(matches)}] {kind}: {m.name!r} — {m.decision}, score {m.score}"))
        for col in ("#", "id", "name", "score", "why"):
            table.add_column(col)
        for i, c in enumerate(m.candidates, start=1):
            f = c.features
            why = f"{f.get('label', '')!r} set {f.get('token_set', '')} sort {f.get('token_sort', '')}" + (" alias" if f.get("alias_hit") else "")
            table.add_row(str(i), escape(c.id), escape(c.name), str(c.score), escape(why))
        console.print(table)
        while True:
            answer = ask(escape("[a]ccept 1 · number or id to pick · [n]ew alias (+number/id) · [r]eject · [s]kip · [q]uit")).strip()
            low = answer.lower()
            if low in ("q", "quit"):
                return made
            if low in ("s", "skip", ""):
                break
            if low in ("r", "reject", "none"):
                decisions.record(kind, m.name, None, "reject")
                made += 1
                break
            action = "accept"
            if low.startswith("n"):
                action, answer = "alias", answer[1:].strip() or "1"
            elif low in ("a", "accept"):
                answer = "1"
            target = answer
            if answer.isdigit() and 1 <= int(answer) <= len(m.candidates):
                target = m.candidates[int(answer) - 1].id
            if target in register:
                decisions.record(kind, m.name, target, action)
                made += 1
                break
            console.print(f"[red]{answer!r} is neither a listed number nor an id in the {kind} register[/red]")
    return made


def build_reconcilers(register_files: Iterable[str | Path] = (), replace: bool = False,
                      decisions: Decisions | None = None, thresholds: Thresholds | None = None,
                      limit: int = 5) -> dict[str, Reconciler]:
    """A reconciler per register kind, over the shipped registers extended (or replaced) by the user's."""
    from .registers import load_registers

    registers = load_registers(register_files, replace=replace)
    return {k: Reconciler(registers[k], decisions=decisions, thresholds=thresholds, limit=limit) for k in KINDS}


__all__ = ["Thresholds", "Candidate", "Match", "Normaliser", "Reconciler", "Decisions", "Decision",
           "reconcile_records", "read_names", "export_review", "apply_review", "review_interactively",
           "build_reconcilers", "normaliser_for", "default_decisions_path", "combined_score", "shipped_register"]


# --------------------------------------------------------------------------- the command's work


def _read_jsonl(path: Path, problems: list[str]) -> list[dict]:
    """Records from an extraction JSONL file; a bad line is named in ``problems`` and skipped."""
    import json

    try:
        fh = open(path, encoding="utf-8-sig")
    except FileNotFoundError:
        raise MinutesError(f"{path}: no such file") from None
    out = []
    with fh:
        try:
            for line_no, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    problems.append(f"{path}:{line_no}: not a JSON record ({exc.msg})")
                    continue
                if not isinstance(record, dict) or "type" not in record:
                    problems.append(f"{path}:{line_no}: not a record (no 'type')")
                    continue
                out.append(record)
        except UnicodeDecodeError:
            raise MinutesError(f"{path}: not UTF-8 text") from None
    return out


def _write_rows(rows: list[dict], columns: tuple[str, ...], fmt: str, output: Path | None, title: str) -> None:
    import json
    import sys

    if fmt == "table":
        from rich.console import Console
        from rich.table import Table

        table = Table(title=title)
        for col in columns:
            table.add_column(col, overflow="fold")
        for row in rows:
            table.add_row(*[str(row.get(c, "")) for c in columns])
        if output:
            with open(output, "w", encoding="utf-8") as fh:
                Console(file=fh, width=160).print(table)
        else:
            Console().print(table)
        return
    fh = open(output, "w", encoding="utf-8", newline="") if output else sys.stdout
    try:
        if fmt == "csv":
            w = csv.DictWriter(fh, fieldnames=list(columns), extrasaction="ignore")
            w.writeheader()
            w.writerows(rows)
        else:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    finally:
        if output:
            fh.close()


TABLE_COLUMNS = ("name", "register_id", "score", "decision", "candidate", "runner_up", "runner_up_score")
RECORD_ROW_COLUMNS = ("doc", "type", "name", "register_id", "match_score")


def run_reconcile(*, records_path: Path | None = None, names_path: Path | None = None, column: str | None = None,
                  kind: str = "services", fmt: str = "jsonl", output: Path | None = None,
                  register_files: tuple[Path, ...] = (), replace: bool = False, decisions_path: Path | None = None,
                  review: bool = False, export_review_path: Path | None = None, apply_path: Path | None = None,
                  thresholds: Thresholds | None = None, ask: Callable[[str], str] | None = None,
                  echo: Callable[[str], None] = print, db_path: Path | None = None) -> list[str]:
    """What ``minutes reconcile`` does; returns the problems to report (the CLI exits 1 when any).

    Order: apply a filled review CSV (``apply_path``), reconcile the input (an extraction JSONL
    file, a names list, or the service and provider records of a corpus database ``db_path``,
    updated in place), walk close calls with a person (``review``), write the close calls to a
    CSV (``export_review_path``), then write the output. Decisions are saved to ``decisions_path``
    (default: next to the user's register, else next to the shipped one).
    """
    import json

    from .registers import load_registers

    problems: list[str] = []
    decisions = Decisions(decisions_path or default_decisions_path(register_files[0] if register_files else None))
    registers = load_registers(register_files, replace=replace)
    if apply_path:
        recorded, bad = apply_review(apply_path, registers, decisions)
        problems.extend(bad)
        if recorded:
            decisions.save()
        echo(f"minutes: {recorded} decision(s) from {apply_path} saved to {decisions.path}")
    if records_path is None and names_path is None and db_path is None:
        return problems
    reconcilers = {k: Reconciler(registers[k], decisions=decisions, thresholds=thresholds) for k in KINDS}

    def close_calls(matches: Iterable[tuple[str, Match]]) -> list[tuple[str, Match]]:
        seen: dict[tuple[str, str], Match] = {}
        for k, m in matches:
            if m.decision == "review":
                seen.setdefault((k, m.name), m)
        return [(k, m) for (k, _), m in seen.items()]

    def walk(calls: list[tuple[str, Match]]) -> None:
        made = 0
        for k in KINDS:
            batch = [m for kk, m in calls if kk == k]
            if batch:
                made += review_interactively(batch, k, registers[k], decisions, ask=ask)
        if made:
            decisions.save()
            for r in reconcilers.values():
                r.reload()
        echo(f"minutes: {made} decision(s) saved to {decisions.path}")

    if names_path is not None:
        names = read_names(names_path, column)
        reconciler = reconcilers[kind]
        matches = reconciler.match_many(names)
        calls = close_calls((kind, m) for m in matches)
        if review and calls:
            walk(calls)
            matches = reconciler.match_many(names)
        if export_review_path:
            _export_all(calls, export_review_path)
            echo(f"minutes: {len(calls)} close call(s) written to {export_review_path}; fill 'choice', then run --apply {export_review_path}")
        rows = [m.row() for m in matches]
        if fmt == "jsonl":
            rows = [{**m.row(), "candidates": [c.to_dict() for c in m.candidates]} for m in matches]
        _write_rows(rows, TABLE_COLUMNS if fmt == "table" else ROW_COLUMNS, fmt, output, f"{kind} reconciled: {names_path}")
        counts: dict[str, int] = {}
        for m in matches:
            counts[m.decision] = counts.get(m.decision, 0) + 1
        echo("minutes: " + ", ".join(f"{n} {d}" for d, n in sorted(counts.items())))
        return problems

    stored = store_records(db_path) if records_path is None else None
    records = [r for _, r in stored] if stored is not None else _read_jsonl(records_path, problems)
    if review or export_review_path:
        pending: dict = {}
        for _ in reconcile_records([dict(r) for r in records], reconcilers["services"], reconcilers["providers"],
                                   reviews=pending):
            pass
        calls = [(k, m) for (k, _), m in pending.items()]
        if review and calls:
            walk(calls)
        if export_review_path:
            _export_all(calls, export_review_path)
            echo(f"minutes: {len(calls)} close call(s) written to {export_review_path}; fill 'choice', then run --apply {export_review_path}")
    stats = ReconcileStats()
    out = list(reconcile_records(records, reconcilers["services"], reconcilers["providers"], stats=stats))
    if stored is not None:
        n = update_store_records(db_path, [(row_id, r) for (row_id, _), r in zip(stored, out)])
        echo(f"minutes: {n} service and provider record(s) updated in {db_path}")
        if output or fmt != "jsonl":
            _write_rows(out, RECORD_ROW_COLUMNS, fmt, output, f"reconciled: {db_path}")
    elif fmt == "jsonl":
        fh = open(output, "w", encoding="utf-8") if output else None
        import sys
        target = fh or sys.stdout
        for r in out:
            target.write(json.dumps(r, ensure_ascii=False) + "\n")
        if fh:
            fh.close()
    else:
        rows = [r for r in out if r.get("type") in ("service", "provider")]
        _write_rows(rows, RECORD_ROW_COLUMNS, fmt, output, f"reconciled: {records_path}")
    echo(f"minutes: {stats.summary()}")
    return problems


def store_records(db_path: Path) -> list[tuple[int, dict]]:
    """The service and provider records of a corpus database, as (row id, record)."""
    import json

    from .store import Store

    with Store(db_path, create=False, readonly=True) as store:
        rows = store.conn.execute("SELECT id, data FROM records WHERE type IN ('service', 'provider') ORDER BY id").fetchall()
    return [(row["id"], json.loads(row["data"])) for row in rows]


def update_store_records(db_path: Path, records: list[tuple[int, dict]]) -> int:
    """Write reconciled records back to the corpus database, in one transaction."""
    import json

    from .store import Store

    with Store(db_path, create=False) as store:
        with store.transaction() as conn:
            conn.executemany("UPDATE records SET data = ? WHERE id = ?",
                             [(json.dumps(r, ensure_ascii=False), row_id) for row_id, r in records])
    return len(records)


def _export_all(calls: list[tuple[str, Match]], path: Path) -> None:
    """One review CSV holding the close calls of both registers (the ``register`` column tells them apart)."""
    ordered = [m for k in KINDS for kk, m in calls if kk == k]
    kinds = [k for k in KINDS for kk, _ in calls if kk == k]
    export_review(ordered, kinds, path)
