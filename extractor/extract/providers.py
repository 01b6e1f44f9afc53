"""`provider` extractor, and the arrangement analysis shared with `services` and `contracts`.

A provider is an organisation named where the text states an arrangement:
right after a lead-in such as ``commissioned to`` / ``partnership with`` /
``sub-contractor,`` (optionally past descriptors like ``the new joint venture
company``), as the ``primary provider of … is X``, as ``X (who continue to
provide the … service)``, in ``provision of … by X``, after a provider noun naming its list
(``the two providers: X and Y``), in apposition beside an arrangement (``X, a
leading non-profit organisation, helped … by providing …``), or in the supplier
column of a contract-register table. A name holding "and" is two providers when
the paper names each part alone, or after a plural ``contracts with``. Lead-ins and kind cues are span-ruler patterns in
``models/rules/providers.jsonl`` (found once by the shared spaCy pipeline);
descriptors, stop names, name endings and register headers are word lists in
``models/rules/arrangement_words.csv``; this module says how they combine.
Aliases are bracketed abbreviations, initials used in the same paper (``BEP``),
expansions of an acronym name (``Customer Support Group`` for ``CSG``) and
shorter or ``… Company`` forms of the name. Kinds come from the lead-in
(``joint venture company``, ``sub-contractor``, ``the council's``), from what
the paper calls the provider (``, a registered charity``), from the register's
supplier-information column, else from the name's ending; ``company`` otherwise.

``analyse(ctx)`` is computed once per paper and shared by the three extractors:
units (paragraphs with wrapped lines joined, list items with their lead-in,
table rows), sentences with their cue spans, providers and every mention of them.
"""
from __future__ import annotations

import csv
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import cache, lru_cache

from ..nlp import SPANS_KEY, get_nlp, load_patterns
from ..quantities import NUMBER_WORDS
from ..records import ProviderRecord, Source
from ..regex_screen import LazyPattern, holds_any, holds_bounded, screen, screenable
from ..resources import models_dir

_WS = re.compile(r"\s+")
_DIGIT = re.compile(r"\d")

RULE_PACKS = ("providers", "services", "contracts")
KIND_PRIORITY = ["joint_venture", "subcontractor", "council_body", "partnership", "company"]


# ---------------------------------------------------------------- rule data

# Word lists read by regexes only (descriptors, stop names, table headers…): kept out of the span ruler,
# where words like "the" would only add spans for every extractor to wade through.
WORD_LISTS = "arrangement_words.csv"


@cache
def _phrase_rules() -> list[tuple[str, str, str]]:
    """(label, pattern, id) of every phrase in the arrangement rule packs and word lists, read once."""
    out = []
    for pack in RULE_PACKS:
        path = models_dir() / "rules" / f"{pack}.jsonl"
        if path.exists():
            out += [(p["label"], p["pattern"], p.get("id", "")) for p in load_patterns(path) if isinstance(p["pattern"], str)]
    path = models_dir() / "rules" / WORD_LISTS
    if path.exists():
        with open(path, encoding="utf-8", newline="") as fh:
            out += [(row["label"], row["pattern"], row.get("id") or "") for row in csv.DictReader(fh)]
    return out


@cache
def rules(label: str) -> list[tuple[str, str]]:
    """(pattern, id) pairs of one label from the arrangement rule packs and word lists in models/rules/."""
    return [(pattern, id_) for lab, pattern, id_ in _phrase_rules() if lab == label]


def phrases(label: str) -> list[str]:
    return [p for p, _ in rules(label)]


def alternation(words: list[str]) -> str:
    """A regex alternation of phrases, longest first, spaces matching any run of whitespace."""
    parts = sorted({w for w in words if w}, key=len, reverse=True)
    return "|".join(r"\s+".join(re.escape(t) for t in w.split()) for w in parts)


@cache
def lookup(label: str) -> dict[str, str]:
    """Folded phrase → id for one label."""
    return {fold(p): i for p, i in rules(label)}


_NOT_WORD = re.compile(r"[^\w\s'%/-]")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=4096)  # a pure function; names and cells are folded again and again while merging
def fold(text: str) -> str:
    """Lower case, ``&`` as ``and``, punctuation as spaces, single spaces: how names and cue words compare."""
    text = text.lower().replace("&", " and ").replace("’", "'")
    return _SPACES.sub(" ", _NOT_WORD.sub(" ", text)).strip()


# A capitalised name word: ``Babcock``, ``WM``, ``Clarity``, ``Re:``-free; connectors only between capitals.
_CAPITAL = r"(?:[A-Z][\w&’'\-]*[\w&]|[A-Z])"
CAP = rf"(?:{_CAPITAL}|[a-z]{{1,2}}[A-Z][\w&’'\-]*[\w&])"  # a name may open with a camel-case brand: "zTrip", "eBay"
_GAP = r"(?:[ \t]+|[ \t]*\n[ \t]*)"
_NEXT = rf"(?:{_CAPITAL}|\d+[A-Za-z][\w&]*)"  # later words may start with a digit: "Babcock 4S Limited"
# "Transdev on Demand", "Southend on Sea": "on" joins capitals, but not before a day or month ("Acme on Monday")
_ON = (r"on(?![ \t]+(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?\b)"
       r"(?![ \t]+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\b)")
ORG = (rf"{CAP}(?:(?:{_GAP}(?:(?:of|for|and|&|{_ON}){_GAP})?|[ \t]+\((?:UK|GB)\)[ \t]+)(?={_NEXT}){_NEXT}){{0,6}}"
       r"(?:,?[ \t]+(?:plc|ltd|llp|limited|PLC|Ltd|LLP|Limited|Inc|LLC|Corp)\b\.?)?")
ABBR = r"[A-Z][A-Za-z&]{1,9}"
ORG_RX = re.compile(ORG)
CAP_RX = re.compile(CAP)


@cache
def _descriptors() -> str:
    """Descriptor alternation: lower case as written in the rules, plus a capitalised sentence-initial "The"."""
    words = phrases("PROVIDER_DESCRIPTOR")
    return alternation(words + [w[0].upper() + w[1:] for w in words if w in ("the",)])


@cache
def after_cue() -> re.Pattern:
    """What follows a provider lead-in the span ruler found: optional descriptors, the name, an abbreviation."""
    return re.compile(
        rf"[ \t]*[,:]?\s+(?P<desc>(?:(?:{_descriptors()})\s+){{0,4}})"
        rf"(?P<name>{ORG})(?:\s*\((?P<abbr>{ABBR})\))?")


# ", Metro Transportation", " and Uber Transit": more names coordinated with the first after a lead-in
MORE_NAMES = re.compile(rf"\s*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)(?P<name>{ORG})(?:\s*\((?P<abbr>{ABBR})\))?")

