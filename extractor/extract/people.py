"""`person` records: named people with their role and organisation.

People are found where papers name them: "From:" signatories, contact details
and report authors, "Report of" lines, membership lists ("Councillors:"),
attendance ("Present:", "In attendance virtually:") and apologies, and in running
text where a cue says a name is a person (an honorific, "led by …", "the DfE
advisors …", "Name, the Cabinet Member for …", "Name, a former officer", "Name,
who …", "the Minister for X, Name", "Culture Secretary Name"), and in table cells
that hold a name alone. Titles (Cllr, Mr, Dr …) are dropped from names; a role is
kept only when the paper gives one. A name with no title needs a known first name
and a surname the paper never prints in lower case. The cue words live in
``models/rules/people.jsonl`` and ``models/rules/person_cues.csv``, the first-name
list in ``models/rules/first_names.txt``.
"""
from __future__ import annotations

import bisect
import csv
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Iterable

from rapidfuzz.fuzz import token_set_ratio

from ..nlp import load_patterns
from ..records import PersonRecord, Record, Source
from ..regex_screen import LazyPattern, holds_bounded
from ..resources import models_dir

# ---------------------------------------------------------------- lexicons


def _phrase(pattern) -> str:
    """A span_ruler pattern (phrase string or token list) as a plain lower-case phrase."""
    if isinstance(pattern, str):
        return pattern.lower().rstrip(":").strip()  # "from:" matches the label with its colon; the lexicon keeps the word
    words = [t.get("LOWER") or t.get("ORTH") or "" for t in pattern]
    return " ".join(w for w in words if w and w != ":").lower()


@dataclass
class Lexicon:
    honorifics: dict[str, str | None] = field(default_factory=dict)  # lower → role it implies
    role_words: set[str] = field(default_factory=set)
    sections: dict[str, str] = field(default_factory=dict)  # lower phrase → how names after it are read
    not_name: set[str] = field(default_factory=set)
    org_heads: set[str] = field(default_factory=set)  # "department", "trust", "ltd": the last word of a body's name
    title_roles: set[str] = field(default_factory=set)  # "director", "committee chair": role words used as a title before a surname
    first_names: frozenset[str] = frozenset()
    section_qualifiers: set[str] = field(default_factory=set)  # "virtually", "(remote)": between a list heading and its colon
    # person_cues.csv: what opens a lower-case role after "Name," ("a", "one of the"), relative pronouns ("who"), role
    # words that only qualify a job title ("senior"), and the gendered titles that tell "Mr Doe" from "Mrs Doe"
    appositive_leads: set[str] = field(default_factory=set)
    relatives: set[str] = field(default_factory=set)
    role_modifiers: set[str] = field(default_factory=set)
    title_gender: dict[str, str] = field(default_factory=dict)


def _word_list(name: str) -> list[str]:
    lines = (models_dir() / "rules" / name).read_text(encoding="utf-8").splitlines()
    return [w.strip() for w in lines if w.strip() and not w.startswith("#")]


@cache
def lexicon() -> Lexicon:
    """The people cue words (people.jsonl) and first names (first_names.txt), read once."""
    lex = Lexicon()
    for entry in load_patterns(models_dir() / "rules" / "people.jsonl"):
        phrase, label, ident = _phrase(entry["pattern"]), entry["label"], entry.get("id")
        if label == "PERSON_HONORIFIC":
            lex.honorifics[phrase] = None if ident in (None, "none") else ident
        elif label == "PERSON_ROLE_WORD":
            lex.role_words.add(phrase)
        elif label == "PERSON_SECTION":
            lex.sections[phrase] = ident or phrase
        elif label == "PERSON_ORG_HEAD":
            lex.org_heads.add(phrase)
        elif label == "PERSON_TITLE_ROLE":
            lex.title_roles.add(phrase)
        elif label == "PERSON_SECTION_QUALIFIER":
            lex.section_qualifiers.add(phrase)
    with open(models_dir() / "rules" / "person_cues.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            kind, phrase = row["kind"], row["phrase"].strip().lower()
            if kind == "appositive_lead":
                lex.appositive_leads.add(phrase)
            elif kind == "relative":
                lex.relatives.add(phrase)
            elif kind == "role_modifier":
                lex.role_modifiers.add(phrase)
            elif kind in ("title_male", "title_female"):
                lex.title_gender[phrase] = kind
    lex.first_names = frozenset(_word_list("first_names.txt"))
    lex.not_name = set(w.lower() for w in _word_list("not_person_words.txt"))
    return lex


def _alternation(phrases: Iterable[str]) -> str:
    """A regex alternation of phrases, longest first, spaces matching any whitespace."""
    parts = sorted(set(phrases), key=len, reverse=True)
    return "|".join(r"\s+".join(re.escape(w) for w in p.split()) for p in parts)


@dataclass
class Patterns:
    honorific: re.Pattern
    section_line: re.Pattern
    role_start: re.Pattern
    lower_appositive: re.Pattern
    relative_after: re.Pattern


@cache
def patterns() -> Patterns:
    lex = lexicon()
    hon = _alternation(lex.honorifics)
    return Patterns(
        honorific=re.compile(rf"^(?:{hon})\b\.?\s*", re.IGNORECASE),
        # "In attendance:", "IN ATTENDANCE VIRTUALLY:", "Present (remote):", "Also present remotely (via Teams):"
        section_line=re.compile(rf"^[ \t#*]*(?:\d+\.?\s+)?({_alternation(lex.sections)})\b\s*(?:\(s\))?"
                                rf"(?:\s*(?:{_alternation(lex.section_qualifiers)})(?!\w)){{0,2}}\s*:?", re.IGNORECASE),
        role_start=re.compile(rf"\b(?:{_alternation(lex.role_words)})\b", re.IGNORECASE),
        # ", a talented former officer", ", one of the heads of school": a lower-case phrase to the clause's end
        lower_appositive=re.compile(rf",[ \t]+(?:{_alternation(lex.appositive_leads)})[ \t]+([a-z][\w’'-]*(?:[ \t]+[A-Za-z][\w’'&-]*){{0,8}})"
                                    rf"(?=[ \t]*(?:[,;:.)]|\n|$))"),
        relative_after=re.compile(rf",[ \t]+(?:{_alternation(lex.relatives)})[ \t]+[a-z]"),
    )


# ---------------------------------------------------------------- names

_TOKEN = r"(?:[A-Z][a-z]*[A-Z]?[a-z]+|O['’][A-Z][a-z]+|[A-Z][a-z]+)(?:[-'’][A-Z]?[a-z]+)*"
_INITIAL = r"(?:[A-Z]\.?\s+)"
NAME = rf"{_TOKEN}(?:\s+{_INITIAL}?{_TOKEN}){{1,2}}"
NAME_RE = re.compile(rf"\b{NAME}\b")
# A name in a list of names may end in a lower-case part as printed ("Diane Neil mills").
LOOSE_NAME_RE = re.compile(rf"^{_TOKEN}(?:\s+{_INITIAL}?(?:{_TOKEN}|[a-z]{{2,}})){{1,3}}$")
INITIALS_NAME_RE = re.compile(rf"^(?:[A-Z]\.?\s*){{1,3}}\s{_TOKEN}$")
_SEPARATOR = r"\s*(?:,|–|—|-|:)\s*"
CONTACT_STOP = re.compile(r"\b(?:Tel(?:ephone)?|Phone|Mobile|E-?mail|Email address|Direct line|Ext)\b.*$|\S+@\S+.*$|\(?\b0\d{3,4}[\d ]{5,}\)?.*$",
                          re.IGNORECASE)
EMAIL_RE = re.compile(r"[\w.+-]+@([\w-]+(?:\.[\w-]+)+)")
PHONE_ONLY = re.compile(r"^[\s()+\d]{7,}$")
# Patterns used in loops, compiled once: re's own cache is shared by every module and too small for them all.
_WHITESPACE_RUN = re.compile(r"\s+")
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an|our)\s+", re.IGNORECASE)
_LEADING_THE = re.compile(r"^(?:The|the)\s+")
_NON_WORD = re.compile(r"\W")
_PUNCTUATION = re.compile(r"[^\w\s]")
_NAME_THEN_END = re.compile(rf"({NAME})(?:{_SEPARATOR}|\s*\(|\s+|$)")
_JOB_TITLE_LABEL = re.compile(r"^[\s,]*Job\s+title\s*:?", re.IGNORECASE)
_CAPITAL = re.compile(r"[A-Z]")
_ENTRY_STOP_LABEL = re.compile(r"^\s*(?:To|Subject|Date|Decision No|Classification)\s*:|^[^\t]{1,40}\t")
_REPORT_OF_NAME = LazyPattern(rf"\s*(?:\S+\s+)?{NAME}")
_TAG = re.compile(r"<[^>]+>")
_TRAILING_NONSPACE = re.compile(r"\S+$")
_LEADING_LIST_MARKS = re.compile(r"^[\s;,\d]+")
_BRACKET_SLASH_CAPITAL = re.compile(r"\)\s*/\s*[A-Z]")
_SLASH_BEFORE_CAPITAL = re.compile(r"\s*/\s*(?=[A-Z])")
_UP_TO_LAST_BRACKET = re.compile(r"^.*\)\s*")
_LEADING_NAME = LazyPattern(rf"\s*({NAME})")
_LABEL_LINE = re.compile(r"[A-Z][\w ]{0,30}:")
_CONTINUATION_START = re.compile(r"^(?:and|of|for)\b")
_OPEN_ROLE_END = re.compile(r"(?:['’]s|\b(?:of|and|for|the|&|in|to))$")
_GAP_BEFORE_CAPITAL = re.compile(r"[ \t]+(?=[A-Z])")
_LIST_SEPARATOR = re.compile(r",\s*|\s+and\s+|;\s*|\.\s+|\.$|\n")
_TRAILING_BRACKET = re.compile(r"\(([^()]*)\)\s*$")
_LETTERS = re.compile(r"[A-Za-z]+")
_MEMBERSHIP_HEADING = re.compile(
    r"^(?:[◦▪•·*-]\s*)?((?:[A-Z][\w-]*\s+){0,2}(?:Councillors|Members|Representatives|Aldermen|Commissioners|Trustees|"
    r"Directors|Governors))(?:\s+(?:Present|Absent|Attending|in\s+[Aa]ttendance))?\s*:\s*(.*)$")
