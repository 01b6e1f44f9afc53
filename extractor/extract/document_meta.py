"""The ``document`` record: council, committee, doc_type, meeting date, title, pages.

Evidence, strongest first: the caller's ``--council``; fields the loader read
outside the running text (``Document.meta``: ModernGov labels, HTML titles);
the paper's header (its first lines: "Audit Committee 21 June 2016: …",
"To: Cabinet – 4 March 2025", "Subject: …", a "Title" row); labelled lines and
phrases in the text ("London Borough of Merton", "@barnet.gov.uk", "MINUTES of
a meeting of the Cabinet held … on …"); and, for the council alone, the
folder or file name. What the cues are (council names, committee nouns,
labels, document-type cues) is data in ``models/rules/councils.csv`` and
``models/rules/document_meta.csv``.
"""
from __future__ import annotations

import bisect
import calendar
import csv
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache, lru_cache
from pathlib import Path
from typing import Iterable

from ..document import Document
from ..records import DocumentRecord, Record
from ..regex_screen import LazyPattern, holds_any, may_match, screen, screenable
from ..resources import models_dir
from ..structure import Block, plain

HEADER_LINES = 14  # how many of the first non-empty lines count as the paper's header
LONGEST_HEADER = 30  # the most first lines any field's search reads (the title's)
FRONT_CHARS = 2500  # how much of the text counts as its front page for document-type cues
BODY_CHARS = 8000  # how far into the text the meeting body must first be named, when no header names it


# ---------------------------------------------------------------- rule data

@dataclass(frozen=True)
class Council:
    name: str
    domains: tuple[str, ...]
    aliases: tuple[str, ...]
    bare_mention: bool


@dataclass(frozen=True)
class MetaRules:
    councils: tuple[Council, ...]
    by_key: dict  # squashed name, alias or domain → Council
    council_forms: tuple[tuple[LazyPattern, str], ...]
    strong_nouns: tuple[str, ...]
    weak_nouns: tuple[str, ...]
    committee_labels: tuple[str, ...]
    title_labels: tuple[str, ...]
    date_labels: tuple[str, ...]
    skip_titles: tuple[LazyPattern, ...]
    cover_stamps: tuple[LazyPattern, ...]  # cover-page lines between a body's name and the title (bylines, sessions)
    doc_type_cues: tuple[tuple[LazyPattern, str, int, str], ...]
    bare_names: tuple[str, ...]  # the councils a bare mention names, in bare_pattern's order (longest first)

    @property
    def bare_pattern(self) -> re.Pattern | None:
        """A bare mention of any council in ``bare_names``; compiled on demand (a 400-way alternation, some
        7 ms): papers are searched with the smaller pattern of the names they can hold (``_bare_mentions``)."""
        return _bare_pattern(self.bare_names)


_NOT_A_TO_Z = re.compile(r"[^a-z]")


def squash(name: str) -> str:
    """A name folded for lookups: lower case, letters only ("King's Lynn" → "kingslynn")."""
    return _NOT_A_TO_Z.sub("", name.lower())


@cache
def rules() -> MetaRules:
    """The council register and document cues under ``models/rules/``, read once."""
    base = models_dir() / "rules"
    councils = []
    with open(base / "councils.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            councils.append(Council(row["name"], tuple(row["domains"].split()),
                                    tuple(a for a in row["aliases"].split("|") if a), row["bare_mention"] == "1"))
    by_key: dict[str, Council] = {}
    for c in councils:
        for key in (c.name, *c.aliases):
            by_key.setdefault(squash(key), c)
        for d in c.domains:
            by_key.setdefault("@" + d, c)
    groups: dict[str, list[dict]] = {}
    path = base / "document_meta.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        for n, row in enumerate(csv.DictReader(fh), 2):
            groups.setdefault(row["kind"], []).append(row)

    def rx(pattern: str) -> LazyPattern:
        return LazyPattern(pattern, re.IGNORECASE)  # compiled on first use: a paper needs some of them only

    doc_type_cues = []
    for row in groups.get("doc_type", []):
        kind, weight, zone = row["value"].split()
        doc_type_cues.append((rx(row["pattern"]), kind, int(weight), zone))
    bare = tuple(sorted((c.name for c in councils if c.bare_mention), key=len, reverse=True))
    return MetaRules(
        councils=tuple(councils), by_key=by_key,
        council_forms=tuple((rx(r["pattern"]), r["value"]) for r in groups.get("council_form", [])),
        strong_nouns=tuple(r["pattern"] for r in groups.get("committee_noun", []) if r["value"] == "strong"),
        weak_nouns=tuple(r["pattern"] for r in groups.get("committee_noun", []) if r["value"] == "weak"),
        committee_labels=tuple(r["pattern"] for r in groups.get("committee_label", [])),
        title_labels=tuple(r["pattern"] for r in groups.get("title_label", [])),
        date_labels=tuple(r["pattern"] for r in groups.get("date_label", [])),
        skip_titles=tuple(rx(r["pattern"]) for r in groups.get("skip_title", []) + groups.get("cover_stamp", [])),
        cover_stamps=tuple(rx(r["pattern"]) for r in groups.get("cover_stamp", [])),
        doc_type_cues=tuple(doc_type_cues),
        bare_names=bare,
    )


