"""quantities: numbers, money, percentages and durations as written in council papers.

``find_quantities(text)`` scans a sentence or table cell and returns every
stated quantity with its value, unit, qualifier and offsets, leaving out what
only looks like a number: dates, years, times, phone numbers, ordinals,
references (``KS2``, ``Section 47``, ``ISA 260``, ``Dublin 2``, ``QQ 446–7``),
rate and rounding bases (``per 10,000``, ``to the nearest 10,000``), file sizes
and list numbering. Quantities in units the record contract does not list
(miles, hours, ``$``, ``€``) keep their value with unit None; fractions in
words are percentages (``three quarters of`` → 75).

Examples (the LexNLP tables in tests/test_figures.py hold many more)::

    £10.8m       → 10800000 GBP          87%          → 87 percent
    c. 40%       → 40 percent, about      over 900 families → 900 count, above
    seven year   → 7 years                12-18 months → 12 months and 18 months

The words (units, multipliers, qualifiers, label words) are data in
``models/rules/figures.jsonl``; this module says how to read them.
"""
from __future__ import annotations

import re
import string
from dataclasses import dataclass
from functools import cache, lru_cache

from .nlp import load_patterns
from .resources import models_dir

RULES_FILE = "figures.jsonl"

# Number words are English grammar, not domain cues: they stay in code.
_UNITS_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS_WORDS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
NUMBER_WORDS: dict[str, int] = {w: i for i, w in enumerate(_UNITS_WORDS)}
NUMBER_WORDS.update({w: 20 + 10 * i for i, w in enumerate(_TENS_WORDS)})
NUMBER_WORDS["a dozen"] = 12
NUMBER_WORDS["dozen"] = 12
NUMBER_WORDS["a hundred"] = 100
NUMBER_WORDS["hundred"] = 100