_APOLOGIES_LEAD = re.compile(r"\s*(?:for absence\s*)?(?:(?:were|was)\s+)?(?:received\s+)?(?:from\s+)?")
_TRAILING_BRACKETED = re.compile(r"\s*\(.*\)\s*$")
_APOLOGIES_FROM = re.compile(r"\bApologies\b[^.\n]{0,60}?\bfrom\s+([^.\n]+)")
_APOLOGIES_WORD = re.compile("Apologies")
_BRACKETED = re.compile(r"\([^()]*\)")
_LIST_WORDS = re.compile(r"\b(?:Councillors?|Cllrs?|Mr|Mrs|Ms|Dr|and)\b|[,.;:]")
_LINE_END = re.compile(r"[ \t]*\n")
_LEADING_THE_OUR = re.compile(r"^(?:the|our)\s+", re.IGNORECASE)
_POSSESSIVE_END = re.compile(r"['’]s$")
_WORD_BEFORE_END = re.compile(r"([\w-]+)[ \t]+$")
_NEXT_NAME = re.compile(rf",\s+(?:and\s+)?(?={NAME})")
_TRAILING_SMALL_WORDS = re.compile(r"(?:[ \t,]+(?:of|for|and|the|&|in|on|at))+$")
_NAME_LIST_SEPARATOR = re.compile(r",\s*(?:and\s+)?|\s+and\s+")


def fold(s: str) -> str:
    return " ".join(s.split()).lower()  # str.split() breaks on exactly the characters re's \s matches


def strip_honorific(s: str) -> tuple[str, str | None, bool]:
    """(name without its title, the role the title implies or None, whether a title was there)."""
    s = s.strip()
    found, role = False, None
    while True:
        m = patterns().honorific.match(s)
        if not m or m.end() == len(s):
            return s, role, found
        found = True
        role = role or lexicon().honorifics.get(m.group(0).strip(" .").lower())
        s = s[m.end():]


def _tokens(name: str) -> list[str]:
    return name.split()  # the same pieces as re.split(r"\s+") without the empty ones, without the regex


def is_person_name(name: str, *, strict: bool) -> bool:
    """Whether ``name`` reads as a person's full name.

    ``strict`` (running text, table cells): the first word must be a known first
    name and no word may be an organisation or job word. Otherwise (lists that
    a cue says hold names) the shape of a name is enough.
    """
    return _is_person_name(name, strict)


@lru_cache(maxsize=8192)
def _is_person_name(name: str, strict: bool) -> bool:
    """``is_person_name``, remembered: the readers ask about the same candidates many times over."""
    lex = lexicon()
    toks = _tokens(name)
    if strict and (not toks or toks[0] not in lex.first_names):
        return False  # the cheapest of the strict tests first (all of them must pass)
    if not strict and INITIALS_NAME_RE.match(name.strip()):
        # "A Smith", "J. R. Jones" in a list that a cue says holds names
        return toks[-1].lower() not in lex.not_name and toks[-1].lower() not in lex.role_words
    if not 2 <= len(toks) <= 4 or not LOOSE_NAME_RE.match(name.strip()):
        return False
    lowered = {t.lower().strip(".") for t in toks}
    if lowered & lex.not_name or lowered & lex.role_words:
        return False
    if strict:
        return toks[0] in lex.first_names and len(toks) <= 3 and all(t[0].isupper() for t in toks)
    return True


def singular_role(role: str) -> str:
    """'Overview & Scrutiny Officers' → 'Overview & Scrutiny Officer', 'Councillors' → 'Councillor'."""
    words = role.split()
    if words and len(words[-1]) > 3 and words[-1].endswith("s") and (words[-1][:-1].lower() in lexicon().role_words or
                                                                      words[-1][:-1].lower() in lexicon().title_roles):
        words[-1] = words[-1][:-1]
    return " ".join(words)


def clean_role(role: str | None) -> str | None:
    if role is None:
        return None
    role = CONTACT_STOP.sub("", role)
    role = _WHITESPACE_RUN.sub(" ", role).strip(" ,;:–—-()\t.")
    role = _LEADING_ARTICLE.sub("", role)
    return role or None


# A body's name: capitalised words (with "of", "for", "and", "the", "&" between them), e.g. "Department for the
# Environment, Food and Rural Affairs"; an acronym ("DfE", "LGA", "NHS") names a body on its own.
_ORG_WORD = r"[A-Z][\w’'&.-]*"
_ORG_PHRASE = rf"{_ORG_WORD}(?:(?:[ \t]+|[ \t]*,[ \t]*(?={_ORG_WORD}[ \t]+and\b)|[ \t]+(?:of|for|and|the|&|on|in)[ \t]+(?:the[ \t]+)?)(?!and\b){_ORG_WORD}){{0,8}}"
_ACRONYM = re.compile(r"\b(?:[A-Z][A-Za-z]?[A-Z]{1,4}|[A-Z][a-z][A-Z])\b")


@cache
def _org_phrase_re() -> re.Pattern:
    return re.compile(_ORG_PHRASE)


def _org_head_at_end(phrase: str) -> bool:
    """Whether a capitalised phrase names a body: some word of it is an organisation head noun ('… Trust',
    'Department for …'), not a lone generic word ('Department')."""
    words = [w.strip(".,").lower() for w in phrase.split()]
    caps = [w for w in phrase.split() if w[:1].isupper()]
    return len(caps) >= 2 and any(w in lexicon().org_heads for w in words)


def org_in(text: str | None) -> str | None:
    """A body named in ``text``: a capitalised phrase with an organisation head noun ('Audit Commission',
    'Medical Research Council'), else an acronym ('DfE advisors' → 'DfE'). Never a single generic word."""
    if not text:
        return None
    for m in _org_phrase_re().finditer(text):
        phrase = _LEADING_THE.sub("", m.group(0)).strip(" ,")
        if _org_head_at_end(phrase):
            return phrase
    m = _ACRONYM.search(text)
    if m and m.group(0).lower() not in lexicon().not_name:
        return m.group(0)
    return None


# "Director of Sensation, Perception and Behaviour at Unilever", "Head of Nutrition, Medical Research Council"
ORG_IN_ROLE = re.compile(rf"(?:\b(at|of|from)|,)[ \t]+(?:the[ \t]+)?({_ORG_PHRASE})")


def org_of_role(role: str | None, council: str | None) -> str | None:
    """The body a role names ('… at Unilever', '…, Medical Research Council', '… of the Audit Commission'), else the
    council. After "at" any capitalised name is a body; after "of", "from" or a comma it needs a head noun or to be
    an acronym ('Director of Finance' names a job, not a body)."""
    if not role:
        return council
    for m in ORG_IN_ROLE.finditer(role):
        phrase = m.group(2).strip(" ,")
        if council and council.lower() in phrase.lower():
            continue
        if _org_head_at_end(phrase) or _ACRONYM.fullmatch(phrase) or \
                (m.group(1) == "at" and phrase.split()[0].lower() not in lexicon().org_heads):
            return phrase
    # a role with a job word in its head is a job, not a body ('Group Chief Executive', not the group)
    return (org_in(role) if not patterns().role_start.match(role) and not is_role_phrase(role) else None) or council


def org_from_email(domain: str, council: str | None) -> str | None:
    """'Barnet.gov.uk' → the council's short name when the domain is the council's, else its label."""
    labels = [l for l in domain.lower().split(".") if l not in ("gov", "uk", "org", "co", "com", "net", "nhs", "ac", "sch", "www", "mail")]
    if not labels:
        return None
    label = labels[-1]
    if council and _NON_WORD.sub("", council.lower()).startswith(_NON_WORD.sub("", label)[:5]):
        return council
    return label.replace("-", " ").title()