@lru_cache(maxsize=256)  # one per set of names some paper's words allow
def _bare_pattern(names: tuple[str, ...]) -> re.Pattern | None:
    """A bare mention of one of ``names`` ("Kent", "Tower Hamlets"), not a street or building named after it."""
    if not names:
        return None
    return re.compile(r"\b(" + "|".join(re.escape(n) for n in names) + r")\b(?!['’]?\s*(?:Road|Street|House|Way))")


_WORD_RUN = re.compile(r"\w+")
# A capitalised word's run of word characters: where a name starts, the run before it has ended (it starts a word),
# so this finds each capitalised name's first word whole (and, harmlessly, some runs from inside words).
_CAPITALISED_RUN = re.compile(r"[A-Z]\w*")


@cache
def _first_words(names: tuple[str, ...]) -> tuple[tuple[str, str | None], ...]:
    """Each name with its first word (leading run of word characters), or None when it does not start with A-Z."""
    return tuple((n, _WORD_RUN.match(n).group(0) if "A" <= n[:1] <= "Z" else None) for n in names)


def _bare_mentions(text: str) -> Iterable[str]:
    """The councils ``rules().bare_pattern`` finds in ``text``, in order, found faster.

    A name can match only where its first word (its leading run of word characters) stands in the text as a whole
    word, so the pattern is built from just those names (an alternative that cannot match anywhere changes no
    match): one pass to collect the text's words instead of a 400-way alternation tried at every character."""
    r = rules()
    words = set(_CAPITALISED_RUN.findall(text))
    present = tuple(n for n, first in _first_words(r.bare_names) if first is None or first in words)
    pattern = _bare_pattern(present)
    return [m.group(1) for m in pattern.finditer(text)] if pattern is not None else []


# ---------------------------------------------------------------- dates

_MONTH_NUMBERS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m} | {
    m.lower(): i for i, m in enumerate(calendar.month_abbr) if m} | {"sept": 9}
_MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
DATE = re.compile(
    rf"\b(?:(?P<d1>{_DAY})(?:\s+|-)(?:of\s+)?(?P<m1>{_MONTH})\.?,?(?:\s+|-)(?P<y1>(?:19|20)\d\d)"
    rf"|(?P<m2>{_MONTH})\.?\s+(?P<d2>{_DAY}),?\s+(?P<y2>(?:19|20)\d\d)"
    r"|(?P<d3>[0-3]?\d)[/.](?P<m3>[01]?\d)[/.](?P<y3>(?:19|20)\d\d)"
    r"|(?P<y4>(?:19|20)\d\d)-(?P<m4>[01]\d)-(?P<d4>[0-3]\d))\b",
    re.IGNORECASE)


_NON_DIGITS = re.compile(r"\D")


def find_dates(text: str) -> list[tuple[int, int, str]]:
    """Full dates (day, month, year) in ``text`` as (start, end, ISO)."""
    return list(_dates_in(text))


@lru_cache(maxsize=1024)
def _dates_in(text: str) -> tuple[tuple[int, int, str], ...]:
    """``find_dates``, remembered: each field's search reads the same header lines for dates."""
    out = []
    for m in DATE.finditer(text):
        g = m.groupdict()
        try:
            if g["y1"]:
                d = date(int(g["y1"]), _MONTH_NUMBERS[g["m1"].lower().rstrip(".")], int(_NON_DIGITS.sub("", g["d1"])))
            elif g["y2"]:
                d = date(int(g["y2"]), _MONTH_NUMBERS[g["m2"].lower().rstrip(".")], int(_NON_DIGITS.sub("", g["d2"])))
            elif g["y3"]:
                d = date(int(g["y3"]), int(g["m3"]), int(g["d3"]))  # UK order: day/month/year
            else:
                d = date(int(g["y4"]), int(g["m4"]), int(g["d4"]))
        except (ValueError, KeyError):
            continue
        out.append((m.start(), m.end(), d.isoformat()))
    return tuple(out)


def first_date(text: str) -> str | None:
    found = _dates_in(text)
    return found[0][2] if found else None


def next_working_day(iso: str) -> str:
    """The weekday after ``iso`` (bank holidays aside)."""
    d = date.fromisoformat(iso) + timedelta(days=1)
    while d.weekday() >= 5:
        d += timedelta(days=1)
    return d.isoformat()


# ---------------------------------------------------------------- header lines

@dataclass
class Line:
    text: str  # plain text (markup removed)
    raw: str


_SPACE_RUN = re.compile(r"[ \u00a0]+")
_WHITESPACE_RUN = re.compile(r"\s+")


def header_lines(doc: Document, limit: int = HEADER_LINES) -> list[Line]:
    """The first non-empty lines of the paper, markup removed."""
    if limit <= LONGEST_HEADER:
        return list(_header(doc.text)[:limit])
    return _first_lines(doc.text, limit)


@lru_cache(maxsize=4)
def _header(text: str) -> tuple[Line, ...]:
    """The paper's first lines, read once: every field's search asks for them (callers only read them)."""
    return tuple(_first_lines(text, LONGEST_HEADER))