# "enter into a six-month contract extension with X", "award contract No. 12 to X": a contract noun, then up to
# five words (a reference, "extension"), then "with"/"to" and the name; later names coordinate as after a cue
GAPPED_CONTRACT_CUE = re.compile(
    r"(?i:\b(?P<cue>contracts?|contract\s+extensions?)\b(?:\s+(?:no\.|[^\s.;:,()]+)){0,5}?\s+(?:with|to)\s+)"
    r"(?P<desc>(?:the\s+)?)(?P<name>" + ORG + r")(?:\s*\((?P<abbr>" + ABBR + r")\))?")

# "The council commissions two providers to deliver Youth Hub services: Northgate Youth Hub in Eastby and Riverside …"
PROVIDER_LIST = re.compile(
    r"(?i:\b(?:commissions?|commissioned|contracts?\s+with|appointed|uses?)\s+(?:\w+\s+)?(?:external\s+)?"
    r"(?:providers?|organisations?|suppliers?|contractors?|partners?)\s+to\s+(?:deliver|provide|run|operate)\s+)"
    r"(?P<svc>[^:.;]{3,80}):\s*(?P<list>[^.;]+)")


PROVIDER_LIST_WORDS = screen(PROVIDER_LIST)

_COUNT = alternation([w for w in NUMBER_WORDS if " " not in w and NUMBER_WORDS[w] >= 2]) + r"|\d{1,2}"
_DETERMINER = r"the|these|those|both|our|its|their"


@cache
def named_list() -> re.Pattern:
    """ "the two providers: Eastgate and Brookside", "both contractors, Acme Ltd and Beta Group,": a provider noun
    (``PROVIDER_LIST_NOUN``, in lower case: "the Provider Association" is a name) after a determiner or a count,
    then the names it stands for. Tried only on sentences where the span ruler found one of the nouns."""
    nouns = alternation(phrases("PROVIDER_LIST_NOUN"))
    return re.compile(
        rf"(?i:\b(?:(?:{_DETERMINER})\s+|(?=(?:{_COUNT})\s))(?:(?P<count>{_COUNT})\s+)?)(?:[A-Za-z][\w'’-]*\s+){{0,2}}?"
        rf"(?P<cue>{nouns})[ \t]*[:,]?\s+(?P<desc>)(?P<name>{ORG})(?:\s*\((?P<abbr>{ABBR})\))?")


@cache
def _noun_then_capital() -> re.Pattern:
    """What every ``named_list`` match holds: a provider noun, then a capital (searched first: far cheaper)."""
    return re.compile(rf"(?:{alternation(phrases('PROVIDER_LIST_NOUN'))})[ \t]*[:,]?\s+[A-Za-z]{{0,2}}[A-Z]")


def _count(word: str | None) -> int | None:
    if not word:
        return None
    return int(word) if word.isdigit() else NUMBER_WORDS.get(word.lower())


@cache
def _appositive_nouns(which: str | None = None) -> str:
    """What a paper calls an organisation in apposition (``PROVIDER_APPOSITIVE_NOUN``): all, or those of one id
    ("provider": the appositive alone names a provider, a span-ruler cue in providers.jsonl; "kind": it only tells
    the kind of one named otherwise, a word list in arrangement_words.csv)."""
    return alternation([p for p, i in rules("PROVIDER_APPOSITIVE_NOUN") if which is None or i == which])


# what may follow the appositive noun: the end of the aside, or the words going on to describe the body
_APPOSITIVE_END = (r"(?=\s*[,.;:)]|\s*$|\s+(?:based|which|that|who|whose|with|in|from|registered|providing|delivering|"
                   r"running|funded|set\s+up|established|and)\b)")


@cache
def appositive_parts() -> tuple[re.Pattern, re.Pattern]:
    """ "Reusit, a leading non-profit organisation, helped …", "Sortit, a company based in Eastby": the name, then
    what the paper calls it (the pattern, and apart what must follow the name: it opens with its comma, so re
    scans for that, far faster than trying a name at every capital). Tried only on sentences where the span ruler
    found one of the description nouns (``PROVIDER_APPOSITIVE_NOUN``)."""
    rest = rf",\s+(?i:(?:a|an)\s+(?:[\w'’-]+\s+){{0,3}}?(?P<cue>{_appositive_nouns('provider')})){_APPOSITIVE_END}"
    return re.compile(rf"(?P<desc>)(?P<name>{ORG})[ \t]*{rest}"), re.compile(rest)


@cache
def _activity() -> re.Pattern:
    """A word saying the council arranged the work (``PROVIDER_ARRANGED``: "commissioned") or a contract noun."""
    words = phrases("PROVIDER_ARRANGED") + [p for p in phrases("CONTRACT_NOUN") if p not in ("term", "commission")]
    return re.compile(rf"(?i)\b(?:{alternation(words)})s?\b")


def _arranged_near(sentences: list[Sentence], si: int) -> bool:
    """An appositive names a provider only where an arrangement is spoken of: in its sentence or the one before
    (in the same paragraph): "The recycling contract was extended. Acme, a charity, helped …"; not "Age UK, a
    charity, provides advice" (a body doing its own work)."""
    s = sentences[si]
    if _activity().search(s.text):
        return True
    prev = sentences[si - 1] if si > 0 else None
    return prev is not None and prev.unit == s.unit and _activity().search(prev.text) is not None


def may_list_providers(text: str) -> bool:
    """False only when ``text`` lacks every provider noun ``PROVIDER_LIST`` needs (``regex_screen``)."""
    lowered = screenable(text)
    return lowered is None or PROVIDER_LIST_WORDS is None or holds_any(lowered, PROVIDER_LIST_WORDS)


# words a sentence must hold for each special regex to be worth running
SPECIAL_NEEDS = [("provider of", "supplier of", "contractor of", "partner of", "provider for", "supplier for",
                  "contractor for", "partner for"), ("provision of", "delivery of"), ("appointed",),
                 ("commissioned", "contracted"), ("who ", "which "),
                 ("contractor", "provider", "supplier", "partner", "operator")]


def _shortest_forms(words: list[str]) -> tuple[str, ...]:
    """The words containing no other: a text holds one of ``words`` exactly when it holds one of these."""
    return tuple(w for w in dict.fromkeys(words) if not any(o != w and o in w for o in words))


# a sentence holding none of those words (most sentences) needs no test pattern by pattern
ANY_SPECIAL_NEED = _shortest_forms([word for needs in SPECIAL_NEEDS for word in needs])