# ---------------------------------------------------------------- findings


@dataclass
class Found:
    name: str
    role: str | None
    organisation: str | None
    start: int
    end: int
    gender: str | None = None  # a surname alone: the class of its gendered title ("Mrs Doe" is not "Mr Doe")
    listed: bool = False  # from a membership or attendance list, where each entry is its own person


def split_name_role(entry: str, strict: bool = False) -> tuple[str, str | None] | None:
    """'Rory Love, Cabinet Member for …' / 'Roger Gough – Leader' / 'Anna Halliday Commissioner for …'."""
    entry = entry.strip()
    entry, hon_role, _ = strip_honorific(entry)
    m = _NAME_THEN_END.match(entry)
    if not m:
        return None
    name = m.group(1)
    rest = entry[m.end(1):]
    # "Anna Halliday Commissioner for …": the name stops where a job title starts.
    toks = _tokens(name)
    for i in range(2, len(toks)):
        if toks[i].lower() in lexicon().role_words:
            name = " ".join(toks[:i])
            rest = entry[entry.index(toks[i], len(" ".join(toks[:i]))):]
            break
    toks = _tokens(name)
    while len(toks) > 2 and not is_person_name(" ".join(toks), strict=False):
        toks = toks[:-1]
    if " ".join(toks) != name:
        rest = entry[entry.index(name) + len(" ".join(toks)):]
        name = " ".join(toks)
    if not is_person_name(name, strict=False) or (strict and not is_person_name(name, strict=True)):
        return None
    rest = _JOB_TITLE_LABEL.sub("", rest)
    role = clean_role(rest.lstrip(",–—-:( ").rstrip(")"))
    if role and not patterns().role_start.search(role) and not _CAPITAL.match(role):
        role = None
    return name, role or hon_role


def _council(ctx) -> str | None:
    for r in ctx.records:
        if r.TYPE == "document" and getattr(r, "council", None):
            return r.council
    return ctx.council


def _lines(text: str) -> list[tuple[int, int, str]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line), line))
        pos += len(line) + 1
    return out


_UNREAD = object()


class _Lines:
    """A paper's lines as (start, end, text), with each line's section label read at most once (the contact and the
    list readers both ask for every line's)."""

    def __init__(self, text: str):
        self.text = text
        self.lines = _lines(text)
        self._sections: list = [_UNREAD] * len(self.lines)

    def section(self, i: int) -> tuple[str, int] | None:
        """``_section_of`` the i-th line."""
        sec = self._sections[i]
        if sec is _UNREAD:
            sec = self._sections[i] = _section_of(self.lines[i][2])
        return sec


def _section_of(line: str) -> tuple[str, int] | None:
    m = patterns().section_line.match(line)
    if not m:
        return None
    # A section label is a label: what follows is ':' or nothing, never more words of a sentence.
    label = fold(m.group(1))
    rest = line[m.end():]
    if not m.group(0).rstrip().endswith(":") and rest.strip() and "\t" not in line[:m.end() + 1]:
        return None
    return lexicon().sections.get(label, label), m.end()


# section kinds (people.jsonl PERSON_SECTION ids) read as lists of names, and contact sections that add no role
_LIST_SECTIONS = ("present", "apologies", "membership")
_PLAIN_CONTACT_SECTIONS = ("from", "contact", "report of")


def _from_and_contacts(page: _Lines, council: str | None) -> list[Found]:
    """Signatories after 'From:' and people in contact-detail sections."""
    found: list[Found] = []
    lines = page.lines
    i = 0
    while i < len(lines):
        start, end, line = lines[i]
        sec = page.section(i)
        if not sec or sec[0] in _LIST_SECTIONS:
            i += 1
            continue
        kind, cut = sec
        # a section named after a role ("Relevant Director", "Report Author") adds that role to its people
        suffix = kind if kind not in _PLAIN_CONTACT_SECTIONS else None
        # the entry text: the rest of this line and the lines after it, to the next label or a run of blank lines
        chunk: list[tuple[int, int, str]] = []
        rest = line[cut:]
        if rest.strip():
            chunk.append((start + cut, end, rest))
        j, blanks = i + 1, 0
        limit = 12 if kind in ("from", "contact") else 6
        if chunk and kind != "from":
            limit = 1
        while j < len(lines) and len(chunk) < limit:
            s2, e2, l2 = lines[j]
            if not l2.strip():
                blanks += 1
                if blanks > 1 and chunk:
                    break
                j += 1
                continue
            # a new "Label<TAB>value" field ends the entry, but not a contact table's row ("Role<TAB>Name<TAB>phone<TAB>e-mail")
            if page.section(j) or (_ENTRY_STOP_LABEL.match(l2) and not (kind == "contact" and EMAIL_RE.search(l2))):
                break
            blanks = 0
            chunk.append((s2, e2, l2))
            j += 1
        found.extend(_read_entries(chunk, kind, suffix, council))
        i = j if j > i + 1 else i + 1
    return found


_LOCAL_PART_SEPARATORS = re.compile(r"[._-]+")


def _contact_cells(row: str, local_part: str) -> tuple[str, str | None] | None:
    """(name, role) of a contact-details table row before its e-mail address, its cells in either order
    ('Head of Finance Operations<TAB>Cath Head<TAB>03000 416 934'). The name cell reads as a name, or
    spells the address's own words (cath.head@: a surname that is also a job word); the role is the
    cells that read as a job title."""
    cells = [c.strip(" ,;") for c in row.split("\t")]
    cells = [c for c in cells if c and not PHONE_ONLY.match(c)]
    address_words = [w for w in _LOCAL_PART_SEPARATORS.split(local_part.lower()) if w]
    name = next((c for c in cells if is_person_name(strip_honorific(c)[0], strict=True)), None) or next(
        (c for c in cells if LOOSE_NAME_RE.match(c) and [t.lower() for t in _tokens(c)] == address_words), None)
    if name is None:
        return None
    roles = [c for c in cells if c is not name and is_role_phrase(c)]
    return strip_honorific(name)[0], clean_role(", ".join(roles)) if roles else None


def _read_entries(chunk, kind: str, suffix: str | None, council: str | None) -> list[Found]:
    """People from the lines of one From/contact section."""
    out: list[Found] = []
    if not chunk:
        return out
    joined = " ".join(l for _, _, l in chunk)
    c_start, c_end = chunk[0][0], chunk[-1][1]
    if kind == "report of" and not _REPORT_OF_NAME.match(joined):
        return out
    emails = list(EMAIL_RE.finditer(joined))
    if len(emails) >= 2 or (emails and kind == "contact" and "\t" in joined):
        # "Name, Role email phone Name, Role email …": one entry per email address
        pos = 0
        for m in emails:
            seg = _TAG.sub(" ", joined[pos:m.start()])
            seg = _TRAILING_NONSPACE.sub("", seg)  # the e-mail's local part
            got = split_name_role(_LEADING_LIST_MARKS.sub("", seg), strict=True)
            q_start, q_end = c_start, c_end
            if not got and "\t" in seg:
                got = _contact_cells(seg, m.group(0).partition("@")[0])
                # a table's row holds both the name and the address: it is the person's quote
                q_start, q_end = next(((s, e) for s, e, l in chunk if m.group(0) in l), (c_start, c_end))
            pos = m.end()
            if got:
                role = got[1]
                out.append(Found(got[0], _suffixed(role, suffix), org_from_email(m.group(1), council) or council, q_start, q_end))
        return out
    # "A (phone)/B (phone)  Shared Role"
    if "/" in joined and _BRACKET_SLASH_CAPITAL.search(joined):
        parts = _SLASH_BEFORE_CAPITAL.split(joined)
        tail = _UP_TO_LAST_BRACKET.sub("", parts[-1])
        role = clean_role(singular_role(tail.strip())) if tail.strip() else None
        for p in parts:
            nm = _LEADING_NAME.match(strip_honorific(p)[0])
            if nm and is_person_name(nm.group(1), strict=True):
                out.append(Found(nm.group(1), role, council, c_start, c_end))
        return out
    # line by line: a name line opens an entry, the lines after it add to its role
    current: Found | None = None
    role_parts: list[str] = []

    def close():
        if current is not None:
            role = clean_role(", ".join(role_parts)) if role_parts else None
            current.role = _suffixed(role, suffix)
            out.append(current)

    lines = []
    for s, e, l in chunk:
        cuts = [0]
        for m in _NAME_THEN_SEPARATOR.finditer(l):
            toks = _tokens(m.group(1))
            for k in range(len(toks) - 1):  # "… Services Sarah Hammond, …": the name is the tail of the capitalised run
                cand = " ".join(toks[k:])
                if is_person_name(cand, strict=True):
                    at = m.start() + m.group(1).index(toks[k])
                    if at > 0 and l[at - 1] == " ":
                        cuts.append(at)
                    break
        cuts.append(len(l))
        lines.extend((s + a, s + z, l[a:z]) for a, z in zip(cuts, cuts[1:]))
    for s, e, l in lines:
        body = _TAG.sub(" ", l).strip()
        if not body:
            continue
        if _LABEL_LINE.fullmatch(body):
            close()  # another label ("Director:") starts the next entry
            current, role_parts = None, []
            continue
        m = EMAIL_RE.search(body)
        got = split_name_role(body, strict=True) if not body[:1].islower() else None
        starts_entry = got is not None and (current is None or kind == "from" or not role_parts or
                                             is_person_name(got[0], strict=True))
        if starts_entry and not _CONTINUATION_START.match(body):
            close()
            current = Found(got[0], None, council, s, e)
            role_parts = [got[1]] if got[1] else []
        elif current is not None:
            stop = CONTACT_STOP.search(body)
            piece = clean_role(body)
            if piece and not PHONE_ONLY.match(body):
                if role_parts and (body[:1].islower() or body.startswith("and ") or
                                   _OPEN_ROLE_END.search(role_parts[-1])):
                    role_parts[-1] = f"{role_parts[-1]} {piece}"  # a role wrapped onto the next line
                elif not stop or stop.start() > 0:
                    role_parts.append(piece)
            current.end = e
        if m and current is not None:
            current.organisation = org_from_email(m.group(1), council) or current.organisation
    close()
    return out