MONTHS = {m: i + 1 for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"])}
MONTH_ABBREVIATIONS = {m[:3]: n for m, n in MONTHS.items()} | {"sept": 9}

_WORD_NUMBER = (r"(?:(?:" + "|".join(_TENS_WORDS) + r")(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?"
                r"|" + "|".join(sorted(_UNITS_WORDS[1:], key=len, reverse=True)) + r")")
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
# One number as written: optional minus sign, optional currency sign, digits (or a number word), optional glued
# suffix. A minus is a sign only where it opens a word ("-£124.5m", "(-2.3%)"), not between numbers ("2015-16").
_MINUS = "-–−"
_DIGIT_NUMBER = (r"(?P<sign>(?<![^\s(\[])[" + _MINUS + r"])?(?P<cur>[£$€]\s?)?"
                 r"(?:(?<![\w./\-–])|(?<=[\s(\[][" + _MINUS + r"])|(?<=^[" + _MINUS + r"]))(?<![\d,],)(?<!\d:)"
                 r"(?P<num>" + _DIGITS + r")(?![.,:]\d|/\d|\d)(?P<suffix>[A-Za-z%]+)?")
_WORD_NUMBER_MATCH = r"(?<![\w\-])(?P<word>" + _WORD_NUMBER + r")(?!\w|-(?!year|month|week|day))"
# Digits are scanned case-sensitively (fast); number words only when the text hints at one.
# Each scan opens with a lookahead for the characters a match can start with (a currency sign or digit; the first
# letters of the number words): the same matches, found without trying the whole pattern at every position.
DIGIT_NUMBER_RE = re.compile(r"(?=[" + _MINUS + r"]?[£$€\d])" + _DIGIT_NUMBER)
WORD_NUMBER_RE = re.compile(r"(?=(?i:[" + "".join(sorted({w[0] for w in _UNITS_WORDS[1:] + _TENS_WORDS})) + r"]))" +
                            _WORD_NUMBER_MATCH.replace("(?P<word>", "(?P<word>(?i:").replace(
                                r")(?!\w|-(?!year", r"))(?!\w|-(?!year"))
PHONE_RE = re.compile(r"(?<![\w.])\(?0\d{2,4}\)?[ \u00a0-]?\d{3,4}(?:[ \u00a0-]?\d{3,4})?(?!\w)"
                      r"|\(\d{3}\)\s?\d{3}[-\s]\d{4}|\b\d{3}-\d{3}-\d{4}\b"
                      r"|\+\d{2,3}\s?(?:\(0\)\s?)?\d{2,5}[\s-]?\d{3,4}[\s-]?\d{3,4}")
# Three or more bare digit groups in a row ("Meeting ID is 917 7276 7587") are an identifier.
DIGIT_RUN_RE = re.compile(r"(?<![\d,.])\d{2,5}(?:[ \u00a0]\d{2,5}){2,}(?![\d,.%])")
URL_RE = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+|\S+\.(?:aspx|html?|pdf|docx?)\S*", re.IGNORECASE)
# Every URL_RE match holds one of these: a quick search tells which texts need the slow scan (its "\S+" at every
# position) at all.
_URL_HINT = re.compile(r"(?=[hw@.])(?:https?://|www\.|@|\.(?:aspx|html?|pdf|docx?))", re.IGNORECASE)
_URL_HINT_LOWER = re.compile(r"https?://|www\.|@|\.(?:aspx|html?|pdf|docx?)")  # the same in lower-cased text


def _case_folds_plainly(text: str) -> bool:
    """True when ``text`` has none of the letters outside ASCII that re.IGNORECASE takes for ASCII ones (İ and ı
    for i, ſ for s, the Kelvin sign for k): then a case-insensitive pattern of ASCII words matches where its
    lower-case form matches the lower-cased text (a case-sensitive search, which re runs several times faster)."""
    return "İ" not in text and "ı" not in text and "ſ" not in text and "\u212a" not in text


_MONTH_NAMES = "|".join(list(MONTHS) + list(MONTH_ABBREVIATIONS)) + r"|sept"


def _starts_with_one_of(words) -> str:
    """A lookahead for the first characters of ``words``: put before an alternation of them, it passes over the
    positions where none can start at once; the matches stay the same."""
    return "(?=[" + "".join(sorted({re.escape(w[0]) for w in words})) + "])"


DATE_BEFORE_RE = re.compile(_starts_with_one_of(_MONTH_NAMES.split("|")) + r"\b(?:" + _MONTH_NAMES +
                            r")\.?(?:\s+of)?\s*$", re.IGNORECASE)
DATE_AFTER_RE = re.compile(r"^(?:st|nd|rd|th)?\s*(?:of\s+)?(?:" + _MONTH_NAMES + r")\b", re.IGNORECASE)
# What DATE_BEFORE_RE matches ends, trailing space aside, with a month name, its stop, or "of": the last characters
# that make the search worth making.
_DATE_BEFORE_LAST = frozenset(name[-1] for name in _MONTH_NAMES.split("|")) | {".", "f"}
ORDINAL_SUFFIXES = {"st", "nd", "rd", "th"}


@dataclass(frozen=True)
class Quantity:
    """A stated quantity found in a string; ``start``/``end`` index that string and cover ``text``."""

    value: float
    unit: str | None  # percent, count, days, weeks, months, years, GBP; None for other units (miles, hours, $)
    text: str
    start: int
    end: int
    qualifier: str | None = None
    number_start: int = 0  # where the digits (or number word) begin
    tail: int = 0  # where the words after the quantity begin (for the subject)
    named: bool = False  # "the 100 day reviews": a duration used as an adjective after a determiner
    glued: bool = False  # "behaviour,6 some": set against punctuation, a footnote marker in a footnoted paper


@dataclass(frozen=True)
class Lexicon:
    """The rule words of models/rules/figures.jsonl, grouped by label."""

    units: dict[str, str]
    scales: dict[str, float]
    qualifiers: dict[str, str]
    label_before: frozenset[str]
    label_after: frozenset[str]
    comparatives: frozenset[str]
    naming_determiners: frozenset[str]
    table_skip_headers: frozenset[str]
    address_words: tuple[str, ...] = ()
    base_words: frozenset[str] = frozenset()
    score_headers: frozenset[str] = frozenset()
    fractions: dict[str, float] | None = None
    money_headers: frozenset[str] = frozenset()
    # FIGURE_SUBJECT_* words by kind (verb, verb_filler, relative, determiner, time_frame, not_after, than, join,
    # preposition, approximate, attaching)
    subject_words: dict[str, frozenset[str]] | None = None

    @property
    def max_unit_words(self) -> int:
        return max(len(u.split()) for u in self.units)


@cache
def lexicon() -> Lexicon:
    """Load the figure rule words once per process."""
    groups: dict[str, dict[str, str]] = {}
    for entry in load_patterns(models_dir() / "rules" / RULES_FILE):
        if isinstance(entry["pattern"], str):
            groups.setdefault(entry["label"], {})[entry["pattern"]] = entry.get("id", "")
    lower = lambda label: {k.lower(): v for k, v in groups.get(label, {}).items()}  # noqa: E731
    return Lexicon(
        units=groups.get("FIGURE_UNIT", {}),
        scales={k: float(v) for k, v in groups.get("FIGURE_SCALE", {}).items()},
        qualifiers=lower("FIGURE_QUALIFIER"),
        label_before=frozenset(lower("FIGURE_LABEL_BEFORE")),
        label_after=frozenset(k.rstrip(".") for k in lower("FIGURE_LABEL_AFTER")),
        comparatives=frozenset(lower("FIGURE_COMPARATIVE")),
        naming_determiners=frozenset(lower("FIGURE_NAMING_DETERMINER")),
        table_skip_headers=frozenset(lower("FIGURE_TABLE_SKIP_HEADER")),
        address_words=tuple(groups.get("FIGURE_ADDRESS_WORD", {})),
        base_words=frozenset(lower("FIGURE_BASE_WORD")),
        score_headers=frozenset(lower("FIGURE_TABLE_SCORE_HEADER")),
        fractions={k: float(v) for k, v in lower("FIGURE_FRACTION").items()},
        money_headers=frozenset(lower("FIGURE_MONEY_HEADER")),
        subject_words={kind: frozenset(lower("FIGURE_SUBJECT_" + kind.upper())) for kind in
                       ("verb", "verb_filler", "relative", "determiner", "time_frame", "not_after", "than", "join",
                                "preposition", "approximate", "attaching")},
    )


# A unit id meaning "a real quantity with no unit in the contract" (miles, hours, dollars): emitted with unit null.
NO_UNIT = "none"


def _unit_or_null(unit: str) -> str | None:
    return None if unit == NO_UNIT else unit


@cache
def _address_pattern() -> re.Pattern:
    words = "|".join(map(re.escape, lexicon().address_words))
    return re.compile(r",?\s+(?:[A-Z][\w.]*\s+){0,3}(?:" + words + r")\b")


def parse_number(written: str) -> float | None:
    """``"1,234"`` → 1234, ``"10.8"`` → 10.8, ``"Twenty"`` → 20, ``"twenty-one"`` → 21; None otherwise."""
    s = written.strip().lower()
    if not s:
        return None
    if s[0].isdigit():
        try:
            return float(s.replace(",", ""))
        except ValueError:
            return None
    s = s.replace("-", " ")
    if s in NUMBER_WORDS:
        return float(NUMBER_WORDS[s])
    parts = s.split()
    if len(parts) == 2 and parts[0] in NUMBER_WORDS and parts[1] in NUMBER_WORDS:
        return float(NUMBER_WORDS[parts[0]] + NUMBER_WORDS[parts[1]])
    return None






_WORD_AT_TOKEN_END = re.compile(r"[A-Za-z][\w.'’-]*$")


def _words_before(text: str, pos: int, n: int = 4) -> list[str]:
    """Up to ``n`` words written just before ``pos``, lower-cased; punctuation between words ends the run."""
    window = text[max(0, pos - 60):pos].rstrip(" \t\n:")
    words: list[str] = []
    for token in reversed(window.split()):
        if len(words) >= n:
            break
        m = _WORD_AT_TOKEN_END.search(token)
        if not m:
            break
        words.append(m.group(0).lower())
        if m.start() > 0:
            break  # "(Quarter", "6.1Option": the word ends the run at its opening
    return words[::-1]


def _ends_with_phrase(words: list[str], phrases) -> str | None:
    """The longest phrase of ``phrases`` that the word list ends with."""
    best = None
    for k in range(1, min(4, len(words)) + 1):
        cand = " ".join(words[-k:])
        if cand in phrases:
            best = cand
    return best


@cache
def _qualifier_pattern() -> re.Pattern:
    """One pattern for every qualifier phrase, anchored where the number begins."""
    phrases = sorted(lexicon().qualifiers, key=len, reverse=True)
    alternatives = "|".join(re.escape(p) + (r"\s*" if p.endswith(".") else r"\s+") for p in phrases)
    return re.compile(r"(?:^|(?<=[\s(]))" + _starts_with_one_of(phrases) + r"(?P<q>" + alternatives + r")$",
                      re.IGNORECASE)


def _qualifier_before(text: str, pos: int, lex: Lexicon) -> tuple[str | None, int]:
    """The qualifier written just before ``pos`` ("c. 40%", "over 900", "up to £69m") and where it starts."""
    base = max(0, pos - 40)
    m = _qualifier_pattern().search(text, base, pos)
    if not m:
        return None, pos
    phrase = " ".join(m.group("q").lower().split())
    return lex.qualifiers.get(phrase), m.start()


# The patterns below are compiled once: re's own cache is shared with the whole project and too small for it.
_UNIT_GAP = re.compile(r"[ \t\u00a0]{0,3}(?:\n[ \t\u00a0]{0,2})?-?[ \t\u00a0]?")
_UNIT_WORDS = re.compile(r"((?:[A-Za-z%][\w'’]*)(?:[ \t\u00a0]+[A-Za-z][\w'’]*){0,2})")
_UNIT_TOKEN = re.compile(r"[A-Za-z%][\w]*")
_SCHOOL_YEAR_AFTER = re.compile(r"\s(?:[A-Z]\b|\d)")


def _unit_after(text: str, pos: int, lex: Lexicon) -> tuple[str | None, int]:
    """A unit phrase starting at ``pos`` (after optional space / hyphen) and where it ends."""
    skip = _UNIT_GAP.match(text, pos).end()  # always matches: every part is optional
    best: tuple[str | None, int] = (None, pos)
    words = _UNIT_WORDS.match(text, skip)
    if not words and text[skip:skip + 1] == "%":
        return lex.units.get("%"), skip + 1
    if not words:
        return best
    token_matches = list(_UNIT_TOKEN.finditer(words.group(1)))
    for k in range(min(3, len(token_matches)), 0, -1):
        phrase = " ".join(t.group(0) for t in token_matches[:k])
        for cand in (phrase, phrase.lower()):
            if cand in lex.units:
                end = skip + token_matches[k - 1].end()
                rest = text[end:end + 3]
                # "Year R", "Year 7": a school year named, not a duration.
                if _SCHOOL_YEAR_AFTER.match(rest) and phrase[:1].isupper():
                    return best
                # A possessive apostrophe belongs to the unit as written: six months' time.
                if end < len(text) and text[end] in "'’":
                    end += 1
                return lex.units[cand], end
    return best


_DIGIT = re.compile(r"\d")
# Two digit groups of three or more apart by a space, hyphen or bracket: maybe a phone number or identifier.
_PHONE_HINT = re.compile(r"\d{2,}[\s)\-]+\(?\d{3,}")


def _by_first_letter(words: list[str]) -> str:
    """An alternation of ``words`` grouped by first letter ("f(?:ive|our)|t(?:wo|en)"), longest first in each group:
    the same matches as the flat alternation, but re tries only the group of the letter at hand."""
    groups: dict[str, list[str]] = {}
    for word in sorted(words, key=len, reverse=True):
        groups.setdefault(word[0], []).append(re.escape(word[1:]))
    return "|".join(re.escape(first) + "(?:" + "|".join(rests) + ")" for first, rests in sorted(groups.items()))


_HINTED_NUMBER_WORDS = _UNITS_WORDS[1:13] + _TENS_WORDS + ["teen", "dozen", "hundred"]
_HINTED_FRACTION_WORDS = ["half", "halves", "third", "quarter", "fifth", "tenth"]
# These three are searched in lower-cased text (the last two only when _case_folds_plainly).
_NUMBER_WORD_HINT = re.compile(_by_first_letter(_HINTED_NUMBER_WORDS))
_FRACTION_HINT_LOWER = re.compile(_by_first_letter(_HINTED_FRACTION_WORDS))
_NUMBER_OR_FRACTION_WORD_HINT = re.compile(_by_first_letter(_HINTED_NUMBER_WORDS + _HINTED_FRACTION_WORDS))
_FRACTION_HINT = re.compile(r"(?=[hqtf])(?:" + "|".join(_HINTED_FRACTION_WORDS) + ")", re.IGNORECASE)


def _word_hints(text: str, lowered: str, plain_case: bool) -> tuple[bool, bool]:
    """Whether ``text`` (lower-cased: ``lowered``) holds something like a number word, and a fraction word;
    most texts hold neither, which one search tells."""
    if plain_case and not _NUMBER_OR_FRACTION_WORD_HINT.search(lowered):
        return False, False
    return (bool(_NUMBER_WORD_HINT.search(lowered)),
            bool(_FRACTION_HINT_LOWER.search(lowered) if plain_case else _FRACTION_HINT.search(text)))


def has_number(text: str) -> bool:
    """A cheap test that ``text`` may hold a number (a digit, or something like a number word)."""
    return bool(_DIGIT.search(text)) or any(_word_hints(text, text.lower(), _case_folds_plainly(text)))


def find_quantities(text: str, *, skip_spans: list[tuple[int, int]] | None = None,
                    coined_units: frozenset[str] = frozenset()) -> list[Quantity]:
    """Every stated quantity in ``text`` that is not a date, year, time, phone number or label.

    ``coined_units`` are capital abbreviations the paper itself uses as units of count ("5FE", see
    ``coined_units_in``); any other glued suffix ("5DX", "3G") makes the number a code.
    """
    # A coined unit the text does not hold cannot change how it reads: leaving it out of the key lets the KPI
    # extractor's reading of a sentence find the figure extractor's.
    coined = frozenset(u for u in coined_units if u in text) if coined_units else coined_units
    key = (text, tuple(skip_spans or ()), coined)
    found = _FOUND.get(key)
    if found is None:
        found, skipped = _find(text, list(key[1]), coined)
        found = tuple(found)
        if len(_FOUND) >= FOUND_CACHE_SIZE:
            _FOUND.clear()
        _FOUND[key] = found
        if key[1] and not skipped:
            _FOUND[text, (), coined] = found  # the skip spans held no number: the text reads the same without them
    return list(found)


# A number with a capital abbreviation glued on: "5FE", "10FE", "2.5WTE"; every such match holds the hint. (The
# pattern opens with the first digit, the character before it tested by a lookbehind, so that re skips to digits.)
_GLUED_CAPITALS = re.compile(r"(\d(?<![\w.,£$€]\d)\d*(?:\.\d+)?)([A-Z]{2,3})\b")
_GLUED_CAPITALS_HINT = re.compile(r"\d[A-Z]{2}")
COINED_UNIT_VALUES = 3


def coined_units_in(text: str) -> frozenset[str]:
    """Capital abbreviations a paper glues to at least three different numbers ("5FE", "10FE", "0.3FE"):
    units of its own, counted like ``FTE``. A code suffix ("SM4 5DX", "3G") is not repeated that way."""
    values: dict[str, set[str]] = {}
    if not _GLUED_CAPITALS_HINT.search(text):
        return frozenset()
    for m in _GLUED_CAPITALS.finditer(text):
        values.setdefault(m.group(2), set()).add(m.group(1))
    scales = lexicon().scales
    return frozenset(u for u, seen in values.items() if len(seen) >= COINED_UNIT_VALUES and u not in scales
                     and u.lower() not in scales)


def forget_cached() -> None:
    """Drop remembered scans; called once per document so memory stays bounded and timings honest."""
    _FOUND.clear()
    _SKIPPED_SCANS.clear()
    _period_spans_cached.cache_clear()


# The figure and KPI extractors scan the same sentences; within one document the second scan is free.
# (text, skip spans, coined units) → the quantities found.
_FOUND: dict[tuple[str, tuple[tuple[int, int], ...], frozenset[str]], tuple[Quantity, ...]] = {}
FOUND_CACHE_SIZE = 4096
# (text, coined units) → (numbers, blocked spans, fractions, readings by number) of a scan a skip span mattered to.
_SKIPPED_SCANS: dict[tuple[str, frozenset[str]], tuple[list[re.Match], list[tuple[int, int]], list[Quantity],
                                                       dict[int, list[Quantity] | str | None]]] = {}


# What joins a number to the label number before it ("Waves 13 and 14", "paragraphs 1.30 to 1.32").
_LABEL_CHAIN_JOIN = re.compile(r"(?:[-–]\d+)?\s*(?:,|and|&|to|-|–|or|\()?\s*")


def _find(text: str, skip_spans: list[tuple[int, int]],
          coined: frozenset[str] = frozenset()) -> tuple[list[Quantity], bool]:
    """The quantities in ``text``, and whether a skip span was what kept a number out (if not, the text
    reads the same without them)."""
    skipped = False
    lex = lexicon()
    kept = _SKIPPED_SCANS.pop((text, coined), None) if not skip_spans else None
    if kept is not None:
        matches, blocked, fractions, readings = kept
    else:
        scan = _scan(text)
        if scan is None:
            return [], skipped  # has_number(text) is false
        matches, blocked, fractions = scan
        readings = {} if skip_spans else None  # (kept for the whole-text scan, see below)
    found = list(fractions)
    consumed_until = -1
    label_chain_end = -1  # a number joined by "and"/"to"/"&"/"," to a label number is a label too
    for i, m in enumerate(matches):
        if m.start() < consumed_until:
            continue
        num_start = m.start("num") if m.groupdict().get("num") else m.start("word")
        if any(s <= num_start < e for s, e in skip_spans):
            skipped = True
            continue
        if any(s <= num_start < e for s, e in blocked):
            continue
        if readings is None:
            q = _read_one(text, m, lex, coined)
        elif i in readings:
            q = readings[i]
        else:
            q = readings[i] = _read_one(text, m, lex, coined)
        if label_chain_end >= 0 and _LABEL_CHAIN_JOIN.fullmatch(text, label_chain_end, num_start):
            # A label number ("Waves 13 and 14", "paragraphs 1.30 to 1.32") drags its partners along.
            label_chain_end = m.end()
            continue
        label_chain_end = -1
        if q == LABEL:
            label_chain_end = m.end()
            continue
        if not q:
            continue
        found.extend(q)
        consumed_until = max(x.end for x in q)
    if skipped:
        # The figure extractor skips a numbered paragraph's number where the KPI extractor reads the sentence
        # whole: that scan takes up this one's numbers and readings.
        if len(_SKIPPED_SCANS) >= FOUND_CACHE_SIZE:
            _SKIPPED_SCANS.clear()
        _SKIPPED_SCANS[text, coined] = (matches, blocked, fractions, readings)
    return (sorted(found, key=lambda q: q.start) if fractions else found), skipped


def _scan(text: str) -> tuple[list[re.Match], list[tuple[int, int]], list[Quantity]] | None:
    """The numbers written in ``text``, the spans that cannot hold an amount (phone numbers, identifiers, URLs,
    fractions in words) and the fractions in words; None when ``has_number(text)`` is false."""
    has_digits = bool(_DIGIT.search(text))
    lowered = text.lower()
    plain_case = _case_folds_plainly(text)
    has_number_word, has_fraction_word = _word_hints(text, lowered, plain_case)
    if not (has_digits or has_number_word or has_fraction_word):
        return None
    blocked: list[tuple[int, int]] = []
    if has_digits and _PHONE_HINT.search(text):
        blocked += [m.span() for m in PHONE_RE.finditer(text) if sum(c.isdigit() for c in m.group(0)) >= 7]
        blocked += [m.span() for m in DIGIT_RUN_RE.finditer(text)]
    if ("." in text or "@" in text) and (_URL_HINT_LOWER.search(lowered) if plain_case else _URL_HINT.search(text)):
        blocked += [m.span() for m in URL_RE.finditer(text)]
    matches = list(DIGIT_NUMBER_RE.finditer(text)) if has_digits else []
    if has_number_word:
        matches = sorted(matches + list(WORD_NUMBER_RE.finditer(text)), key=lambda m: m.start())
    fractions = _fractions(text, lexicon()) if has_fraction_word else []
    blocked += [(q.number_start, q.tail) for q in fractions]
    return matches, blocked, fractions


_FRACTION_NUMERATORS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "nine": 9}


