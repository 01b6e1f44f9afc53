"""nlp: the one spaCy pipeline, built once per process from ``spacy.blank("en")``.

A sentencizer plus a ``span_ruler`` whose patterns are the JSONL rule packs in
``models/rules/`` (lines ``{"label": ..., "pattern": ..., "id": ...}``). No
trained model is needed; nothing is downloaded.
"""
from __future__ import annotations

import copy
import json
import os
import re
import sys
import types
import weakref
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import numpy


def _import_spacy_without_cli() -> types.ModuleType:
    """``import spacy``, minus the command-line package it loads only to re-export ``spacy.info``.

    ``spacy/__init__.py`` runs ``from .cli.info import info``, which imports all of ``spacy.cli``
    (typer, weasel, httpx, jinja2, requests: some 0.13 s of CPU) though nothing here uses it.
    While spaCy is imported, stand-ins for ``spacy.cli`` and ``spacy.cli.info`` sit in
    ``sys.modules``; their ``info`` imports and calls the real one. They are removed at once, so a
    later ``import spacy.cli`` loads the real package. If spaCy is already imported, or anything
    here is not as expected, this falls back to a plain import.
    """
    if "spacy" in sys.modules or "spacy.cli" in sys.modules or "spacy.cli.info" in sys.modules:
        import spacy
        return spacy

    def info(*args, **kwargs):
        from spacy.cli.info import info as real_info
        return real_info(*args, **kwargs)

    cli = types.ModuleType("spacy.cli", "stand-in while spaCy is imported (extractor.nlp)")
    cli.__path__ = []
    cli_info = types.ModuleType("spacy.cli.info", cli.__doc__)
    cli_info.info = info
    cli.info = cli_info
    stand_ins = {"spacy.cli": cli, "spacy.cli.info": cli_info}
    sys.modules.update(stand_ins)
    try:
        import spacy
    except (ImportError, AttributeError):  # this spaCy wants more of its CLI: retry without the stand-ins
        spacy = None
    finally:
        for name, stand_in in stand_ins.items():
            if sys.modules.get(name) is stand_in:
                del sys.modules[name]
    if spacy is None:  # the modules that failed to import are gone from sys.modules; import again
        import spacy
    elif getattr(spacy, "cli", None) is cli:
        del spacy.cli
    return spacy


spacy = _import_spacy_without_cli()

from spacy.attrs import IS_PUNCT, LOWER  # noqa: E402
from spacy.language import Language  # noqa: E402
from spacy.tokens import Doc  # noqa: E402

from .resources import models_dir  # noqa: E402

SPANS_KEY = "rules"


def rule_files() -> list[Path]:
    return sorted((models_dir() / "rules").glob("*.jsonl"))


def load_patterns(path: Path) -> list[dict]:
    """Read one rule pack, refusing malformed lines with the file and line number.

    The pipeline and several extractors read the same packs: each is parsed once per process (again
    if the file changes), and every caller gets entries of its own to keep or change.
    """
    stat = os.stat(path)
    return [dict(e, pattern=copy.deepcopy(e["pattern"])) if isinstance(e["pattern"], list) else dict(e)
            for e in _parsed_patterns(str(path), stat.st_mtime_ns, stat.st_size)]


@lru_cache(maxsize=64)
def _parsed_patterns(path: str, mtime_ns: int, size: int) -> tuple[dict, ...]:
    """The entries of the rule pack at ``path`` (its modification time and size make the cache key)."""
    patterns = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            line = line.strip()
            if not line or line.startswith("//"):
                continue
            try:
                entry = json.loads(line)
            except ValueError as exc:
                raise ValueError(f"{path}:{n}: not JSON ({exc})") from None
            if not isinstance(entry, dict) or "label" not in entry or "pattern" not in entry:
                raise ValueError(f"{path}:{n}: a rule needs 'label' and 'pattern'")
            patterns.append(entry)
    return tuple(patterns)


# The lexical attributes the pipeline reads: LOWER (the phrase matcher's attribute) and IS_PUNCT
# (the sentencizer's test). Nothing reads the others (shape, like_num, is_stop, ...).
_READ_LEXEME_ATTRS = (LOWER, IS_PUNCT)