def _suffixed(role: str | None, suffix: str | None) -> str | None:
    if suffix and role:
        return f"{role}; {suffix}"
    return role or None


@dataclass
class _ListItem:
    name: str
    roles: list[str]
    organisation: str | None
    start: int
    end: int
    gender: str | None = None  # of the entry's own title ("Mrs P Doe")


def parse_name_list(text: str, base: int, default_role: str | None = None) -> list[_ListItem]:
    """Names in a list as minutes print them.

    'Councillors A and B, C.' → A and B are councillors, C is not; 'A (Chairman)'
    gives A a role; 'A, B and C (Audit Commission)' puts the three in the body.
    """
    items: list[_ListItem] = []
    group: list[_ListItem] = []  # names a trailing "(Organisation)" would belong to
    honorific_role: str | None = None
    plural = False  # the title was plural ("Councillors A, B and C"): it vouches for lone surnames
    close_after = False
    # split on separators outside brackets, remembering which separator came before each piece
    pieces = []
    depth, last, i = 0, 0, 0
    while i < len(text):
        ch = text[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
            # "Colin Millar (Democratic Services) Suresh Patel": a layout lost the line break after a bracket
            gap = _GAP_BEFORE_CAPITAL.match(text, i + 1)
            if depth == 0 and gap:
                pieces.append((last, i + 1, "\n"))
                last = gap.end()
                i = gap.end()
                continue
        elif depth == 0:
            m = _LIST_SEPARATOR.match(text, i)
            if m and m.end() > i:
                pieces.append((last, i, m.group(0)))
                last = m.end()
                i = m.end()
                continue
        i += 1
    pieces.append((last, len(text), ""))
    for s, e, sep in pieces:
        raw = text[s:e]
        lead = len(raw) - len(raw.lstrip())
        raw = raw.strip()
        if not raw:
            continue
        paren = None
        pm = _TRAILING_BRACKET.search(raw)
        if pm:
            paren = pm.group(1).strip()
            raw = raw[:pm.start()].strip()
        if paren and is_role_phrase(raw):
            in_brackets, _, titled = strip_honorific(paren)
            if titled and (is_person_name(in_brackets, strict=False) or INITIALS_NAME_RE.match(in_brackets)):
                raw, paren = paren, raw  # "Chief Executive (Mr. C. Murray)": the role, then the titled name
        name, hon_role, had_title = strip_honorific(raw)
        initial = None
        if paren and _INITIAL_IN_BRACKETS.fullmatch(paren):
            initial, paren = paren.rstrip("."), None  # "Collins (J)": the initial that tells two Collinses apart
        if had_title:
            plural = raw.split(None, 1)[0].lower().rstrip(".") in _PLURAL_TITLES
        toks = _tokens(name)
        if len(toks) == 4 and toks[0] in lexicon().first_names and toks[2] in lexicon().first_names and not paren:
            # two names run together where a layout lost the line break between them
            pieces_extra = [" ".join(toks[:2]), " ".join(toks[2:])]
        else:
            pieces_extra = [name]
        if had_title:
            honorific_role = hon_role
            group = []
        if not is_person_name(name, strict=False) and not _list_entry_name(name, had_title, paren) and \
                not (plural and honorific_role and _is_lone_surname(name)):
            honorific_role = None if not had_title else honorific_role
            group = []
            continue
        if initial:
            pieces_extra = [f"{name} ({initial})"]
        for one in pieces_extra:
            roles = [r for r in (honorific_role or default_role,) if r]
            item = _ListItem(one, roles, None, base + s + lead, base + e,
                             lexicon().title_gender.get(raw[:1 + raw.find(" ")].strip(" .").lower()) if had_title else None)
            if paren:
                org = org_in(paren) or (paren if _looks_like_org(paren) else None)
                if org:
                    for g in group + [item]:
                        if g.organisation is None:
                            g.organisation = org
                    group = []
                elif not PHONE_ONLY.match(paren):
                    item.roles.append(clean_role(paren) or paren)
                    group = []
            else:
                group.append(item)
            items.append(item)
        if close_after or sep.strip() == "." or sep == "\n":
            honorific_role = None
            plural = close_after = False
        if sep.strip() == "and":
            close_after = True
    return items


_LONE_SURNAME = re.compile(r"(?:Mc|Mac|O['’])?[A-Z][a-z]*[A-Z]?[a-z]+(?:[-'’][A-Z]?[a-z]+)*")


_INITIAL_IN_BRACKETS = re.compile(r"[A-Z]\.?")
_PLURAL_TITLES = {"councillors", "cllrs", "aldermen"}
_SURNAME_PARTICLES = {"Ó", "Ní", "Nic", "Mac", "De", "Du", "Le", "La", "Van", "Von", "Di", "Da"}


def _is_lone_surname(name: str) -> bool:
    """A lone capitalised surname that is not a job, organisation or title word ('Browne', 'O’Brien', 'McCreesh',
    'Ó Ceallaigh')."""
    particle, _, rest = name.partition(" ")
    if rest and particle in _SURNAME_PARTICLES:
        name = rest
    if not _LONE_SURNAME.fullmatch(name):
        return False
    low = name.lower()
    lex = lexicon()
    return low not in lex.not_name and low not in lex.role_words and low not in lex.org_heads and low not in lex.honorifics


def _list_entry_name(name: str, had_title: bool, paren: str | None) -> bool:
    """An attendance-list entry that ``is_person_name`` refuses but the list's form vouches for: a title with initials
    and a surname that is also a job word ('Mrs C Head (Head of Finance)'), or a lone surname with a bracketed job
    title and no title ('McKay (Acting Chief Accountant)')."""
    if had_title and INITIALS_NAME_RE.match(name):
        return name.split()[-1].lower() not in lexicon().not_name
    return bool(paren) and is_role_phrase(paren) and _is_lone_surname(name)


_SMALL_WORD = re.compile(r"\b(?:of|for|at|in|to|on|with|from|and|within|across)\b|[,–—(]")


def is_role_phrase(phrase: str) -> bool:
    """Whether a phrase reads as a job title: its head (the words before 'of', 'for', 'at' …) holds a role word that is
    not only a qualifier ('Acting Chief Accountant', 'General Representative of …', 'talented former officer' — not
    'Kent County Council', not 'senior figure')."""
    head = _SMALL_WORD.split(phrase, 1)[0]
    lex = lexicon()
    words = [w.lower().strip(".’'") for w in head.split()]
    for w in words:
        if w in lex.role_words and w not in lex.role_modifiers:
            return True
        if len(w) > 3 and w.endswith("s") and w[:-1] in lex.role_words and w[:-1] not in lex.role_modifiers:
            return True  # "one of the heads of school"
    return False


def _looks_like_org(text: str) -> bool:
    words = {w.lower() for w in _LETTERS.findall(text)}
    return bool(words & lexicon().org_heads) or bool(_ACRONYM.fullmatch(text.strip()))


def _lists(page: _Lines, council: str | None) -> list[Found]:
    """Membership, attendance and apologies lists."""
    out: list[Found] = []
    text = page.text
    lines = page.lines
    i = 0
    heading_role: str | None = None
    while i < len(lines):
        start, end, line = lines[i]
        stripped = line.strip()
        sec = page.section(i)
        # membership headings: "Councillors:", "Other Members:", "Co-opted Members:"
        # (also "Commissioners Present:", "◦ Trustees Absent:")
        hm = _MEMBERSHIP_HEADING.match(stripped)
        if hm and not sec:
            heading_role = singular_role(hm.group(1))
            if hm.group(2) and not _list_like(hm.group(2)):
                heading_role = None
            elif hm.group(2):
                base = start + line.index(hm.group(2))
                for it in parse_name_list(hm.group(2), base, heading_role):
                    out.append(_from_item(it, council))
                heading_role = None
            i += 1
            continue
        if sec and sec[0] == "membership":
            heading_role = None
            i += 1
            continue
        if sec and sec[0] in ("present", "apologies"):
            heading_role = None
            kind, cut = sec
            body_start = start + cut
            body = text[body_start:end]
            j = i + 1
            # the list may run on over the next lines while they read as lists of names
            while j < len(lines) and lines[j][2].strip() and _list_like(lines[j][2]) and not page.section(j):
                body = text[body_start:lines[j][1]]
                j += 1
            if not body.strip() and j < len(lines):
                k = j
                while k < len(lines) and not lines[k][2].strip():
                    k += 1
                while k < len(lines) and lines[k][2].strip() and _list_like(lines[k][2]) and not page.section(k):
                    body_start = body_start if body.strip() else lines[k][0]
                    body = text[body_start:lines[k][1]]
                    k += 1
                    # a line ending in a comma runs on past blank lines (a layout that spaces every line)
                    if lines[k - 1][2].rstrip().endswith(","):
                        while k < len(lines) and not lines[k][2].strip():
                            k += 1
                j = k
            offset = body_start
            if kind == "apologies":
                pm = _APOLOGIES_LEAD.match(body)
                offset += pm.end()
                body = body[pm.end():]
            for it in parse_name_list(body, offset):
                out.append(_from_item(it, council, apology=kind == "apologies"))
            i = max(j, i + 1)
            continue
        if heading_role and stripped:
            got = split_name_role(stripped) if "(" not in stripped else None
            items = parse_name_list(stripped, start + (len(line) - len(line.lstrip())), heading_role)
            if items and " ".join(it.name for it in items) == _TRAILING_BRACKETED.sub("", stripped):
                for it in items:
                    if len(it.roles) > 1:
                        it.roles = it.roles[1:]  # "Dave Roberts (Independent Chair)": the printed role wins
                    out.append(_from_item(it, council))
                i += 1
                continue
            if got is None:
                heading_role = None
        elif not stripped and heading_role is None:
            pass
        i += 1
    # apologies in running text: "Apologies were received from June Griffiths and John Thomas."
    for m in _matches_at(_APOLOGIES_FROM, text, (a.start() for a in _APOLOGIES_WORD.finditer(text))):
        for it in parse_name_list(m.group(1), m.start(1)):
            out.append(_from_item(it, council, apology=True))
    return out


def _list_like(line: str) -> bool:
    """A line of names: little left once names, titles, brackets and separators are taken out."""
    s = _BRACKETED.sub(" ", line)
    s = NAME_RE.sub(" ", s)
    s = _LIST_WORDS.sub(" ", s)
    leftover = [w for w in s.split() if w]
    if len(leftover) <= 1 and NAME_RE.search(line):
        return True
    # "Councillors Browne, Butler, Byrne, Collins (J)," and the lines it runs on to: surnames alone, comma-separated
    leftover = [w for w in leftover if w not in _SURNAME_PARTICLES]
    surnames = sum(1 for w in leftover if _is_lone_surname(w))
    return "," in line and surnames >= 2 and surnames >= 0.8 * len(leftover)


def _from_item(it: _ListItem, council: str | None, apology: bool = False) -> Found:
    roles = list(dict.fromkeys(r for r in it.roles if r))
    role = "; ".join(roles) if roles else None
    org = it.organisation or (council if role else None)
    if apology and not role:
        org = it.organisation
    return Found(it.name, role, org, it.start, it.end, it.gender, listed=True)


_LED_BY_WORDS = ("led", "Led", "chaired", "Chaired", "presented", "introduced", "undertaken", "carried out", "supported",
                 "attended", "delivered", "conducted")
_LED_BY_CUE = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in _LED_BY_WORDS) + r")\s+by\s+")
_BY = re.compile(r"by(?=\s)")  # every "led by" cue holds it, and a literal is found fast
_LED_BY_NAMES = re.compile(rf"((?:the\s+)?(?:[A-Za-z]+\s+){{0,3}}?)?({NAME}(?:\s*,\s*{NAME})*(?:,?\s+and\s+{NAME})?)")
_COMMA_ROLE = re.compile(r",[ \t]+(?:the[ \t]+|our[ \t]+)?(?=[A-Z])")
NAME_FULL_RE = re.compile(NAME)
_AFTER_HONORIFIC = re.compile(rf"\.?[ \t]+({NAME})")
_NAME_THEN_SEPARATOR = re.compile(rf"({NAME})(?=\s*(?:,|–|—|\s-\s))")
_PAREN_ROLE = re.compile(r"[ \t]\(([^()\n]{3,120})\)")
_PLURAL_ROLE_WORDS = ("advisors", "advisers", "officers", "directors", "representatives", "inspectors", "consultants",
                      "commissioners", "auditors", "members", "councillors")