@cache
def _fraction_pattern() -> re.Pattern:
    denominators = "|".join(sorted(map(re.escape, lexicon().fractions or {}), key=len, reverse=True)) or "(?!)"
    # "three quarters of the spend", "a third of schools", "half of all referrals"; not "three quarters of the
    # year" (a duration) nor "the first half" (no "of" share).
    return re.compile(r"(?<![\w-])(?:(?P<n>" + "|".join(_FRACTION_NUMERATORS) + r")[\s-]+)?(?P<d>" + denominators +
                      r")\s+of\s+(?!(?:the|this|that|each|a)\s+(?:[a-z]+\s+)?(?:year|month|quarter|term)\b)"
                      r"(?!(?:19|20)\d\d)", re.IGNORECASE)


def _fractions(text: str, lex: Lexicon) -> list[Quantity]:
    """Fractions written in words, as percentages: "nearly three quarters of the spend" → 75 percent, about."""
    found = []
    for m in _fraction_pattern().finditer(text):
        denominator = lex.fractions[m.group("d").lower()]
        numerator = _FRACTION_NUMERATORS[m.group("n").lower()] if m.group("n") else None
        if numerator is None and denominator != 2:
            continue  # "third of" without a count is an ordinal ("the third of four options")
        if numerator is not None and numerator >= denominator:
            continue
        value = round(100 * (numerator or 1) / denominator, 2)
        qualifier, qual_start = _qualifier_before(text, m.start(), lex)
        start = qual_start if qualifier else m.start()
        end = m.end("d")
        found.append(Quantity(value, "percent", text[start:end], start, end, qualifier, m.start(), end))
    return found


