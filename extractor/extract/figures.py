"""`figure` extractor: every stated quantity that is not a date.

Prose blocks are split into sentences and scanned by ``quantities.find_quantities``;
table rows give one figure per cell that holds a quantity (money, percentages,
counts), with the subject built from the column header and the row's label.
Block-level exclusions the scanner cannot see live here: list numbering
(``1 - Excellent Education``, ``3b | Title``), contents pages, reference and
rank columns of tables, and footnote markers in papers that have footnotes.
A near-identical sentence repeated in the same paper (a summary restating a
paragraph) is counted once; any other sentence stating a quantity again is a
statement of its own ("the two wards" after "two wards", as ANNOTATION.md's
"the 38 KPIs" and "The nine indicators"), except a spelled count pointed at
with these/those ("those two issues").
"""
from __future__ import annotations

import re
from functools import cache, lru_cache
from itertools import islice
from typing import Iterator

from rapidfuzz.fuzz import ratio

from ..document import Document, TableRow
from ..quantities import (Quantity, coined_units_in, find_quantities, forget_cached, has_number, lexicon, period_spans,
                          periods_in)
from ..records import FigureRecord, Source
from ..regex_screen import folds_plainly
from ..structure import Block

# Two sentences stating the same quantity are one statement when this similar (rapidfuzz ratio) and this long:
# a short line ("Abstain (0)", a vote's tally) recurs in one paper stating different things.
NEAR_IDENTICAL = 90
RESTATEMENT_WORDS = 5
SUBJECT_MAX_WORDS = 8
# A table cell this long is running text (a paragraph laid out beside a number), read as prose.
PROSE_CELL_WORDS = 6
# Pieces of one contents list split by headings lie this close together (characters).
CONTENTS_GAP = 400
# A table broken by a wrapped row label goes on after at most this many characters.
TABLE_CONTINUATION_GAP = 120

# Sentence ends: a stop followed by space and a capital, an opening bracket or quote; not after
# short abbreviations (c., e.g., i.e., Mr., No.). Group 1 is the break between the sentences (the pattern opens
# with the stop itself, not a lookbehind, so that re can skip to the stops).
_SENTENCE_END = re.compile(r"[.!?]([\"'”’)]?\s+)(?=[A-Z0-9(\"'“‘•])")
_ABBREVIATION = re.compile(r"(?:\b(?:c|e\.g|i\.e|etc|mr|mrs|ms|dr|cllr|no|nos|approx|para|paras|vs|st|cf|ca|"
                           r"inc|ltd|co|fig|ref|[a-z])\.)$", re.IGNORECASE)
# Numbering at the start of a line: "1. ", "1) ", "1 - ", "238." on its own.
_LINE_NUMBER = re.compile(r"^[\s•·\-*▪◦●○■□➢➤►‣⁃–]*(\d{1,3}(?:\.\d{1,3})*)(?:[.)](?!\d)|\s+[-–|]\s|\t)")
# In prose a line opening "9 Recommendation(s)" or "5 ANNUAL GOVERNANCE REPORT" is numbered too.
_PROSE_LINE_NUMBER = re.compile(r"^[\s•·\-*▪◦●○■□➢➤►‣⁃–]*(\d{1,3}(?:\.\d{1,3})*)(?:[.)](?!\d)|\s+[-–|]\s|\s*$|\t|\s+(?=[A-Z]))")
# A cell reading "1." or "2 - Good/Outstanding" is numbered; a cell holding only "160" is a value.
# A bare count closing a line ("Annual complaints report 9") is a page reference, not a quantity.
_LINE_END = re.compile(r"[ \t]*(?:\n|$)")
_FUNCTION_WORDS = {"the", "a", "an", "of", "to", "in", "on", "at", "by", "for", "from", "with", "and", "or", "is",
                   "are", "was", "were", "be", "been", "has", "have", "had", "that", "which", "who", "this",
                   "these", "those", "its", "their", "it", "as", "than", "into", "since", "during", "between",
                   "while", "whilst", "so", "far", "now", "still", "also", "only", "just", "some", "all", "each",
                   "we", "they", "there", "here", "not", "no", "up", "down", "will", "would", "can", "could",
                   "should", "may", "might", "must", "being", "over", "under", "below", "above", "around",
                   "about", "approximately", "c", "reached", "having", "totalled", "rose", "fell", "increased",
                   "decreased", "reveals", "shows", "showed", "achieved", "saw"}