def _blank_english(lexeme_attrs: tuple[int, ...] | None) -> Language:
    """``spacy.blank("en")``, whose vocabulary sets only ``lexeme_attrs`` on new words (all if None).

    spaCy calls a Python function per attribute for every word it sees first (some twenty of
    them: about 14 µs a word), at start-up for the tokenizer's special cases and the rule
    patterns, then for each new word of each paper. Values that are not computed stay 0.
    """
    if lexeme_attrs is None:
        return spacy.blank("en")
    from spacy.lang.en import English
    from spacy.vocab import create_vocab

    vocab = create_vocab("en", English.Defaults)
    vocab.lex_attr_getters = {attr: get for attr, get in vocab.lex_attr_getters.items() if attr in lexeme_attrs}
    return spacy.blank("en", vocab=vocab)


@cache
def get_nlp() -> Language:
    """The pipeline (sentencizer, then span_ruler), built on first use.

    While the rules are phrase patterns, its vocabulary computes only the lexical attributes the
    pipeline reads (``_READ_LEXEME_ATTRS``): a token's ``like_num``, ``shape_``, ``is_stop``... are unset.
    """
    patterns = [p for f in rule_files() for p in load_patterns(f)]
    # token patterns may test any lexical attribute: then every one is computed
    phrases_only = all(isinstance(p["pattern"], str) for p in patterns)
    nlp = _blank_english(_READ_LEXEME_ATTRS if phrases_only else None)
    if patterns:
        ruler = nlp.add_pipe("span_ruler", config={"spans_key": SPANS_KEY, "phrase_matcher_attr": "LOWER"})
        ruler.add_patterns(patterns)  # parsed by the pipes before the ruler: none yet, so no sentencizer runs
    nlp.add_pipe("sentencizer", first=True)
    nlp.tokenizer.max_cache_size = TOKENIZER_CACHE_SIZE
    return nlp


# ---------------------------------------------------------------- the tokenizer's cache

# spaCy's tokenizer caches how it split each whitespace-separated piece of text, but once a piece
# hits one of its special cases ("\n", "’", "e.g.", "cannot"...) it caches nothing more for the
# rest of that text (spaCy issue #13950). Papers have a "\n" on their first line, so every
# recurring word was split with the affix regexes again, at every occurrence: most of the
# tokenizer's time. Priming the cache with each piece the process has not seen yet, in calls of
# their own, makes the text's own tokenization read the cache. It changes no token: the cache
# only remembers what the same rules produce.
TOKENIZER_CACHE_SIZE = 200_000  # pieces; spaCy's default 10,000 fills within a few papers


class TokenizerCachePrimer:
    """Primes one tokenizer's cache with the pieces of each text that it has not seen yet."""

    def __init__(self, tokenizer):
        self.tokenizer = tokenizer
        self.seen: set[str] = set()

    def __call__(self, text: str) -> str:
        """Tokenize the unseen pieces of ``text`` so that they are cached; return ``text``.

        A piece that cannot meet a special case (letters and digits only, not a special case
        itself) goes into one call with the others like it; any other piece gets a call of its
        own, so a piece that meets a special case stops the caching for itself only.
        """
        tokenizer = self.tokenizer
        if len(self.seen) >= tokenizer.max_cache_size:
            return text  # the cache is full: spaCy stores no more, so priming would only cost time
        new = set(text.split()).difference(self.seen)
        if new:
            self.seen.update(new)
            rules = tokenizer.rules
            plain = [piece for piece in new if piece.isalnum() and piece not in rules]
            tokenizer(" ".join(plain))
            if len(plain) < len(new):
                for piece in new.difference(plain):
                    tokenizer(piece)
        return text


_primers: weakref.WeakKeyDictionary[Language, TokenizerCachePrimer] = weakref.WeakKeyDictionary()


def cache_primer(nlp: Language) -> TokenizerCachePrimer:
    """The pipeline's primer (one per pipeline: it remembers what its tokenizer has seen)."""
    primer = _primers.get(nlp)
    if primer is None or primer.tokenizer is not nlp.tokenizer:
        primer = _primers[nlp] = TokenizerCachePrimer(nlp.tokenizer)
    return primer


