"""`recommendation` records: recommendations, resolutions, decisions, requests, suggestions and actions.

What counts (shared/spec/RECORDS.md, ANNOTATION.md):
- a report's numbered recommendations ("That the Select Committee note …", "Cabinet is asked to …");
- "RESOLVED: (A) That … (B) That …" in minutes, each lettered part a record;
- requests ("requested that: …" lists, one record per element; "asked if … could …");
- suggestions ("It was suggested that … should/could …"; an explanation is not one);
- decisions (agreed, approved, signed off, noted as verbs of a body; a contract awarded, a decision taken
  or made, approval given);
- forward actions with an actor or object ("will", "plan to", "is proposed", "is being led by", minutes'
  "was scheduled to" / "was due to be done"), and rows of action tables (action / owner / due);
- paragraphs after a lead-in ("Council resolved the following:", "The decision included …:"), split at "; that".
Table cells of running text (in a table with a header row) are read as sentences; the questions of an
"Issue raised" / "Question" column are requests.
Not recorded: completed actions, possibilities and expectations, aims and objectives lists, other questions.

The cue phrases are span_ruler patterns in ``models/rules/recommendations.jsonl`` (label says what a
cue signals; phrase patterns only: token patterns slow the shared parse); cue words and patterns that
are not span_ruler cues are in ``models/rules/recommendation_words.csv`` (kind says what they are for).
The code says how a cue's sentence, clause or list becomes a record.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Iterable

from ..dates import find_dates
from ..nlp import SPANS_KEY, get_nlp, load_patterns
from ..regex_screen import PaperScreen, folds_plainly, screen
from ..resources import models_dir
from ..records import RecommendationRecord, Record, Source
from . import people

# A pattern written where it is used, compiled once: re's own cache is shared by the whole process and
# too small for all its patterns, so a pattern passed to re.search() as a string gets compiled again and again.
_rx = cache(re.compile)

BULLET_PREFIX = re.compile(r"^[ \t]*(?:[-*•·▪◦●○■□➢➤►‣⁃–o][ \t]+)?(?:\(?(\d{1,2}|[a-zA-Z]|[ivx]{1,4})[.)][ \t]+|\d{1,3}\.(?=[A-Z][a-z]))?"
                           r"(?:\d{1,3}(?:\.\d{1,3}){1,3}\.?[ \t]+)?")
# "22.Members are invited …": a paragraph number the PDF printed without a space
GLUED_NUMBER = re.compile(r"^\d{1,3}\.(?=[A-Z][a-z])")
RECS_HEADING = re.compile(r"^[#*\s]*(?:\d+\.?(?:\s*\|)?\s+)?Recommendations?(?:\s*\(s\))?[*\s]*:?[*\s]*(.*)$", re.IGNORECASE)
# The formal word that opens a minute's outcome, and the kind of record it makes
RESOLVED = re.compile(r"\b(?:(RESOLVED)|(Resolved)(?=\s*[:\-–—]|\s+that)|(AGREED|DECIDED|Agreed|Decided)(?=\s*[:\-–—]|\s+that\b)|"
                      r"(RECOMMENDED)(?=\s*[:\-–—]|\s+that\b|\s+to\b))\b\s*[:\-–—]?\s*")
# Parts of a resolution: "(A) …" anywhere, "b) …" or "2. …" at the start of a line
PART = re.compile(r"(?:^|(?<=\n))[ \t]*\(?([A-Za-z]|[ivx]{1,4}|\d{1,2})[.)][ \t]+|(?<=\s)\(([A-Za-z]|[ivx]{1,4}|\d{1,2})\)\s+"
                  r"|(?:^|(?<=\n))[ \t]*[•·▪][ \t]+")  # numbered, lettered or bulleted parts of a resolution
# A heading naming one recommendation by whose it is ("Committee Recommendation", "HoL Inquiry Recommendation 3")
QUALIFIED_REC_HEADING = re.compile(r"[ \t#*]*(?:[A-Z][\w&’'-]*[ \t]+){1,3}Recommendation(?:[ \t]+\d{1,3})?[ \t*]*:?[ \t*]*")
# "(paragraph 2.20)" after a committee's recommendation: where its report argued it
_PARAGRAPH_REFERENCE = re.compile(r"\s*\((?:paragraphs?|paras?\.?)\s+[\d.,\s–-]+(?:and\s+[\d.]+)?\)(?=\.?\s*$)")
# A vote's tally on a line of its own: "For (38)", "Abstain (0)"
_VOTE_TALLY = re.compile(r"\s*(?:For|Against|Abstain(?:ed|ing)?)\s*\(\d+\)\s*")
PART_PREAMBLE = 40  # characters before a resolution's first part ("that the Committee:"); more is a sentence
MODAL = re.compile(r"\b(?:should|could|would|might|may|ought|consider|considered|consideration)\b", re.IGNORECASE)
QUESTION_END = re.compile(r"\?[\s”\"’']*$")
AGENT_START = re.compile(r"^(?:[A-Z]{2,}[A-Za-z]*|We|Officers|Members|The (?:Council|Panel|Committee|Cabinet|Board|Authority|Chairman))\b")
BODY = r"(?:the\s+)?(?:[A-Z][\w’'&-]*\s+(?:(?:and|of|for|&)\s+(?=[A-Z]))?){0,6}?(?:Committee|Panel|Cabinet|Council|Board|Group|Chairman|Chair|Members|members|Commission|Partnership|Team|team|[A-Z]{2,}[a-z]?)"
# "the Scrutiny Committee unanimously agreed the following motion:", "the Committee resolved, with a unanimous vote, to …"
BODY_RESOLVED = re.compile(rf"({BODY})\s+(?:(?:therefore|then|also|formally|unanimously)\s+)?(?:resolved|agreed|decided)\b"
                           r"(?:\s*,\s*(?:with\s+an?\s+[\w ]{1,30}?vote|unanimously|by\s+[\w ]{1,30}?)\s*,)?\s*"
                           r"(?:(?:unanimously\s+)?(the following)(?:\s+(?:motion|resolutions?|recommendations?|amendment))?\s*:|(?:that|to)\b)")
# US-style recommended action: "For the Board of Directors to authorize …"
FOR_BODY_TO = re.compile(rf"^\s*For\s+({BODY}(?:\s+of\s+[A-Z]\w+)?)\s+to\s+(?:authori[sz]e|approve|adopt|award|accept|endorse|ratify|delegate|execute|enter|amend|appoint)\b")
MOTION = re.compile(r"\b(?:made|moved|proposed)\s+(?:a|the)\s+motion\s+(?:to|that)\b")
MOTION_FATE = re.compile(r"\bmotion\s+(?:was\s+)?(?:(PASSED|passed|CARRIED|carried|approved|APPROVED)|(FAILED|failed|LOST|lost|defeated|DEFEATED|withdrawn))\b")
# a past decision named as such: "A Key Decision (21/00086) was taken on …", "Cabinet took decision 23/00092 to …"
DECISION_TAKEN = re.compile(r"\b[Dd]ecision\b[^.;]{0,120}?\b(?:was|were|has been|had been)\s+taken\b|\btook\s+(?:the\s+|a\s+|its\s+)?(?:[Kk]ey\s+)?[Dd]ecisions?\b")
ASKED_SUBJECT = re.compile(r"\s*(?:(?:When|In)\s[^,]{0,60},\s*)?(?:That\s+)?((?:the\s+|The\s+)?[A-Z][^.;:]{1,120}?)\s+(?:is|are|be)\s+(?:asked|recommended|invited)\b")
SUBJECT_BEFORE = re.compile(rf"({BODY})\b(?=[^.]*$)")
TO_BODY = re.compile(rf"\bto\s+({BODY})\b")
GERUND_SPLIT = re.compile(r",\s+(?:and\s+)?(?=[a-z]+ing\b)|\s+and\s+(?=[a-z]+ing\b)")
MAX_QUOTE = 1500
DIGIT = re.compile(r"\d")
MINUTES_MARKERS = re.compile(r"(?-i:\bRESOLVED\b)|^\s*(?:ALSO\s+)?PRESENT\s*:|^\s*Minutes\s*:|\bApologies\s+(?:for absence\s+)?were\s+received",
                             re.MULTILINE | re.IGNORECASE)
# The same markers found faster (each alternative above opens with an anchor, which re tries at every position of a
# paper holding none): the literal first, in the paper lower-cased where the labels are concerned, and the anchor after.
_RESOLVED_WORD = re.compile(r"RESOLVED(?<!\wRESOLVED)\b")
# (label in lower case, what may open its line before it)
_LINE_LABELS = [(re.compile(r"present\s*:"), re.compile(r"\s*(?:also\s+)?")), (re.compile(r"minutes\s*:"), re.compile(r"\s*"))]
_APOLOGIES_RECEIVED = re.compile(r"apologies(?<!\wapologies)\s+(?:for absence\s+)?were\s+received")  # in lower case


def has_minutes_markers(text: str, lowered: str | None = None) -> bool:
    """``MINUTES_MARKERS.search(text)`` is not None, found without trying its anchors at every position
    (``lowered``: ``text.lower()``, when already made)."""
    if not folds_plainly(text):  # a character re.IGNORECASE folds unlike str.lower: search as written
        return MINUTES_MARKERS.search(text) is not None
    if lowered is None:
        lowered = text.lower()
    if _RESOLVED_WORD.search(text) or _APOLOGIES_RECEIVED.search(lowered):
        return True
    for label, opening in _LINE_LABELS:
        for m in label.finditer(lowered):
            # "^\s*" in multi-line mode: the label opens its line, after spaces (and for PRESENT, an "ALSO"); where
            # the spaces run over line breaks, the last line start they cross is one the pattern also tries.
            line_start = lowered.rfind("\n", 0, m.start()) + 1
            if opening.fullmatch(lowered, line_start, m.start()):
                return True
    return False


CUE_LABELS = ("REC_FORMAL", "REC_RESOLVED", "REC_REQUEST", "REC_SUGGEST", "REC_SUGGEST_NEED", "REC_DECISION", "REC_ACTION", "REC_HEDGE")
# a clause that only dates or conditions what it holds: "when the decision had been taken", "if a contract was awarded"
SUBORDINATE_BEFORE = re.compile(r"\b(?:when|after|before|once|until|unless|if|since|whether|because|although|though)\s+(?:[\w’'()/-]+,?\s+){0,10}$",
                                re.IGNORECASE)
HYPOTHETICAL_BEFORE = re.compile(r"\b(?:no|not|never|would|could|might|should|may|will|can)\s+(?:[\w’'-]+\s+){0,2}$", re.IGNORECASE)
LINE_BREAK_SENTENCE = re.compile(r"\n+(?=[ \t]*[“\"A-Z(•·-])")
# Words one of which every match contains (regex_screen; the patterns are case-sensitive): a text holding none
# of them is not searched (regex_screen.PaperScreen)
RESOLVED_NEEDS, BODY_RESOLVED_NEEDS, MOTION_NEEDS, DECISION_TAKEN_NEEDS = (
    screen(p) for p in (RESOLVED, BODY_RESOLVED, MOTION, DECISION_TAKEN))
# a lead-in to the paragraphs after it: "Council resolved the following:", "The Committee resolved to make a
# recommendation to the Cabinet Member as follows:" (group 2: the words between, naming a recommendation and its addressee)
RESOLVED_LEAD = re.compile(rf"({BODY})\s+(?:(?:therefore|then|also|formally|unanimously)\s+)?(?:resolved|agreed|decided)\b"
                           r"([^.:;]{0,160}?)\b(?:the following|as follows)(?:\s+(?:motion|resolutions?|recommendations?|amendment))?\s*:?$")
# "The committee passed a motion proposing that:", then the motion's "That …; That …" paragraph (group 1 the body;
# group 2, empty, stands where RESOLVED_LEAD has the words naming a recommendation and its addressee)
MOTION_PASSED_LEAD = re.compile(rf"({BODY}|[Tt]he\s+(?:committee|panel|board|council|meeting))\s+(?:passed|carried|agreed)"
                                r"\s+(?:a|the)\s+motion()\s+(?:proposing\s+|stating\s+)?that\s*:$")
# "The decision included an additional clause:", "The resolution also included the following:"
INCLUDED_LEAD = re.compile(r"\b(decisions?|resolutions?|recommendations?)\s+(?:also\s+)?includ(?:ed|es)\b[^.:;]{0,60}:$", re.IGNORECASE)
RESOLVED_LEAD_NEEDS, INCLUDED_LEAD_NEEDS = screen(RESOLVED_LEAD), screen(INCLUDED_LEAD)
RESOLVED_WORD = ("resolved",)  # a sentence's BODY_RESOLVED match is used only when it says "resolved"
# Who can commit to act: a named body, an acronym, "we", officers or staff, a role, a team or service
AGENT_SUBJECT = re.compile(rf"(?:^|\b)(?:{BODY}|[A-Z]{{2,}}[a-z]?|[Ww]e|[Tt]hey|(?:[Oo]ur\s+|[Tt]he\s+)?(?:[\w-]+\s+){{0,3}}?(?:(?i:officers|staff|team|service|"
                           r"council|authority|partners?|providers?|contractors?)|Director|Manager|Officer|Lead|Member|Leader|Chief Executive))\s*$")
DELIVERABLE_SUBJECT = re.compile(r"\b(?:reports?|updates?|papers?|proposals?|plans?|briefings?|reviews?|recommendations|options)\s*$", re.IGNORECASE)
# "This report explained that …", "The forecast indicated that …", "witnesses told us that …": a reported clause, not a commitment
REPORTED_THAT = re.compile(r"\b(?:explain(?:s|ed)|indicat(?:es|ed)|said|says|stat(?:es|ed)|show(?:s|ed)|told\s+\w+|argu(?:es|ed)|claim(?:s|ed)|"
                           r"suggest(?:s|ed)|report(?:s|ed)|found|finds|believ(?:es|ed)|felt|thought|considered|predict(?:s|ed)|forecast|"
                           r"estimated|warn(?:s|ed)|conclud(?:es|ed)|observed|commented|added|highlight(?:s|ed)|acknowledg(?:es|ed)|"
                           r"recogni[sz](?:es|ed)|assum(?:es|ed)|assess(?:es|ed)?|identified|sets?\s+out|set\s+out|noted|agreed|accepted|emphasi[sz]ed|stressed|pointed\s+out|contended|maintained|insisted|confirmed)"
                           r"[\s,]+(?:\([^)]*\)[\s,]*)?(?:[\w’']+[\s,]+){0,4}?that\b[^.]*$")
# a piece that cannot end a sentence: cut at an abbreviation ("approx.") or at a line break after a small word
CARRIES_ON = re.compile(r"(?:\b(?i:approx|c|ca|e\.g|i\.e|etc|no|nos|vs|cf|incl|est|viz|para|paras|ref)\.|"
                        r"\b(?:of|for|the|and|to|in|by|with|a|an|on|at|from|or)[ \t]*\n?)\s*$")
# A table cell this long is running text (an answer beside a question), read as sentences (as figures.py)
PROSE_CELL_WORDS = 6
QUESTION_SPLIT = re.compile(r"(?<=\?)[\s”\"’']+(?=\S)")
# "… questions and information requests were made … in Scrutiny Committee": who put a table's questions
QUESTIONS_BY = re.compile(rf"\b(?:in|at|by|from|of)\s+({BODY})\b")
QUESTIONS_BY_NEEDS = screen(QUESTIONS_BY)
# "This was approved …": the approval of what the sentence before asked for
APPROVED_THAT = re.compile(r"\s*(?:This|It|That|These|Which)\s+(?:was|were|has\s+been|had\s+been)\s+(?:subsequently\s+|duly\s+|then\s+)?(?:approved|agreed|granted)\b")
# "… would be reconsidered by the next meeting of the Cabinet": a passive whose agent is a body
BY_BODY_AFTER = re.compile(rf"\s+by\s+(?:the\s+)?(?:next\s+|following\s+|full\s+)?(?:meeting\s+of\s+)?({BODY})\b")
# "will be done", "would be sent": irregular past participles that do not end in -ed or -en
PARTICIPLES = {"done", "made", "sent", "set", "put", "built", "brought", "bought", "kept", "led", "met", "paid", "run",
               "shown", "sought", "spent", "told", "dealt", "held", "found", "left", "lent", "read", "sold", "taught",
               "thought", "won", "cut", "let", "shut", "subject", "carried", "applied", "supplied", "tried", "copied"}


@dataclass
class Cue:
    label: str
    kind: str
    start: int  # absolute offsets into the document text
    end: int
    text: str


@dataclass
class Sentence:
    start: int
    end: int
    block: int
    cues: list[Cue] = field(default_factory=list)


def _spans(ctx, texts_and_offsets):
    """Sentences and rule matches of each block, from the document's one shared parse, at document offsets.

    A sentence never crosses a block, and also ends at a line break before a capital (reflowed PDF text keeps
    real line breaks, and minutes put questions and answers on lines of their own).
    """
    text = ctx.document.text
    sent_bounds = ctx.sentence_starts() + [len(text)]
    cues = sorted((Cue(label, ident, a, z, t) for label in CUE_LABELS for a, z, ident, t in ctx.rule_matches(label)),
                  key=lambda c: (c.start, c.start - c.end))  # the longest cue first where two start together
    cue_starts = [c.start for c in cues]
    out = []
    for body, base in texts_and_offsets:
        end = base + len(body)
        cuts = [base, *sent_bounds[bisect.bisect_right(sent_bounds, base):bisect.bisect_left(sent_bounds, end)], end]
        sents = []
        for a, z in zip(cuts, cuts[1:]):
            piece_start = a
            for m in (LINE_BREAK_SENTENCE.finditer(text, a, z) if text.find("\n", a, z) >= 0 else ()):
                if text[piece_start:m.start()].strip():
                    sents.append((piece_start, m.start()))
                piece_start = m.end()
            if text[piece_start:z].strip():
                sents.append((piece_start, z))
        # "… Academy chains, etc. will be pursued": a piece starting in lower case carries on the sentence before it
        merged_sents: list[tuple[int, int]] = []
        for a, z in sents:
            if merged_sents and (text[a:z].lstrip()[:1].islower() or _carries_on(text[merged_sents[-1][0]:merged_sents[-1][1]])):
                merged_sents[-1] = (merged_sents[-1][0], z)
            else:
                merged_sents.append((a, z))
        sents = merged_sents
        lo, hi = bisect.bisect_left(cue_starts, base), bisect.bisect_left(cue_starts, end)
        out.append((sents, [c for c in cues[lo:hi] if c.end <= end]))
    return out


def _carries_on(piece: str) -> bool:
    """CARRIES_ON.search(piece): a match ends the piece (bar white space) and is at most 7 characters long
    ("approx."), so only the tail is read (a search from a position still sees the characters before it)."""
    return bool(CARRIES_ON.search(piece, max(0, len(piece.rstrip()) - 10)))


def _content_start(text: str, block) -> int:
    m = BULLET_PREFIX.match(text[block.start:block.end])
    return block.start + (m.end() if m else 0)


def _strip(s: str) -> str:
    s = _rx(r"\s+").sub(" ", s).strip()
    s = GLUED_NUMBER.sub("", s)
    s = _rx(r"^(?:and|or)\s+").sub("", s)
    return s[:_trailing_joints(s)].strip(" *“”\"")


def _trailing_joints(s: str) -> int:
    r"""Where a run of ';,.:' marks and ' and' / ' or' words that ends ``s`` starts (len(s) if none): the match of
    r"(?:[;,.:]|\s+and|\s+or)+$" in a text without line breaks, read from the end instead of tried at every position."""
    end = len(s)
    while end:
        if s[end - 1] in ";,.:":
            end -= 1
            continue
        word = "and" if s.endswith("and", 0, end) else "or" if s.endswith("or", 0, end) else ""
        before = end - len(word)
        if not word or before == 0 or not s[before - 1].isspace():
            break
        end = before - 1
        while end and s[end - 1].isspace():
            end -= 1
    return end


def _list_number(text: str, block) -> str | None:
    m = _rx(r"^[ \t]*(?:[-*•·][ \t]+)?\(?(\d{1,2}|[ivx]{1,4}|[a-zA-Z])[.)][ \t]+").match(text[block.start:block.end])
    return m.group(1) if m else None


class Builder:
    """Collects records for one document, one per distinct text."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.text = ctx.document.text
        self.records: list[RecommendationRecord] = []
        self.seen: set[str] = set()
        self.block_of: dict[int, int] = {}  # id(record) → block index, for actions that may merge
        self.screen = PaperScreen(self.text)  # keyword screens over the paper, lower-cased once

    @cached_property
    def minutes_like(self) -> bool:
        """Minutes report future intentions in the past tense ("would follow"); elsewhere "would" is conditional.
        Read only when a "would" is weighed: the markers are searched for over the whole paper."""
        meta = _document_meta(self.ctx)
        doc_type = getattr(meta, "doc_type", None) if meta else None
        return doc_type == "minutes" or has_minutes_markers(self.text, self.screen.lowered)

    def add(self, text: str, kind: str, q_start: int, q_end: int, block, by=None, to=None, due=None, number=None):
        text = _strip(text)
        if len(text) < 8 or _word_rx("field_label").match(text):
            return
        key = _rx(r"\W+").sub(" ", text.lower()).strip()
        if key in self.seen:
            return
        self.seen.add(key)
        doc = self.ctx.document
        q_end = min(q_end, q_start + MAX_QUOTE)
        self.records.append(RecommendationRecord(
            doc=doc.doc_id, text=text, kind=kind, by=_strip(by) if by else None, to=_strip(to) if to else None,
            due=due, number=number,
            source=Source.span(self.text, q_start, q_end, doc.page_at(q_start), block.section if block else None)))