@cache
def _special_parts() -> list[tuple[str, str | None]]:
    """Each special pattern as (opening, rest), the rest given apart when the pattern opens with a bare name."""
    desc = rf"(?P<desc>(?:(?:{_descriptors()})\s+){{0,4}})"
    name = rf"(?P<name>{ORG})"
    return [
        # "The primary provider of SCC commissioned education support services is Entrust"
        (rf"(?i:\b(?:main|primary|principal|lead|sole|key)\s+(?P<cue>provider|supplier|contractor|partner)\s+"
         rf"(?:of|for)\s+(?P<svc>[^.;:]{{2,90}}?)\s+(?:is|was|will\s+be|are)\s+){desc}(?P<name>{ORG})"
         rf"(?:\s*\((?P<abbr>{ABBR})\))?", None),
        # "the provision of SEN Transport by the council's Passenger Transport Service (PTS)"
        (rf"(?i:\b(?P<cue>provision|delivery)\s+of\s+(?P<svc>[^.;:()]{{2,80}}?)\s+by\s+){desc}(?P<name>{ORG})"
         rf"(?:\s*\((?P<abbr>{ABBR})\))?", None),
        # "Kier were appointed as the council's highways contractor"
        (name, rf"\s+(?:was|were|has\s+been|have\s+been|is|are)\s+(?i:appointed\s+(?:as\s+)?"
               rf"(?:the\s+|a\s+)?(?:(?:council|authority|county\s+council)['’]s\s+)?(?:new\s+)?(?:[\w-]+\s+){{0,3}}?"
               rf"(?P<cue>contractor|provider|partner|supplier|operator)\b)"),
        # "Healthwatch Kent is commissioned by the Council to provide independent advice", "Acme was commissioned to run …"
        (name, rf"\s+(?:is|are|was|were|has\s+been|have\s+been)\s+(?i:(?P<cue>commissioned|contracted)"
               rf"(?:\s+by\s+(?:the\s+)?(?:county\s+|city\s+|borough\s+|district\s+)?(?:council|authority))?\s+to\s+"
               rf"(?:provide|deliver|run|operate)\s+(?:the\s+|an?\s+)?(?P<svc>[^.;,()]{{3,80}}?))(?=\s*[.;,()]|\s+(?:for|to|in|on|from|until)\b|$)"),
        # "CSG (who continue to provide the IT service to …)"
        (name, rf"\s*(?:\(\s*|,\s*)(?i:(?P<cue>who|which)\s+(?:\w+\s+){{0,2}}?"
               rf"(?:provides?|delivers?|runs?|supplies?|operates?)\s+(?:the\s+)?(?P<svc>[^.;:()]{{2,80}}?\bservices?\b))"),
        # "Mears Group, the council's responsive repairs and voids contractor"
        (name, rf",\s+(?:the|a|an|its|their)\s+(?:(?:council|authority|county\s+council|city\s+council)['’]s\s+)?"
               rf"(?:[\w-]+\s+){{0,5}}?(?P<cue>contractor|provider|supplier|partner|operator|sub-?contractor)\b"
               rf"(?=\s*(?:[,.;:)]|$)|\s+(?:for|since|who|which|that|and|to|under|until)\b)"),
    ]


@cache
def special_regexes() -> list[LazyPattern]:
    """Provider statements that are not a lead-in followed by the name (each compiled when a sentence first
    passes its tests: most papers have none that does)."""
    return [LazyPattern(opening + (rest or "")) for opening, rest in _special_parts()]


@cache
def special_rests() -> list[LazyPattern | None]:
    """For each special pattern opening with a bare name, what must follow the name (else None).

    Searching a sentence for a name first tries every capital and every shorter run of capitals;
    the rest is searched far faster, and where it matches nowhere the whole pattern cannot match.
    """
    return [LazyPattern(rest) if rest else None for _, rest in _special_parts()]


@cache
def special_tests() -> list[tuple[LazyPattern, tuple[str, ...], tuple[str, ...] | None, LazyPattern | None]]:
    """Each special pattern with the tests a sentence must pass first: one of its SPECIAL_NEEDS, one of the
    words every match holds (``regex_screen.screen``: "service" after "who provides"), and its rest."""
    return list(zip(special_regexes(), SPECIAL_NEEDS, map(screen, special_regexes()), special_rests()))


# ---------------------------------------------------------------- units and sentences

@dataclass
class Unit:
    """A paragraph, list item or heading, with wrapped lines joined, or a table row."""

    kind: str
    start: int
    end: int
    page: int | None
    section: str | None
    lead_in: int | None = None  # unit index of the paragraph introducing this list item
    block: int = 0
    cells: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class Sentence:
    start: int
    end: int
    unit: int
    text: str
    cues: list[tuple[str, str, int, int]] = field(default_factory=list)  # (label, id, start, end) in doc offsets

    def has(self, label: str) -> bool:
        return any(c[0] == label for c in self.cues)

    def ids(self, label: str) -> list[str]:
        return [c[1] for c in self.cues if c[0] == label]


@dataclass
class Mention:
    start: int
    end: int
    provider: str  # canonical name


@dataclass
class Candidate:
    name: str
    start: int
    end: int
    sentence: int | None  # sentence index, or None for a table row
    unit: int
    kinds: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    info: str | None = None  # register "Supplier Information" cell


@dataclass
class ProviderInfo:
    name: str
    kind: str | None
    aliases: list[str]
    first: Candidate
    from_table: bool


@dataclass
class Analysis:
    text: str
    units: list[Unit]
    sentences: list[Sentence]
    providers: dict[str, ProviderInfo]
    mentions: list[Mention]
    registers: list["RegisterRow"]
    # sentence indices holding a span-ruler cue of each rare label (SCREENED_LABELS): a set lookup, not a cue scan
    cued: dict[str, set[int]] = field(default_factory=dict)

    def sentence_source(self, s: Sentence) -> Source:
        u = self.units[s.unit]
        return Source.span(self.text, s.start, s.end, u.page, u.section)

    def unit_source(self, index: int) -> Source:
        u = self.units[index]
        return Source.span(self.text, u.start, u.end, u.page, u.section)

    def providers_in(self, start: int, end: int) -> list[str]:
        """Providers named between two offsets, in order of first mention."""
        seen = []
        starts = self._starts
        for m in self.mentions[bisect_left(starts, start):bisect_left(starts, end)]:
            if m.provider not in seen:
                seen.append(m.provider)
        return seen

    def last_provider_before(self, offset: int, prose_only: bool = True) -> str | None:
        """The provider named last before ``offset`` (prose providers only, unless told)."""
        for m in reversed(self.mentions[:bisect_left(self._starts, offset)]):
            if not prose_only or not self.providers[m.provider].from_table:
                return m.provider
        return None

    @property
    def _starts(self) -> list[int]:
        starts = self.__dict__.get("_mention_starts")
        if starts is None:
            starts = self.__dict__["_mention_starts"] = [m.start for m in self.mentions]
        return starts

    def introduced_next(self, si: int) -> str | None:
        """The one provider the sentence after sentence ``si``, in the same paragraph, names for the first time in
        the paper: "The X contract was extended … Acme, a charity, helped …" speaks of Acme's contract."""
        if si + 1 >= len(self.sentences) or self.sentences[si + 1].unit != self.sentences[si].unit:
            return None
        nxt = self.sentences[si + 1]
        named = self.providers_in(nxt.start, nxt.end)
        if len(named) != 1 or self.providers[named[0]].from_table or self.providers[named[0]].first.sentence != si + 1:
            return None
        return named[0]

    def dominant_provider(self) -> str | None:
        """The prose provider named most often."""
        counts = Counter(m.provider for m in self.mentions if not self.providers[m.provider].from_table)
        return counts.most_common(1)[0][0] if counts else None

    def paper_provider(self) -> str | None:
        """The provider the paper is about: named at least three times and in at least half the provider mentions."""
        counts = Counter(m.provider for m in self.mentions if not self.providers[m.provider].from_table)
        if not counts:
            return None
        key, n = counts.most_common(1)[0]
        return key if n >= 3 and n * 2 >= sum(counts.values()) else None