_SUBJECT_STOP = {"who", "which", "that", "were", "was", "is", "are", "have", "has", "had", "in", "on", "at", "by",
                 "to", "for", "from", "with", "and", "since", "during", "than", "as", "but", "or", "where",
                 "when", "be", "been", "will", "would", "across", "within", "per", "between", "compared"}


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans of ``text[start:end]`` (absolute offsets)."""
    # The figure and KPI extractors split the same blocks of one paper: remember the last paper's splits.
    global _last_splits
    paper, splits = _last_splits
    if paper is not text:
        paper, splits = _last_splits = (text, {})
    spans = splits.get((start, end))
    if spans is None:
        spans = splits[start, end] = _split_sentences(text, start, end)
    return list(spans)


# The paper whose sentences were split last, and its splits by (start, end) (one tuple, so that a reader never
# pairs one paper with another's splits).
_last_splits: tuple[str | None, dict[tuple[int, int], list[tuple[int, int]]]] = (None, {})


def _split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    pos = start
    chunk = text[start:end]
    for m in _SENTENCE_END.finditer(chunk):
        cut = start + m.start(1)
        if _ABBREVIATION.search(text[max(pos, cut - 8):cut]):
            continue
        if cut > pos:
            spans.append((pos, cut))
        pos = start + m.end(1)
    if pos < end:
        spans.append((pos, end))
    return spans


def _line_numbering_spans(text: str, start: int, end: int, prose: bool = False) -> list[tuple[int, int]]:
    """Spans of list or section numbers at the start of each line of ``text[start:end]``."""
    spans = []
    pos = start
    pattern = _PROSE_LINE_NUMBER if prose else _LINE_NUMBER
    for line in text[start:end].split("\n"):
        m = pattern.match(line)
        if m:
            spans.append((pos + m.start(1), pos + m.end(1)))
        pos += len(line) + 1
    return spans


_MONTH_WORDS = {m for m in ("january february march april may june july august september october november "
                             "december").split()}
_MEASURE_PHRASE = re.compile(r"\b(?:[Tt]he\s+)?((?:percentage|proportion|rate|number|share)\s+of\s+[^.;:]{3,120}?)"
                             r"\s+(?:has|have|is|was|were|are|rose|fell|increased|decreased|improved|remained)\b")
_AUXILIARIES = {"are", "is", "was", "were", "have", "has", "had", "will", "would", "can", "could", "did", "do", "does",
                "be", "been", "being"}


def subject_of(text: str, q: Quantity, lo: int, hi: int,
               previous: tuple[Quantity, str | None] | None = None) -> str | None:
    """A short noun phrase for what ``q`` counts or measures, taken from ``text[lo:hi]`` (its sentence).

    The words after the quantity when they name a thing ("900 families", "£381k bank reconciliation
    discrepancy", "87% of schools"); the words of its verb phrase when a verb follows ("17 are rated
    Green" → "rated Green"); the difference it states ("£300k higher than the next district"); the subject
    of ``previous`` (the quantity before it in the sentence, with its subject) when the two are joined
    ("£741k and £719k respectively", "£960k for Eastgate and £920k for Westbury"); else the noun phrase before it
    ("the management fee … is £10.8m", "a lease that costs £54k", "budget (£741k").
    """
    after = text[q.tail:hi]
    m = _OF_AFTER.match(after)
    if m and q.unit in {"percent", "GBP"}:
        return _trim_words(m.group(1).split()[:SUBJECT_MAX_WORDS])
    tokens = [t.group(0) for t in islice(_SUBJECT_TOKEN.finditer(after), SUBJECT_MAX_WORDS + 4)]
    first = tokens[0].lower() if tokens else ""
    words = _subject_words()
    if first in words["than"] and len(tokens) > 2 and tokens[1].lower() == "than":
        # "£300k higher than the District with …": the difference, with what it is taken from.
        phrase = _phrase(tokens, stop_at_prepositions=False)
        if phrase:
            return phrase
    if first in words["not_after"] or (first.endswith("ly") and len(tokens) > 1 and tokens[1] in ",.;:()–"):
        first = ","  # "eight weeks until 12th March", "£719k respectively)": nothing after names the figure
    if first in _AUXILIARIES and q.unit == "count":
        phrase = _phrase(tokens[1:], stop_at_prepositions=False)
        if phrase:
            return phrase
    if first and first not in _SUBJECT_STOP and first not in _AUXILIARIES and first not in ",.;:()–" \
            and not (q.unit in {"percent", "GBP"} and first.endswith("ed")):
        phrase = _phrase(tokens, stop_at_prepositions=True)
        if phrase and phrase.lower() not in _FUNCTION_WORDS:
            # "days of support": keep a short "of" phrase that names what is counted.
            m = _of_phrase_after(after, phrase.split())
            if m and m.group(1).split()[0].lower() not in _FUNCTION_WORDS:
                phrase += " of " + _trim_words(m.group(1).split())
            return phrase
    if previous is not None and previous[1] and _joined(text[previous[0].end:q.start]):
        return previous[1]
    return _subject_before(text, q, lo)


# Two figures this far apart (characters) are not two values of one thing.
JOIN_MAX_CHARS = 60
_BRACKETED = re.compile(r"\([^()]*\)")
_JOIN_WORD = re.compile(r"[\w/]+|[-–]")


def _joined(between: str) -> bool:
    """True when ``between`` (the text from one quantity to the next) joins them as two values of one thing:
    "and", "-", "or", after at most a bracket ("(Northfield, Eastgate) and") or a short prepositional phrase
    ("for Eastgate annually and")."""
    if len(between) > JOIN_MAX_CHARS:
        return False
    kinds = _subject_words()
    words = _JOIN_WORD.findall(_BRACKETED.sub(" ", between).replace(",", " "))
    if not words or len(words) > 5 or words[-1].lower() not in kinds["join"]:
        return False
    rest = words[:-1]
    return not rest or (rest[0].lower() in kinds["preposition"] and len(rest) <= 4 and
                        not any(w.lower() in kinds["verb"] for w in rest))


@cache
def _subject_words() -> dict[str, frozenset[str]]:
    return lexicon().subject_words or {}


_OF_AFTER = re.compile(r"\s*(?:\([^)]*\)\s*)?of\s+(?:the\s+)?([^,.;:()]+)")
_SUBJECT_TOKEN = re.compile(r"\b[A-Za-z][\w'’/&-]*|[,.;:()–]")
_SPACES = re.compile(r"\s*")
_SPACE_RUN = re.compile(r"\s+")
_OF_NOUN = re.compile(r"\s+of\s+([A-Za-z][\w'-]*(?:\s+[a-z][\w'-]*)?)")


def _of_phrase_after(after: str, words: list[str]) -> re.Match | None:
    """``after`` opening with ``words`` (apart by spaces) then "of" and a word or two: the match of
    ``\\s*word1\\s+word2…\\s+of\\s+(…)`` with the "of" phrase as group 1, read without a pattern per phrase."""
    pos = _SPACES.match(after).end()
    for i, word in enumerate(words):
        if i:
            gap = _SPACE_RUN.match(after, pos)
            if not gap:
                return None
            pos = gap.end()
        if not after.startswith(word, pos):
            return None
        pos += len(word)
    return _OF_NOUN.match(after, pos)


def measure_subject(text: str, q: Quantity, hi: int) -> str | None:
    """For a measurement with no unit in the contract ("1.5 miles from the centre", "14 hours of activity per
    week"), its unit word and the phrase after it up to the clause's end: "miles from the centre"."""
    if q.unit is not None or "£" in q.text or "$" in q.text or "€" in q.text:
        return None
    unit_words = [w for w in _SPACES_OR_HYPHENS.split(text[q.number_start:q.end].strip())[1:]
                  if w.lower() not in lexicon().scales]
    if not unit_words or not unit_words[-1][:1].isalpha():
        return None
    rest = _CLAUSE_REST.match(text[q.end:hi]).group(0)
    words = unit_words + [w for w in _CONJUNCTION.split(rest)[0].split()]
    return _trim_words(words[:SUBJECT_MAX_WORDS]) or None


_SPACES_OR_HYPHENS = re.compile(r"[\s-]+")
_CLAUSE_REST = re.compile(r"[^,;:()–.]*")
_CONJUNCTION = re.compile(r"\s+(?:and|but|or|while|whilst)\s+")


def _phrase(tokens: list[str], stop_at_prepositions: bool) -> str:
    words = []
    verbs = _subject_words()["verb"]
    for w in tokens:
        if w in ",.;:()–" or w.lower() in {"and", "but", "or", "while", "whilst"} or \
                (stop_at_prepositions and (w.lower() in _SUBJECT_STOP or w.lower() in verbs)):
            break
        words.append(w)
        if len(words) >= SUBJECT_MAX_WORDS:
            break
    return _trim_words(words)


_CLAUSE_BREAK = re.compile(r"[,;:()–]|\s-\s")
_WORD = re.compile(r"[A-Za-z][\w'’/&-]*")


_NP_WORD = re.compile(r"\b[A-Za-z][\w'’/&-]*")


def _subject_before(text: str, q: Quantity, lo: int) -> str | None:
    pieces = _CLAUSE_BREAK.split(text[lo:q.start])
    clause = pieces[-1]
    words = _WORD.findall(clause)
    if len(words) >= 2 and words[-1].lower() == "of" and words[-2].lower() not in _FUNCTION_WORDS:
        # "deliver savings of £850k", "an increase of 12%": the noun right before "of".
        run = []
        for w in reversed(words[:-1]):
            if w.lower() in _FUNCTION_WORDS or w.lower() in _SUBJECT_STOP or len(run) >= 3:
                break
            run.append(w)
        if run and not run[0].lower().endswith("ly"):
            return " ".join(reversed(run))
    found = _noun_phrase_before(words, pieces, q.unit == "GBP", _break_before(text, lo, q.start, clause))
    if found:
        return found
    while words and words[-1].lower() in _FUNCTION_WORDS:
        words.pop()
    while words and words[0].lower() in _FUNCTION_WORDS - {"of"}:
        words.pop(0)
    if q.unit == "GBP":
        # "The management fee for the current contract … is £10.8m": the noun before its qualifiers.
        for i, w in enumerate(words[2:], 2):
            if w.lower() in {"for", "with", "in", "on", "at", "to", "by", "from", "under", "within"}:
                words = words[:i]
                break
    return _trim_words(words[-SUBJECT_MAX_WORDS:]) or None


def _break_before(text: str, lo: int, start: int, clause: str) -> str:
    """The clause break (",", "(", ":" …) before ``clause``, the last piece of ``text[lo:start]``."""
    at = start - len(clause) - 1
    return text[at] if at >= lo else ""


def _noun_phrase_before(words: list[str], pieces: list[str], money: bool, mark: str = "") -> str | None:
    """The noun phrase a quantity's clause (``words``, the last of the sentence's ``pieces`` before it, after
    the break ``mark``) names before it, in the shapes the plain reading gets wrong; None to let it read the
    clause as before."""
    kinds = _subject_words()
    lowered = [w.lower() for w in words]
    if len(pieces) > 1 and (not words or (len(words) == 1 and lowered[0].endswith(("ing", "ed")) and mark in ",(")):
        # "the Family Hub budget (£741k", "Margate Family Hub: £250k", "£2 million in loans, averaging £400,000":
        # the noun phrase the bracket, colon or participle follows.
        before = _NP_WORD.findall(pieces[-2])
        if words:  # "savings have been identified (totalling £4.5m": the subject of the clause the participle ends
            return _noun_phrase_before(before, pieces[-2:-1], money) or _trailing_noun_phrase(before) or None
        return _trailing_noun_phrase(before) or None
    frame = kinds["time_frame"]
    if len(lowered) >= 3 and lowered[-1] in frame and lowered[-2] in kinds["determiner"]:
        # "the success of their efforts over the past": the time frame is not the subject, the noun before it is.
        return _trailing_noun_phrase(words[:-3]) or None
    relative = next((i for i in range(len(lowered) - 1, max(0, len(lowered) - 4), -1)
                     if lowered[i] in kinds["relative"]), None)
    if relative and all(w in kinds["verb"] or w in kinds["verb_filler"] or w.endswith("s")
                        for w in lowered[relative + 1:]):
        # "a lease that costs", "grant money which totals": the noun the relative clause is about.
        return _trailing_noun_phrase(words[:relative]) or None
    verb = next((i for i in range(len(lowered) - 1, -1, -1) if lowered[i] in kinds["verb"]), None)
    if verb is None or len(lowered) - verb > 5 or not all(
            w.endswith(("ed", "ly")) or w in kinds["preposition"] or w in kinds["approximate"] or w in kinds["verb_filler"] or
            lowered[i - 1] == "to" or i == verb + 1 for i, w in enumerate(lowered[verb + 1:], verb + 1)):
        return None  # no verb group right before the quantity ("the total … is", "was due to be extended for")
    while verb > 0 and (lowered[verb - 1] in kinds["verb"] or lowered[verb - 1] in kinds["verb_filler"]):
        verb -= 1  # "was due to be extended": the whole verb group
    head = words[:verb]
    if not head or lowered[verb - 1] in {"and", "or"} or lowered[0].endswith("ed"):
        # "… launched on 16th January and was due to run for eight weeks": the sentence's own subject.
        for piece in pieces:
            opening = _NP_WORD.findall(piece)
            if len(opening) >= 2:
                folded = [w.lower() for w in opening]
                # up to its verb: an auxiliary, or a past form after a noun ("The survey … opened on")
                cut = next((i for i, w in enumerate(folded) if w in kinds["verb"] or i and w.endswith("ed") and
                            folded[i - 1] not in _FUNCTION_WORDS and folded[i - 1] not in kinds["determiner"]),
                           len(opening))
                return _head_noun_phrase(opening[:cut], money) if cut else None
        return None
    return _head_noun_phrase(head, money)


def _head_noun_phrase(words: list[str], money: bool) -> str | None:
    """The last noun phrase of ``words`` (the words before a verb), from its determiner if one opens it; for
    money, up to the first preposition after its noun ("in the current configuration the total for each
    District" → "total")."""
    kinds = _subject_words()
    lowered = [w.lower() for w in words]
    start = 0
    for i in range(len(words) - 1, -1, -1):
        if lowered[i] in kinds["determiner"] and (i == 0 or (lowered[i - 1] not in kinds["preposition"] and
                                                             lowered[i - 1] not in kinds["attaching"])):
            start = i + 1
            break
    words = words[start:]
    while words and (words[0].lower() in _FUNCTION_WORDS or words[0].lower() in _SUBJECT_STOP):
        words = words[1:]
    for i, w in enumerate(words[1:] if money else (), 1):
        if w.lower() in kinds["preposition"]:
            words = words[:i]
            break
    return _trim_words(words[-SUBJECT_MAX_WORDS:]) or None


def _trailing_noun_phrase(words: list[str]) -> str:
    """The noun phrase ending ``words``: back from the last word to a determiner, preposition or verb
    ("over £2 million in loans" → "loans", "the Family Hub budget" → "Family Hub budget")."""
    kinds = _subject_words()
    run: list[str] = []
    for i in range(len(words) - 1, -1, -1):
        w = words[i]
        low = w.lower()
        if low in kinds["attaching"] and run and i and words[i - 1].lower() not in _FUNCTION_WORDS:
            run.append(w)  # "allocation of Year 4 grant money for libraries": one noun phrase
            continue
        if low in _FUNCTION_WORDS or low in _SUBJECT_STOP or low in kinds["verb"] or low in kinds["determiner"] \
                or len(run) >= SUBJECT_MAX_WORDS:
            break
        run.append(w)
    return _trim_words(run[::-1])



def _trim_words(words: list[str]) -> str:
    while words and words[-1].lower() in _FUNCTION_WORDS:
        words = words[:-1]
    return " ".join(words).strip(" '’\"")


def _table_rows_by_start(doc: Document) -> dict[int, TableRow]:
    return {row.start: row for row in doc.table_rows}


_PAGE_CELL = re.compile(r"(?:\d{1,2}\.\d{1,3}\s+)?(\d{1,4})")
_PARAGRAPH_NUMBER = re.compile(r"\d{1,2}\.\d{1,3}")


def page_reference_cells(doc: Document) -> set[tuple[int, int]]:
    """(row start, column) of page and paragraph numbers in contents tables.

    A contents table ends each row with a bare page number that never falls row by row (several sections
    share a page), and may give each section's paragraph number ("1.4") before it. A contents list broken
    into several tables by headings goes on while the page numbers keep rising.
    """
    tables: dict[int, list[TableRow]] = {}
    for row in doc.table_rows:
        tables.setdefault(row.table, []).append(row)
    found: set[tuple[int, int]] = set()
    last_page = None  # the last page number of the contents found so far
    last_end = 0
    for rows in tables.values():
        if last_page is not None and rows[0].start - last_end > CONTENTS_GAP:
            last_page = None  # the contents ended
        lasts = []
        for row in rows:
            filled = [(i, doc.text[s:e].strip()) for i, (s, e) in enumerate(row.cells) if doc.text[s:e].strip()]
            # The last cell is the page, sometimes run together with the paragraph number ("3.1 16").
            page = _PAGE_CELL.fullmatch(filled[-1][1]) if len(filled) >= 2 else None
            if not page:
                lasts = []
                break
            paragraph = [i for i, cell in filled[1:-1] if _PARAGRAPH_NUMBER.fullmatch(cell)]
            lasts.append((row.start, filled[-1][0], int(page.group(1)), paragraph))
        rising = all(a[2] <= b[2] for a, b in zip(lasts, lasts[1:])) and lasts and lasts[0][2] < lasts[-1][2]
        continues = bool(lasts) and last_page is not None and lasts[0][2] >= last_page and rising
        if (len(lasts) >= 3 and rising) or continues:
            for start, column, page, paragraph in lasts:
                found.add((start, column))
                found.update((start, i) for i in paragraph)
            last_page = lasts[-1][2]
            last_end = rows[-1].end
        elif lasts and last_page is not None and len(lasts) == 1 and lasts[0][2] >= last_page:
            # A single-row piece of the contents ("change interventions  9" after a wrapped heading).
            start, column, page, paragraph = lasts[0]
            found.add((start, column))
            found.update((start, i) for i in paragraph)
            last_page = page
            last_end = rows[-1].end
    return found


def _header_rows(doc: Document) -> dict[int, list[TableRow]]:
    """The rows the loader marked as headers, per table, in text order."""
    headers: dict[int, list[TableRow]] = {}
    for row in doc.table_rows:
        if row.header:
            headers.setdefault(row.table, []).append(row)
    return headers


def _header_for(doc: Document, row: TableRow | None, column: int,
                headers: dict[int, list[TableRow]] | None = None) -> str | None:
    """The header cell text above ``column`` in ``row``'s table, if the loader marked a header row."""
    if row is None:
        return None
    if headers is None:
        headers = _header_rows(doc)
    header = None
    for other in headers.get(row.table, ()):
        if other.start < row.start:
            header = other
    if header is None or column >= len(header.cells):
        return None
    s, e = header.cells[column]
    return " ".join(doc.text[s:e].split()) or None


def _is_skip_header(header: str | None, words: frozenset[str] | None = None) -> bool:
    """True when the header's first or last words are in ``words`` (default: the reference/rank column headers)."""
    if not header:
        return False
    skip = lexicon().table_skip_headers if words is None else words
    return not skip.isdisjoint(_header_edges(header))


_PUNCTUATION = re.compile(r"[^\w\s]")


@lru_cache(maxsize=1024)
def _header_edges(header: str) -> frozenset[str]:
    """The header's first and last one, two and three words, folded (every cell of a column asks again)."""
    folded = _PUNCTUATION.sub(" ", header.lower()).split()
    return frozenset([" ".join(folded[:k]) for k in range(1, min(3, len(folded)) + 1)] +
                     [" ".join(folded[-k:]) for k in range(1, min(3, len(folded)) + 1)])


_QUOTED_COMPOUND = re.compile(r"['‘\"“](\d+)[\s-](day|week|month|year)['’\"”]", re.IGNORECASE)


def quoted_compounds(text: str) -> set[tuple[float, str]]:
    """(value, unit) of durations a paper puts in quotes as a name ("'100 day' reviews")."""
    return {(float(m.group(1)), m.group(2).lower() + "s") for m in _QUOTED_COMPOUND.finditer(text)}


def _prose_quantity(sentence: str, q: Quantity) -> bool:
    """Prose-only tests: a count needs its noun, and a bare decimal is a paragraph reference ("set out in 8.5")."""
    if q.unit != "count":
        return True
    if q.text[-1:].isdigit() and _LINE_END.match(sentence, q.end):
        return False
    if _DECIMAL.fullmatch(q.text.split()[-1]):
        # "as set out in 8.5": a paragraph reference; "has 1.3 hubs per 10,000": a rate with its noun.
        before = sentence[:q.start].split()
        # "Point 6.7 of the Strategy": a capitalised word names the paragraph.
        return bool(before) and before[-1].lower().strip("(,") not in _REFERENCE_PREPOSITIONS and \
            not _CAPITALISED_WORD.fullmatch(before[-1]) and \
            bool(_NOUN_AFTER.match(sentence[q.end:]))
    return True


_DECIMAL = re.compile(r"[\d,]*\.\d+")
_CAPITALISED_WORD = re.compile(r"[A-Z][A-Za-z]*")
_NOUN_AFTER = re.compile(r"\s+(?!above\b|below\b|to\b|and\b|or\b)[A-Za-z]")


# Words that point at a paragraph by its number ("in 8.5", "see 4.2", "paragraphs 3.1 and 3.4").
_REFERENCE_PREPOSITIONS = {"in", "at", "see", "under", "to", "and", "of", "from", "with", "para", "paras", "paragraph",
                           "paragraphs", "section", "sections", "within", "per", "&", "or"}


# A paper with footnotes shows their markers glued after words and punctuation ("behaviour,6 some", "research.29").
# (Opening with the punctuation, the letter before it tested by a lookbehind, lets re skip to the punctuation.)
_GLUED_MARKER = re.compile(r"[.,;:”’\")](?<=[a-z].)\d{1,3}(?=\s)")
FOOTNOTED_PAPER = 5
# In such a paper, a bare number opening a sentence in mid-line, then a capitalised word: a flattened footnote marker.
_MARKER_OPENING = re.compile(r"\d{1,3}\s+[A-Z]")
# "these two", "those three": a spelled count after a demonstrative points back at things already named.
_DEMONSTRATIVE = re.compile(r"\b(?:these|those)\s+$", re.IGNORECASE)


# A date something ends or is due by is a deadline, not the time a figure describes ("end on 31 March 2025").
_DEADLINE_BEFORE = re.compile(r"\b(?:end|ends|ended|expire|expires|expired|until|by|before|on|from|after)\s+(?:the\s+)?"
                              r"\d{1,2}(?:st|nd|rd|th)?\s+$", re.IGNORECASE)


def figure_period(sentence: str, q: Quantity) -> str | None:
    """The period a prose figure refers to: of the periods its sentence names (deadlines aside), the one
    written nearest the quantity, so "agreed in February 2024 … across the 24/25 and 25/26 financial years a
    target of £2m" gives "24/25 and 25/26"."""
    best = None
    for start, end, period in period_spans(sentence):
        if _DEADLINE_BEFORE.search(sentence, max(0, start - 30), start):
            continue
        distance = q.start - end if end <= q.start else max(0, start - q.end)
        if best is None or distance < best[0]:
            best = (distance, period)
    return best[1] if best else None


def _only_quantities(prefix: str, coined: frozenset[str] = frozenset()) -> bool:
    """True when ``prefix`` (a cell's text before a quantity) is itself quantities with their nouns."""
    qs = find_quantities(prefix, coined_units=coined)
    return bool(qs) and not prefix[:qs[0].start].strip()


_MONEY_SCALE = re.compile(r"£\s?(?:'|’)?(000s?|m|k|bn|millions?|thousands?)\b", re.IGNORECASE)
_MONEY_UNSCALED = re.compile(r"\(£\)|\bin\s+£s?(?![\w'’])|\bpounds\b", re.IGNORECASE)


def _may_be_unscaled(source: str) -> bool:
    """False only when _MONEY_UNSCALED cannot match ``source``: it holds no "£" and no "pounds" (a cheap test first:
    the pattern, case-insensitive and opening with anchors, is tried at every position)."""
    return "£" in source or not folds_plainly(source) or "pounds" in source.lower()


_SCALES = {"000": 1e3, "000s": 1e3, "k": 1e3, "thousand": 1e3, "thousands": 1e3, "m": 1e6, "million": 1e6,
           "millions": 1e6, "bn": 1e9}
_SIGNED_CELL = re.compile(r"\s*(?P<neg>[-−–(])?\+?\s?(?P<num>\d[\d,]*(?:\.\d+)?)\)?\s*")


def money_scales(doc: Document) -> dict[int, float]:
    """Tables whose numbers are money by their header or caption ("£m", "£'000", "All figures in £m").

    A table broken off a money table by a wrapped row label, and a later table of the same width headed with
    money words ("Budget", "Forecast", "Variance") but no scale of its own, keep the scale of the money table.
    """
    first: dict[int, TableRow] = {}
    last: dict[int, TableRow] = {}
    widths: dict[int, int] = {}
    header_text: dict[int, str] = {}
    for row in doc.table_rows:
        first.setdefault(row.table, row)
        last[row.table] = row
        widths[row.table] = max(widths.get(row.table, 0), len(row.cells))
        if row.header or row is first[row.table]:
            header_text[row.table] = header_text.get(row.table, "") + " " + doc.text[row.start:row.end]
    scales: dict[int, float] = {}
    previous = None
    money_table = None  # the last table whose scale the paper stated
    for table, row in first.items():
        if previous in scales and _continues_table(doc, last[previous], row, widths[previous]):
            scales[table] = scales[previous]
            previous = table
            continue
        previous = table
        caption = doc.text[max(0, row.start - 200):row.start].rstrip()
        caption = caption[caption.rfind("\n\n") + 2:] if "\n\n" in caption else caption
        for source in (header_text.get(table, ""), caption):
            m = _MONEY_SCALE.search(source)
            if m:
                scales[table] = _SCALES[m.group(1).lower()]
                break
            if _may_be_unscaled(source) and _MONEY_UNSCALED.search(source):
                scales[table] = 1.0
                break
        if table in scales:
            money_table = table
        elif money_table is not None and abs(widths[table] - widths[money_table]) <= 1 and \
                _money_header_pattern().search(doc.text[max(0, row.start - 200):row.start]):
            scales[table] = scales[money_table]
    return scales


@cache
def _money_header_pattern() -> re.Pattern:
    words = "|".join(sorted(map(re.escape, lexicon().money_headers), key=len, reverse=True)) or "(?!)"
    return re.compile(r"\b(?:" + words + r")\b", re.IGNORECASE)


_SENTENCE_GAP = re.compile(r"[.:;]\s")


def _continues_table(doc: Document, before: TableRow, row: TableRow, width: int) -> bool:
    """True when ``row`` starts a table that goes on from the table ending with ``before`` (``width`` cells at
    most): about as many cells, and between them only short lines with no sentence (a wrapped row label)."""
    gap = doc.text[before.end:row.start]
    return abs(width - len(row.cells)) <= 1 and len(gap) <= TABLE_CONTINUATION_GAP and \
        not _SENTENCE_GAP.search(gap) and all(len(line.split()) <= PROSE_CELL_WORDS for line in gap.split("\n"))


_THREE_LETTERS = re.compile(r"[A-Za-z]{3}")
_ROW_NUMBER = re.compile(r"\s*\d{1,3}\s*")
_PAGE_NUMBER = re.compile(r"\s*\d{1,4}\s*")


def table_figures(doc: Document, block: Block, row: TableRow | None,
                  page_cells: set[tuple[int, int]] = frozenset(),
                  money_scale: float | None = None,
                  headers: dict[int, list[TableRow]] | None = None,
                  coined: frozenset[str] = frozenset()) -> Iterator[tuple[Quantity, str | None, str | None]]:
    """(quantity, subject, period) for each cell of a table row that states a quantity."""
    cells = block.cells
    texts = [doc.text[s:e] for s, e in cells]
    label_cells = [i for i, t in enumerate(texts) if _THREE_LETTERS.search(t)
                   and not any(q.start < 2 and q.unit != "count" for q in find_quantities(t.strip()))]
    for column, (s, e) in enumerate(cells):
        cell = doc.text[s:e]
        if not cell.strip() or (block.start, column) in page_cells:
            continue
        header = _header_for(doc, row, column, headers)
        if _is_skip_header(header):
            continue
        # A score or index column ("IMD Score", "Deprivation index") holds measures, not counts of things.
        scored = _is_skip_header(header, lexicon().score_headers)
        prose = len(cell.split()) >= PROSE_CELL_WORDS
        if column == 0 and _ROW_NUMBER.fullmatch(cell) and any(i > 0 for i in label_cells):
            continue  # a row number before the row's text
        skip = _line_numbering_spans(doc.text, s, e, prose=prose)
        found = find_quantities(cell, skip_spans=[(a - s, b - s) for a, b in skip], coined_units=coined)
        previous = None
        signed = _SIGNED_CELL.fullmatch(cell) if money_scale and column > 0 else None
        if signed:
            # A bare number in a money table ("All figures in £m"): pounds, with its sign ("-5.0", "(66.9)").
            value = round(float(signed.group("num").replace(",", "")) * money_scale, 2)
            if signed.group("neg"):
                value = -value
            lo = s + len(cell) - len(cell.lstrip())
            hi = s + len(cell.rstrip())
            found = [Quantity(value, "GBP", doc.text[lo:hi], lo - s, hi - s, None, lo - s, hi - s)]
        for q in found:
            if prose and not _prose_quantity(cell, q):
                continue
            # A cell's quantity must open the cell: "£32,400", "85 Year R temp places", "5FE"; in a cell of running
            # text it may stand anywhere ("Overall budget across all 12 districts").
            if not prose and cell[:q.start].strip(" \t\n(") and not _only_quantities(cell[:q.start], coined):
                continue
            unit = None if scored and q.unit == "count" else q.unit
            q = Quantity(q.value, unit, q.text, q.start + s, q.end + s, q.qualifier, q.number_start + s, q.tail + s)
            if prose:
                # Running text in a cell: what the number counts is in its own sentence, not in the row's other
                # cells (a question beside its answer) nor in the header.
                lo, hi = _sentence_around(doc.text, s, e, q.start)
                subject = measure_subject(doc.text, q, hi) or subject_of(doc.text, q, lo, hi, previous)
                previous = (q, subject)
                if subject:
                    sentence = doc.text[lo:hi]
                    rel = Quantity(q.value, q.unit, q.text, q.start - lo, q.end - lo, q.qualifier,
                                   q.number_start - lo, q.tail - lo)
                    periods = periods_in(header or "")
                    yield q, subject, figure_period(sentence, rel) or (periods[0] if periods else None)
                    continue
            row_label = " ".join(texts[label_cells[0]].split()) if label_cells else ""
            labels = [" ".join(texts[i].split()) for i in label_cells if i != column][:2]
            subject_parts = []
            if header:
                subject_parts.append(header)
            if labels:
                name = labels[0] + (f" ({labels[1]})" if len(labels) > 1 else "")
                subject_parts.append(name)
            elif row_label:
                subject_parts.append(row_label)
            trailing = " ".join(cell[q.tail - s:].split())
            subject = ": ".join(subject_parts) or (trailing or None)
            periods = periods_in(header or "")
            yield q, subject, periods[0] if periods else None


def _sentence_around(text: str, start: int, end: int, pos: int) -> tuple[int, int]:
    """The span of the sentence of ``text[start:end]`` that holds ``pos``."""
    for lo, hi in split_sentences(text, start, end):
        if lo <= pos < hi:
            return lo, hi
    return start, end


def _line_before(text: str, pos: int) -> str:
    """The text of ``pos``'s line before it."""
    return text[text.rfind("\n", 0, pos) + 1:pos]


def extract(ctx) -> Iterator[FigureRecord]:
    """Figures of the document in reading order."""
    doc: Document = ctx.document
    text = doc.text
    forget_cached()
    rows = _table_rows_by_start(doc)
    page_cells = page_reference_cells(doc)
    quoted_names = quoted_compounds(text)
    scales = money_scales(doc)
    headers = _header_rows(doc)
    footnoted = len(_GLUED_MARKER.findall(text)) >= FOOTNOTED_PAPER
    coined = coined_units_in(text)
    emitted: dict[tuple[float, str], list[tuple[int, str]]] = {}
    for block in ctx.blocks:
        if block.kind == "table_row" and block.cells:
            row = rows.get(block.start)
            scale = scales.get(row.table) if row is not None else None
            for q, subject, period in table_figures(doc, block, row, page_cells, scale, headers, coined):
                yield FigureRecord(doc=doc.doc_id, value=q.value, unit=q.unit, subject=subject, period=period,
                                   text=q.text,
                                   source=Source.span(text, block.start, block.end, block.page, block.section))
            continue
        block_text = text[block.start:block.end]
        if _PAGE_NUMBER.fullmatch(block_text):
            continue  # a page number or a bare item number
        if not has_number(block_text):
            continue  # then none of its sentences has one
        skip = _line_numbering_spans(text, block.start, block.end, prose=True)
        if block.number:
            skip.append((block.start, block.start + len(block_text) - len(block_text.lstrip()) + len(block.number) + 2))
        for s, e in split_sentences(text, block.start, block.end):
            sentence_skip = [(a - s, b - s) for a, b in skip if a < e and b > s]
            sentence = text[s:e]
            previous = None  # the last quantity of the sentence, with its subject
            for q in find_quantities(sentence, skip_spans=sentence_skip, coined_units=coined):
                if not _prose_quantity(sentence, q):
                    continue
                if footnoted and (q.glued or q.start == 0 and _line_before(text, s).strip() and
                                  _MARKER_OPENING.match(sentence)):
                    continue  # "behaviour,6 some", "... research councils. 68 We set out": footnote markers
                if q.named and (q.value, q.unit) in quoted_names:
                    continue  # "the 100 day reviews" where the paper also writes "'100 day' reviews": a name
                key = (q.value, q.unit)
                norm = " ".join(sentence.split())
                if norm.count(" ") + 1 >= RESTATEMENT_WORDS and any(
                        at != s and ratio(norm, prior) >= NEAR_IDENTICAL for at, prior in emitted.get(key, [])):
                    continue
                absolute = Quantity(q.value, q.unit, q.text, q.start + s, q.end + s, q.qualifier,
                                    q.number_start + s, q.tail + s)
                subject = measure_subject(text, absolute, e) or subject_of(text, absolute, s, e, previous)
                previous = (absolute, subject)
                if q.text[:1].isalpha() and _DEMONSTRATIVE.search(sentence, 0, q.start):
                    continue  # "those two issues": things named before, pointed at again, not counted
                emitted.setdefault(key, []).append((s, norm))
                period = figure_period(sentence, q)
                if block.kind == "list_item" and block.lead_in is not None and \
                        (not subject or subject.lower() in _MONTH_WORDS):
                    # "- July 32%": the lead-in names what the items measure.
                    lead = ctx.blocks[block.lead_in]
                    named = _MEASURE_PHRASE.search(text, lead.start, lead.end)
                    subject = named.group(1) if named else subject
                yield FigureRecord(doc=doc.doc_id, value=q.value, unit=q.unit,
                                   subject=subject,
                                   period=period, text=q.text,
                                   source=Source.span(text, s, e, block.page, block.section))