def _document_meta(ctx):
    for r in ctx.records:
        if r.TYPE == "document":
            return r
    return None


def _report_authors(text: str) -> str | None:
    """Who a report is from: the 'From:' signatories or the 'Report of' line."""
    m = _rx(r"(?m)^[ \t#*]*From:[ \t]*(.*(?:\n(?![ \t]*To:).*){0,8})").search(text[:4000])
    if m:
        entries: list[str] = []
        for line in m.group(1).split("\n"):
            line = line.strip()
            if not line:
                continue
            if entries and (line[:1].islower() or line.startswith("and ")):
                entries[-1] += " " + line
            else:
                entries.append(line)
        entries = [_rx(r"\s+[–—-]\s+").sub(", ", e) for e in entries if _rx(r"[A-Z]").match(e)]
        if entries:
            return "; ".join(entries)
    m = _rx(r"(?m)^[ \t#*]*Report (?:of|by)[ \t]*:?[ \t]*(.+)$").search(text[:6000])
    if m:
        who = people.strip_honorific(m.group(1).strip(" *"))[0]
        return _rx(r"\s+[–—-]\s+").sub(", ", who)
    return None


def _subject_of(clause: str) -> str | None:
    """Who a recommendation is put to: 'The Cabinet Member for X is asked to …', 'That the Select Committee note …'."""
    m = ASKED_SUBJECT.match(clause)
    if m and len(m.group(1).split()) <= 14:
        return m.group(1)
    m = _rx(rf"\s*(?:That\s+)?({BODY})\b").match(clause)
    return m.group(1) if m else None