def _first_lines(text: str, limit: int) -> list[Line]:
    out = []
    for raw in _lines_of(text):
        t = _plain_line(raw)
        if t:
            out.append(Line(_SPACE_RUN.sub(" ", t), raw))
            if len(out) >= limit:
                break
    return out


# The characters that start every kind of markup ``structure.plain`` removes (``structure.MARKUP``).
MARKUP_STARTS = "*_<#\\"


def _plain_line(raw: str) -> str:
    """``plain(raw).strip()``, without running the markup pattern over the many lines that cannot hold markup."""
    for c in MARKUP_STARTS:
        if c in raw:
            return plain(raw).strip()
    return raw.strip()


def _lines_of(text: str) -> Iterable[str]:
    """``text.split("\n")`` one line at a time: the header needs the first few, not a copy of the whole paper."""
    start = 0
    while True:
        end = text.find("\n", start)
        if end == -1:
            yield text[start:]
            return
        yield text[start:end]
        start = end + 1


_LABELLED_LINE = re.compile(r"^\s*([A-Za-z][A-Za-z ()/']{0,30}?)\s*(?::|\t|\s{3,})\s*(.+)$")


def labelled(line: str, labels: Iterable[str]) -> str | None:
    """The value of a "Label: value" or "Label<TAB>value" line when the label is one of ``labels``."""
    m = _LABELLED_LINE.match(line)
    if not m:
        return None
    label = m.group(1).strip().lower().rstrip("(s)").strip()
    if label in labels:
        return m.group(2).strip()
    return None