_PLURAL_ROLE_WORD = re.compile(r"\b(?:" + "|".join(_PLURAL_ROLE_WORDS) + r")[ \t]+(?=[A-Z])")
assert all(w.endswith("s") for w in _PLURAL_ROLE_WORDS)  # _plural_role_cues looks for the final "s"
_PLURAL_END = re.compile(r"s[ \t]+(?=[A-Z])")
_ROLE_QUALIFIER_BEFORE = re.compile(r"(?:[A-Z][A-Za-z]+\s+)?(?:[a-z]+\s+)?$")
_NAME_LIST = LazyPattern(rf"{NAME}(?:\s*,\s*{NAME})*(?:,?\s+and\s+{NAME})?")
# A job title in running text: capitalised words and the small words between them, on one line.
ROLE_PHRASE = r"(?:[A-Z][\w&'’-]*)(?:(?:[ \t]*,[ \t]*|[ \t]+)(?:[A-Z][\w&'’-]*|of|for|and|the|&|in|on|at))*"
_APPOSITIVE = re.compile(rf",[ \t]+(?:the[ \t]+|our[ \t]+)?({ROLE_PHRASE})")
_ROLE_AFTER_NAME = re.compile(rf"[ \t]*(?:[,–—-]|\()[ \t]*(?:the[ \t]+)?({ROLE_PHRASE})")


def _matches_at(pattern: re.Pattern, text: str, starts: Iterable[int]) -> Iterable[re.Match]:
    """``pattern.finditer(text)``, trying the pattern only at ``starts`` (ascending), which must hold every offset a
    match can begin at: a scan tries a pattern at every character, and these patterns' starts are rare words that a
    literal search finds far faster. Same matches (none empty): each is the first at or after the end of the one
    before."""
    pos = 0
    for start in starts:
        if start < pos:
            continue
        m = pattern.match(text, start)
        if m:
            yield m
            pos = max(m.end(), start + 1)


def _by_ending(words: Iterable[str]) -> tuple[int, dict[str, list[str]]]:
    """``words`` filed under their last k letters (k: the shortest word's length), for ``_words_ending_at``."""
    words = list(words)
    k = min(len(w) for w in words)
    filed: dict[str, list[str]] = {}
    for w in words:
        filed.setdefault(w[-k:], []).append(w)
    return k, filed


def _words_ending_at(text: str, end: int, words: tuple[int, dict[str, list[str]]]) -> list[int]:
    """Where each of the words (filed by ``_by_ending``) that ends at ``end`` begins."""
    k, filed = words
    return [end - len(w) for w in filed.get(text[max(0, end - k):end], ()) if end >= len(w) and text.startswith(w, end - len(w))]


def _led_by_cues(text: str) -> Iterable[re.Match]:
    """``_LED_BY_CUE.finditer(text)``: the cue word ends where the white space before a "by" begins."""
    starts = []
    for by in _BY.finditer(text):
        end = by.start()
        while end > 0 and text[end - 1].isspace():  # str.isspace is re's \s
            end -= 1
        if end < by.start():
            starts.extend(_words_ending_at(text, end, _LED_BY_ENDINGS))
    return _matches_at(_LED_BY_CUE, text, sorted(starts))


_LED_BY_ENDINGS = _by_ending(_LED_BY_WORDS)
_PLURAL_ROLE_ENDINGS = _by_ending(_PLURAL_ROLE_WORDS)


def _plural_role_cues(text: str) -> Iterable[re.Match]:
    """``_PLURAL_ROLE_WORD.finditer(text)``: each role word ends in the "s" of an "s" before a capitalised word."""
    starts = []
    for end in _PLURAL_END.finditer(text):
        starts.extend(_words_ending_at(text, end.start() + 1, _PLURAL_ROLE_ENDINGS))
    return _matches_at(_PLURAL_ROLE_WORD, text, sorted(starts))


class _NameAt:
    """A name found just before an offset (the shape of a regex match: group(0), start(), end())."""

    def __init__(self, text: str, start: int, end: int):
        self._text, self._start, self._end = text, start, end

    def group(self, _=0) -> str:
        return self._text

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end