def _to_of(text: str) -> str | None:
    m = TO_BODY.search(text)
    if m:
        return m.group(1)
    return _subject_of(text)


def _due(text: str) -> str | None:
    """The deadline in a text: a full date after a deadline cue ("by", "before", "no later than", "due", "scheduled for"), not any date
    ("since commencement on the 1st April 2016" is a start, "at the meeting on …" an occasion)."""
    if not DIGIT.search(text):
        return None  # every date find_dates reads has a digit (a day or a year)
    for d in find_dates(text):
        if d.has_day and d.has_year:
            before = text[max(0, d.start - 40):d.start].lower()
            if _rx(r"\b(?:by|before|no later than|not later than|deadline(?: of)?|due(?: on| by)?|scheduled (?:for|on)|(?:scheduled|due) to (?:be held|take place|meet) on|target date(?: of)?)\s+(?:the\s+|[a-z]+day,?\s+)?$").search(before):
                return d.iso
    return None


def _by_before(sentence: str, cue_pos: int) -> str | None:
    """The body that speaks in a clause: 'the Chairman … requested', 'Members … asked'."""
    head = sentence[:cue_pos]
    head = _rx(r"^(?:In conclusion|Therefore|However|Finally|Also|Further|In addition)\s*,\s*").sub("", head.strip())
    m = _rx(rf"(?:^|,\s+|\band\s+|\bAt\s+)({BODY})\b").search(head)
    return m.group(1) if m else None


# ---------------------------------------------------------------- cue checks

def _is_decision_verb(s: Sentence, cue: Cue, text: str) -> bool:
    before = text[max(s.start, cue.start - 25):cue.start].lower()
    after = text[cue.end:min(s.end, cue.end + 25)]
    word = cue.text.lower()
    if word.startswith("supported"):
        return True
    if _rx(r"\b(?:until|unless|once|when|if|being)\s+$").search(before):
        return False
    head = text[s.start:cue.start]
    if word == "agreed" and _rx(r"\s+that\b").match(after) and not _rx(
            rf"(?:\b[Ii]t\s+(?:was|is|has\s+been|had\s+been)|{BODY}|\b(?:Members|members|Councillors|councillors))\s+(?:\w+\s+)?$").search(head):
        return False  # "Witnesses agreed that …", "Professor X agreed that …": a shared view; a body or the meeting decides
    if _rx(r"\s+with\b").match(after) and word == "agreed":
        return False  # "He agreed with Mr Hook that …": sharing a view
    subject = _rx(r"[,;:(]\s*|\bthat\b\s*").split(head)[-1].strip()
    if _rx(r"(?:^|\b)(?:[Hh]e|[Ss]he|I|[Ww]itnesses|[Rr]espondents|[Rr]esearchers|[Pp]articipants)\s+(?:\w+\s+)?$").search(subject + " ") or \
            (people.NAME_RE.search(subject) and people.is_person_name(people.NAME_RE.search(subject).group(0), strict=True)):
        return False  # a person or witness agreeing or noting states a view; a body decides
    if REPORTED_THAT.search(head) and not _rx(rf"({BODY})\s+(?:\w+\s+)?$").search(head):
        return False  # "This report explained that …": context a paper reports, not a decision of a body
    if _rx(r"\b(?:since|after|because|whereby)\s+[^,;]{0,80}$").search(head) or _rx(r"\b(?:would|could|might)\b").search(head):
        return False  # "since the Strategy was adopted", "This option would … the model adopted": background or hypothesis
    if _rx(r"\b(?:which|that|who)\s+(?:\w+\s+){0,2}$").search(before) and word != "agreed":
        return False
    if _rx(r"\b(?:to be|be|an|the|a|of|and|previously|as)\s*$").search(before) and not _rx(r"\b(?:was|were|been|is|are|has|have|had)\s+(?:\w+\s+)?$").search(before):
        return False
    if word == "noted":
        # "The report was noted", not "Members noted these comments" (a discussion, not a disposition)
        return bool(_rx(r"\b(?:was|were|be|been|is|are)\s+(?:otherwise\s+|duly\s+)?$").search(before)) and \
            not _rx(r"\s*(?:that|for|as|in|to|with)\b").match(after) and not _rx(r"\bit\s+(?:was|is)\s+$", re.IGNORECASE).search(before)
    if _rx(r"(?:\b(?!(?:19|20)\d\d\b)\d[\d,]*|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|more|many|all|some|those|these|of which))"
           r"\s+(?:(?:are|were|have been|being)\s+)?$", re.IGNORECASE).search(before):
        return False  # "eight approved to the value of …", "Four more are approved": a count, not a decision
    if _rx(r"\b(?:is|are)\s+$").search(before) and not _rx(r"\s+(?:by|as)\b").match(after):
        return False  # "are approved and awaiting …": a standing state
    if _rx(r"\s*(?:that|to|as|by|the|a|an|this|these|its|their|on|in|at|with|for|[.,;]|$)").match(after):
        return True
    return False


@cache
def _words(kind: str) -> tuple[str, ...]:
    """The patterns of one kind in ``models/rules/recommendation_words.csv`` (cue words that are not span_ruler cues)."""
    import csv
    with open(models_dir() / "rules" / "recommendation_words.csv", encoding="utf-8", newline="") as fh:
        return tuple(row["pattern"] for row in csv.DictReader(fh) if row["kind"] == kind)


@cache
def _word_rx(kind: str) -> re.Pattern:
    """One case-insensitive pattern matching any pattern of ``kind``."""
    return re.compile("|".join(f"(?:{p})" for p in _words(kind)), re.IGNORECASE)