LABEL = "label"
# Punctuation glued to the number after a word: a superscript footnote marker once the PDF is flattened.
_FOOTNOTE_BEFORE = re.compile(r"[^\s\d][,;:)”’\"]$")
# A capitalised word right before a bare number names a thing by its number ("Dublin 2", "Auditing 260",
# "Phase 3"); unless the word opens the sentence or follows another number ("Ashford 12, Dover 9" is a list).
_CAPITALISED_BEFORE = re.compile(r"(?P<prev>\S+)[ \t\u00a0]+(?P<word>[A-Z][a-z]+|[A-Z]{2,5})[ \t\u00a0]$")
# ... and nothing after the number says what it counts: punctuation, the end, or a joined partner number.
_NOTHING_COUNTED = re.compile(r"\s*(?:[,;:()\[\]]|\.(?!\d)|$|(?:and|or|to|&)\s+\d)")
_ASCII_LETTERS = frozenset(string.ascii_letters)


def _is_reference(text: str, num_start: int, num_end: int, written: str, suffix: str, lex: Lexicon) -> bool:
    """A number used as part of a name or reference ("Dublin 2", "International Standard on Auditing 260")."""
    if suffix or "," in written or "." in written:
        return False
    # _CAPITALISED_BEFORE ends at the number only after "<space><capital><letters><space>": look for that first.
    if num_start < 2 or text[num_start - 1] not in " \t\u00a0":
        return False
    word_start = num_start - 1
    while word_start > 0 and text[word_start - 1] in _ASCII_LETTERS:
        word_start -= 1
    if word_start in (0, num_start - 1) or not text[word_start].isupper() or text[word_start - 1] not in " \t\u00a0":
        return False
    m = _CAPITALISED_BEFORE.search(text, max(0, num_start - 60), num_start)
    if not m or m.end() != num_start:
        return False
    word, prev = m.group("word"), m.group("prev")
    if word.lower() in MONTHS or word.lower() in MONTH_ABBREVIATIONS or word.lower() in lex.qualifiers or \
            word.lower() in _REFERENCE_NOT_WORDS:
        return False
    if prev[-1] in ".!?:" or any(c.isdigit() for c in prev):
        return False
    # A five-digit code after a place name is a postal code ("Illinois 60601 on Tuesday").
    return len(written) == 5 or bool(_NOTHING_COUNTED.match(text, num_end))