_WEEKDAY = re.compile(r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?", re.IGNORECASE)
_EMPTY_BRACKETS = re.compile(r"\(\s*\)")


def strip_dates(text: str) -> str:
    """Text with its dates (and weekday names) removed, and the dashes/colons around them."""
    out = text
    for s, e, _ in reversed(_dates_in(text)):
        out = out[:s] + out[e:]
    out = _WEEKDAY.sub("", out)
    out = _EMPTY_BRACKETS.sub("", out)
    return _WHITESPACE_RUN.sub(" ", out).strip(" -–—:,;")


# ---------------------------------------------------------------- council

def _council_from_name(phrase: str) -> str | None:
    """A council's short name from a formal name ("London Borough of Merton", "Kent County Council")."""
    r = rules()
    text = _WHITESPACE_RUN.sub(" ", phrase).strip()
    for pattern, how in r.council_forms:
        m = pattern.search(text)
        if not m:
            continue
        if how.startswith("prefix"):
            name = text[m.end():] if how == "prefix" else text
        else:
            name = text[:m.start()]
        name = name.strip(" ,.'’")
        if not name:
            continue
        known = r.by_key.get(squash(name))
        if known:
            return known.name
        if how == "suffix_known":
            return None
        return _display(name)
    return None


def _display(name: str) -> str:
    """Title case for a name printed in capitals ("KENT" → "Kent"); as written otherwise."""
    if name.isupper():
        return " ".join(w if w.lower() in ("and", "of", "upon", "on") and i else w.capitalize()
                        for i, w in enumerate(name.lower().split()))
    return name


# A run of capitalised words ending in "Council" (or the "Borough of" forms), as council names are written.
_FORMAL_NAME = re.compile(
    r"(?:(?:London|Royal|Metropolitan)[ \t]+Borough[ \t]+of|Borough[ \t]+of|City[ \t]+of|Council[ \t]+of[ \t]+the[ \t]+(?:City|County|Borough)[ \t]+of)"
    r"[ \t]+(?:[A-Z][\w'’-]*(?:[ \t]+(?:upon|on|and|in|under|le)[ \t]+|[ \t]+)?){1,4}"
    r"|(?:[A-Z][\w'’-]*[ \t]+(?:(?:upon|on|and|in|under|with)[ \t]+)?){1,5}"
    r"(?:(?:Metropolitan[ \t]+Borough|County[ \t]+Borough|City[ \t]+and[ \t]+County|County|City|Borough|District|Town|Parish|Community)[ \t]+)?Council\b",
)
_NOT_NAME_START = {"the", "a", "an", "this", "that", "our", "its", "their", "of", "to", "and", "by", "for", "in", "on",
                   "from", "with", "at", "all", "each", "every", "said", "local", "any", "district", "borough",
                   "county", "city", "town", "parish", "full", "new"}


def formal_council_names(text: str) -> list[tuple[int, str]]:
    """(offset, short name) of every formal council name in ``text``."""
    out = []
    # Names do not run across lines, so each line is read alone, and only when it holds a word every formal name
    # has ("council", "borough", "city"): most lines have none. "KENT COUNTY COUNCIL" reads as title case.
    required = screen(_FORMAL_NAME)
    matches = []
    offset = 0
    for line in text.split("\n"):
        start = offset
        offset += len(line) + 1
        if line.isupper():
            titled = line.title()
            if len(titled) == len(line):
                line = titled
        if required is not None and not holds_any(line.lower(), required):
            continue  # (the pattern is case-sensitive: its words in lower case can only widen the test)
        matches.extend((start + m.start(), m.group(0)) for m in _FORMAL_NAME.finditer(line))
    for at, phrase in matches:
        words = phrase.split()
        # Drop leading words that cannot begin a council's name ("The County Council" names none).
        while words and words[0].lower() in _NOT_NAME_START:
            words = words[1:]
        if len(words) < 2:
            continue
        for i in range(len(words) - 1):  # the longest tail that reads as a council name
            name = _council_from_name(" ".join(words[i:]))
            if name and squash(name) not in ("the", "county", "city", "borough", "district"):
                out.append((at, name))
                break
    return out


_FILE_NAME_SEPARATORS = re.compile(r"[_\W]+")


def council_from_path(path: str) -> str | None:
    """A known council named by the file's folders or its file name (``papers/barnet/2017/x.pdf``)."""
    r = rules()
    p = Path(path)
    for part in reversed(p.parent.parts):
        c = r.by_key.get(squash(part))
        if c:
            return c.name
    tokens = _FILE_NAME_SEPARATORS.split(p.stem)
    for n in (3, 2, 1):  # "royal_sutton_coldfield_…", "tower_hamlets_…", "kent_cc_…"
        for i in range(len(tokens) - n + 1):
            c = r.by_key.get(squash("".join(tokens[i:i + n])))
            # One short or late word is weak evidence ("…_lincoln_square_…" is a place, not Lincoln's paper):
            # a single word counts only where file names put the authority, at the start.
            if c and (n > 1 or len(tokens[i]) > 3 and i <= 1):
                return c.name
    return None


_COUNCIL_EMAIL = re.compile(r"@(?:[a-z0-9-]+\.)*?([a-z0-9-]+)\.gov\.uk\b", re.IGNORECASE)
_OWN_COUNCIL = re.compile(r"\b(?:the|our) (?:County |City |Borough |District |Town )?Council\b", re.IGNORECASE)
_GOV_UK_DOMAIN = re.compile(r"[@.]([a-z0-9-]+)\.gov\.uk\b", re.IGNORECASE)


def find_council(doc: Document, hint: str | None = None, folder_hint: str | None = None) -> str | None:
    """The authority whose paper this is, by the evidence described in the module docstring.

    ``hint`` (``--council``) wins over everything; ``folder_hint`` (the folder a
    batch was ingested from) is used only when the paper names no council.
    """
    if hint:
        return hint
    r = rules()
    if doc.meta.get("council"):
        return _council_from_name(doc.meta["council"]) or doc.meta["council"]
    text = doc.text
    header = "\n".join(line.text for line in header_lines(doc, 6))
    formal_in_header = formal_council_names(header)
    if formal_in_header:
        return formal_in_header[0][1]
    # Beyond the header, evidence counts only in a council's own paper, one that speaks of "the Council"
    # (a national report naming a witness's council is not that council's paper).
    emails = Counter(r.by_key["@" + m.group(1).lower()].name
                     for m in _COUNCIL_EMAIL.finditer(text)
                     if "@" + m.group(1).lower() in r.by_key)
    local = _OWN_COUNCIL.search(text)
    if not local:
        # Only a council's own contact addresses speak for it then ("democratic.services@haringey.gov.uk").
        return emails.most_common(1)[0][0] if emails else folder_hint or council_from_path(doc.path)
    scores: Counter = Counter()
    for offset, name in formal_council_names(text):
        scores[name] += 5 + (5 if offset < FRONT_CHARS else 0)
    for m in _GOV_UK_DOMAIN.finditer(text):
        c = r.by_key.get("@" + m.group(1).lower())
        if c:
            scores[c.name] += 4
    for key in ("html_title", "title", "page_heading"):
        for _, name in formal_council_names(doc.meta.get(key, "")):
            scores[name] += 8
    if scores:
        return scores.most_common(1)[0][0]
    if r.bare_names:
        bare = Counter(_bare_mentions(text))
        if bare:
            return r.by_key[squash(bare.most_common(1)[0][0])].name
    return folder_hint or council_from_path(doc.path)


# ---------------------------------------------------------------- committee

# "Cabinet Member", "Committee Members", "Panel meeting": roles and events, not the body itself.
_NOT_A_BODY = r"(?!\s+(?:Members?|Office|Officers?|Reports?|Decisions?|Meetings?|Chair(?:man)?|Clerk|Secretary|Room))"
_NOT_IN_A_NAME = re.compile(r"\b(?:held|at|in|will|is|was|were|has|have|by|with|this|that|which)\b", re.IGNORECASE)


# Capitalised words that start sentences, not names: "As the Committee …", "Members of the Panel …".
_SENTENCE_STARTS = {"as", "if", "when", "whilst", "while", "although", "since", "because", "members", "member",
                    "chairman", "chair", "after", "before", "during", "following", "under", "so", "but", "however",
                    "also", "both", "then", "thus", "there", "here", "it", "we", "they", "he", "she", "i", "you",
                    "please", "note", "see", "report", "reports", "minutes", "agenda", "item", "dear", "cllr",
                    "councillor", "councillors", "mr", "mrs", "ms", "dr", "all", "full"}


@cache
def _committee_pattern(nouns: tuple[str, ...]) -> re.Pattern:
    alt = "|".join(re.escape(n) for n in sorted(nouns, key=len, reverse=True))
    # Capitalised words (with the small words between them) ending in a committee noun.
    return re.compile(
        rf"(?:(?:[A-Z][\w'’&-]*,?|and|of|for|the|on|&|-|–)\s+)*(?:{alt})\b{_NOT_A_BODY}"
        rf"(?:\s+(?:\((?:[A-Z][\w&' -]*)\)))?")


_NAME_END = re.compile(r"\s+[-–—:]\s+|:\s")


# Characters no committee mention can hold (``_committee_pattern`` reads only word characters, white space and
# ' ’ & - – , ( ) ): they cut the text into stretches that a mention never crosses.
_MENTION_BREAKS = '.:;!?/"“”|*#[]<>=+@%$£€…•'
_MENTION_BREAK = re.compile("[" + re.escape(_MENTION_BREAKS) + "]")


def _committee_mentions(text: str, nouns: tuple[str, ...]) -> Iterable[re.Match]:
    """``_committee_pattern(nouns).finditer(text)``, run only over the stretches between ``_MENTION_BREAKS`` that hold
    one of the nouns (the pattern is case-sensitive and every mention holds a noun): same matches, far less text."""
    pattern = _committee_pattern(nouns)
    done = 0  # the text before this is read
    for noun in _noun_pattern(nouns).finditer(text):
        at = noun.start()
        if at < done:
            continue
        start = max(done, max(text.rfind(c, done, at) for c in _MENTION_BREAKS) + 1)
        brk = _MENTION_BREAK.search(text, at)
        end = brk.start() if brk else len(text)
        # a stretch read alone ends as the text would at its break: no match could go on past it
        yield from pattern.finditer(text, start, end)
        done = end


@cache
def _noun_pattern(nouns: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(re.escape(n) for n in nouns))


def _clean_committee(text: str) -> str | None:
    t = strip_dates(plain(text))
    t = _NAME_END.split(t)[0].strip(" -–—:,;.")
    t = _ENUMERATOR.sub("", t)  # "I. Operations and Safety Committee"
    words = t.split()
    while words and (words[0].lower() in _SENTENCE_STARTS
                     or words[0].lower() in ("the", "a", "an", "this", "that", "our", "its", "their", "of", "to",
                                             "and", "by", "for", "in", "on", "from", "with", "at", "meeting", "-", "–")):
        words = words[1:]
    t = " ".join(words)
    if not t or len(words) > 12:
        return None
    return _display(t)


_COUNCIL_TAIL = re.compile(r"(?:(?:[A-Z][a-z]+|and)\s+)*Council")


def _full_council(name: str) -> str | None:
    """The body a council's own name stands for at a meeting: "Limerick City and County Council" →
    "City and County Council", "Merton Council" → "Council"."""
    words = name.split()
    for i in range(1, len(words)):
        rest = " ".join(words[i:])
        if rest[:1].isupper() and _COUNCIL_TAIL.fullmatch(rest) and \
                _council_from_name(" ".join(words[:i]) + " " + rest) and not formal_council_names(rest):
            return rest
    return None


def _is_committee_name(text: str, nouns: Iterable[str]) -> bool:
    t = text.strip()
    if _NOT_IN_A_NAME.search(t):
        return False
    return bool(_noun_at_end(tuple(nouns)).search(t)) and t[:1].isupper()


@cache
def _noun_at_end(nouns: tuple[str, ...]) -> re.Pattern:
    """Text ending in one of the committee nouns, as a word."""
    return re.compile(r"\b(?:" + "|".join(re.escape(n) for n in nouns) + r")$", re.IGNORECASE)


@cache
def _meeting_of(nouns: tuple[str, ...]) -> re.Pattern:
    """"a meeting of the X Committee": the body's name after "meeting of"."""
    return re.compile(r"\b(?i:meeting of (?:the )?)((?:[A-Z][\w'’&-]*\s+(?:(?i:and|of|for|on|&)\s+)?)*?(?i:" +
                      "|".join(re.escape(n) for n in nouns) + r"))\b" + _NOT_A_BODY)


def find_committee(doc: Document) -> str | None:
    """The meeting body: a header line, a "To:" label, "a meeting of the X", or the body named most."""
    r = rules()
    nouns = r.strong_nouns + r.weak_nouns
    if doc.meta.get("committee"):
        return _clean_committee(doc.meta["committee"])
    lines = header_lines(doc)
    for line in lines:  # labelled: "To: Cabinet – 30 January 2025", "Committee: Audit"
        value = labelled(line.text, r.committee_labels)
        if value:
            name = _clean_committee(value)
            if name and _is_committee_name(name, nouns):
                return name
    front = doc.text[:FRONT_CHARS]
    m = _meeting_of(nouns).search(front)
    if m:
        name = _clean_committee(m.group(1))
        if name and not _council_from_name(name):
            return name
        if name:
            # "a meeting of Limerick City and County Council": the full council, named as in "County Council".
            body = _full_council(name)
            if body:
                return body
    for line in lines:  # a header line that is (or starts with) a committee's name
        candidate = _clean_committee(line.text)
        if not candidate or not _is_committee_name(candidate, nouns):
            continue
        if _council_from_name(candidate) or formal_council_names(candidate):
            continue  # the council's own name, not a committee
        if len(candidate.split()) == 1 and candidate.lower() not in ("cabinet", "council", "executive"):
            continue
        return candidate
    # The body the text names most, from the nouns that name meeting bodies in running text, on the paper's
    # first pages only: a body first named deep in a long paper is one it reports on, not the meeting it is for.
    counts: Counter = Counter()
    first: dict[str, int] = {}
    for m in _committee_mentions(doc.text, r.strong_nouns):
        name = _clean_committee(m.group(0))
        if name and len(name.split()) >= 2 and not formal_council_names(name) and name[:1].isupper():
            counts[name] += 1
            first.setdefault(name, m.start())
    if counts:
        # Prefer the fullest form: "Children and Families Overview and Scrutiny Panel" over "Scrutiny Panel".
        best = max(counts, key=lambda n: (sum(c for k, c in counts.items() if n.endswith(k)), len(n)))
        return best if first[best] <= BODY_CHARS else None
    return None


# ---------------------------------------------------------------- meeting date

_MEETING_HELD_ON = re.compile(r"\bmeeting\b[^.]{0,160}?\bheld\b[^.]{0,160}?\bon\s+([^.]{0,40})", re.IGNORECASE)
_OTHER_MEETING_BEFORE = re.compile(r"\b(?:previous|last|next)\s*$", re.IGNORECASE)
_APPROVED_AFTER = re.compile(r"\W*(?:were|was|are|be|is)\s+(?:agreed|approved|confirmed|signed)", re.IGNORECASE)
_PREVIOUS_MEETING = re.compile(r"\b(?:previous|last)\s+meeting", re.IGNORECASE)
_WORKING_DAY_BEFORE = re.compile(r"\bworking day before the meeting\b\s*\(([^)]{0,60})\)", re.IGNORECASE)


def find_meeting_date(doc: Document, committee: str | None) -> str | None:
    """The date of the meeting the paper was for."""
    r = rules()
    for key in ("meeting_date", "date_of_meeting", "date"):
        if doc.meta.get(key):
            d = first_date(doc.meta[key])
            if d:
                return d
    lines = header_lines(doc)
    for line in lines:  # "Date: 22 October 2009", "To: Cabinet – 30 January 2025"
        value = labelled(line.text, r.date_labels + r.committee_labels)
        if value:
            d = first_date(value)
            if d:
                return d
    for i, line in enumerate(lines):  # a header line naming the committee, or the line after it
        if committee and committee.lower() in line.text.lower():
            for near in lines[i:i + 3]:
                d = first_date(near.text)
                if d:
                    return d
    for line in lines:  # a header line that is a date alone, or a committee line with a date
        rest = strip_dates(line.text)
        d = first_date(line.text)
        if d and (not rest or _is_committee_name(_clean_committee(line.text) or "", rules().strong_nouns + rules().weak_nouns)):
            return d
    # "MINUTES of a meeting of the Cabinet held in … on Thursday, 30 January 2025" in the header, but not
    # "The Minutes of the Meeting held on 17 March 2016 were agreed" (the previous meeting).
    header = " ".join(line.text for line in lines)
    for m in _MEETING_HELD_ON.finditer(header):
        found = find_dates(m.group(1))
        if not found:
            continue
        before = header[max(0, m.start() - 30):m.start()]
        after = header[m.start(1) + found[0][1]:]
        if _OTHER_MEETING_BEFORE.search(before) or _APPROVED_AFTER.match(after) or _PREVIOUS_MEETING.search(m.group(0)):
            continue
        return found[0][2]
    # "no later than … on the working day before the meeting (in this case 10 May 2016)"
    m = _WORKING_DAY_BEFORE.search(doc.text) if may_match(_WORKING_DAY_BEFORE, doc.text) else None
    if m:
        d = first_date(m.group(1))
        if d:
            return next_working_day(d)
    return None


# ---------------------------------------------------------------- doc type

CUE_REPEATS = 3  # how many times one document-type cue may count
FRONT_DECIDES = 8  # a front-page cue this strong names the document type over the body's cues
MEETING_ITEMS = 3  # agenda items in a run that mark a meeting paper whatever the cues say


def agenda_run(blocks: list[Block]) -> int:
    """How many agenda items the structure stage found (its agenda test already asked for agenda-style titles)."""
    return sum(1 for b in blocks if b.kind == "agenda_item" and b.number)


def _has_body(blocks: list[Block]) -> bool:
    """Whether the agenda items have text under them (minutes), not just titles (an agenda)."""
    after_item = 0
    for prev, block in zip(blocks, blocks[1:]):
        if prev.kind == "agenda_item" and block.kind in ("paragraph", "list_item"):
            after_item += 1
    return after_item * 2 >= agenda_run(blocks)


_MINUTES_WORD = re.compile(r"\bminutes\b")
_AGENDA_WORD = re.compile(r"\bagenda\b")


def _cue_hits(lines: list[tuple[str, str | None]], front_lines: int, cues) -> Counter:
    """How many lines each document-type cue matches (by its index; front-zone cues read the front lines only).

    A cue's regex is run only on the lines that hold one of its screen words (``regex_screen``), found with one
    substring search of the whole lower-cased text per word rather than a test of every line for every cue. The
    counter lists the cues in the order a line-by-line reading would first meet them (ties are settled by it)."""
    lowered = []
    starts = []  # where each line starts in the joined lower-case text
    unscreenable = []  # lines every cue must read (see ``screenable``)
    at = 0
    for i, (_, low) in enumerate(lines):
        starts.append(at)
        if low is None:
            unscreenable.append(i)
            low = ""
        lowered.append(low)
        at += len(low) + 1
    joined = "\n".join(lowered)
    holding: dict[tuple[str, int], list[int]] = {}  # (word, first line not read) → the lines before it holding the word

    def lines_holding(word: str, limit: int) -> list[int]:
        key = (word, limit)
        if key not in holding:
            end = starts[limit] if limit < len(lines) else len(joined)
            found = []
            j = joined.find(word, 0, end)
            while j != -1:
                i = bisect.bisect_right(starts, j) - 1
                found.append(i)
                j = joined.find(word, starts[i + 1], end) if i + 1 < len(lines) else -1
            holding[key] = found
        return holding[key]

    first_hit: dict[int, int] = {}
    counts: dict[int, int] = {}
    for k, (pattern, _kind, _weight, zone) in enumerate(cues):
        limit = front_lines if zone == "front" else len(lines)
        words = screen(pattern)
        if words is None:
            candidates = range(limit)
        else:
            found = {i for i in unscreenable if i < limit}
            for word in words:
                found.update(lines_holding(word, limit))
            candidates = sorted(found)
        for i in candidates:
            if pattern.search(lines[i][0]):
                counts[k] = counts.get(k, 0) + 1
                first_hit.setdefault(k, i)
    hits: Counter = Counter()
    for k in sorted(counts, key=lambda k: (first_hit[k], k)):
        hits[k] = counts[k]
    return hits


def find_doc_type(doc: Document, committee: str | None, meeting_date: str | None,
                  blocks: list[Block] | None = None) -> str:
    """minutes, agenda or report by weighted cues (the front page weighs most); other when none.

    A cue counts at most ``CUE_REPEATS`` times, so one phrase a long paper
    repeats ("it was suggested" through an evidence report) cannot outvote the
    rest. A run of agenda items found by the structure stage is evidence of a
    meeting paper on its own: it rules out ``report`` unless report cues are
    far ahead, and the minutes/agenda cues decide which of the two.
    """
    r = rules()
    lines = []  # the paper's non-empty lines (markup removed), each with its lower-case form for the screens
    front_lines = 0  # how many of them start on the front page (they come first)
    pos = 0
    # with none of the characters that fold to ASCII letters in the paper, every line's lower case is its screen
    all_screenable = screenable(doc.text) is not None
    for raw in doc.text.split("\n"):
        t = _plain_line(raw)
        if t:
            lines.append((t, t.lower() if all_screenable else screenable(t)))
            if pos < FRONT_CHARS:
                front_lines = len(lines)
        pos += len(raw) + 1
    hits = _cue_hits(lines, front_lines, r.doc_type_cues)
    scores: Counter = Counter()
    front: Counter = Counter()  # front-page cues break a tie ("will be held" over the last meeting's minutes)
    for k, n in hits.items():
        _, kind, weight, zone = r.doc_type_cues[k]
        scores[kind] += weight * min(n, CUE_REPEATS)
        if zone == "front":
            front[kind] += weight
    for key in ("html_title", "page_heading", "title"):
        value = doc.meta.get(key, "").lower()
        if _MINUTES_WORD.search(value):
            scores["minutes"] += 10
        elif _AGENDA_WORD.search(value):
            scores["agenda"] += 10
    if front and max(front.values()) >= FRONT_DECIDES:
        # The front page says what the paper is; the body may quote others (an agenda pack's last minutes).
        best = max(front, key=lambda k: (front[k], scores[k]))
    else:
        best = max(scores, key=lambda k: (scores[k], front[k]), default=None)
    if best in ("minutes", "agenda") and scores[best] >= 4:
        return best
    if blocks is not None and agenda_run(blocks) >= MEETING_ITEMS:
        meeting = max(("minutes", "agenda"), key=lambda k: (scores[k], front[k], k == "minutes" and _has_body(blocks)))
        if scores["report"] < 2 * max(scores[meeting], 4):
            return meeting
    if best is not None and scores[best] >= 4:
        return best
    if committee or meeting_date:
        return "report"
    return "other"


# ---------------------------------------------------------------- title

_TWO_LETTERS = re.compile(r"[A-Za-z]{2}")


def _skip_title(text: str, council: str | None, committee: str | None) -> bool:
    r = rules()
    t = text.strip()
    if not t or any(p.search(t) for p in r.skip_titles):
        return True
    if not _TWO_LETTERS.search(t) or first_date(t) and not strip_dates(t):
        return True
    if formal_council_names(t) and len(strip_dates(t).split()) <= 6 or (council and squash(t) == squash(council)):
        return True
    if t.endswith(":") or labelled(t, ("venue", "contact", "time", "date", "from", "to", "classification")):
        return True
    return False


_SITE_PREFIX = re.compile(r"^(?:agendas?, meetings and minutes|[\w ]+ - modern\.?gov)\s*[-–:]\s*", re.IGNORECASE)


def _title_text(text: str) -> str:
    t = plain(text)
    t = _SITE_PREFIX.sub("", t)
    return _WHITESPACE_RUN.sub(" ", t).strip(" -–—:")


_HEAD_AND_TITLE = re.compile(r"^(.+?)\s*[:–—-]\s+(.+)$")
_MINUTES_OF_MEETING = re.compile(r"(minutes of (?:the|a) meeting of .+?)\s+held\b", re.IGNORECASE)


def find_title(doc: Document, blocks: list[Block], council: str | None, committee: str | None) -> str | None:
    """The paper's title: a "Title"/"Subject" field, the text after a dated committee header, or its first heading."""
    r = rules()
    for row in doc.table_rows[:20]:
        if len(row.cells) >= 2:
            label = doc.text[row.cells[0][0]:row.cells[0][1]].strip().rstrip(":").lower()
            if label in r.title_labels:
                value = _title_text(doc.text[row.cells[1][0]:row.cells[1][1]])
                if value:
                    return value
    lines = header_lines(doc, LONGEST_HEADER)
    for line in lines:
        value = labelled(line.text, r.title_labels)
        if value:
            return _title_text(value)
    for line in lines[:6]:  # "Audit Committee 21 June 2016: Birmingham Education Partnership"
        m = _HEAD_AND_TITLE.match(line.text)
        if m and first_date(m.group(1)) and committee and committee.lower() in m.group(1).lower():
            return _title_text(m.group(2))
    # A loader's title field (ModernGov's page subtitle), unless it is site furniture.
    text = _title_text(doc.meta.get("title", ""))
    if text and not _skip_title(text, council, committee) and not _is_committee_line(text, committee):
        return text
    early = blocks[:60]
    for i, block in enumerate(early):
        if block.kind == "paragraph":
            # Minutes that open with their own sentence ("MINUTES OF PROCEEDINGS AT MEETING OF X HELD …")
            # before any title heading: that sentence up to "held" names the paper.
            opening = _WHITESPACE_RUN.sub(" ", plain(doc.text[block.start:block.start + 400])).lstrip("-–— ")
            m = _MINUTES_OPENING.match(opening)
            if m:
                return _title_text(m.group(1))
        if block.kind != "heading":
            continue
        text = _without_council_name(_title_text(block.text(doc)))
        if _skip_title(text, council, committee):
            continue
        if _is_committee_line(text, committee):
            # The heading right under a committee line is the paper's title (Staffordshire's report);
            # with none, the committee line itself is (an agenda front sheet: "Merton Council / Audit Committee").
            following = next((b for b in early[i + 1:] if not _skip_title(_title_text(b.text(doc)), council, committee)
                              or b.kind != "heading" and not _stamp(_title_text(b.text(doc)))), None)
            if following is not None and following.kind == "heading" and \
                    not _is_committee_line(_title_text(following.text(doc)), committee):
                return _title_text(following.text(doc))
            return _ENUMERATOR.sub("", strip_dates(text))
        return text
    text = _title_text(doc.meta.get("html_title", ""))  # an HTML <title>: often the site's, so only now
    if text and not _skip_title(text, council, committee):
        return text
    first = next((b for b in blocks if b.kind in ("paragraph", "agenda_item")), None)
    if first is not None:
        opening = _title_text(first.text(doc))
        m = _MINUTES_OF_MEETING.match(opening)
        if m:
            return m.group(1)  # "Minutes of the meeting of the Health and Wellbeing Board"
        if first.kind == "paragraph" and len(opening.split()) <= 15:
            return opening
    return None


_MINUTES_OPENING = re.compile(
    r"(minutes of (?:the )?(?:proceedings (?:at|of) )?(?:an? |the )?(?:[\w-]+ )?meeting of .+?)\s+held\b", re.IGNORECASE)
_ENUMERATOR = re.compile(r"^(?:[IVX]{1,4}|\d{1,3}|[A-Z])[.)]\s+")  # "I. Operations and Safety Committee"


def _stamp(text: str) -> bool:
    """A short line of the cover page that is not the title: a byline or a session stamp."""
    return len(text.split()) <= 8 and any(p.search(text) for p in rules().cover_stamps)


def _without_council_name(text: str) -> str:
    """A heading without a leading council name ("Merton Council Audit Committee" → "Audit Committee")."""
    m = _FORMAL_NAME.match(text)
    if m and formal_council_names(m.group(0)) and text[m.end():].strip():
        return text[m.end():].strip(" -–—:,")
    return text


def _is_committee_line(text: str, committee: str | None) -> bool:
    """A line that names the committee (and perhaps the date) and nothing else ("REPORT TO CABINET")."""
    if not committee:
        return False
    return squash(committee) in (squash(strip_dates(text)), squash(_clean_committee(text) or ""))


# ---------------------------------------------------------------- the record

def extract(ctx) -> Iterable[Record]:
    doc = ctx.document
    council = find_council(doc, ctx.council, getattr(ctx, "folder_council", None))
    committee = find_committee(doc)
    meeting_date = find_meeting_date(doc, committee)
    doc_type = find_doc_type(doc, committee, meeting_date, ctx.blocks)
    title = find_title(doc, ctx.blocks, council, committee)
    yield DocumentRecord(
        doc=doc.doc_id, id=doc.doc_id, path=Path(doc.path).name, format=doc.format,
        title=title, council=council, committee=committee, doc_type=doc_type,
        meeting_date=meeting_date, pages=doc.page_count,
    )