@cache
def _decision_events() -> tuple[re.Pattern, tuple[str, ...] | None]:
    """The decision_event patterns of recommendation_words.csv as one pattern, and its screen words."""
    rx = re.compile("|".join(f"(?:{p})" for p in _words("decision_event")))
    return rx, screen(rx)


@cache
def _request_nouns() -> tuple[tuple[re.Pattern, tuple[str, ...] | None], ...]:
    """(pattern, screen words) of the request_noun patterns of recommendation_words.csv ({BODY} filled in)."""
    out = []
    for p in _words("request_noun"):
        rx = re.compile(p.replace("{BODY}", BODY))
        out.append((rx, screen(rx)))
    return tuple(out)


@cache
def _state_verbs() -> tuple[frozenset[str], frozenset[str]]:
    """(verbs, participles) that state an outcome or a need, not an action (REC_STATE_VERB in recommendations.jsonl)."""
    verbs, parts = set(), set()
    for e in load_patterns(models_dir() / "rules" / "recommendations.jsonl"):
        if e["label"] == "REC_STATE_VERB" and isinstance(e["pattern"], str):
            (parts if e.get("id") == "state_participle" else verbs).add(e["pattern"].lower())
    return frozenset(verbs), frozenset(parts)


def _forward_commitment(s: Sentence, cue: Cue, text: str, need_agent: bool = True) -> bool:
    """A forward modal is an action when an agent (a body, "we", officers, a role) will do something (an action verb),
    or when something will be done (a passive of an action verb); not when a thing will have an effect or a report
    or witness says what would happen."""
    before = text[s.start:cue.start]
    if REPORTED_THAT.search(before):
        return False
    verbs, participles = _state_verbs()
    after = text[cue.end:min(s.end, cue.end + 60)]
    m = _rx(r"\s+(?:(?:now|also|then|initially|first|only|still|further|actively|shortly|jointly|therefore|in turn)\s+)*"
                 r"(?:(continue)\s+to\s+)?(\w+)(?:\s+(\w+))?").match(after)
    if not m:
        return False
    verb, nxt = m.group(2).lower(), (m.group(3) or "").lower()
    if verb in verbs or (m.group(1) and verb == "be" and not (_rx(r"(?:ed|en)$").search(nxt) or nxt in PARTICIPLES)):
        return False  # "will continue to be within reach": a state carried on
    if verb == "be":
        return nxt not in participles  # "will be delivered", "will be subject to consultation"
    # the clause's subject: the words since the last clause break before the modal
    subject = _rx(r"(?:[,;:(]|\bthat\b|\band\b|\bwhere\b|\bwhich\b)\s*").split(before)[-1].strip()
    if DELIVERABLE_SUBJECT.search(subject) and verb in ("follow", "come", "return", "go"):
        return True  # "A further report will come to the Committee in May": something will be delivered
    return not need_agent or bool(AGENT_SUBJECT.search(subject) or people.NAME_RE.fullmatch(subject))


def _action_ok(s: Sentence, cue: Cue, text: str, hedges: list[Cue], need_agent: bool = True) -> bool:
    """A forward-action cue that is not a hedge, a relative clause, a question or a condition."""
    sent = text[s.start:s.end]
    # a condition, unless it is the decision itself going ahead ("If the proposal is agreed, officers will …")
    decided = bool(_word_rx("decision_condition").match(sent)) if sent.lstrip()[:3] == "If " else False
    if QUESTION_END.search(sent) or _rx(r"\s*(?:If|Should|Where|Unless|Whether)\b").match(sent) and not decided:
        return False
    for h in hedges:
        if h.text.lower() == "if":
            if decided and h.start < s.start + 4:
                continue
            if h.start == s.start or _rx(r"\s*(?:However|But|And|Also|Equally|Similarly|Alternatively),?\s*").fullmatch(text[s.start:h.start]):
                return False
            continue
        if h.kind == "sentence":  # "It was hoped that …", "I will ask at the next meeting …": the whole sentence
            return False
        if h.start < cue.end + 30 and cue.start < h.end:
            return False
    w = cue.text.lower()
    before = text[max(s.start, cue.start - 40):cue.start]
    if _rx(r"\b(?:before|until|unless|once|when|if)\s+(?:[\w’'-]+\s+){0,6}$", re.IGNORECASE).search(before) and w in ("will", "would"):
        return False
    if w in ("is planned", "are planned") and _rx(r"\s+to\s+ensure\b").match(text[cue.end:cue.end + 12]):
        return False  # "… are planned to ensure there are sufficient places": the purpose of a plan, not a step in it
    if w in ("plan to", "plans to", "planned to"):
        # "CE also plan to", "we plan to"; not "the transfer plan to ensure", ", plans to meet"
        return bool(_rx(r"(?:\b(?i:we|they|also|officers|members|council|panel|committee|cabinet|team|have|has|had)|\b[A-Z]{2,}[a-z]?)\s+$").search(before))
    if w in ("proposed", "is proposed", "are proposed") and _rx(r"\s+by\b").match(text[cue.end:cue.end + 4]):
        return False  # "The following Motion was proposed by Councillor X": who moved it, not an action
    if w == "proposed":
        # "developments proposed as a result", "it is proposed to"; not "the proposed system"
        before = text[max(s.start, cue.start - 12):cue.start].lower()
        after = text[cue.end:cue.end + 4]
        return bool(_rx(r"(?:is|are|was|were|been)\s+$").search(before)) and not _rx(r"\b(?:the|a|an)\s+$").search(before) and after[:1] != ":" or bool(_rx(r"\s+(?:to|that)\b").match(after))
    if w in ("will", "would"):
        after = text[cue.end:min(s.end, cue.end + 40)]
        if _rx(r"\s+(?:be\s+)?(?:possible|able|likely|unlikely|available|necessary|important|needed|expected)\b").match(after):
            return False
        if _rx(r"\s*(?:$|:)|\s+(?:if|and|or|as|so|the|a|an)\b").match(after):
            return False  # "… and we will if you will": no verb follows
        if _rx(r"\s+(?:potentially|possibly|probably|likely|still|only|often|usually|normally|generally|typically|"
                    r"theoretically|necessarily|tend|also\s+tend)\b").match(after):
            return False
        bm = _rx(r"\s+(?:(?:now|also|then|initially|first)\s+)?be\s+(\w+)").match(after)
        if bm and not _rx(r"(?:ed|en|ing)$").search(bm.group(1)) and bm.group(1).lower() not in PARTICIPLES:
            return False
        if bm and BY_BODY_AFTER.match(text, cue.end + bm.end(), min(s.end, cue.end + bm.end() + 120)):
            return True  # "it would first be reconsidered by the next meeting of the Cabinet": the body named will act
        before = text[max(s.start, cue.start - 30):cue.start]
        if _rx(r"\b(?:how|what|which|that|who|where|when|whether|it|this|there)\s+(?:\w+\s+)?$", re.IGNORECASE).search(before) and \
                not _rx(r"\bthat\s+(?:the\s+)?[A-Z]").search(before):
            return False
        if not _forward_commitment(s, cue, text, need_agent):
            return False
    if w.startswith(("was ", "were ")) and w.endswith(" to"):
        # minutes' past tense of a plan: "X was scheduled to meet …", "the contract was due to be extended …";
        # not a cause ("the overspend was due to a rise in demand")
        if _rx(r"\s+(?:a|an|the|this|that|these|those|its|their|his|her|our|some|more|less|\d)").match(text[cue.end:cue.end + 12]) or \
                _rx(r"\b(?:it|this|that|there|which|who)\s+$", re.IGNORECASE).search(text[max(s.start, cue.start - 12):cue.start]):
            return False
        return _forward_commitment(s, cue, text, need_agent)
    if w == "must":
        # "… by 31 March 2018", or "we must sign a new agreement": the writers' own next step
        return _due(sent) is not None or bool(_rx(r"(?:^|[,;:]\s*|\bso\s+)(?:[Ww]e|[Tt]he\s+[Cc]ouncil)\s+(?:also\s+|now\s+|first\s+)?$").search(text[s.start:cue.start])
                                               and _forward_commitment(s, cue, text))
    return True


# ---------------------------------------------------------------- the rules