# Capitalised words that open a clause and are followed by an amount ("Total 52", "All 12.").
_REFERENCE_NOT_WORDS = {"the", "all", "total", "only", "just", "some", "and", "or", "of", "to", "for", "by", "with",
                        "is", "was", "are", "were", "has", "have", "totals", "totalled", "numbered", "numbering"}
_SCALE_WORD = re.compile(r"\s(million|billion|thousand)\b(\s+(?:pounds|sterling|GBP)\b)?", re.IGNORECASE)
_RANGE_SECOND = re.compile(r"\s?(?:-|–|to)\s?(?:(?P<num>" + _DIGITS + r")|(?P<word>" + _WORD_NUMBER + r"))\b",
                           re.IGNORECASE)


# What the words around a number can say about it (see _read_one), compiled once.
_PERCENT_AFTER = re.compile(r"\s?(?:%|per\s?cent)")
_CAPITALS_BEFORE = re.compile(r"(?<![\w£$€])(?!(?:A|I)\s)[A-Z]{1,5}\.?\s$")
_WORD_AFTER = re.compile(r"[\s]*([A-Za-z.'’]+)")
_APOSTROPHE_S_AFTER = re.compile(r"['’]s\b")
_RATIO_AFTER = re.compile(r"\s?:\s?\d")
_MONEY_SCALE_AFTER = re.compile(r"\s(million|billion|thousand|bn|m|k)\b")
_YEAR_COUNTED = re.compile(r"\s+(?!(?:and|or|to|in|on|at|for|from|by|with|onwards|towards|afterwards|this|thus|was|"
                           r"has|is|as|its|his|plus|unless|across|perhaps|whereas|levels|figures|results|"
                           # verbs after a year used as a subject: "guidance published in 2010 shows"
                           r"shows|suggests|indicates|states|says|sets|means|remains|makes|finds|notes|seems|"
                           r"appears|provides|requires|includes|gives|marks|sees|brings|represents)\b)"
                           r"[a-z]{2,}s\b")