def parse(texts: list[str]) -> list[Doc]:
    """Run the pipeline over many texts at once."""
    return list(get_nlp().pipe(texts, batch_size=256))


# ---------------------------------------------------------------- bounded parsing of a whole text

CHUNK_CHARS = 100_000  # text parsed per spaCy Doc: memory stays bounded however long the paper is


class TextParse:
    """What the extractors read from the pipeline, at document offsets: sentence starts and rule matches.

    Built chunk by chunk (``parse_text``) and equal to what one Doc over the whole text would give,
    without ever holding more than one chunk's Doc. Matches are kept as rows of small integers and
    turned into tuples only for the labels an extractor asks for (most labels are read by none).
    """

    def __init__(self, text: str, sentence_starts: list[int], rows: numpy.ndarray, keys: list[tuple[str, str]]):
        self.text = text
        self.sentence_starts = sentence_starts
        self._rows = rows  # (key, start, end) per match; keys[key] = (label, id)
        self._keys = keys
        self._by_label: dict[str, list[tuple[int, int, str, str]]] = {}
        self._grouped: tuple[numpy.ndarray, list[int]] | None = None

    def rule_matches(self, label: str) -> list[tuple[int, int, str, str]]:
        """(start, end, id, text) of the rule matches with ``label``, sorted; built on first use."""
        found = self._by_label.get(label)
        if found is None:
            if self._grouped is None:  # rows ordered by key once, so each label takes its slices
                rows = self._rows[numpy.argsort(self._rows[:, 0], kind="stable")]
                bounds = numpy.searchsorted(rows[:, 0], numpy.arange(len(self._keys) + 1)).tolist()
                self._grouped = (rows, bounds)
            rows, bounds = self._grouped
            text, keys = self.text, self._keys
            found = sorted({(a, z, keys[k][1], text[a:z])
                            for k, (lab, _) in enumerate(keys) if lab == label
                            for _, a, z in rows[bounds[k]:bounds[k + 1]].tolist()})
            self._by_label[label] = found
        return found

    @property
    def matches(self) -> dict[str, list[tuple[int, int, str, str]]]:
        """Every label's matches (label → sorted tuples)."""
        return {label: self.rule_matches(label) for label in sorted({lab for lab, _ in self._keys})
                if self.rule_matches(label)}


def chunk_bounds(text: str, limit: int = CHUNK_CHARS) -> list[tuple[int, int]]:
    """Cut ``text`` into pieces of at most about ``limit`` characters that tokenize as they do in the whole.

    A cut falls where a line starts after a line break (the break is a token of its own, so no token
    and no rule match crosses it); a line longer than ``limit`` is cut after a sentence end, else
    at a space, and only as a last resort mid-word. Nothing is dropped: the pieces tile the text.
    """
    bounds = []
    start, n = 0, len(text)
    while n - start > limit:
        window_end = start + limit
        floor = start + limit // 2
        cut = _line_start_before(text, floor, window_end)
        if cut is None:
            m = None
            for m in _SENTENCE_END.finditer(text, floor, window_end):
                pass
            cut = m.end() if m else text.rfind(" ", floor, window_end) + 1
            while 0 < cut < n and text[cut].isspace():
                cut += 1
            if cut <= start or cut >= window_end + limit // 2:
                cut = window_end
        bounds.append((start, cut))
        start = cut
    bounds.append((start, n))
    return bounds


_SENTENCE_END = re.compile(r"[.!?]\s+(?=[A-Z])")


def _line_start_before(text: str, lo: int, hi: int) -> int | None:
    """The last position in [lo, hi) that starts a non-blank line, or None."""
    i = text.rfind("\n", lo, hi - 1)
    while i != -1:
        j = i + 1
        while j < hi and text[j].isspace():
            j += 1
        if j < hi:
            return j
        i = text.rfind("\n", lo, i)
    return None