def extract(ctx) -> Iterable[Record]:
    text = ctx.document.text
    blocks = ctx.blocks
    if not blocks:
        return []
    meta = _document_meta(ctx)
    committee = getattr(meta, "committee", None) if meta else None
    authors = _report_authors(text)
    out = Builder(ctx)
    contents = []
    for b in blocks:
        cs = _content_start(text, b) if b.kind != "table_row" else b.start
        contents.append((text[cs:b.end], cs))
    parsed = _spans(ctx, contents)
    items_of: dict[int, list[int]] = {}
    for i, b in enumerate(blocks):
        if b.kind == "list_item" and b.lead_in is not None:
            items_of.setdefault(b.lead_in, []).append(i)
    consumed: set[int] = set()

    # 1. recommendations sections of reports
    i = 0
    while i < len(blocks):
        b = blocks[i]
        m = RECS_HEADING.match(text[b.start:b.end]) if b.kind in ("heading", "paragraph") else None
        one = QUALIFIED_REC_HEADING.fullmatch(text, b.start, b.end) if not m and b.kind == "heading" else None
        if one and i + 1 < len(blocks) and blocks[i + 1].kind == "paragraph" and (
                blocks[i + 1].number is not None or text[blocks[i + 1].start:blocks[i + 1].end].rstrip().endswith((".", ")"))):
            # "Inquiry Recommendation" above "8.1. The idea of … (paragraph 2.20).": that paragraph is the
            # recommendation, whatever its wording; the response below it is none
            nxt = blocks[i + 1]
            body, cs = contents[i + 1]
            body = _PARAGRAPH_REFERENCE.sub("", body)
            out.add(body, "recommendation", cs, nxt.end, nxt, to=_subject_of(body), number=nxt.number)
            consumed.update((i, i + 1))
            i += 2
            continue
        if not m:
            i += 1
            continue
        consumed.add(i)
        inline = m.group(1).strip()
        if inline and not inline.rstrip().endswith(":"):
            s0 = b.end - len(text[b.start:b.end]) + m.start(1)
            out.add(inline, "recommendation", s0, b.end, b, by=authors, to=_subject_of(inline))
        j = i + 1
        to = _subject_of(inline) if inline else None
        items_follow = inline.rstrip().endswith(":")  # "Cabinet is asked to:" then one paragraph per recommendation
        while j < len(blocks) and j <= i + 12:
            bj = blocks[j]
            numbered = _numbered_imperative(text, bj)
            if bj.kind == "heading" and not numbered:
                break
            body, cs = contents[j]
            formal = any(c.label == "REC_FORMAL" for c in parsed[j][1]) or _rx(r"\s*That\b").match(body)
            # "Recommendation:" then "The Council may … resolve one of the following:": the options are the recommendations
            if (formal or (j == i + 1 and not inline)) and body.rstrip().endswith(":"):
                items_follow, to = True, _subject_of(body)
                consumed.add(j)
                j += 1
                continue
            if bj.kind == "list_item" or formal or (items_follow and bj.kind == "paragraph" and bj.number is None):
                number = _list_number(text, bj) if bj.kind == "list_item" else None
                out.add(body, "recommendation", bj.start, bj.end, bj, by=authors, to=_subject_of(body) or to, number=number)
                consumed.add(j)
                j += 1
                continue
            if numbered:
                start, end, number = numbered
                out.add(text[start:end], "recommendation", start, end, bj, by=authors, to=to, number=number)
                consumed.add(j)
                j += 1
                continue
            break
        i = j

    # 2. resolutions (text before RESOLVED in the same block is still read as sentences)
    resolved_from: dict[int, int] = {}
    for i, b in enumerate(blocks):
        m = RESOLVED.search(text[b.start:b.end]) if out.screen.may_match(RESOLVED_NEEDS, b.start, b.end) else None
        if not m:
            continue
        resolved_from[i] = b.start + m.start()
        start = b.start + m.end()
        end = b.end
        j = i + 1
        # "RESOLVED:" alone, its words in the paragraph below ("That the minutes … be approved"), and any
        # further "That …" paragraphs
        lettered = _rx(r"\s*\(?[A-Za-z0-9]{1,3}\)")
        below = not text[start:end].strip(" \t\n:-–—") and j < len(blocks) and \
            blocks[j].kind in ("paragraph", "list_item") and not lettered.match(text[blocks[j].start:blocks[j].end])
        if below:
            while j < len(blocks) and blocks[j].kind in ("paragraph", "list_item") and (
                    j == i + 1 or _rx(r"[‘“\"']?That\b").match(text, blocks[j].start)):
                consumed.add(j)
                end = blocks[j].end
                j += 1
        # lettered parts and list items that carry on the resolution (not the next lettered item of the agenda after
        # a resolution read from the paragraph below)
        while not below and j < len(blocks) and (lettered.match(text[blocks[j].start:blocks[j].end]) or
                                                 (blocks[j].kind == "list_item" and blocks[j].lead_in == i)):
            consumed.add(j)
            end = blocks[j].end
            j += 1
        by = f"the {committee}" if committee and not committee.lower().startswith("the ") else committee
        kind = "resolution" if (m.group(1) or m.group(2)) else "decision" if m.group(3) else "recommendation"
        chunk = text[start:end]
        parts = list(PART.finditer(chunk))
        if parts and len(chunk[:parts[0].start()].strip(" \t\n:-–—")) > PART_PREAMBLE:
            parts = []  # "… in accordance with Section 66\n(2) of the Act": a reference the layout wrapped, not a part
        if parts:
            for k, p in enumerate(parts):
                pe = parts[k + 1].start() if k + 1 < len(parts) else len(chunk)
                out.add(chunk[p.end():pe], kind, start + p.start(), start + pe, b, by=by, number=p.group(1) or p.group(2))
        else:
            out.add(chunk, kind, b.start, end, b, by=by)

    # 3. list lead-ins: requested that: / suggested that … : / proposed … are: / recommendations / priorities
    for lead, items in items_of.items():
        if lead in consumed or lead >= len(blocks):
            continue
        lead_text, lead_start = contents[lead]
        if not lead_text.rstrip().endswith(":"):
            continue
        last = parsed[lead][0][-1] if parsed[lead][0] else (lead_start, lead_start + len(lead_text))
        cues = [c for c in parsed[lead][1] if c.start >= last[0]]
        labels = {c.label for c in cues}
        last_text = text[last[0]:last[1]]
        low = last_text.lower()
        kind = None
        prefix = ""
        by = None
        rm = BODY_RESOLVED.search(last_text) if out.screen.may_match(BODY_RESOLVED_NEEDS, last[0], last[1]) else None
        if rm and rm.group(2):
            kind = "resolution"
            by = rm.group(1)
        elif "REC_FORMAL" in labels:
            kind = "recommendation"
            by = authors
        elif "REC_REQUEST" in labels:
            kind = "request"
            c = next(c for c in cues if c.label == "REC_REQUEST")
            by = _by_before(lead_text, c.start - lead_start)
            prefix = _rx(r"^\s*that\b").sub("", text[c.end:blocks[lead].end]).rstrip(": ")
        elif "REC_SUGGEST" in labels and MODAL.search(text[next(c for c in cues if c.label == "REC_SUGGEST").end:blocks[lead].end]):
            kind = "suggestion"
            c = next(c for c in cues if c.label == "REC_SUGGEST")
            prefix = _rx(r"^\s*that\b").sub("", text[c.end:blocks[lead].end]).rstrip(": ")
        elif _rx(r"\brecommendations?\b").search(low) or _rx(r"\bidentified the following\b[^:]*\bpriorities\b").search(low):
            kind = "recommendation"
            bm = _rx(rf"({BODY})\s+(?:had\s+|has\s+|have\s+)?(?:identified|made|set out|recommended)").search(last_text) or \
                _rx(rf"\bfrom\s+({BODY})").search(last_text)
            by = bm.group(1) if bm else None
        elif _rx(r"\b(?:(?:is|are|were|been)\s+(?:now\s+)?(?:proposed|planned)|\w+s\s+proposed\s+(?:as|by|for|in)|"
                       r"next steps|actions? to be taken|will be taken|will include)\b").search(low):
            kind = "action"
        if kind is None:
            continue
        consumed.add(lead)
        for it in items:
            bi = blocks[it]
            if blocks[it].level != blocks[items[0]].level:
                continue
            consumed.add(it)
            item_text = _strip(contents[it][0])
            # the item carries on the lead-in's sentence: lower-case its first word unless it is a name ("Margate Family Hub")
            proper = _rx(r"[A-Z][\w’'-]*\s+[A-Z]|[A-Z]{2,}").match(item_text)
            rec_text = f"{prefix.strip()} {item_text if proper else item_text[:1].lower() + item_text[1:]}" if prefix.strip() else item_text
            to = _to_of(rec_text) if kind in ("request", "suggestion") else None
            if kind == "suggestion" and prefix.strip():
                to = _subject_of(prefix.strip()) or _rx(r"\s*(\w+)").match(prefix).group(1)
            if kind == "resolution":
                to = _to_of(item_text)
            number = _list_number(text, bi) if kind == "resolution" else None
            out.add(rec_text, kind, bi.start, bi.end, bi, by=by, to=to, due=_due(item_text), number=number)

    # 4. action tables: action / owner / due; then the sentences of prose cells and the questions of a question column
    action_tables = _action_tables(ctx, out)
    _table_cells(ctx, out, action_tables, committee, authors)

    # 3b. a paragraph lead-in to paragraphs: "Council resolved the following:", "The Committee resolved to make a
    # recommendation to the Cabinet Member as follows:", "The decision included an additional clause:"
    _paragraph_lead_ins(out, blocks, contents, parsed, consumed, resolved_from)

    # 5. sentences
    unit = -1  # a paragraph that starts in lower case carries on the one before (a page break split it)
    for i, b in enumerate(blocks):
        if i in consumed or b.kind in ("heading", "table_row", "agenda_item"):
            continue
        body, cs = contents[i]
        if not (b.kind == "paragraph" and b.number is None and body[:1].islower()):
            unit = i
        sents, cues = parsed[i]
        # a lone "NOTED"/"AGREED" under a minute heading is that item's decision
        outcome = _rx(r"\s*(?:NOTED|AGREED|APPROVED|Noted|Agreed|(Carried))(\s+unanimously)?\.?\s*").fullmatch(body)
        if outcome:
            prev = next((k for k in range(i - 1, max(-1, i - 3), -1) if text[blocks[k].start:blocks[k].end].strip()), None)
            if prev is None:
                continue
            above = blocks[prev]
            by = f"the {committee}" if committee else None
            motion = _word_rx("motion_opening").search(text, above.start, above.end)
            if motion:
                # "X proposed, and Y seconded, that the Council … / Agreed unanimously.": the motion is the decision,
                # unless it is about the meeting itself ("that the motion be put to the vote")
                clause = text[motion.end():above.end]
                if clause.strip() and not _word_rx("procedural_motion").search(clause):
                    out.add(clause, "decision", motion.end(), above.end, above, by=by)
            elif not (outcome.group(1) or outcome.group(2) or _VOTE_TALLY.fullmatch(text, above.start, above.end)):
                # ("Carried" and "unanimously" follow motions and votes; a tally's motion is recorded where resolved)
                head = _rx(r"^\d+\s+").sub("", text[above.start:above.end].strip())
                out.add(f"{head} {body.strip()}", "decision", above.start, b.end, b, by=by)
            continue
        ends_with_colon = i in items_of and body.rstrip().endswith(":")
        for k, (ss, se) in enumerate(sents):
            if k == len(sents) - 1 and ends_with_colon:
                break
            if i in resolved_from and se > resolved_from[i]:
                break
            scues = [c for c in cues if ss <= c.start < se]
            _sentence(out, Sentence(ss, se, unit, scues), text, b, committee, authors)
    return _merge_actions(_without_resolved_motions(out.records, text, blocks), out.block_of, text)