_AGE_AFTER = re.compile(r"[\s-]*olds?\b", re.IGNORECASE)
_JOINED_NUMBER_AFTER = re.compile(r"[-–/]\d")
_MULTIPLIER_AFTER = re.compile(r"\s?(?:x|×)\s?\d")
_DAYS_OF_AFTER = re.compile(r"\s+of\s+(?!(?:the|a|an|this|that|its|their|his|her|our|each|every|receipt)\b)[a-z]")
_CLOCK_TIME = re.compile(r"[01]\d[0-5]\d|2[0-3][0-5]\d")
_HOURS_AFTER = re.compile(r"\s*h(?:ou)?rs\b", re.IGNORECASE)
_NEXT_WORD = re.compile(r"\s+([A-Za-z]+)")


def _read_one(text: str, m: re.Match, lex: Lexicon, coined: frozenset[str] = frozenset()) -> list[Quantity] | str | None:
    """Classify one number match: its quantities, ``LABEL`` for a label number, None for anything else."""
    groups = m.groupdict()
    currency = groups.get("cur")
    is_word = groups.get("word") is not None
    written = groups.get("word") if is_word else groups.get("num")
    num_start = m.start("word") if is_word else m.start("num")
    num_end = m.end("word") if is_word else m.end("num")
    value = parse_number(written)
    if value is None:
        return None
    if groups.get("sign"):
        value = -value  # "-£9.9m", "-2.3%": an underspend, a fall
    before = text[max(0, num_start - 40):num_start]
    words_before = _words_before(text, num_start if not currency else m.start())
    suffix = (groups.get("suffix") or "") if not is_word else ""

    # Dates and ordinals: "1 October 2015", "October 2015", "24th January", "1st Floor".
    if suffix.lower() in ORDINAL_SUFFIXES:
        return None
    percent_follows = suffix == "%" or _PERCENT_AFTER.match(text[num_end:num_end + 10])
    date_before = before.rstrip()[-1:].lower() in _DATE_BEFORE_LAST and DATE_BEFORE_RE.search(before)
    if (date_before and not percent_follows) or DATE_AFTER_RE.match(text[num_end:num_end + 20]):
        return None
    if not is_word and not currency:
        # Leading-zero codes (company numbers, phone fragments) and long unseparated references.
        if written[0] == "0" and len(written) > 1 and written[1] != ".":
            return None
        if "," not in written and "." not in written and value >= 100000:
            return None
    # A number glued to the end of a word or code: "KS2", "R3", "Post-16" are excluded by the pattern.
    # Labels: "Section 47", "KPI 3", "Appendix 1", "Year 7", "Waves 13".
    if _ends_with_phrase(words_before, lex.label_before) and not currency:
        return LABEL
    if before.rstrip().endswith(("#", "№")):  # "#3", "№ 12"
        return None
    # The base of a rate or rounding is not an amount: "per 10,000 people", "to the nearest 10,000", "1 in 5".
    if words_before and words_before[-1] in lex.base_words:
        return None
    if not is_word and not currency and _is_reference(text, num_start, num_end, written, suffix, lex):
        return LABEL
    # An abbreviation in capitals just before a number is a reference label: "ISA 260", "BC 100".
    if not currency and _CAPITALS_BEFORE.search(before) and not is_word:
        return LABEL
    if lex.address_words and _address_pattern().match(text[num_end:num_end + 50]):
        return None
    # After a modal verb a number is a stray page number ("reports would 2 follow"), not an amount.
    if words_before and words_before[-1] in {"would", "will", "could", "should", "shall", "might", "must", "can"}:
        return None
    words_after = _WORD_AFTER.match(text[m.end():])
    if words_after and words_after.group(1).lower().rstrip(".") in lex.label_after:
        return None
    # "the World 7's", "the 1990's": a number made a name by its possessive or plural apostrophe.
    if _APOSTROPHE_S_AFTER.match(text[num_end:num_end + 3]):
        return None
    # Times: 9.00am, 19:15 (the pattern already refuses digits joined by ':').
    if suffix.lower() in {"am", "pm"}:
        return None
    # A ratio "1:1" and a score "2-1" are not quantities.
    if _RATIO_AFTER.match(text[num_end:num_end + 3]):
        return None

    qualifier, qual_start = _qualifier_before(text, m.start(), lex)
    start = qual_start if qualifier else m.start()

    # Money: pounds are GBP; other currencies ($, €) have no unit in the contract and are emitted with unit null.
    if currency:
        money_unit = "GBP" if currency.strip() == "£" else None
        scale = 1.0
        end = num_end
        if suffix:
            if suffix in lex.scales or suffix.lower() in lex.scales:
                scale = lex.scales.get(suffix, lex.scales.get(suffix.lower(), 1.0))
                end = m.end()
            else:
                return None
        else:
            sm = _MONEY_SCALE_AFTER.match(text[end:end + 10])
            if sm and sm.group(1) in lex.scales:
                scale = lex.scales[sm.group(1)]
                end += sm.end()
        return [Quantity(round(value * scale, 2), money_unit, text[start:end], start, end, qualifier, num_start, end)]

    # Year-like numbers are years unless a qualifier makes them an amount ("approximately 2000").
    if not is_word and "," not in written and "." not in written and 1900 <= value <= 2099:
        # "up to 2020" is a time; "approximately 2000" and "2000 pupils" are amounts.
        counted = _YEAR_COUNTED.match(text[num_end:num_end + 30])
        if not (qualifier in {"about"} or counted):
            return None

    # A glued suffix must be a unit ("44.9FE", "87%"); anything else ("5DX", "3G") is a code.
    if suffix:
        unit = lex.units.get(suffix) or lex.units.get(suffix.lower()) or ("count" if suffix in coined else None)
        if suffix.lower() in lex.scales and unit is None:
            return None
        if unit is None:
            return None
        return [Quantity(value, _unit_or_null(unit), text[start:m.end()], start, m.end(), qualifier, num_start, m.end())]

    # Ranges of durations: "12-18 months", "12 to 18 months" → two quantities sharing the text.
    second = _RANGE_SECOND.match(text, m.end())
    if second:
        nxt_value = parse_number(second.group("num") or second.group("word"))
        unit, unit_end = _unit_after(text, second.end(), lex)
        if nxt_value is not None and unit is not None:
            if _AGE_AFTER.match(text[unit_end:unit_end + 6]):
                return None
            span = text[start:unit_end]
            unit = _unit_or_null(unit)
            return [Quantity(value, unit, span, start, unit_end, qualifier, num_start, unit_end),
                    Quantity(nxt_value, unit, span, start, unit_end, qualifier, num_start, unit_end)]
    # A number directly joined by "-" / "/" to a following number (a range of years, a score) is not read.
    if _JOINED_NUMBER_AFTER.match(text[num_end:num_end + 2]):
        return None

    scaled = _SCALE_WORD.match(text, m.end())
    if scaled:
        # "3.5 million people", "10 million pounds", "two million miles": a written multiplier; pounds when the
        # text says so, the unit that follows when there is one.
        factor = lex.scales.get(scaled.group(1).lower(), 1.0)
        end = scaled.end()
        unit_word = "GBP" if scaled.group(2) else "count"
        if not scaled.group(2):
            after_unit, after_end = _unit_after(text, end, lex)
            if after_unit is not None:
                unit_word, end = _unit_or_null(after_unit), after_end
        return [Quantity(round(value * factor, 2), unit_word, text[start:end], start, end, qualifier, num_start, end)]
    unit, unit_end = _unit_after(text, m.end(), lex)
    if unit is not None and _MULTIPLIER_AFTER.match(text[num_end:num_end + 4]):
        return None  # "2 x 12 months": a multiplier
    if unit == "days" and _DAYS_OF_AFTER.match(text[unit_end:unit_end + 20]):
        # "1524 days of support": days as a commodity delivered are counted, not a duration.
        return [Quantity(value, "count", text[start:num_end], start, num_end, qualifier, num_start, num_end)]
    if unit is not None and _AGE_AFTER.match(text[unit_end:unit_end + 6]):
        return None  # an age ("0-19 Year Olds"), not a duration
    if unit == NO_UNIT and _CLOCK_TIME.fullmatch(written) and _HOURS_AFTER.match(text[num_end:unit_end]):
        return None  # "1400 hours": a 24-hour clock time, not a duration
    if unit is not None:
        written_unit = text[m.end():unit_end].strip(" -'’").lower()
        # "100 day reviews" named with a determiner ("the 100-day reviews", "these '100 day' reviews") is the
        # name of an exercise, not a duration: a singular unit used as an adjective after a determiner.
        named = False
        if unit in {"days", "weeks", "months", "years"} and not written_unit.endswith("s"):
            if text[max(0, m.start() - 1):m.start()] in {"'", "‘", '"', "“"}:
                return None  # "'100 day' reviews": quoted, the name of something
            det = words_before[-1] if words_before else ""
            named = det in lex.naming_determiners and not qualifier
        return [Quantity(value, _unit_or_null(unit), text[start:unit_end], start, unit_end, qualifier, num_start,
                         unit_end, named)]

    if _MULTIPLIER_AFTER.match(text[num_end:num_end + 4]):
        return None  # "2 x 12 months": a multiplier
    # "behaviour,6 some suggested", "(Ladder)4 sets out": a footnote marker set against the word, or a lost space
    # ("the Constitution,12 questions"); the figure extractor decides by whether the paper has footnotes.
    glued = not is_word and bool(_FOOTNOTE_BEFORE.search(text, max(0, num_start - 2), num_start))
    # A plain count. "one" counts only in comparisons ("one more", "one fewer"); "one team" does not.
    if is_word:
        following = _NEXT_WORD.match(text[m.end():])

        next_word = following.group(1).lower() if following else ""
        if value <= 1:
            if next_word in lex.comparatives:
                end = m.end() + following.end()
                return [Quantity(value, "count", text[start:end], start, end, qualifier, num_start, end)]
            return None
        if next_word in lex.comparatives:
            end = m.end() + following.end()
            return [Quantity(value, "count", text[start:end], start, end, qualifier, num_start, end)]
        if next_word in {"or", "of"} or not next_word:
            # "one or two", "two of the eight": no count of a named thing.
            if next_word == "of" and value >= 2:
                pass
            else:
                return None
    return [Quantity(value, "count", text[start:m.end()], start, m.end(), qualifier, num_start, m.end(), glued=glued)]