def _name_ending_at(text: str, pos: int) -> _NameAt | None:
    """The longest run of two to four capitalised words that ends exactly at ``pos`` (on the same line)."""
    if pos <= 0 or not "a" <= text[pos - 1] <= "z":
        return None  # every name ends in a lower-case ASCII letter (``_TOKEN``)
    window = text[max(0, pos - 60):pos]
    window = window.split("\n")[-1]
    last_word = window.rsplit(None, 1)[-1]
    if not "A" <= last_word[:1] <= "Z":
        return None  # a name's last word is capitalised (``_TOKEN``), and is what follows the last white space
    words = window.split(" ")
    for n in (4, 3, 2):
        if len(words) < n:
            continue
        cand = " ".join(words[-n:]).lstrip("([{“\"‘'")
        if NAME_FULL_RE.fullmatch(cand):
            return _NameAt(cand, pos - len(cand), pos)
    return None


def _honorific_names(text: str, honorifics) -> Iterable[tuple[str, re.Match]]:
    """(honorific as written, match of the name after it), from the span_ruler's matches when given."""
    if honorifics is None:
        for m in _honorific_name().finditer(text):
            yield m.group(1), _AFTER_HONORIFIC.match(text, m.end(1))
        return
    for start, end, _ident, written in honorifics:
        if written[:1].isupper():
            after = _AFTER_HONORIFIC.match(text, end)
            if after:
                yield written, after


def _prose(text: str, council: str | None, honorifics=None, name_titles=None) -> list[Found]:
    """People named in running text, each behind a cue."""
    out: list[Found] = []
    lex = lexicon()
    printed = _PrintedWords(text)
    # honorific + full name: "Cllr Ben Adams", "Dr Ghada Zoubi"
    for written, m in _honorific_names(text, honorifics):
        name = m.group(1)
        toks = _tokens(name)
        # the name stops before a job title or an organisation word
        for k, t in enumerate(toks):
            if k >= 2 and (t.lower() in lex.role_words or t.lower() in lex.not_name):
                toks = toks[:k]
                break
        name = " ".join(toks)
        if not is_person_name(name, strict=True):
            continue
        role = lex.honorifics.get(written.lower().rstrip('.'))
        after = text[m.start(1) + len(name):m.start(1) + len(name) + 200].split("\n")[0]
        rm = _ROLE_AFTER_NAME.match(after)
        org = None
        if rm and patterns().role_start.match(rm.group(1)):
            role = clean_role(_role_end(rm.group(1)))
        else:
            pm = _BRACKET_AFTER_SURNAME.match(after)
            if pm and _looks_like_org(pm.group(1).strip()):
                # "Ms Jane Doe (Labour Group)": her group, as for "Mrs Doe (Labour Group)"; the body's name alone
                # from "(Professor of X, Kings College London)"
                org = org_in(pm.group(1)) or pm.group(1).strip()
        out.append(Found(name, role, org or (council if role else None), m.start(1), m.start(1) + len(name)))
    out.extend(_titled_surnames(text, council, honorifics, printed))
    if name_titles:
        out.extend(_name_titles(text, name_titles, printed))
    out.extend(_role_then_name(text, council, printed))
    out.extend(_name_then_clause(text, council, printed))
    for cue in _led_by_cues(text):
        m = _LED_BY_NAMES.match(text, cue.end())
        if not m:
            continue
        for nm in _names_in(m.group(2)):
            nm = _LINE_END.split(nm)[0]  # a name ends at its line ("Chaired by X Y" then the next line)
            if is_person_name(nm, strict=True):
                s = m.start(2) + m.group(2).index(nm)
                out.append(Found(nm, None, None, s, s + len(nm)))
    for cue in _plural_role_cues(text):
        names_m = _NAME_LIST.match(text, cue.end())
        if not names_m:
            continue
        names = [nm for nm in _names_in(names_m.group(0)) if is_person_name(nm, strict=True)]
        if not names:
            continue
        qual = _ROLE_QUALIFIER_BEFORE.search(text, max(0, cue.start() - 40), cue.start())
        role_text = (qual.group(0) if qual else "") + text[cue.start():cue.end()].strip()
        role = singular_role(_LEADING_THE_OUR.sub("", role_text.strip()))
        org = org_in(role)
        for nm in names:
            s = names_m.start() + names_m.group(0).index(nm)
            out.append(Found(nm, role, org or council, s, s + len(nm)))
    # "Sarah Hammond (Corporate Director for Children’s Young People and Education) and Mark Albiston (…)"
    for paren in _PAREN_ROLE.finditer(text):
        role = paren.group(1).strip()
        if not patterns().role_start.match(role) or org_in(role) and len(role.split()) <= 2:
            continue
        nm = _name_ending_at(text, paren.start())
        if not nm:
            continue
        name = strip_honorific(nm.group(0))[0]
        if is_person_name(name, strict=True):
            role = clean_role(role)
            out.append(Found(name, role, org_of_role(role, council), nm.start(), paren.end()))
    for comma in _COMMA_ROLE.finditer(text):
        if not text[comma.start() - 1:comma.start()].islower():
            continue
        nm = _name_ending_at(text, comma.start())
        if not nm:
            continue
        m = _APPOSITIVE.match(text, nm.end())
        name = strip_honorific(nm.group(0))[0]
        if not m or not is_person_name(name, strict=True) or not is_role_phrase(m.group(1)):
            continue
        role = clean_role(_role_end(m.group(1)))
        out.append(Found(name, role, org_of_role(role, council), nm.start(), m.end(1)))
    return out


_SURNAME = r"(?:Mc|Mac|O['’])?[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*"
# a surname alone after a title ("Mrs Hale", "Councillor O’Dea’s"), not the first word of a longer name
_SURNAME_AFTER_TITLE = re.compile(rf"\.?[ \t]+({_SURNAME})(?![ \t]*[A-Z]|[-\w’'@]|\.\w)")
_BRACKET_AFTER_SURNAME = re.compile(r"[ \t]*\(([^()\n]{3,60})\)")


def _title_forms() -> set[str]:
    return {" ".join(w.capitalize() for w in t.split()) for t in lexicon().title_roles}


@cache
def _title_role_re() -> re.Pattern:
    """A role used as a title before surnames ('Director Tisdale', 'Committee Chair Rosenthal', 'Directors Broom,
    Tisdale, Lewis'), capitalised as a title is."""
    forms = _title_forms()
    return re.compile(rf"(?<![\w-])((?:{_alternation(forms)}))[ \t]+({_SURNAME}(?:[ \t]*,[ \t]*{_SURNAME})*(?:,?[ \t]+and[ \t]+{_SURNAME})?)"
                      rf"(?![ \t]*[A-Z(&]|[-\w’'@]|\.\w)")


_PRINTED_WORD = re.compile(r"[\w-]+")


# Words looked up one by one (a substring search each) before the paper's words are collected into a set: collecting
# costs about as much as this many searches, and most papers ask about a few words or none.
PRINTED_WORDS_SEARCHED = 100


class _PrintedWords:
    """The words a paper prints (maximal runs of word characters and hyphens): the first words asked about are
    searched for, and then the paper's words are collected once, so that 'is this word printed on its own
    anywhere' is a set lookup, not a scan of the whole text per word."""

    def __init__(self, text: str):
        self.text = text
        self._words: set[str] | None = None
        self._searched: dict[str, bool] = {}
        self._other: dict[str, bool] = {}

    def printed(self, word: str) -> bool:
        """Whether ``word`` stands in the text with no word character or hyphen either side (case-sensitive)."""
        if _PRINTED_WORD.fullmatch(word):
            if self._words is not None:
                return word in self._words
            found = self._searched.get(word)
            if found is None:
                if len(self._searched) >= PRINTED_WORDS_SEARCHED:
                    self._words = set(_PRINTED_WORD.findall(self.text))
                    return word in self._words
                # a maximal run equal to the word: the word with no word character or hyphen either side
                found = self._searched[word] = holds_bounded(self.text, word)
            return found
        # a word with an apostrophe spans several runs: search for it as written, once per word
        if word not in self._other:
            self._other[word] = holds_bounded(self.text, word)
        return self._other[word]


@cache
def _title_first_word() -> re.Pattern:
    """The first word of a title form ("Committee" of "Committee Chair", "Vice" of "Vice-chair"): every match of
    ``_title_role_re`` starts with one, and a search for these literals skips most text. (A match cannot start
    inside one of them: it follows no letter.)"""
    firsts = {re.match(r"[^\s-]+", form).group(0) for form in _title_forms()}
    return re.compile(_alternation(firsts))


def _surname_ok(word: str, printed: _PrintedWords) -> bool:
    """A capitalised word reads as a surname: not a job, organisation or common word (one the paper also prints in
    lower case, as 'Director Finance' → 'finance')."""
    low = word.lower()
    lex = lexicon()
    if low in lex.not_name or low in lex.role_words or low in lex.org_heads or low in lex.honorifics or low in lex.title_roles:
        return False
    return not printed.printed(low)


def _untitled_person(name: str, printed: _PrintedWords) -> bool:
    """A full name with no title, found beside a role or a clause: a known first name, and a surname that is no job,
    organisation or common word (the paper never prints it in lower case: not 'Grant Funding')."""
    return is_person_name(name, strict=True) and _surname_ok(_tokens(name)[-1], printed)