def _motion_spans(text: str, blocks) -> list[tuple[int, int, int]]:
    """(start, end, item end) of each motion's text in minutes, and where the agenda item holding it ends.

    The text is the rest of the paragraph after "X proposed, and Y seconded, that"; after "… seconded the
    motion that" / "the following motion:" alone, it is the paragraphs that follow: a quoted motion up to
    the one that closes the quotation, else up to the next numbered paragraph ("3) …"), heading or item."""
    spans = []
    opening = _word_rx("motion_opening")
    for i, b in enumerate(blocks):
        # (a short opening line may have been taken for a heading)
        m = opening.search(text, b.start, b.end) if b.kind in ("paragraph", "list_item", "heading") else None
        if not m:
            continue
        end = b.end
        rest = text[m.end():b.end].strip()
        opens_quote = rest.startswith(("“", '"')) and not rest.endswith(("”", '"'))
        if (not rest or rest.endswith(":") or opens_quote) and i + 1 < len(blocks):
            # a quoted motion runs to its closing quotation mark, numbered parts and all
            quoted = opens_quote or text[blocks[i + 1].start:blocks[i + 1].end].lstrip().startswith(("“", '"'))
            for later in blocks[i + 1:i + 20]:
                if later.kind == "agenda_item" or (not quoted and (later.kind == "heading" or (
                        later.kind == "paragraph" and later.number is not None))):
                    break
                end = later.end
                if quoted and text[later.start:later.end].rstrip().endswith(("”", '"')):
                    break
        item_end = next((later.start for later in blocks[i + 1:] if later.kind == "agenda_item"), len(text))
        spans.append((m.end(), end, item_end))
    return spans


def _without_resolved_motions(records: list[RecommendationRecord], text: str, blocks) -> list[RecommendationRecord]:
    """A motion's text is no record when the same agenda item later RESOLVES (the resolution is its record)."""
    spans = _motion_spans(text, blocks) if "seconded" in text else []
    if not spans:
        return records
    resolutions = [r.source.start for r in records if r.kind == "resolution"]
    drop = set()
    for start, end, item_end in spans:
        if any(end <= at < item_end for at in resolutions):
            drop.update(id(r) for r in records if r.kind != "resolution" and start <= r.source.start < end)
    return [r for r in records if id(r) not in drop]


_NUMBER_OPENING = re.compile(r"[ \t]*(\d{1,2}(?:\.\d{1,2})*)\.?[ \t]+")


def _numbered_imperative(text: str, block) -> tuple[int, int, str] | None:
    """'2.1 Note the forecast overspend …' in a Recommendations section, whether the layout made it a
    paragraph, a table row (its first cell: the next holds 'Please refer to Section 3') or a heading:
    (start, end, number) of the words after the number, when they open with a recommendation imperative."""
    if block.kind not in ("paragraph", "table_row", "heading"):
        return None
    start, end = block.cells[0] if block.kind == "table_row" and block.cells else (block.start, block.end)
    m = _NUMBER_OPENING.match(text, start, end)
    if not m or not _word_rx("numbered_imperative").match(text, m.end(), end):
        return None
    reference = _word_rx("trailing_reference").search(text, m.end(), end)
    return m.end(), reference.start() if reference else end, m.group(1)


def _paragraph_lead_ins(out: Builder, blocks, contents, parsed, consumed: set[int], resolved_from: dict[int, int]) -> None:
    """A paragraph ending in a lead-in is no record itself; the unnumbered paragraph after it is, split at
    "; that …" into its parts. "<BODY> resolved the following:" / "… as follows:" gives resolutions by <BODY>
    (recommendations when the lead-in says it makes a recommendation); "The decision included …:" gives a
    decision when the paragraph opens with an upper-case imperative ("DELEGATE authority to …")."""
    text = out.text
    imperative = _word_rx("formal_imperative")
    for i, b in enumerate(blocks):
        if i in consumed or b.kind not in ("paragraph", "list_item") or i + 1 >= len(blocks) or not parsed[i][0]:
            continue
        tail = text[max(b.start, b.end - 12):b.end].rstrip()
        if not (tail.endswith(":") or tail.endswith("as follows")):
            continue
        ls, le = parsed[i][0][-1]
        lead = text[ls:le].rstrip()
        kind = by = to = None
        needs_imperative = False
        m = RESOLVED_LEAD.search(lead) if out.screen.may_match(RESOLVED_LEAD_NEEDS, ls, le) else None
        m = m or (MOTION_PASSED_LEAD.search(lead) if "motion" in lead else None)
        if m:
            kind = "recommendation" if _rx(r"\brecommendations?\b").search(m.group(2)) else "resolution"
            by = m.group(1)
            tm = TO_BODY.search(m.group(2))
            to = tm.group(1) if tm else None
        else:
            m = INCLUDED_LEAD.search(lead) if out.screen.may_match(INCLUDED_LEAD_NEEDS, ls, le) else None
            if m:
                kind, needs_imperative = m.group(1).lower().rstrip("s"), True
        if kind is None:
            continue
        taken = []
        for j in range(i + 1, min(len(blocks), i + 4)):
            bj = blocks[j]
            body = contents[j][0].strip()
            if bj.kind != "paragraph" or bj.number is not None or j in consumed or not body:
                break
            if taken and not _rx(r"[‘“\"']?That\b").match(body):
                break  # after the first paragraph, only further "That …" parts
            if needs_imperative and not imperative.match(body.lstrip("‘“\"' ")):
                break
            taken.append(j)
        if not taken:
            continue
        resolved_from.setdefault(i, ls)  # the lead-in sentence is not read as a record
        for j in taken:
            consumed.add(j)
            body, cs = contents[j]
            for part in _rx(r";\s*(?:[Aa]nd|[Oo]r)?,?\s*(?=[Tt]hat\b)").split(body):
                part = part.strip().strip("‘’“”\"'").strip()
                tm = None if to else TO_BODY.search(part)
                out.add(part, kind, cs, cs + len(body), blocks[j], by=by, to=to or (tm.group(1) if tm else None))


def _clauses(s: Sentence, text: str) -> list[Sentence]:
    """Split 'The Panel has agreed … and the Panel requests …' where two cues of different kinds have their own subject."""
    kinds = [(c.start, c.label) for c in s.cues if c.label in ("REC_DECISION", "REC_REQUEST", "REC_SUGGEST")]
    if len({k for _, k in kinds}) < 2:
        return [s]
    for m in _rx(r"\s+and\s+(?=the\s+[A-Z]\w+\s+\w+)").finditer(text[s.start:s.end]):
        pos = s.start + m.start()
        left = {c.label for c in s.cues if c.start < pos}
        right = {c.label for c in s.cues if c.start > pos}
        if left & {"REC_DECISION", "REC_REQUEST", "REC_SUGGEST"} and right & {"REC_DECISION", "REC_REQUEST", "REC_SUGGEST"} and left != right:
            a = Sentence(s.start, pos, s.block, [c for c in s.cues if c.start < pos])
            b = Sentence(s.start + m.end(), s.end, s.block, [c for c in s.cues if c.start > pos])
            return [a, b]
    return [s]


def _sentence(out: Builder, s: Sentence, text: str, block, committee, authors) -> str | None:
    handled = None
    for cl in _clauses(s, text):
        handled = _clause(out, cl, text, block, committee, authors) or handled
    return handled