_ORDINAL_QUARTERS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
_FY = r"(?:19|20)\d\d\s?[/-]\s?\d\d(?!\d)"
_MONTH_YEAR = r"(?:" + "|".join(m.capitalize() for m in MONTHS) + r")\s+(?:19|20)\d\d"
PERIOD_RES: list[tuple[re.Pattern, str]] = [
    (re.compile(r"\b(?:between\s+)?(" + _MONTH_YEAR + r")\s+(?:and|to|-|–)\s+(" + _MONTH_YEAR + r")"), "range"),
    (re.compile(r"\bQuarters?\s+[1-4](?:\s*(?:&|and|-)\s*[1-4])?,?\s+" + _FY, re.IGNORECASE), "written"),
    (re.compile(r"\bQ[1-4]\s*,?\s*" + _FY), "written"),
    (re.compile(r"\b(first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter\s+(?:of\s+)?(" + _FY + ")", re.IGNORECASE),
     "ordinal_quarter"),
    (re.compile(r"\b(?:between\s+)?(" + _FY + r")\s+(?:and|to|-|–)\s+(" + _FY + r")"), "range"),
    # Short financial years named as such: "across the 24/25 and 25/26 financial years".
    (re.compile(r"\b(\d\d/\d\d(?:\s+(?:and|to|-|–)\s+\d\d/\d\d)?)(?=\s+financial\s+years?\b)", re.IGNORECASE),
     "written"),
    (re.compile(r"\b" + _MONTH_YEAR), "written"),
    (re.compile(r"\b" + _FY), "written"),
    (re.compile(r"\bper\s+(?:annum|year)\b", re.IGNORECASE), "written"),
]