def _trim_name(name: str) -> str:
    """A name stops before a job title or an organisation word ('Jane Doe Director' → 'Jane Doe')."""
    lex = lexicon()
    toks = _tokens(name)
    for k, t in enumerate(toks):
        if k >= 2 and (t.lower() in lex.role_words or t.lower() in lex.not_name):
            return " ".join(toks[:k])
    return name


_NAME_AFTER_TITLE = re.compile(rf" ({NAME})")
_SENTENCE_START_BEFORE = re.compile(r"(?:^|[.!?:;]\s+|\n\s*|\(\w\)\s*)$")
_QUALIFIER_BEFORE_TITLE = re.compile(r"(?<![\w’'-])([A-Z][a-z][\w’'-]*) $")


def _name_titles(text: str, name_titles, printed: _PrintedWords) -> list[Found]:
    """A title printed straight before a full name: 'Foreign Secretary Jane Doe', 'Kent MP Jane Doe'. The role is the
    title with the capitalised word before it when that word is no common word ('Culture Secretary', not 'The …')."""
    out: list[Found] = []
    for a, z, ident, written in name_titles:
        if written != ident:
            continue  # a title as the rule pack prints it ("MP", "Secretary"), not "secretary" in a sentence
        m = _NAME_AFTER_TITLE.match(text, z)
        if not m:
            continue
        name = _trim_name(m.group(1))
        if not _untitled_person(name, printed):
            continue
        role = written
        q = _QUALIFIER_BEFORE_TITLE.search(text, max(0, a - 30), a)
        if q and (_surname_ok(q.group(1), printed) or not _SENTENCE_START_BEFORE.search(text, max(0, q.start() - 4), q.start())):
            role = f"{q.group(1)} {written}"  # "Culture Secretary", "Kent MP"; not "The Secretary" opening a sentence
        out.append(Found(name, role, None, q.start(1) if q and role != written else a, m.start(1) + len(name)))
    return out


_COMMA_THEN_CAPITAL = re.compile(r",[ \t]+(?=[A-Z])")
_FIRST_WORD = re.compile(r"[A-Z][\w’'-]*")
# a job title ending where a comma follows: "… the Minister of State for Care" (capitalised words and small words)
_ROLE_BEFORE_COMMA = re.compile(r"(?<![\w’'&-])[A-Z][\w&’'-]*(?:[ \t]+(?:[A-Z][\w&’'-]*|of|for|and|the|&|in|on|at))*$")
_AFTER_NAME_OK = re.compile(r"[ \t]*(?:[,;:.)]|\n|$|[a-z])")


def _head_ends_in_role(phrase: str) -> bool:
    """The job title's head ('Minister' of 'Minister of State for Care') ends in a role word: 'Councillor Doe' does
    not."""
    head = _SMALL_WORD.split(phrase, 1)[0].split()
    if not head:
        return False
    lex = lexicon()
    last = head[-1].lower()
    if len(last) > 3 and last.endswith("s") and last not in lex.role_words:
        last = last[:-1]  # "one of the heads of school"
    return last in lex.role_words and last not in lex.role_modifiers


def _role_then_name(text: str, council: str | None, printed: _PrintedWords) -> list[Found]:
    """A full name after a job title and a comma: 'the Minister of State for Care, Jane Doe, replied'."""
    out: list[Found] = []
    first_names = lexicon().first_names
    for c in _COMMA_THEN_CAPITAL.finditer(text):
        w = _FIRST_WORD.match(text, c.end())
        if not w or w.group(0) not in first_names:
            continue  # the cheap test first: the word after the comma is a first name
        m = NAME_FULL_RE.match(text, c.end())
        if not m:
            continue
        name = _trim_name(m.group(0))
        end = c.end() + len(name)
        if not _AFTER_NAME_OK.match(text, end) or not _untitled_person(name, printed):
            continue
        r = _ROLE_BEFORE_COMMA.search(text, max(0, c.start() - 150), c.start())
        if not r or not _head_ends_in_role(r.group(0)):
            continue
        role = clean_role(r.group(0))
        out.append(Found(name, role, org_of_role(role, None), r.start(), end))  # a body the role names, else none
    return out


def _appositive_role(text: str, pos: int) -> tuple[str, int] | None:
    """A job title set off by a comma at ``pos``: ', the Cabinet Member for Roads' or, in lower case, ', a former
    officer', ', one of the heads of school'. (The role and where it ends.)"""
    m = _APPOSITIVE.match(text, pos)
    if m and is_role_phrase(m.group(1)):
        return clean_role(_role_end(m.group(1))), m.end(1)
    m = patterns().lower_appositive.match(text, pos)
    if m and _head_ends_in_role(m.group(1)):
        lead = text[pos:m.start(1)].strip(" ,\t")
        role = m.group(1) if " " not in lead else f"{lead} {m.group(1)}"  # "one of the heads …" keeps its lead
        return clean_role(role), m.end(1)
    return None


def _name_then_clause(text: str, council: str | None, printed: _PrintedWords) -> list[Found]:
    """A full name followed by a lower-case role or a relative clause: 'Jane Doe, a former officer, …', 'Jane Doe,
    who ran the scheme'."""
    out: list[Found] = []
    for m in patterns().lower_appositive.finditer(text):
        nm = _name_ending_at(text, m.start())
        if not nm or not _head_ends_in_role(m.group(1)):
            continue
        name = strip_honorific(nm.group(0))[0]
        if name != nm.group(0) or not _untitled_person(name, printed):
            continue  # a titled name is the title readers'
        got = _appositive_role(text, m.start())
        if got:
            out.append(Found(name, got[0], council, nm.start(), got[1]))
    for m in patterns().relative_after.finditer(text):
        nm = _name_ending_at(text, m.start())
        if not nm:
            continue
        name = strip_honorific(nm.group(0))[0]
        if name == nm.group(0) and _untitled_person(name, printed):
            out.append(Found(name, None, None, nm.start(), nm.end()))
    return out


_INITIALS_AFTER_TITLE = re.compile(rf"\.?[ \t]+((?:[A-Z]\.?[ \t]+){{1,3}}{_SURNAME})(?![ \t]*[A-Z]|[-\w’'@]|\.\w)")


def _titled_surnames(text: str, council: str | None, honorifics, printed: _PrintedWords | None = None) -> list[Found]:
    """A title or role word with a surname alone ('Mrs Hale (Labour Group)', 'Director Lewis', 'Mr R Doe'): the person
    is named by the surname (and initials) as written."""
    out: list[Found] = []
    lex = lexicon()
    printed = printed or _PrintedWords(text)
    spans = [(a, z, w) for a, z, _i, w in honorifics] if honorifics is not None else \
        [(m.start(1), m.end(1), m.group(1)) for m in _honorific_word().finditer(text)]
    for a, z, written in spans:
        if not written[:1].isupper():
            continue
        m = _SURNAME_AFTER_TITLE.match(text, z) or _INITIALS_AFTER_TITLE.match(text, z)
        if not m or not _surname_ok(_tokens(m.group(1))[-1], printed):
            continue
        name = _POSSESSIVE_END.sub("", m.group(1))  # "Councillor O’Dea’s motion"
        title = written.lower().rstrip(".")
        role = lex.honorifics.get(title)
        org = None
        end = m.end(1)
        pm = _BRACKET_AFTER_SURNAME.match(text, m.end())
        if pm:
            end = pm.end()
            inner = pm.group(1).strip()
            if patterns().role_start.match(inner):
                role = clean_role(inner)
            elif _looks_like_org(inner):
                org = inner
        elif text.startswith(",", m.end()):
            got = _appositive_role(text, m.end())  # "Mr Doe, Cabinet Member for Roads, said", "Mrs. Doe, the Head"
            if got:
                role, end = got
        gender = lex.title_gender.get(title)
        out.append(Found(name, role, org or (council if role else None), m.start(1), end, gender))
    title_starts = (m.start() for m in _title_first_word().finditer(text))
    for m in _matches_at(_title_role_re(), text, title_starts):
        before = _WORD_BEFORE_END.search(text[max(0, m.start() - 30):m.start()])
        if before and before.group(1).lower() in lex.role_words:
            continue  # "Deputy Director Place", "Executive Director Resources": a job title naming its portfolio
        role = singular_role(m.group(1))
        if role.lower().endswith("s") and role.lower()[:-1] in lex.title_roles:
            role = role[:-1]
        for nm in _names_in(m.group(2)):
            if _surname_ok(nm, printed):
                s = m.start(2) + m.group(2).index(nm)
                out.append(Found(nm, role, None, s, s + len(nm)))
    return out


@cache
def _honorific_word() -> re.Pattern:
    forms = set()
    for h in lexicon().honorifics:
        forms.update({h.capitalize(), h.upper(), h.title()})
    return re.compile(rf"\b({_alternation(forms)})(?=\.?[ \t])")


@cache
def _honorific_name() -> re.Pattern:
    """A capitalised honorific ('Cllr', 'COUNCILLOR', 'Dr') followed by a full name."""
    forms = set()
    for h in lexicon().honorifics:
        forms.update({h.capitalize(), h.upper(), h.title()})
    return re.compile(rf"\b({_alternation(forms)})\.?[ \t]+({NAME})")