def parse_text(text: str, limit: int = CHUNK_CHARS) -> TextParse:
    """Sentence starts and span-ruler matches of ``text``, parsed in bounded chunks with ``nlp.pipe``.

    The sentencizer's rule (a sentence starts at the first ordinary token after a token in its
    punctuation list) is applied over the chunks' token arrays with its state carried from one
    chunk to the next, and the ruler's matchers are called directly: no Token or Span objects
    are built, which is where most of the pipeline's time went.
    """
    from spacy.attrs import IDX, IS_PUNCT, LENGTH, ORTH

    nlp = get_nlp()
    bounds = chunk_bounds(text, limit)
    nlp.max_length = max(nlp.max_length, max(b - a for a, b in bounds) + 1)
    enders = _sentence_enders(nlp)
    ruler = nlp.get_pipe("span_ruler") if "span_ruler" in nlp.pipe_names else None
    labels = ruler._match_label_id_map if ruler is not None else {}
    key_of: dict[int, int] = {}  # match id → index into keys
    keys: list[tuple[str, str]] = []
    starts: list[int] = []
    rows: list[numpy.ndarray] = []
    seen_end = None  # the sentencizer's state across chunks; None before the first token
    prime = cache_primer(nlp)
    texts = (prime(text[a:b]) for a, b in bounds)
    for (base, _), doc in zip(bounds, nlp.pipe(texts, batch_size=8, disable=["sentencizer", "span_ruler"])):
        if not len(doc):
            continue
        arr = doc.to_array([ORTH, IS_PUNCT, IDX, LENGTH]).astype(numpy.int64, copy=False)
        orth, punct, idx, length = arr[:, 0], arr[:, 1], arr[:, 2] + base, arr[:, 3]
        is_ender = _is_in_sorted(orth, enders)
        ordinary = (punct == 0) & ~is_ender
        # tokens that change the state: enders set it, ordinary tokens end it; others leave it
        changing = numpy.flatnonzero(is_ender | ordinary)
        before = numpy.empty(len(changing), dtype=bool)
        if len(changing):
            before[1:] = is_ender[changing[:-1]]
            before[0] = bool(seen_end)
            is_start = ordinary[changing] & before
            chunk_starts = idx[changing[is_start]].tolist()
            if seen_end is None:  # the text's first token always starts a sentence
                chunk_starts = sorted(set(chunk_starts) | {int(idx[0])})
            seen_end = bool(is_ender[changing[-1]])
        else:
            chunk_starts = [int(idx[0])] if seen_end is None else []
            seen_end = bool(seen_end)
        starts.extend(chunk_starts)
        if ruler is not None:
            hits = set(ruler.phrase_matcher(doc))
            if len(ruler.matcher):
                hits |= set(ruler.matcher(doc))
            chunk_rows = []
            for m_id, s, e in hits:
                if s == e:
                    continue
                key = key_of.get(m_id)
                if key is None:
                    entry = labels[m_id]
                    key = key_of[m_id] = len(keys)
                    keys.append((entry["label"], entry["id"]))
                chunk_rows.append((key, s, e))
            if chunk_rows:
                found = numpy.array(chunk_rows, dtype=numpy.int64)
                # token offsets → character offsets in the whole text
                found[:, 2] = idx[found[:, 2] - 1] + length[found[:, 2] - 1]
                found[:, 1] = idx[found[:, 1]]
                rows.append(found)
    table = numpy.concatenate(rows) if rows else numpy.zeros((0, 3), dtype=numpy.int64)
    return TextParse(text, starts, table, keys)


def _is_in_sorted(values: numpy.ndarray, keys: numpy.ndarray) -> numpy.ndarray:
    """``numpy.isin(values, keys)`` for sorted ``keys``: one binary search per value, and no import of
    ``numpy.ma`` (about 10 ms) that ``numpy.isin`` makes on its first call."""
    if not len(keys):
        return numpy.zeros(len(values), dtype=bool)
    at = numpy.minimum(numpy.searchsorted(keys, values), len(keys) - 1)
    return keys[at] == values


def _sentence_enders(nlp: Language):
    """Hashes of the sentencizer's punctuation characters (token texts that end a sentence)."""
    chars = nlp.get_pipe("sentencizer").punct_chars if "sentencizer" in nlp.pipe_names else ()
    hashes = numpy.array([nlp.vocab.strings.add(c) for c in chars], dtype=numpy.uint64).astype(numpy.int64)
    return numpy.sort(hashes)  # sorted as the int64 the token arrays hold, for _is_in_sorted