def _clause(out: Builder, s: Sentence, text: str, block, committee, authors) -> str | None:
    sent = text[s.start:s.end]
    if not sent.strip() or QUESTION_END.search(sent) and not any(c.label == "REC_REQUEST" for c in s.cues):
        # a question may still name a recommendation it asks about
        m = "ecommendation" in sent and _rx(r"\b(?:the|a|its|their)\s+recommendation\s+to\s+[a-z][^?.,;]*").search(sent)
        if m:
            out.add(m.group(0), "recommendation", s.start, s.end, block)
            return "recommendation"
        return None
    m = FOR_BODY_TO.match(sent)
    if m:
        out.add(sent, "recommendation", s.start, s.end, block, to=m.group(1))
        return "recommendation"
    m = MOTION.search(sent) if out.screen.may_hold(MOTION_NEEDS, s.start, s.end) else None
    if m:
        # a motion moved is a decision of the meeting once it is declared passed; a lost motion decides nothing
        fate = MOTION_FATE.search(text, s.end, min(len(text), s.end + 600))
        if fate and fate.group(2):
            return None
        start = _motion_mover_start(sent, m.start())
        out.add(sent[start:], "decision", s.start + start, s.end, block, by=committee, to=_to_of(sent[m.end():]), due=_due(sent))
        return "decision"
    m = BODY_RESOLVED.search(sent) if out.screen.may_hold(RESOLVED_WORD, s.start, s.end) else None
    if m and not m.group(2) and _rx(r"\bresolved\b").search(m.group(0)):
        out.add(sent[m.start():], "resolution", s.start + m.start(), s.end, block, by=m.group(1), to=_to_of(sent[m.end():]))
        return "resolution"
    m = DECISION_TAKEN.search(sent) if out.screen.may_hold(DECISION_TAKEN_NEEDS, s.start, s.end) else None
    if m and not _rx(r"\b(?:no|not|yet to be)\b").search(sent[max(0, m.start() - 12):m.end()]) and \
            not SUBORDINATE_BEFORE.search(sent, max(0, m.start() - 80), m.start()):  # "… available when the Decision was taken"
        bm = _rx(rf"({BODY})\s+took\b").search(sent)
        out.add(sent, "decision", s.start, s.end, block, by=bm.group(1) if bm else None)
        return "decision"
    # a decision stated as an event: "X were awarded a contract", "KCC has taken the decision to", "was given approval"
    rx, needs = _decision_events()
    event = rx.search(text, s.start, s.end) if out.screen.may_hold(needs, s.start, s.end) else None
    if event is not None and not SUBORDINATE_BEFORE.search(text, s.start, event.start()) and \
            not HYPOTHETICAL_BEFORE.search(text, max(s.start, event.start() - 40), event.start()):
        out.add(sent, "decision", s.start, s.end, block, by=_by_before(sent, event.start() - s.start))
        return "decision"
    for rx, needs in _request_nouns():
        # a request stated as a noun: "The ask of Government was to …"
        m = rx.search(sent) if out.screen.may_hold(needs, s.start, s.end) else None
        if m and not QUESTION_END.search(sent):
            out.add(sent[m.start():], "request", s.start + m.start(), s.end, block, to=m.groupdict().get("to"))
            return "request"
    if not s.cues and "ecommendation" not in sent and not sent.lstrip(" “\"").startswith("That "):
        return None
    labels = {c.label for c in s.cues}
    hedges = [c for c in s.cues if c.label == "REC_HEDGE"]
    # formal recommendation wording outside a recommendations section
    if "REC_FORMAL" in labels:
        to = _subject_of(sent)
        if to and _rx(r"(?:the\s+)?(?:Members|Councillors|members|councillors)").fullmatch(to.strip()):
            # "Members are asked to consider …" in a report's body: a request to the members, not a recommendation
            out.add(sent, "request", s.start, s.end, block, to=to)
            return "request"
        out.add(sent, "recommendation", s.start, s.end, block, by=authors, to=to)
        return "recommendation"
    if _rx(r"\s*[“\"]?That\s+(?:the\s+)?[A-Z][\w ]{2,60}?\s+(?:notes?|agrees?|approves?|receives?|resolves?|endorses?|considers?)\b").match(sent):
        who = _subject_of(_rx(r"^\s*[“\"]").sub("", sent))
        out.add(sent.lstrip("“\" "), "resolution", s.start, s.end, block, by=who)
        return "resolution"
    if "REC_REQUEST" in labels:
        c = next(c for c in s.cues if c.label == "REC_REQUEST")
        w = c.text.lower()
        rest = text[c.end:s.end]
        if w in ("asked if", "asked whether") and not _rx(r"\b(?:could|would|can|will|might|may)\b").search(rest):
            pass  # a question, not a request
        elif w in ("requests", "asked for") and not _rx(r"\s+(?:an?|the|that|further|more|officers|members|a)\b", re.IGNORECASE).match(rest):
            pass  # "requests completed within 20 days": the noun
        elif w == "requested" and not _rx(r"\s+(?!(?:by|in|at|on|as|from|of|and|or|to|for|with|during|earlier|previously|last)\b)[a-z]+", re.IGNORECASE).match(rest):
            pass  # "as requested", "the report requested by Members": no object asked for
        elif w == "sought" and not _rx(r"\s*(?:[A-Z]?[a-z]+\s+){0,2}(?:information|clarification|confirmation|assurances?|details?|"
                                             r"explanations?|updates?|reassurance|evidence|figures|data)\s+$", re.IGNORECASE).match(text[s.start:c.start]):
            pass  # "the council sought legal advice" is done, not asked; "Further information sought about …" is asked
        elif w in ("was sought", "were sought", "was requested", "were requested", "sought"):
            out.add(sent, "request", s.start, s.end, block, by=_by_before(sent, c.start - s.start), to=_to_of(rest))
            return "request"
        elif _rx(r"\bas\s+$").search(text[max(s.start, c.start - 4):c.start]):
            pass
        elif w.startswith("request") and (_rx(r"\b(?:the|any|these|those|of|to|for|with|all|such|further|other|and)\s+$", re.IGNORECASE).search(text[max(s.start, c.start - 12):c.start])
                                          or _rx(r"\s+that\s+(?:were|was|had|have|are|is)\b").match(rest)):
            pass
        else:
            by = _by_before(sent, c.start - s.start)
            if w.endswith(" to") and " " in w:  # "asked officers to circulate …": the request names who is to act
                obj = w.split(None, 1)[1][:-3].strip()
                rec = text[c.start + len(w.split()[0]) + 1:s.end]
                out.add(rec, "request", s.start, s.end, block, by=by, to=text[c.start + len(w.split()[0]) + 1:c.end - 3].strip() or obj,
                        due=_due(rest))
                return "request"
            if w in ("requested", "requests"):
                start = s.start + (sent.rfind(by, 0, c.start - s.start) if by and by in sent[:c.start - s.start] else
                                   0 if w == "requested" and not _rx(r"\s+that\b").match(rest) else c.start - s.start)
                rec = text[start:s.end]
            else:
                rec = rest
            to = _to_of(rest)
            if by and committee and by.lower() in ("the committee", "the panel"):
                pass
            out.add(rec, "request", s.start, s.end, block, by=by, to=to, due=_due(rest))
            return "request"
    if "REC_SUGGEST" in labels:
        c = next(c for c in s.cues if c.label == "REC_SUGGEST")
        rest = _rx(r"^\s*that\b").sub("", text[c.end:s.end])
        if c.text.lower() == "suggested" and _rx(r"\s*(?!(?:It|This|That|As)\b)[A-Z][\w’'-]*(?:\s+[\w’'-]+){0,5}?\s+(?:(?:has|have|had)\s+been|were|was)\s+$").match(text[s.start:c.start]) \
                and not _rx(r"\s+(?:that|by)\b").match(text[c.end:s.end]):
            # "Mitigations have been suggested, including …": things put forward, the sentence is the suggestion
            out.add(sent, "suggestion", s.start, s.end, block)
            return "suggestion"
        if c.text.lower() != "suggested" or _rx(r"\s+that\b").match(text[c.end:s.end]):
            if MODAL.search(rest):
                out.add(rest, "suggestion", s.start, s.end, block, by=_by_before(sent, c.start - s.start), to=_subject_of(rest))
                return "suggestion"
            return "explanation"
    if "REC_SUGGEST_NEED" in labels:
        c = next(c for c in s.cues if c.label == "REC_SUGGEST_NEED")
        m = _rx(r"\s*(The (?:Council|Committee|Panel|Authority|Cabinet|Board)|Officers|Members)\s+(?:\w+\s+)?$").match(text[s.start:c.start])
        if m:
            out.add(sent, "suggestion", s.start, s.end, block, to=m.group(1))
            return "suggestion"
    m = "ecommendation" in sent and _rx(r"\b(?:the|a|its|their)\s+recommendation\s+to\s+[a-z][^?.,;]*").search(sent)
    if m:
        out.add(m.group(0), "recommendation", s.start, s.end, block)
        return "recommendation"
    m = "ecommendations" in sent and _rx(r"\b[Rr]ecommendations\b[^.]{0,80}?\binclud(?:ed|e)\s+(.+)").search(sent)
    if m:
        bm = _rx(r"\bfrom\s+((?:the\s+)?[\w’' -]{2,60}?)\s+(?:had\s+)?(?:included|include|were|are)\b").search(sent[:m.start(1)])
        for part in GERUND_SPLIT.split(m.group(1)):
            out.add(part, "recommendation", s.start, s.end, block, by=bm.group(1) if bm else None)
        return "recommendation"
    decision = [c for c in s.cues if c.label == "REC_DECISION" and _is_decision_verb(s, c, text)]
    if decision:
        c = decision[0]
        last = out.records[-1] if out.records else None
        if last is not None and last.kind == "request" and APPROVED_THAT.match(sent) and \
                not text[last.source.end:s.start].strip(" .\t\n"):
            # "A waiver was sought …. This was approved …": the request granted is one decision
            last.kind = "decision"
            last.text = f"{last.text}. {_strip(sent)}"
            last.source = Source.span(text, last.source.start, s.end, last.source.page, last.source.section)
            return "decision"
        rec = sent
        m = _rx(r"\b(?:agreed|proposal) that\s+").search(sent)
        if m:
            rec = sent[m.end():]
        bm = _rx(rf"\b(?:approved|signed off|agreed|endorsed)\b[^.]*?\bby\s+({BODY}(?:\s+and\s+{BODY})?)").search(sent) or \
            _rx(rf"({BODY})\s+(?:\([^)]*\)\s+)?(?:has\s+|have\s+|had\s+)?(?:agreed|approved|endorsed|decided|supported)\b").search(sent)
        by = bm.group(1) if bm else None
        out.add(rec, "decision", s.start, s.end, block, by=by)
        return "decision"
    actions = [c for c in s.cues if c.label == "REC_ACTION" and (c.text.lower() != "would" or out.minutes_like)
               and _action_ok(s, c, text, hedges)]
    if not actions and _follows_action(out, s, text):
        # "The team is reviewing the measures. Analysis of the results will inform this.": the next step of the same action
        actions = [c for c in s.cues if c.label == "REC_ACTION" and (c.text.lower() != "would" or out.minutes_like)
                   and _action_ok(s, c, text, hedges, need_agent=False)]
    if actions:
        c = actions[0]
        head = text[max(s.start, c.start - 60):c.start]
        am = _rx(rf"({BODY}|[A-Z]{{2,}}[a-z]?)\s+(?:also\s+|now\s+|currently\s+)?(?:is\s+|are\s+)?$").search(head)
        to = am.group(1) if am else None
        lm = _rx(rf"\bbeing led by\s+(.+?)(?:[.;]|$)").search(sent)
        if lm:
            to = lm.group(1)
        n = len(out.records)
        out.add(sent, "action", s.start, s.end, block, to=to, due=_due(sent))
        if len(out.records) > n:
            out.block_of[id(out.records[-1])] = s.block
        return "action"
    return None