_END_PUNCT = ".:;!?"
# what opens a new paragraph; matched at a block's start (``match(text, start, end)``, so no ``^``)
_STARTS_NEW = re.compile(r"\s*(?:[-*•·▪◦●○■□➢➤►‣⁃–]|\d+(?:\.\d+)*[.)]?\s|[a-z][.)]\s|\([a-z0-9ivx]+\)|#)")


def _ends_sentence(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` ends in ``.:;!?`` and spaces (looking back from its end, not through it)."""
    while end > start and text[end - 1].isspace():
        end -= 1
    return end > start and text[end - 1] in _END_PUNCT


def _units(ctx) -> tuple[list[Unit], dict[int, int]]:
    """Join wrapped lines of one paragraph (PDF text) into one unit; map block index → unit index."""
    text = ctx.document.text
    units: list[Unit] = []
    of_block: dict[int, int] = {}
    for i, b in enumerate(ctx.blocks):
        prev = units[-1] if units else None
        joinable = (
            prev is not None and b.kind == "paragraph" and prev.kind in ("paragraph", "list_item")
            and b.number is None and b.page == prev.page and "\n\n" not in text[prev.end:b.start]
            and not _ends_sentence(text, prev.start, prev.end)
            and not _STARTS_NEW.match(text, b.start, b.end))
        if joinable:
            prev.end = b.end
            of_block[i] = len(units) - 1
            continue
        lead = of_block.get(b.lead_in) if b.lead_in is not None else None
        units.append(Unit(b.kind, b.start, b.end, b.page, b.section, lead, i, list(b.cells)))
        of_block[i] = len(units) - 1
    return units, of_block


_MY_LABELS = None


def _my_labels() -> set[str]:
    """The span-ruler labels of the arrangement rule packs."""
    global _MY_LABELS
    if _MY_LABELS is None:
        labels = set()
        for pack in RULE_PACKS:
            path = models_dir() / "rules" / f"{pack}.jsonl"
            if path.exists():
                labels |= {p["label"] for p in load_patterns(path)}
        _MY_LABELS = labels
    return _MY_LABELS


# "contract No. 12 to X", "X, Inc. (XI), for": a full stop after an abbreviation, before no capital, ends no sentence
_ABBREVIATION_END = re.compile(r"\b(?:No|Nos|Inc|Ltd|Co|Corp)\.\s*$")


def _sentences_from_shared(ctx, text: str, units: list[Unit]) -> list[Sentence]:
    """Sentences of every non-table unit cut from the context's one parse of the whole text, with their cue spans."""
    starts = ctx.sentence_starts()
    cues = sorted((start, end, label, id_) for label in _my_labels()
                  for start, end, id_, _ in ctx.rule_matches(label))
    cue_starts = [c[0] for c in cues]
    out: list[Sentence] = []
    for i, u in enumerate(units):
        if u.kind == "table_row":
            continue
        inner = [p for p in starts[bisect_right(starts, u.start):bisect_left(starts, u.end)]
                 if text[p:p + 1].isupper() or not _ABBREVIATION_END.search(text, max(0, p - 8), p)]
        points = [u.start, *inner, u.end]
        for a, b in zip(points, points[1:]):
            while a < b and text[a].isspace():
                a += 1
            while b > a and text[b - 1].isspace():
                b -= 1
            if a >= b:
                continue
            first = bisect_left(cue_starts, a)
            after = bisect_left(cue_starts, b, first)
            inside = [(label, id_, cs, ce) for cs, ce, label, id_ in cues[first:after] if ce <= b] if after > first else []
            out.append(Sentence(a, b, i, text[a:b], inside))
    return out


def _sentences(text: str, units: list[Unit]) -> list[Sentence]:
    """Sentences of every non-table unit, with the arrangement cue spans the span ruler found."""
    nlp = get_nlp()
    labels = _my_labels()
    todo = [(i, u) for i, u in enumerate(units) if u.kind != "table_row"]
    out: list[Sentence] = []
    for (i, u), doc in zip(todo, nlp.pipe((text[u.start:u.end] for _, u in todo), batch_size=256)):
        spans = [s for s in doc.spans.get(SPANS_KEY, []) if s.label_ in labels] if SPANS_KEY in doc.spans else []
        for sent in doc.sents:
            s_start, s_end = u.start + sent.start_char, u.start + sent.end_char
            cues = [(sp.label_, sp.id_, u.start + sp.start_char, u.start + sp.end_char)
                    for sp in spans if sent.start <= sp.start and sp.end <= sent.end]
            out.append(Sentence(s_start, s_end, i, text[s_start:s_end], cues))
    return out


# ---------------------------------------------------------------- provider names

_TRAILING = re.compile(r"(?:['’]s|['’])$")


def clean_name(name: str) -> str:
    name = _WS.sub(" ", name).strip(" ,.;:-")
    return _TRAILING.sub("", name).strip()


@cache
def _not_provider() -> set[str]:
    return {fold(p) for p in phrases("NOT_PROVIDER")}


@cache
def _not_provider_words(position: str) -> set[str]:
    return {fold(p) for p, where in rules("NOT_PROVIDER_WORD") if where == position}


def acceptable_name(name: str) -> bool:
    """A name found after a lead-in that could be a provider (not the council, a month, a committee, a budget)."""
    f = fold(name)
    if not f or len(f) < 2 or f in _not_provider():
        return False
    words = f.split()
    if words[0] in _not_provider_words("first") or words[-1] in _not_provider_words("last"):
        return False
    if words[0] in ("the", "a", "an") and " ".join(words[1:]) in _not_provider():
        return False
    return not name.isdigit()


_NAME_WORD = re.compile(r"[A-Za-z][\w’'\-]*")


def initials(name: str) -> str:
    return "".join(w[0] for w in _NAME_WORD.findall(name) if w[0].isupper())


@lru_cache(maxsize=4096)  # a pure function of a short cue phrase or cell, and the same phrases recur
def kind_from_phrase(text: str) -> str | None | bool:
    """The kind a cue phrase or register cell gives (``False`` when it says nothing)."""
    f = fold(text)
    best, best_len = False, 0
    for phrase, kind in lookup("PROVIDER_KIND").items():
        if len(phrase) > best_len and phrase in f and holds_bounded(f, phrase):
            best, best_len = (None if kind == "null" else kind), len(phrase)
    return best


def kind_from_name(name: str) -> str | None | bool:
    f = fold(name)
    best, best_len = False, 0
    for suffix, kind in lookup("ORG_SUFFIX").items():
        if (f == suffix or f.endswith(" " + suffix)) and len(suffix) > best_len and f != suffix:
            best, best_len = (None if kind == "null" else kind), len(suffix)
    return best


_SERVICE_BEFORE = re.compile(r"(?i)\bservices?\b")
_COLLABORATING = re.compile(r"(?i)\b(?:in|jointly|closely)\s*$")


@cache
def _money_before() -> re.Pattern:
    return re.compile(rf"(?i)\b(?:{alternation(phrases('PROVIDER_CUE_BLOCKER'))})\b")


@cache
def _contract_noun() -> re.Pattern:
    return re.compile(rf"(?i)\b(?:{alternation([p for p in phrases('CONTRACT_NOUN') if p not in ('term', 'commission')])})s?\b")


def _cue_allows(s: Sentence, cue: str, at: int) -> bool:
    """Weak lead-ins ("provided by") need a service before them; "in partnership with" is collaboration."""
    strength = lookup("PROVIDER_CUE").get(fold(cue), "strong")
    before = s.text[max(0, at - 100):at]
    if _money_before().search(before[-50:]):
        return False  # "the school budget being transferred to …" moves money, not a service
    if strength == "weak":
        return bool(_SERVICE_BEFORE.search(before) or _contract_noun().search(s.text))
    if strength == "collab":
        return not _COLLABORATING.search(before)
    return True


# a name followed by one of these nouns modifies them: "moved to Family Hub contracts" names no provider
_MODIFIED_NOUN = re.compile(r"\s+(?:contracts?|services?|programmes?|model|budgets?|network|sites?|buildings?|"
                            r"provision|funding|grants?|scheme|policy|strategy|plan)\b")


def _listed_after(s: Sentence, si: int, pos: int, kinds: list[str]) -> list[Candidate]:
    """The further names listed from ``pos`` on (", B and C"), up to the first that is not a provider's name."""
    out = []
    while (more := MORE_NAMES.match(s.text, pos)) is not None:
        extra = _candidate(s, si, more, kinds)
        if extra is None:
            break
        out.append(extra)
        pos = more.end()
    return out


def _candidate(s: Sentence, si: int, m: re.Match, kinds: list[str]) -> Candidate | None:
    name = clean_name(m.group("name"))
    if not acceptable_name(name) or _MODIFIED_NOUN.match(s.text, m.end("name")):
        return None
    start = s.start + m.start("name")
    abbr = m.groupdict().get("abbr")
    if abbr and abbr[0] != name[0]:
        abbr = None  # "(UK)" after "Veolia ES" is no abbreviation of it
    return Candidate(name, start, start + len(m.group("name").rstrip()), si, s.unit, list(kinds),
                     [abbr] if abbr and abbr != name else [])


def _split_and(c: Candidate) -> list[Candidate]:
    parts = c.name.split(" and ")
    if len(parts) != 2 or not all(CAP_RX.match(p) for p in parts):
        return [c]
    second = c.start + len(parts[0]) + len(" and ")
    return [Candidate(parts[0], c.start, c.start + len(parts[0]), c.sentence, c.unit, list(c.kinds)),
            Candidate(parts[1], second, c.end, c.sentence, c.unit, list(c.kinds), list(c.aliases))]


def _alone(text: str, part: str, other: str) -> bool:
    """Whether ``part`` is named somewhere in ``text`` as a word of its own, not coordinated with ``other``."""
    at = text.find(part)
    while at >= 0:
        end = at + len(part)
        if not (at > 0 and _WORD_OR_HYPHEN.match(text, at - 1)) and not _WORD_OR_HYPHEN.match(text, end) \
                and not text.startswith(" and " + other, end) and not text.endswith(other + " and ", 0, at):
            return True
        at = text.find(part, end)
    return False


def _split_coordinated(text: str, candidates: list[Candidate]) -> list[Candidate]:
    """ "a contract with Brightway and Northfield Care": one name holding "and" is two bodies when the paper names each
    part on its own elsewhere ("Marks and Spencer", "Fire and Rescue Service" stay whole)."""
    out = []
    for c in candidates:
        parts = c.name.split(" and ")
        if len(parts) == 2 and all(CAP_RX.match(p) for p in parts) and _alone(text, parts[0], parts[1]) \
                and _alone(text, parts[1], parts[0]):
            out += _split_and(c)
        else:
            out.append(c)
    return out


_NAME_LIST_SPLIT = re.compile(r",\s*(?:and\s+)?|\s+and\s+")  # "A, B and C" → A | B | C


def _plural_cue(cue: str) -> bool:
    """ "contracts with", "agreements with": a lead-in opening with a plural contract noun names several bodies."""
    first = fold(cue).split()[0] if cue.strip() else ""
    return first.endswith("s") and first[:-1] in _contract_nouns()


@cache
def _contract_nouns() -> frozenset[str]:
    return frozenset(fold(p) for p in phrases("CONTRACT_NOUN"))


def _named_list(s: Sentence, si: int) -> list[Candidate]:
    """The providers a provider noun names: "the two providers: A and B" (as many names as the count says)."""
    out = []
    if not _noun_then_capital().search(s.text):
        return out
    for m in named_list().finditer(s.text):
        kind = kind_from_phrase(m.group("cue"))
        kinds = [kind] if kind not in (False, None) else []
        first = _candidate(s, si, m, kinds)
        if first is None:
            continue
        found = [first, *_listed_after(s, si, m.end(), kinds)]
        found = [part for f in found for part in _split_and(f)]  # a plural noun names several: "A and B" is two
        count = _count(m.group("count")) or (2 if m.group(0).lower().startswith("both") else None)
        if count is not None and len(found) != count:
            continue  # "the two providers: …" naming three things names something else
        out += found
    return out


# cue labels few sentences hold, each screening a pattern: "providers" before a list, "a charity" after a name
SCREENED_LABELS = ("PROVIDER_LIST_NOUN", "PROVIDER_APPOSITIVE_NOUN")


def _cued_sentences(ctx, sentences: list[Sentence]) -> dict[str, set[int]]:
    """For each of SCREENED_LABELS, the indices of the sentences holding one of its cues (for the appositive nouns,
    one naming a provider): found from the few matches of the shared parse, not by reading every sentence's cues."""
    cued: dict[str, set[int]] = {}
    if not hasattr(type(ctx), "sentence_starts"):  # (sentences from our own parse: read their cues)
        for label in SCREENED_LABELS:
            cued[label] = {i for i, s in enumerate(sentences)
                           if any(c[0] == label and (c[1] == "provider" or label != "PROVIDER_APPOSITIVE_NOUN")
                                  for c in s.cues)}
        return cued
    starts = [s.start for s in sentences]
    for label in SCREENED_LABELS:
        found = cued[label] = set()
        for start, end, id_, _ in ctx.rule_matches(label):
            if label == "PROVIDER_APPOSITIVE_NOUN" and id_ != "provider":
                continue
            k = bisect_right(starts, start) - 1
            if k >= 0 and end <= sentences[k].end:
                found.add(k)
    return cued


def _prose_candidates(sentences: list[Sentence], cued: dict[str, set[int]]) -> list[Candidate]:
    out = []
    listing, described = cued["PROVIDER_LIST_NOUN"], cued["PROVIDER_APPOSITIVE_NOUN"]
    for si, s in enumerate(sentences):
        matches = []
        for label, _, cue_start, cue_end in s.cues:
            if label != "PROVIDER_CUE":
                continue
            cue = s.text[cue_start - s.start:cue_end - s.start]
            m = after_cue().match(s.text, cue_end - s.start)
            if m is not None and _cue_allows(s, cue, cue_start - s.start):
                matches.append((cue, m, True))
        low = s.text.lower()
        if "contract" in low:
            taken = {m.start("name") for _, m, _ in matches}
            matches += [("contract with", m, True) for m in GAPPED_CONTRACT_CUE.finditer(s.text)
                        if m.start("name") not in taken and not _money_before().search(s.text[max(0, m.start() - 50):m.start()])]
        if holds_any(low, ANY_SPECIAL_NEED):
            lowered = screenable(s.text)  # None when a character folds unlike its lower case: no word screen
            for rx, needs, words, rest in special_tests():
                if not holds_any(low, needs) or lowered is not None and words and not holds_any(lowered, words):
                    continue
                if rest is None or rest.search(s.text):
                    matches += [(m.group("cue"), m, False) for m in rx.finditer(s.text)]
        # (the provider nouns and appositive descriptions are span-ruler cues: most sentences hold neither)
        if si in described:
            whole, rest = appositive_parts()
            if rest.search(s.text) and _arranged_near(sentences, si):
                matches += [(m.group("cue"), m, False) for m in whole.finditer(s.text)]
        for cue, m, listed in matches:
            kinds = []
            for part in (cue, m.groupdict().get("desc") or ""):
                k = kind_from_phrase(part)
                if k is not False and k is not None:
                    kinds.append(k)
            c = _candidate(s, si, m, kinds)
            if c is None:
                continue
            found = [c]
            if listed:
                found += _listed_after(s, si, m.end(), kinds)
            if len(found) > 1 or _plural_cue(cue):
                # in a list of names, or after "contracts with", "A and B" is two names, not one
                found = [part for f in found for part in _split_and(f)]
            out += found
        if si in listing:
            out += _named_list(s, si)
        if ":" not in s.text or not may_list_providers(s.text):
            continue  # no colon before a list, or none of the provider nouns
        for m in PROVIDER_LIST.finditer(s.text):
            offset = m.start("list")
            for part in _NAME_LIST_SPLIT.split(m.group("list")):
                at = s.text.find(part, offset)
                offset = at + len(part) if at >= 0 else offset
                named = ORG_RX.match(part.strip())
                if at < 0 or named is None or not acceptable_name(clean_name(named.group(0))):
                    continue
                lead = at + (len(part) - len(part.lstrip()))
                out.append(Candidate(clean_name(named.group(0)), s.start + lead, s.start + lead + len(named.group(0)),
                                     si, s.unit, []))
    return out


# ---------------------------------------------------------------- register tables

@dataclass
class RegisterRow:
    unit: int
    fields: dict[str, tuple[int, int]]  # field → (start, end) of the cell in the document text
    headers: dict[str, str]  # field → header text as printed

    def cell(self, text: str, name: str) -> str | None:
        span = self.fields.get(name)
        if span is None:
            return None
        value = _WS.sub(" ", text[span[0]:span[1]]).strip()
        return value or None


@cache
def _header_fields() -> dict[str, str]:
    return {fold(p): f for p, f in rules("REGISTER_HEADER")}


_LONG_NUMBER = re.compile(r"\d{3,}")
_THREE_LETTERS = re.compile(r"[a-z]{3}")


@lru_cache(maxsize=4096)  # a pure function of the cell; tables repeat their headers, contracts reads them again
def header_field(cell: str) -> str | None:
    """The register field a header cell names (longest matching header phrase), or None."""
    f = fold(cell)
    if not f or len(f) > 160 or _LONG_NUMBER.search(f.replace("/", "")) and not _THREE_LETTERS.search(f):
        return None
    found = [p for p in _header_fields() if p in f and holds_bounded(f, p)]
    return _header_fields()[max(found, key=len)] if found else None


_PROVIDER_HEADER = re.compile(r"\b(?:supplier|provider|contractor)")


def _header_map(text: str, unit: Unit) -> dict[str, int] | None:
    """Field → column index, when this row is a register header (names a service and a provider column)."""
    mapping: dict[str, int] = {}
    if sum(bool(_DIGIT.search(text, a, b)) for a, b in unit.cells) * 2 > len(unit.cells):
        return None  # a data row, not a header
    for col, (a, b) in enumerate(unit.cells):
        name = header_field(text[a:b])
        if name and name not in mapping:
            mapping[name] = col
    if "service" in mapping and "provider" in mapping:
        provider_header = fold(text[slice(*unit.cells[mapping["provider"]])])
        # two columns are a register only when they say supplier/provider outright (not "Organisation | Title")
        if len(mapping) >= 3 or _PROVIDER_HEADER.search(provider_header):
            return mapping
    return None


def _register_rows(text: str, units: list[Unit]) -> list[RegisterRow]:
    rows: list[RegisterRow] = []
    header: dict[str, int] | None = None
    header_text: dict[str, str] = {}
    width = 0
    for i, u in enumerate(units):
        if u.kind != "table_row":
            continue
        found = _header_map(text, u)
        if found:
            header, width = found, len(u.cells)
            header_text = {f: _WS.sub(" ", text[slice(*u.cells[c])]).strip() for f, c in found.items()}
            continue
        if header is None:
            continue
        if abs(len(u.cells) - width) > 1:
            continue
        fields = {f: u.cells[c] for f, c in header.items() if c < len(u.cells)}
        row = RegisterRow(i, fields, header_text)
        if row.cell(text, "service") and row.cell(text, "provider"):
            rows.append(row)
    return rows


# ---------------------------------------------------------------- the analysis

_IN_HOUSE_UNIT = re.compile(r"\b(?:team|teams|service|services|unit|department|directorate|division)$")


def _in_house_unit(name: str, own: set[str]) -> bool:
    """ "KCC Family Hub Team": a team of the paper's own council, which delivers in-house under no arrangement."""
    f = fold(name)
    return bool(_IN_HOUSE_UNIT.search(f)) and any(f.startswith(o + " ") for o in own)


_LETTER = re.compile(r"[A-Za-z]")


def analyse(ctx) -> Analysis:
    """Units, sentences, providers and their mentions for one paper; computed once per context."""
    cached = getattr(ctx, "_arrangements", None)
    if cached is not None:
        return cached
    text = ctx.document.text
    units, _ = _units(ctx)
    # the context's shared parse when it offers one (parsed once for every extractor), else our own per unit
    sentences = (_sentences_from_shared(ctx, text, units) if hasattr(type(ctx), "sentence_starts")
                 else _sentences(text, units))
    registers = _register_rows(text, units)
    cued = _cued_sentences(ctx, sentences)
    candidates = _split_coordinated(text, _prose_candidates(sentences, cued))
    for row in registers:
        name = clean_name(row.cell(text, "provider") or "")
        if not name or not _LETTER.search(name):
            continue
        a, b = row.fields["provider"]
        candidates.append(Candidate(name, a, b, None, row.unit, [], [], row.cell(text, "provider_info")))
    own = _own_council_forms(ctx, text)
    candidates = [c for c in candidates if c.sentence is None or not (
        fold(c.name) in own or (_in_house_unit(c.name, own) and not _contract_noun().search(sentences[c.sentence].text)))]
    providers = _merge(text, sentences, candidates)
    mentions = _mentions(text, providers)
    _kinds_from_context(text, sentences, providers, mentions)
    result = Analysis(text, units, sentences, providers, mentions, registers, cued)
    ctx._arrangements = result
    return result


# "Kent County Council": ``\b(?:[A-Z][a-z]+\s+){1,3}…Council\b`` opening with its capital, so re skips to capitals
_COUNCIL_NAME = re.compile(r"[A-Z](?<!\w[A-Z])[a-z]+\s+(?:[A-Z][a-z]+\s+){0,2}"
                           r"(?:County|City|Borough|District|Town|Metropolitan)?\s*Council\b")
_NOT_IN_COUNCIL_NAME = re.compile(r"[^A-Za-z\s]")  # a council name holds only letters and spaces
_SEPARATORS = ".,;:()"  # frequent characters that no council name holds


def _council_names(text: str) -> list[str]:
    r"""What ``_COUNCIL_NAME.finditer(text)`` matches, searched only near each "Council".

    A match holds only letters and spaces, so it lies within one stretch of them holding "Council":
    each such stretch is searched (from the last separator before it, through the character after it
    for the closing ``\b``), not the whole paper.
    """
    found = []
    searched = 0  # the text before this offset has been searched
    at = text.find("Council")
    while at >= 0:
        after = _NOT_IN_COUNCIL_NAME.search(text, at)
        stop = after.end() if after else len(text)
        start = max([searched] + [text.rfind(sep, searched, at) + 1 for sep in _SEPARATORS])
        found += [m.group(0) for m in _COUNCIL_NAME.finditer(text, start, stop)]
        searched = stop
        at = text.find("Council", stop)
    return found


def _own_council_forms(ctx, text: str) -> set[str]:
    """Folded names and acronyms the paper uses for its own council (``KCC`` for Kent County Council)."""
    names = [ctx.council] if getattr(ctx, "council", None) else []
    names += [r.council for r in ctx.of_type("document") if getattr(r, "council", None)]
    forms: set[str] = set()
    for name in _council_names(text):
        full = _WS.sub(" ", name)
        if any(n and full.startswith(n) for n in names) or not names:
            forms.add(fold(initials(full)))
    for n in names:
        for body in ("Council", "County Council", "City Council", "Borough Council", "District Council"):
            forms |= {fold(f"{n} {body}"), fold(initials(f"{n} {body}"))}
    return {f for f in forms if len(f) >= 2}


# Searches of the whole paper open with the literal they look for: re scans quickly for a pattern's opening
# literal (or character class), but tries a pattern opening with ``\b`` or a lookbehind at every position.
_WORD_CHAR = re.compile(r"\w")
_WORD_OR_HYPHEN = re.compile(r"[\w-]")


def _word_start(word: str) -> str:
    r"""A regex for ``\b`` + ``word`` that opens with the word; the lookbehind after it does the ``\b``'s work."""
    w = re.escape(word)
    return rf"{w}(?<!\w{w})" if _WORD_CHAR.match(word) else rf"\b{w}"


def _standalone(word: str) -> str:
    r"""A regex for ``(?<![\w-])`` + ``word`` + ``(?![\w-])`` that opens with the word."""
    w = re.escape(word)
    return rf"{w}(?<![\w-]{w})(?![\w-])"


_LIST_SEPARATOR = re.compile(r"\s*(?:,\s*)?(?:(?:and|or)\s+)?")


def _listed_together(text: str, a: Candidate, b: Candidate) -> bool:
    """ "Transdev and Transdev on Demand": two names side by side in one list are two bodies, not a short form."""
    first, second = (a, b) if a.start < b.start else (b, a)
    return first.sentence == second.sentence and _LIST_SEPARATOR.fullmatch(text, first.end, second.start) is not None


def _merge(text: str, sentences: list[Sentence], candidates: list[Candidate]) -> dict[str, ProviderInfo]:
    """One provider per organisation: the fullest form names it, shorter forms and abbreviations are aliases."""
    prose = [c for c in candidates if c.sentence is not None]
    table = [c for c in candidates if c.sentence is None]
    providers: dict[str, ProviderInfo] = {}

    def find(name: str) -> str | None:
        f = fold(name)
        for key, info in providers.items():
            if f == fold(key) or f in (fold(a) for a in info.aliases):
                return key
        return None

    for c in table:
        key = find(c.name)
        if key is None:
            kind = kind_from_phrase(c.info) if c.info else False
            if kind is False:
                kind = kind_from_name(c.name)
            providers[c.name] = ProviderInfo(c.name, "company" if kind is False else kind, [], c, True)
    # prose: longer names first, so "Babcock" folds into "Babcock Prime"
    for c in sorted(prose, key=lambda c: (-len(c.name.split()), c.start)):
        key = find(c.name) or next((k for k in providers if not providers[k].from_table
                                    and _is_short_form(c.name, k) and not _listed_together(text, c, providers[k].first)),
                                   None)
        if key is None:
            key = next((a for a in c.aliases if find(a)), None)
            key = find(key) if key else None
        if key is None:
            providers[c.name] = ProviderInfo(c.name, None, [], c, False)
            key = c.name
        info = providers[key]
        if c.start < info.first.start:
            info.first = c
        if c.name != key and c.name not in info.aliases:
            info.aliases.append(c.name)
        for a in c.aliases:
            if a not in info.aliases and a != key:
                info.aliases.append(a)
        info.first.kinds = info.first.kinds + [k for k in c.kinds if k not in info.first.kinds]
    # abbreviations defined anywhere in the paper and other forms used in it
    for key, info in providers.items():
        if info.from_table:
            continue
        for m in re.finditer(rf"{_word_start(key)}\s*\(({ABBR})\)", text):
            if m.group(1) not in info.aliases:
                info.aliases.append(m.group(1))
        for alias in _other_forms(text, key):
            if alias not in info.aliases and fold(alias) != fold(key):
                info.aliases.append(alias)
    return providers


def _is_short_form(short: str, full: str) -> bool:
    s, f = short.split(), full.split()
    return len(s) < len(f) and f[:len(s)] == s


def _other_forms(text: str, name: str) -> list[str]:
    found = []
    words = name.split()
    if len(words) >= 2:
        abbr = initials(name)
        if len(abbr) >= 2 and re.search(_standalone(abbr), text):  # initials are letters: escaping changes nothing
            found.append(abbr)
        if len(words) == 2 and len(words[0]) >= 4 and kind_from_name(name) is False:
            if re.search(rf"{_word_start(words[0])}\b(?!\s+{re.escape(words[1])})(?!['’]s\s+{re.escape(words[1])})", text):
                found.append(words[0])
    elif name.isupper() and 2 <= len(name) <= 6:
        # an acronym name: its expansion, if the paper spells it out
        pattern = r"\s+".join(rf"{ch}[a-z]+" for ch in name)
        if _WORD_CHAR.match(name):  # a letter or digit: the same regex escaped or not
            pattern = _word_start(name[0]) + pattern[1:]
        else:
            pattern = rf"\b{pattern}"
        m = re.search(rf"{pattern}\b", text)
        if m:
            found.append(_WS.sub(" ", m.group(0)))
    m = re.search(rf"{_word_start(name)}\s+(Company|Ltd|Limited|PLC|Plc|Group|LLP)\b", text)
    if m:
        found.append(f"{name} {m.group(1)}")
    return found


def _mentions(text: str, providers: dict[str, ProviderInfo]) -> list[Mention]:
    forms = []
    for key, info in providers.items():
        forms += [(key, key)] + [(a, key) for a in info.aliases]
    if not forms:
        return []
    by_form = {f: k for f, k in forms}
    # as ``finditer`` over ``(?<![\w-])(forms…)(?![\w-])``, the lookbehind checked here so re scans for the forms
    rx = re.compile(r"(" + "|".join(re.escape(f) for f, _ in sorted(forms, key=lambda x: -len(x[0]))) + r")(?![\w-])")
    found = []
    pos = 0
    while (m := rx.search(text, pos)) is not None:
        if m.start() > 0 and _WORD_OR_HYPHEN.match(text, m.start() - 1):
            pos = m.start() + 1  # inside a word: as the lookbehind, try the next position
            continue
        found.append(Mention(m.start(), m.end(), by_form[m.group(1)]))
        pos = m.end()
    return found


@cache
def _appositive_kind() -> re.Pattern:
    """ ", a registered charity", ", a leading non-profit organisation": what a paper calls a body right after its name."""
    return re.compile(rf",\s+(?:a|an|the)\s+(?P<what>(?:[\w'’-]+\s+){{0,4}}?(?:{_appositive_nouns()}))\b", re.I)


def _kinds_from_context(text: str, sentences: list[Sentence], providers: dict[str, ProviderInfo],
                        mentions: list[Mention]) -> None:
    """Settle each prose provider's kind: its lead-in cues, cues in sentences naming it alone, its name, else company."""
    votes: dict[str, list[str]] = {k: list(info.first.kinds) for k, info in providers.items() if not info.from_table}
    ordered = sorted(mentions, key=lambda m: m.start)
    mention_starts = [m.start for m in ordered]  # each sentence looks up its own mentions: linear in the paper
    for s in sentences:
        named = {m.provider for m in ordered[bisect_left(mention_starts, s.start):bisect_left(mention_starts, s.end)]}
        if len(named) != 1:
            continue
        (key,) = named
        if key not in votes:
            continue
        for kind in s.ids("PROVIDER_KIND"):
            if kind in ("joint_venture", "subcontractor", "partnership"):
                votes[key].append(kind)
    # "Sortit Recycling, a company based in …", "Fairshare, a registered charity": what the paper calls it
    for m in mentions:
        if m.provider in votes:
            appositive = _appositive_kind().match(text, m.end)
            if appositive:
                kind = kind_from_phrase(appositive.group("what"))
                if kind is not False:
                    votes[m.provider].append(kind if kind is not None else "null")
    for key, kinds in votes.items():
        info = providers[key]
        by_name = kind_from_name(key)
        ranked = [k for k in KIND_PRIORITY if k in kinds]
        if "null" in kinds and not ranked:
            info.kind = None  # "a registered charity": none of the contract's kinds
        elif ranked:
            info.kind = ranked[0]
        elif by_name is not False:
            info.kind = by_name
        else:
            info.kind = "company"


# ---------------------------------------------------------------- the extractor

def extract(ctx):
    """One `provider` record per organisation delivering services under a stated arrangement."""
    analysis = analyse(ctx)
    doc_id = ctx.document.doc_id
    for key, info in analysis.providers.items():
        c = info.first
        if c.sentence is None:
            source = analysis.unit_source(c.unit)
        else:
            source = analysis.sentence_source(analysis.sentences[c.sentence])
        yield ProviderRecord(doc=doc_id, source=source, name=key, kind=info.kind, aliases=list(info.aliases))