@cache
def _comma_honorific() -> re.Pattern:
    """', Mr', ', and Dr.' inside a role: where the next person's entry starts."""
    forms = set()
    for h in lexicon().honorifics:
        forms.update({h.capitalize(), h.upper(), h.title()})
    return re.compile(rf"(?:,[ \t]*(?:and[ \t]+)?|[ \t]+and[ \t]+)(?:{_alternation(forms)})(?![\w-])")


def _role_end(role: str) -> str:
    """A role in running text stops before ', and <Name>' and before ', Mr …' (the next person), and sheds trailing
    small words."""
    hm = _comma_honorific().search(role)
    if hm:
        role = role[:hm.start()]
    for m in _NEXT_NAME.finditer(role):
        if is_person_name(NAME_RE.match(role, m.end()).group(0), strict=True):
            role = role[:m.start()]
            break
    for m in _NAME_THEN_SEPARATOR.finditer(role):
        toks = _tokens(m.group(1))
        cut = next((m.start() + m.group(1).index(toks[k]) for k in range(len(toks) - 1)
                    if is_person_name(" ".join(toks[k:]), strict=True)), None)
        if cut:  # "Cabinet Member for … Services Sarah Hammond, Corporate Director": the next person's entry
            role = role[:cut]
            break
    return _TRAILING_SMALL_WORDS.sub("", role.rstrip(" ,"))


def _names_in(s: str) -> list[str]:
    return [p.strip() for p in _NAME_LIST_SEPARATOR.split(s) if p.strip()]


def _table_cells(ctx) -> list[Found]:
    """A table cell that holds a person's name alone (a named individual as supplier, owner …)."""
    out = []
    text = ctx.document.text
    for row in ctx.document.table_rows:
        if row.header:
            continue
        for s, e in row.cells:
            cell = text[s:e].strip()
            if cell and is_person_name(cell, strict=True):
                out.append(Found(cell, None, None, row.start, row.end))
    return out


# ---------------------------------------------------------------- records


def find_people(ctx) -> list[Found]:
    """Every person mention the cues find, merged by name (roles joined, first organisation kept)."""
    text = ctx.document.text
    council = _council(ctx)
    page = _Lines(text)
    found = _from_and_contacts(page, council) + _lists(page, council) + _prose(text, council, ctx.rule_matches("PERSON_HONORIFIC"),
                                                                                  ctx.rule_matches("PERSON_NAME_TITLE")) + _table_cells(ctx)
    merged: dict[str, Found] = {}
    # "Mr Lewis" after "Mr Barry Lewis": a surname alone is the full-named person with that surname, when only one has it
    by_surname: dict[str, set[str]] = {}
    for f in found:
        toks = _tokens(f.name)
        if len(toks) >= 2:
            by_surname.setdefault(toks[-1].lower(), set()).add(fold(_PUNCTUATION.sub(" ", f.name)))
    # a list's entries are each a person ("Mrs P T Doe, Mr P Doe"); a name in prose with fewer initials is not
    listed = {fold(_PUNCTUATION.sub(" ", f.name)) for f in found if f.listed}
    for sn, keys in by_surname.items():  # "r doe" is "r j doe": one person for the surname-alone test below
        by_surname[sn] = {k if k in listed else _fuller_initials(k, by_surname) or k for k in keys}
    full_of = {sn: next(iter(keys)) for sn, keys in by_surname.items() if len(keys) == 1}
    # "Mrs Doe" after "Mrs P T Doe, Mr P Doe" (an attendance list): the one listed name with that surname and title
    gender_of: dict[tuple[str, str], set[str]] = {}
    key_gender: dict[str, str] = {}
    for f in found:
        if f.listed and f.gender and len(_tokens(f.name)) >= 2:
            gender_of.setdefault((_tokens(f.name)[-1].lower(), f.gender), set()).add(fold(_PUNCTUATION.sub(" ", f.name)))
            key_gender[fold(_PUNCTUATION.sub(" ", f.name))] = f.gender
    for sn, keys in by_surname.items():
        if len(keys) == 2 and sn not in full_of:
            # "Mr Doe" after "M Doe" (an attendance list) and "Mark Doe" (prose): one first initial, one person
            short, long_ = sorted(keys, key=lambda k: len(k.split()[0]))
            if short in listed and len(short.split()) == 2 == len(long_.split()) and len(short.split()[0]) == 1 and \
                    long_.split()[0][0] == short.split()[0]:
                full_of[sn] = long_
    genders: dict[str, set[str]] = {}  # the titles' genders each full name is mentioned with
    for f in found:
        if f.gender:
            genders.setdefault(fold(_PUNCTUATION.sub(" ", f.name)), set()).add(f.gender)
    for f in sorted(found, key=lambda f: (len(_tokens(f.name)) < 2, f.start)):
        key = fold(_PUNCTUATION.sub(" ", f.name))
        if len(_tokens(f.name)) == 1:
            same_title = gender_of.get((key, f.gender), ()) if f.gender else ()
            full = full_of.get(key)
            if full and f.gender and key_gender.get(full, f.gender) != f.gender:
                full = None  # "Mr Doe" is not the "Mrs P Doe" of the list
            key = full or (next(iter(same_title)) if len(same_title) == 1 else key)
            if (key == fold(f.name) or len(genders.get(key, ())) > 1) and f.gender:
                key = f"{key}|{f.gender}"  # "Mrs Doe" and "Mr Doe", no full name or the same one to join: two people
        elif key not in listed:
            key = _fuller_initials(key, by_surname) or key
        elif f.gender and len(genders.get(key, ())) > 1:
            key = f"{key}|{f.gender}"  # "Ms J Doe" and "Mr J Doe" in one list: two people of one name
        else:
            full = _spelled_out(key, by_surname)
            if full and (f.gender is None or genders.get(full, {f.gender}) == {f.gender}):
                key = full  # not "Mrs D Doe" of the list into the "Mr Derek Doe" of the prose
        if key not in merged:
            merged[key] = Found(f.name, f.role, f.organisation, f.start, f.end)
            continue
        m = merged[key]
        if key == fold(_PUNCTUATION.sub(" ", f.name)) and fold(_PUNCTUATION.sub(" ", m.name)) != key:
            m.name = f.name  # the short form came first: the record keeps the name the others are joined to
        if f.role:
            have = [r.strip() for r in (m.role or "").split(";") if r.strip()]
            for r in [r.strip() for r in f.role.split(";") if r.strip()]:
                if not any(fold(r) == fold(h) or fold(r) in fold(h) or token_set_ratio(fold(r), fold(h)) >= 80 for h in have):
                    have.append(r)
            m.role = "; ".join(have) if have else None
        if m.organisation is None and f.organisation:
            m.organisation = f.organisation
    return list(merged.values())


def _spelled_out(key: str, by_surname: dict[str, set[str]]) -> str | None:
    """'d murphy', 'r j thomas' (an attendance list) → 'derek murphy', 'rob thomas' when that is the one other name
    with the surname, a first name beginning with the list's first initial: the member the list names by initials, named in full
    where the minutes record what he did ('Mr Derek Murphy proposed …')."""
    toks = key.split()
    if len(toks) < 2 or any(len(t) != 1 for t in toks[:-1]):
        return None
    others = [k for k in by_surname.get(toks[-1], ()) if k != key]
    if len(others) != 1:
        return None
    other = others[0].split()
    return others[0] if len(other) == 2 and len(other[0]) > 1 and other[0][0] == toks[0] else None


def _fuller_initials(key: str, by_surname: dict[str, set[str]]) -> str | None:
    """'r thomas' → 'r j thomas' when that is the one name with the surname whose initials the short form's begin (the
    same person named with fewer initials: 'Mr R Doe, Cabinet Member …' after 'Mr R J Doe' in the attendance list)."""
    toks = key.split()
    inits = toks[:-1]
    if not all(len(t) == 1 for t in inits):
        return None
    fuller = [k for k in by_surname.get(toks[-1], ()) if k != key and all(len(t) == 1 for t in k.split()[:-1])
              and k.split()[:len(inits)] == inits]
    return fuller[0] if len(fuller) == 1 else None


def extract(ctx) -> Iterable[Record]:
    doc = ctx.document
    starts = [b.start for b in ctx.blocks]
    for f in find_people(ctx):
        i = bisect.bisect_right(starts, f.start) - 1
        block = ctx.blocks[i] if i >= 0 else None
        s, e = f.start, f.end
        if block is not None and block.start <= s < block.end:
            s, e = block.start, max(block.end, min(e, len(doc.text)))
        if e - s > 600:  # a long list: quote the line holding the name
            ls = doc.text.rfind("\n", 0, f.start) + 1
            le = doc.text.find("\n", f.start)
            s, e = ls, le if le != -1 else len(doc.text)
        yield PersonRecord(doc=doc.doc_id, name=f.name, role=f.role, organisation=f.organisation,
                           source=Source.span(doc.text, s, e, doc.page_at(s), block.section if block else None))