def _follows_action(out: Builder, s: Sentence, text: str) -> bool:
    """Whether the sentence directly follows an action of the same paragraph (it then carries that action on)."""
    if not out.records:
        return False
    last = out.records[-1]
    return out.block_of.get(id(last)) == s.block and last.kind == "action" and not text[last.source.end:s.start].strip(" .\t")


def _motion_mover_start(sent: str, cue_pos: int) -> int:
    """Where the mover's name starts in 'Motion: Director X made the motion to …' (the label is not the motion)."""
    m = _rx(r"(?:^|[:;]\s*|\s{2,})((?:[A-Z][\w.’'-]*\s+){1,4})$").search(sent[:cue_pos])
    return m.start(1) if m else 0


def _merge_actions(records: list[RecommendationRecord], block_of: dict[int, int], text: str) -> list[RecommendationRecord]:
    """Action sentences of one paragraph are one action unless a later one names its own actor."""
    merged: list[RecommendationRecord] = []
    last_action_in: dict[int, RecommendationRecord] = {}
    for r in records:
        blk = block_of.get(id(r))
        prev = last_action_in.get(blk) if blk is not None else None
        gap = text[prev.source.end:r.source.start] if prev is not None else ""
        if (prev is not None and not _names_actor(r.text) and len(gap) < 300 and "?" not in gap
                and not _rx(r"\n\s*[^a-z\s]").search(gap)):
            prev.text = f"{prev.text}. {r.text}"
            prev.source = Source.span(text, prev.source.start, r.source.end, prev.source.page, prev.source.section)
            prev.due = prev.due or r.due
            continue
        if blk is not None:
            last_action_in[blk] = r
        merged.append(r)
    return merged


def _names_actor(sentence: str) -> bool:
    s = sentence.strip()
    # "In March, KCC …", "On 3 May, the Panel …": a short opening phrase of time or place, then the actor
    s = _rx(r"^(?:In|On|At|By|From|During|Later|Then|Next|Also)\b[^,]{0,30},\s*").sub("", s)
    if AGENT_START.match(s):
        return True
    m = people.NAME_RE.match(s) or _rx(r"([A-Z][a-z]+)\b").match(s)
    return bool(m and m.group(0).split()[0] in people.lexicon().first_names)


def _action_tables(ctx, out: Builder) -> None:
    """Rows of a table whose header names an action column and an owner or due column."""
    doc = ctx.document
    text = doc.text
    headers: dict[int, dict[str, int]] = {}
    for row in doc.table_rows:
        cells = [text[s:e].strip().lower() for s, e in row.cells]
        if row.table not in headers:
            cols = {}
            for k, c in enumerate(cells):
                if _rx(r"\b(?:action|actions|recommendation|task)\b").search(c) and "action" not in cols:
                    cols["action"] = k
                elif _rx(r"\b(?:owner|responsible|lead|by whom|officer)\b").search(c):
                    cols["owner"] = k
                elif _rx(r"\b(?:due|deadline|target date|timescale|by when|date)\b").search(c):
                    cols["due"] = k
            if "action" in cols and ("owner" in cols or "due" in cols):
                headers[row.table] = cols
                continue
            headers[row.table] = {}
            continue
        cols = headers.get(row.table) or {}
        if not cols or len(row.cells) <= cols["action"]:
            continue
        s, e = row.cells[cols["action"]]
        action = text[s:e]
        owner = text[slice(*row.cells[cols["owner"]])] if "owner" in cols and cols["owner"] < len(row.cells) else None
        due_cell = text[slice(*row.cells[cols["due"]])] if "due" in cols and cols["due"] < len(row.cells) else ""
        due = next((d.iso for d in find_dates(due_cell) if d.has_day and d.has_year), None)
        block = next((b for b in ctx.blocks if b.start <= row.start < b.end or b.start == row.start), None)
        out.add(action, "action", row.start, row.end, block, to=owner.strip() if owner and owner.strip() else None, due=due)
    return {t for t, cols in headers.items() if cols}


def _table_headers(doc) -> dict[int, list[str]]:
    """Each table's header cells (lower case). A table without a header row that directly follows a table of as
    many columns (only other tables between: a page break or a table nested in a cell) goes on with its header.
    So does one whose first column asks questions, after a table headed "Issue raised" or "Question": answers that
    hold tables and text of their own break a table of questions and answers into many."""
    text = doc.text
    question_rx = _word_rx("question_column")
    asks: set[int] = set()  # tables with a question in their first column
    for row in doc.table_rows:
        if row.cells and QUESTION_END.search(text[row.cells[0][0]:row.cells[0][1]]):
            asks.add(row.table)
    headers: dict[int, list[str]] = {}
    recent: list[list[str]] = []  # headers of the tables since the last text outside a table
    question_headers: list[list[str]] = []  # headers naming a question column, in the order met
    prev_end = -1
    for row in doc.table_rows:
        if row.table in headers:
            prev_end = row.end
            continue
        if prev_end < 0 or text[prev_end:row.start].strip():
            recent = []
        cells = [text[s:e].strip().lower() for s, e in row.cells]
        if row.header:
            headers[row.table] = cells
            recent.append(cells)
            if cells and question_rx.fullmatch(cells[0]):
                question_headers.append(cells)
        else:
            header = next((h for h in reversed(recent) if len(h) == len(cells)), [])
            if not header and row.table in asks:
                header = next((h for h in reversed(question_headers) if len(h) == len(cells)), [])
            headers[row.table] = header
        prev_end = row.end
    return headers


def _table_cells(ctx, out: Builder, skip_tables: set[int], committee, authors) -> None:
    """Table cells of running text are read as sentences, like paragraphs; in a column headed "Issue raised",
    "Question" or "Query", each question (a sentence ending in "?") is a request by whoever the text before the
    table says put them. A cell starting in lower case carries on the cell above it (a page break split the row)."""
    doc = ctx.document
    rows = doc.table_rows
    if not rows:
        return
    text = doc.text
    blocks = ctx.blocks
    block_at = {b.start: b for b in blocks if b.kind == "table_row"}
    headers = _table_headers(doc)
    question_rx = _word_rx("question_column")
    units: list[tuple[str, int]] = []
    owners: list[tuple[object, int]] = []
    questions: dict[int, list[tuple[int, int]]] = {}  # question column's cells in order, per table group
    group_of: dict[int, int] = {}
    for row in rows:
        if row.table in skip_tables or row.header:
            continue
        header = headers.get(row.table) or []
        if not header:
            continue  # a table without a header row: a layout of figures or labels rather than a table of text
        group = group_of.get(row.table)
        if group is None:  # a table going on with another's header is one group with it
            group = group_of[row.table] = next((t for t in group_of if headers.get(t) is header), row.table)
        block = block_at.get(row.start)
        for k, (s, e) in enumerate(row.cells):
            if k < len(header) and header[k] and question_rx.fullmatch(header[k]):
                questions.setdefault(group, []).append((s, e))
            if text.count(" ", s, e) + 1 >= PROSE_CELL_WORDS:
                units.append((text[s:e], s))
                owners.append((block, len(blocks) + len(owners)))
    for (body, s0), (block, unit), (sents, cues) in zip(units, owners, _spans(ctx, units)):
        for ss, se in sents:
            if text[ss:se].rstrip().endswith(":"):
                continue  # a list's lead-in inside a cell
            _sentence(out, Sentence(ss, se, unit, [c for c in cues if ss <= c.start < se]), text, block, committee, authors)
    for group, cells in questions.items():
        first = next(r for r in rows if r.table == group)
        lead = text[max(0, first.start - 600):first.start]
        screened = out.screen.may_match(QUESTIONS_BY_NEEDS, max(0, first.start - 600), first.start)
        bm = QUESTIONS_BY.findall(lead) if screened and _rx(r"\bquestions?\b").search(lead) else []
        by = bm[-1] if bm else None
        pieces: list[tuple[str, int, int]] = []  # (text, start, end) with cells that carry on joined
        for s, e in cells:
            cell = _rx(r"\s+").sub(" ", text[s:e]).strip()
            if not cell:
                continue
            if pieces and (cell[:1].islower() and not pieces[-1][0].endswith(("?", ".", "!"))):
                pieces[-1] = (f"{pieces[-1][0]} {cell}", pieces[-1][1], e)
            else:
                pieces.append((cell, s, e))
        for cell, s, e in pieces:
            asked: list[str] = []
            for q in QUESTION_SPLIT.split(cell):
                if not QUESTION_END.search(q):
                    continue
                if asked and len(q.split()) < PROSE_CELL_WORDS:
                    asked[-1] = f"{asked[-1]} {q}"  # "… in the past? What are the limits?": a short follow-up
                else:
                    asked.append(q)
            block = block_at.get(next((r.start for r in rows if r.start <= s < r.end), -1))
            for q in asked:
                out.add(q, "request", s, e, block, by=by)