def periods_in(text: str) -> list[str]:
    """Periods written in ``text`` (``Quarter 3, 2024/25``, ``Q1 2016/17``, ``July 2014``,
    ``May 2015 to March 2016``, ``2017/18``, ``per annum``), in order of appearance."""
    return [p for _, _, p in period_spans(text)]


_PERIOD_HINT = re.compile(r"(?=[\dp])(?:(?:19|20)\d\d|\bper\s+(?:annum|year)\b|\d\d/\d\d\s+financial)", re.IGNORECASE)



def period_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, period) for each period in ``text``; overlapping forms keep the first listed."""
    return list(_period_spans_cached(text))


# A sentence's periods are asked for once per figure in it, and again by the KPI extractor.
@lru_cache(maxsize=1024)
def _period_spans_cached(text: str) -> tuple[tuple[int, int, str], ...]:
    return tuple(_period_spans(text))


def _period_spans(text: str) -> list[tuple[int, int, str]]:
    found: list[tuple[int, int, str]] = []

    if not _PERIOD_HINT.search(text):
        return found
    for pattern, kind in PERIOD_RES:
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e, _ in found):
                continue
            if kind == "range":
                period = f"{m.group(1)} to {m.group(2)}"
            elif kind == "ordinal_quarter":
                period = f"Q{_ORDINAL_QUARTERS[m.group(1).lower()]} {m.group(2)}"
            else:
                period = " ".join(m.group(0).split())
            found.append((m.start(), m.end(), period))
    return sorted(found)
