"""`service` extractor: services the council transferred, retained or commissioned.

Where services are found (cue words in ``models/rules/services.jsonl``):

* list items whose lead-in states an arrangement (``The services transferred to X
  were:``, ``The Council retained …:``, ``This cluster of services … covers:``); the
  status and the provider come from the lead-in (a retained list has no provider);
* inline lists after ``covering`` / ``including`` / ``delivering`` in a sentence that
  states an arrangement;
* prose statements: ``X Services were commissioned to P``, ``these duties be
  commissioned from P`` (the antecedent is read from the previous sentence),
  ``provision of X by P``, ``P (who continue to provide the X service)``, ``the
  primary provider of X is P``, ``transfer … from the council's X to P``, ``X, the
  … service, which transferred to P``, ``the traded X service``, ``the X
  contract``, ``P is re-shaping X services``, ``X support provided to schools``,
  ``the Strategic Commissioner of X``, ``a new two-year x and y contract with P``
  (lower-case words before ``contract with``, the contract's own words dropped);
* the providers a provider noun names (``the two providers: P and Q``) deliver what
  the paragraph says is commissioned (``the two commissioned Youth Clubs``);
* contract-register table rows (one service per row, provider = supplier cell).

A repeated service (same name after folding case and plurals) is recorded once,
at its first statement. Mentions with no arrangement are not recorded. A service
named only as ``the X service`` / ``the X contract`` is recorded only when the
paper is about one main provider.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import cache, cached_property

from ..quantities import NUMBER_WORDS
from ..records import ServiceRecord
from ..regex_screen import LazyPattern, screen, screenable
from ..regex_screen import may_match as screen_allows
from .providers import (PROVIDER_LIST, SPECIAL_NEEDS, Analysis, Sentence, acceptable_name, alternation, analyse, clean_name, fold,
                        named_list, phrases, rules, special_regexes)

_WS = re.compile(r"\s+")
_THREE_LETTERS = re.compile(r"[A-Za-z]{3}")
_DIGIT = re.compile(r"\d")

# List markers a list item may still carry: bullets, "1.", "a)", "(iv)".
BULLET = re.compile(r"^[ \t]*(?:[-*•·▪◦●○■□➢➤►‣⁃–]|\d+[.)]|[a-z][.)]|\([a-z0-9ivx]+\))[ \t]+")
MAX_ITEM_WORDS = 16
MAX_INLINE_ITEM_WORDS = 9

_CAPW = r"[A-Z][\w&'’\-]*"
_LEAD_NUMBER = r"(?:-\s+)?(?:\d+(?:\.\d+)*\.?\s+|\(?[a-z]\)\s+|[•·*]\s+)?"  # "2.4 ", "- 1.5 ", "(b) " before a subject
_NAMEW = rf"(?:{_CAPW}|and|&|of|for)"
_VERB_BE = r"(?:were|was|are|is|have\s+been|has\s+been|had\s+been|will\s+be|to\s+be|be|being)"
_STATUS_VERB = r"(?P<status>commissioned|transferred|outsourced|contracted(?:\s+out)?|sub-?contracted)"

# words no service phrase before "contract with" holds: it started before them ("the council signed a … contract")
_PHRASE_BREAK = (r"(?:an?|the|this|that|these|those|its|our|their|and|or|with|to|for|of|by|on|in|at|from|into|as|is|are|was|"
                 r"were|be|been|being|has|have|had|will|would|shall|should|may|can|could|must|not|which|who|signed|awarded|"
                 r"agreed|entered|let|renewed|extended|secured|approved|procured|placed|tendered|holds|held)")

# (each compiled when a sentence first passes its word tests, see NEEDS: a paper may need few or none of them)
PROSE = [
    # "the Council's Learning and Achievement Services were commissioned to Babcock Prime"
    ("named", LazyPattern(rf"(?P<svc>{_CAPW}(?:\s+{_NAMEW}){{0,7}}\s+Services?)\s+{_VERB_BE}\s+(?:being\s+)?"
                         rf"(?:\w+\s+)?{_STATUS_VERB}\s+(?:to|from|by)\b")),
    # "Highways maintenance was transferred to Roadworks Group Ltd": a plain subject at the start of the sentence
    ("subject", LazyPattern(rf"^{_LEAD_NUMBER}(?:(?:The|the|Its|Our)\s+)?(?P<svc>(?:[\w&'’\-]+\s+){{0,5}}?[\w&'’\-]+)\s+{_VERB_BE}\s+"
                           rf"(?:\w+\s+)?{_STATUS_VERB}\s+(?:to|from)\b")),
    # "In 2017 the council's housing management service transferred to Homes for Northtown"
    ("possessive", LazyPattern(rf"\b(?:the\s+)?(?:(?:council|authority|county\s+council|city\s+council|Council)['’]s|its|their)\s+"
                              rf"(?P<svc>(?:[\w&\-]+\s+){{0,5}}?services?)\s+(?:{_VERB_BE}\s+)?{_STATUS_VERB}\s+(?:to|from)\b")),
    # "The council retained responsibility for strategic housing, homelessness and the housing register"
    ("retained", LazyPattern(r"\bretain(?:s|ed)?\s+(?:the\s+)?(?:responsibility|control)\s+for\s+(?P<list>[^.;:()]+)")),
    # "the delivery of these duties be commissioned from …" / "Services that … were transferred to …"
    ("antecedent", LazyPattern(rf"\b(?P<ref>these|those|such|[Tt]he|[Tt]hese)?\s*(?P<head>[Ss]ervices|[Dd]uties|[Ff]unctions|"
                              rf"[Rr]esponsibilities)\b(?:\s+(?:that|which)\b[^.;]{{0,140}}?)?\s+{_VERB_BE}\s+(?:being\s+)?"
                              rf"(?:\w+\s+)?{_STATUS_VERB}\s+(?:to|from|by)\b")),
    # "Barnet Partnership for School Improvement, the traded school improvement service, which transferred to CE"
    ("appositive", LazyPattern(rf"(?P<svc>{_CAPW}(?:\s+{_NAMEW}){{0,7}}\s+{_CAPW}),\s+the\s+[^,;.]{{0,80}}?\bservice,\s+"
                              rf"which\s+(?:was\s+|were\s+|has\s+been\s+|had\s+been\s+)?{_STATUS_VERB}\s+to\b")),
    # "the traded Governing Body clerking service"
    ("traded", LazyPattern(rf"\btraded\s+(?P<svc>(?:{_CAPW}\s+){{1,5}}(?:[a-z][\w\-]*\s+){{0,2}}service)\b")),
    # "the School Improvement contract"
    ("contract", LazyPattern(rf"\b(?:the|this|that|its|our)\s+(?P<svc>(?:{_CAPW}\s+(?:(?:and|&|for|of)\s+)?){{1,5}})contract\b")),
    # "the SEND and Inclusion service"
    ("the_service", LazyPattern(rf"\b(?:the)\s+(?P<svc>(?:{_CAPW}\s+(?:(?:and|&|for|of)\s+)?){{1,5}}service)\b")),
    # "non-statutory Educational Psychology support provided to schools" (found from its verb: see _provided_to)
    ("provided_to", LazyPattern(r"\b(?:support|services?)\s+(?:provided|offered|delivered|sold)"
                               r"\s+to\s+(?:schools|academies|residents|pupils|families|the\s+council)\b")),
    # "traded services offered to schools by our High Incidence Support Team"
    ("offered_by", LazyPattern(rf"\b(?:services|support)\s+(?:offered|provided|delivered)\s+to\s+\w+\s+by\s+(?:our|the|its|their)\s+"
                              rf"(?P<svc>(?:{_CAPW}\s+){{1,5}}(?:Team|Service|Unit))\b")),
    # "contracts with Lyft, … for the provision of Access-on-Demand services"
    ("contract_for", LazyPattern(r"\b(?:contracts?|agreements?)(?:\s+extensions?)?\s+with\s+[^.;]{1,160}?\bfor\s+(?:the\s+)?(?:provision|delivery|"
                                r"supply|operation)\s+of\s+(?P<svc>[^.;,()]{3,80}?)(?=\s*[.;,()]|\s+(?:to|for|in|at|from|with|by)\b|$)")),
    # "The contract for the provision of waste collection services was awarded to Veolia"
    ("awarded", LazyPattern(r"\b(?:contract|tender)\s+for\s+(?:the\s+)?(?:(?:provision|delivery|supply|operation)\s+of\s+)?"
                           r"(?:the\s+)?(?P<svc>[^.;,()]{3,80}?)\s+(?:was|has\s+been|were|is|have\s+been)\s+(?:\w+\s+)?"
                           r"awarded\s+to\b")),
    # "award contract No. 12 to Northfield Paving, LLC, for an amount of $1.2m for Mill Lane Resurfacing": a titled
    # piece of work closing a sentence that awards a contract
    ("award_for", LazyPattern(rf"\baward(?:s|ed|ing)?\b[^.;]{{0,40}}?\bcontracts?\b[^;]{{0,200}}?\bfor\s+(?:the\s+)?"
                             rf"(?P<svc>{_CAPW}(?:\s+{_NAMEW}){{1,7}})\s*(?:[.;]\s*)?$")),
    # "a contract with Serco Ltd to deliver the leisure management service until March 2026"
    ("contract_to", LazyPattern(r"\b(?:contract|agreement|partnership)\s+with\s+[^.;]{1,80}?\s+to\s+(?:deliver|provide|run|"
                               r"operate|manage)\s+(?:the\s+|its\s+|our\s+)?(?P<svc>[^.;,()]{3,80}?)(?=\s*[.;,()]|\s+(?:until|"
                               r"from|for|in|at|on|to|by|with|and)\b|$)")),
    # "Leisure centres are operated by Freedom Leisure under a 10-year contract"
    ("subject_by", LazyPattern(rf"^{_LEAD_NUMBER}(?:(?:The|the|Its|Our)\s+)?(?P<svc>(?:[\w&'’\-]+\s+){{0,5}}?[\w&'’\-]+)\s+{_VERB_BE}\s+"
                              rf"(?:\w+\s+)?(?:operated|run|delivered|provided|managed|supplied)\s+by\b")),
    # "the winter gritting service, which is delivered by Ringway Jacobs" (the name is read back from "service")
    ("service_by", LazyPattern(r"\b(?:services?|support)\s*,?\s+(?:(?:which|that)\s+(?:is|are|was|were|will\s+be|has\s+been)\s+"
                              r"(?:\w+\s+)?)?(?:delivered|provided|run|operated|managed|supplied)\s+by\b")),
    # "The council has let a new three-year garden waste and compost contract with Greenbin Ltd": lower-case words
    # (and acronyms) between a determiner and "contract with" name the service, once the contract's own words
    # ("new", "two-year") are dropped (see _contract_service); the provider must be named right after "with"
    ("contract_with", LazyPattern(rf"\b(?:[Aa]n?|[Tt]he|[Ii]ts|[Oo]ur|[Tt]heir|[Tt]his|[Tt]hat)\s+(?P<svc>(?:(?!{_PHRASE_BREAK}\s)"
                                 rf"(?:[a-z][\w'’-]*|[A-Z]{{2,6}})\s+(?:(?:and|&)\s+)?){{1,8}}?)(?P<noun>contract|agreement)"
                                 rf"(?P<plural>s)?\s+(?:extensions?\s+)?with\s+")),
    # "The bulky waste contract was extended to ensure the county had a kerbside collection service": the service the
    # contract secures (its provider named in the sentence, or introduced by the paragraph's next one)
    ("contract_ensures", LazyPattern(rf"\b(?:contract|agreement)s?\b[^.;]{{0,120}}?\bto\s+(?:ensure|secure|maintain)\s+"
                                    rf"(?:that\s+)?(?:[\w'’-]+\s+){{0,2}}?(?:has|had|have|keeps?|kept)\s+(?:a|an|the|its)\s+"
                                    rf"(?P<svc>(?:(?!{_PHRASE_BREAK}\s)[a-z][\w'’-]*\s+){{1,3}}services?)\b")),
    # "The County Council is the Strategic Commissioner of Education Provision in Kent"
    # (the council itself is the commissioner: "the Police and Crime Commissioner of Kent" names no service)
    ("commissioner_of", LazyPattern(rf"\b(?:[Cc]ouncil|[Aa]uthority|[Ii]t)\s+(?:is|was|remains|acts\s+as|will\s+be)\s+"
                                   rf"(?:the\s+|a\s+)?(?:[\w-]+\s+){{0,2}}?[Cc]ommissioner\s+of\s+(?P<svc>{_CAPW}(?:\s+{_NAMEW}){{0,6}}?)"
                                   rf"(?=\s+(?:in|for|across|within|has|is|and)\b|\s*[.,;:]|\s*$)")),
]

# Words a sentence must contain for a PROSE pattern to be worth running (a cheap substring test first).
_ARRANGED = ("commission", "transferr", "outsourc", "contracted")
NEEDS = {"named": _ARRANGED, "subject": _ARRANGED, "antecedent": _ARRANGED, "appositive": _ARRANGED,
         "possessive": _ARRANGED, "retained": ("retain",),
         "traded": ("traded",), "contract": ("contract",), "the_service": ("service",),
         "provided_to": (" to schools", " to academies", " to residents", " to pupils", " to families", " to the council"),
         "offered_by": (" by ",), "contract_for": ("contract", "agreement"), "commissioner_of": ("commissioner of",),
         "awarded": ("awarded",), "contract_with": ("contract", "agreement"),
         "contract_ensures": ("ensure", "secure", "maintain"), "award_for": ("award",), "contract_to": (" to deliver", " to provide", " to run", " to operate", " to manage"),
         "subject_by": ("operated by", "run by", "delivered by", "provided by", "managed by", "supplied by"),
         "service_by": ("operated by", "run by", "delivered by", "provided by", "managed by", "supplied by")}

# PROSE kinds whose record needs a provider named in the sentence itself (see the branches of _prose)
_PROVIDER_IN_SENTENCE = frozenset({"possessive", "subject", "awarded", "subject_by", "service_by", "provided_to", "offered_by",
                                   "contract_for", "contract_to", "award_for", "contract_with"})

_ACTS_WORDS = ("shaping", "designing", "delivering", "providing", "running", "operating", "reviewing")
# "CE are in the process of re-shaping governor support services" (the subject must be a provider)
PROVIDER_ACTS = LazyPattern(r"\s+(?:is|are|will|also|continues?\s+to|plans?\s+to|has|have)\s+(?:[a-z-]+\s+){0,5}?"
                           r"(?:re-?shaping|reshaping|re-?designing|delivering|providing|running|operating|reviewing)\s+"
                           r"(?P<svc>(?:[a-z][\w\-]*\s+){1,3}services)\b")

TRANSFER_FROM = LazyPattern(r"\bfrom\s+(?:the\s+)?(?:(?:council|authority|county\s+council|city\s+council)['’]s|its|their)\s+"
                           r"(?P<svc>(?:[\w&\-]+\s+){0,5}?services?)\s+to\s+(?P<to>.*?)(?=\s+and\s+from\b|$)", re.S)

_LEADING = re.compile(r"^(?:(?:the|a|an|our|its|their|all|any|for|of|on|with|in|by|to|and|[\w’'\-]+['’]s"
                      r"|(?:range|number|suite|variety|series|set|host)\s+of)\s+)+", re.I)
_LEADING_ACRONYM = re.compile(r"^(?:[A-Z]{2,6}\s+)?(?:commissioned|contracted|traded)\s+")
_TRAILING = re.compile(r"(?:[\s,;:.]+|\s+(?:and|or)$)+$")


@cache
def _list_blocker() -> re.Pattern:
    return re.compile(rf"(?i)\b(?:{alternation(phrases('SERVICE_LIST_BLOCKER'))})\b")


@cache
def _not_first() -> set[str]:
    return {fold(p) for p in phrases("SERVICE_NOT_FIRST")}


@cache
def _generic() -> set[str]:
    return {_key(p) for p in phrases("SERVICE_GENERIC")}


@cache
def _inline_regex() -> re.Pattern:
    return re.compile(r"(?i:\b(?P<cue>covering|covers|comprising|comprises|including|includes|such\s+as|namely|delivering))"
                      r"\s+(?P<list>[^.:]+?)(?=\s+(?:that|which|who|where|as\s+well\s+as)\b|[().:]|$)")


@cache
def _contract_words() -> re.Pattern:
    return re.compile(rf"(?i:\b(?:{alternation(phrases('CONTRACT_NOUN'))})\b)")


class _Screens:
    """Words one of which every match of a pattern contains (regex_screen), tested before it runs on a sentence,
    on top of the NEEDS / SPECIAL_NEEDS a pattern is only tried with."""

    def __init__(self):
        self.prose = {kind: _beyond(screen(rx), NEEDS[kind]) for kind, rx in PROSE}
        self.specials = [_beyond(screen(rx), needs) for rx, needs in zip(special_regexes(), SPECIAL_NEEDS)]
        self.provider_list = screen(PROVIDER_LIST)
        self.inline = screen(_inline_regex())
        self.transfer_from = screen(TRANSFER_FROM)
        # every word a sentence is tested for: which ones each sentence holds is found once per paper (_held_words)
        self.words = frozenset(w for words in [*NEEDS.values(), *SPECIAL_NEEDS, _ACTS_WORDS, *self.prose.values(),
                                               *self.specials, self.provider_list, self.inline, self.transfer_from]
                               for w in words or ())
        # a word holding another ("commissioned" holds "commission") is looked for only where that one is found:
        # root → [(word, its bytes, offset of the root in it)]
        self.roots: dict[str, list[tuple[str, bytes, int]]] = {}
        for word in sorted(self.words, key=len):
            root = next((r for r in self.roots if r in word), None)
            if root is None:
                self.roots[word] = []
            else:
                self.roots[root].append((word, word.encode("ascii", "replace"), word.index(root)))


def _beyond(words: tuple[str, ...] | None, needs: tuple[str, ...]) -> tuple[str, ...] | None:
    """A pattern's screen ``words``, or None when each of the ``needs`` it is only tried with holds one of them."""
    if words is None or all(any(w in need for w in words) for need in needs):
        return None
    return words


@cache
def _screens() -> _Screens:
    return _Screens()


def _held_words(a: Analysis) -> list[set[str]]:
    """For each sentence, the screen words its lower-cased text holds (``w in s.text.lower()``).

    Found with one scan of the lower-cased paper per root word (_Screens.roots), each hit given to the sentence
    around it, when lower-casing keeps the paper's offsets (the words are ASCII) and sentences are ordered slices
    that do not overlap; otherwise each sentence is lower-cased and tested."""
    sentences = a.sentences
    words = _screens().words
    lowered = a.text.lower()
    aligned = len(lowered) == len(a.text) and all(w.isascii() for w in words) and all(
        len(s.text) == s.end - s.start for s in sentences) and all(
        prev.end <= s.start for prev, s in zip(sentences, sentences[1:]))
    if not aligned:
        return [{w for w in words if w in s.text.lower()} for s in sentences]
    # one byte per character, a non-ASCII one as "?" (in no word): the byte search is several times faster
    paper = lowered.encode("ascii", "replace")
    starts = [s.start for s in sentences]
    ends = [s.end for s in sentences]
    held: list[set[str]] = [set() for _ in sentences]
    for root, holders in _screens().roots.items():
        needle = root.encode("ascii")
        at = paper.find(needle)
        while at >= 0:
            k = bisect_right(starts, at) - 1  # the sentence around the hit, if any
            if k >= 0 and at + len(needle) <= ends[k]:
                held[k].add(root)
                for word, word_bytes, offset in holders:  # a word holding the root lies in the root's sentence
                    begin = at - offset
                    if begin >= starts[k] and begin + len(word_bytes) <= ends[k] and paper.startswith(word_bytes, begin):
                        held[k].add(word)
            at = paper.find(needle, at + 1)
    return held


def _may_match(needs: tuple[str, ...] | None, held: set[str], paper_screenable: bool) -> bool:
    """False only when a sentence holding the screen words ``held`` cannot match a pattern needing one of ``needs``
    (a paper with characters that case-insensitive matching folds to ASCII letters is never screened)."""
    return needs is None or not paper_screenable or not held.isdisjoint(needs)


def _key(name: str) -> str:
    """Folded name with plurals singular and no trailing "service", so "Family Hub" and "Family Hub services" are one."""
    words = [w[:-1] if w.endswith("s") and len(w) > 3 else w for w in fold(name).split()]
    if len(words) > 1 and words[-1] == "service":
        words.pop()
    return " ".join(words)


def clean_item(name: str) -> str:
    """A list item or cell as written, without its list marker and trailing punctuation."""
    name = _WS.sub(" ", BULLET.sub("", name)).strip()
    return _TRAILING.sub("", name).strip(" ,;:.")


def clean_service(name: str) -> str:
    """A service phrase cut from prose: no leading article, possessive or "range of"."""
    name = _WS.sub(" ", BULLET.sub("", name)).strip()
    name = _TRAILING.sub("", name)
    name = _LEADING.sub("", name)
    name = _LEADING_ACRONYM.sub("", name)
    return name.strip(" ,;:.")


class _Collector:
    def __init__(self, analysis: Analysis, doc_id: str):
        self.analysis = analysis
        self.doc_id = doc_id
        self.found: list[tuple[int, ServiceRecord]] = []
        self.per_provider: set[int] = set()

    @cached_property
    def _provider_keys(self) -> set[str]:
        return {_key(p) for p in self.analysis.providers}

    @cached_property
    def _alias_keys(self) -> set[str]:
        return {_key(a) for info in self.analysis.providers.values() for a in info.aliases}

    def add(self, name: str, status: str, provider: str | None, offset: int, source, as_written: bool = False,
            per_provider: bool = False) -> None:
        """Record a service; ``as_written`` keeps a list item's or table cell's words whole (bar markers);
        ``per_provider``: one of several providers named together for it, each its own record."""
        name = clean_item(name) if as_written else clean_service(name)
        if not name or len(name) < 3:
            return
        key = _key(name)
        if key in _generic() or not _THREE_LETTERS.search(name):
            return
        if "£" in name or "%" in name or fold(name).split()[0] in _not_first():
            return  # "savings of £1.2m", "efficiencies": what an arrangement yields, not a service
        if provider is not None and key in self._provider_keys:
            return
        if key in self._alias_keys:  # a provider's other name
            return
        record = ServiceRecord(doc=self.doc_id, source=source, name=name, status=status, provider=provider)
        if per_provider:
            self.per_provider.add(id(record))
        self.found.append((offset, record))

    def records(self) -> list[ServiceRecord]:
        """The services in document order, each once (a register title once per supplier)."""
        register_starts = {self.analysis.units[r.unit].start for r in self.analysis.registers}
        seen: set[str] = set()
        seen_pairs: set[tuple[str, str | None]] = set()
        out = []
        for _, record in sorted(self.found, key=lambda x: x[0]):
            key = _key(record.name)
            pair = (key, fold(record.provider or ""))
            if (record.source is not None and record.source.start in register_starts) or id(record) in self.per_provider:
                # register rows may repeat a title for different suppliers: those are different services
                if pair in seen_pairs:
                    continue
            elif key in seen:
                continue
            seen.add(key)
            seen_pairs.add(pair)
            out.append(record)
        return out


# "services provided by the council include:" is the council's own work, not an arrangement
_IN_HOUSE = re.compile(r"(?i)\b(?:provided|delivered|run|operated)\s+(?:directly\s+)?by\s+(?:the\s+)?(?:county\s+|city\s+|borough\s+|"
                       r"district\s+)?(?:council|authority)\b|\bin-house\b|\b(?:directly\s+(?:provided|delivered|run)|"
                       r"(?:provided|delivered|run)\s+directly)\b|^\s*(?:the\s+)?(?:county\s+|city\s+|borough\s+|district\s+)?"
                       r"(?:council|authority)\s+(?:also\s+|itself\s+|still\s+)?(?:delivers|provides|runs|operates)\b")


def _status_of(s: Sentence) -> str | None:
    # (the screen first: a sentence without "council", "authority", "directly" or "in-house" cannot match, and the
    # pattern, case-insensitive and opening with anchors, is tried at every position of one)
    if screen_allows(_IN_HOUSE, s.text) and _IN_HOUSE.search(s.text) and \
            not any(i in ("transferred", "retained") for i in s.ids("SERVICE_STATUS")):
        return None
    statuses = s.ids("SERVICE_STATUS")
    if not statuses and s.has("SERVICE_LIST_CUE") and s.has("SERVICE_NOUN"):
        return "commissioned"
    return statuses[0] if statuses else None


def _context_provider(a: Analysis, offset: int) -> str | None:
    return a.last_provider_before(offset) or a.dominant_provider()


def _provider_after(a: Analysis, s: Sentence, offset: int) -> str | None:
    named = a.providers_in(offset, s.end)
    return named[0] if named else None


def _list_items(a: Analysis, out: _Collector) -> None:
    last_sentence_of: dict[int, Sentence] = {}
    for s in a.sentences:
        last_sentence_of[s.unit] = s
    status_of_lead: dict[int, str | None] = {}  # a lead-in introduces several items
    for i, u in enumerate(a.units):
        if u.kind != "list_item" or u.lead_in is None or u.lead_in not in last_sentence_of:
            continue
        lead = last_sentence_of[u.lead_in]
        if not lead.text.rstrip().endswith(":"):
            continue
        if u.lead_in not in status_of_lead:
            status_of_lead[u.lead_in] = _status_of(lead)
        status = status_of_lead[u.lead_in]
        if status is None:
            continue
        named = a.providers_in(lead.start, lead.end)
        if not lead.has("SERVICE_NOUN") and (not named or _list_blocker().search(lead.text)):
            continue  # "The following staff transferred to P:" lists people, not services
        item = a.text[u.start:u.end]
        if len(item.split()) > MAX_ITEM_WORDS or item.rstrip().endswith(":"):
            continue
        provider = None if status == "retained" else (named[0] if named else _context_provider(a, lead.start))
        out.add(item, status, provider, u.start, a.unit_source(i), as_written=True)


def _split_inline(text: str) -> list[str]:
    text = _WS.sub(" ", text).strip()
    if ";" in text:
        parts = [re.sub(r"^(?:and|or)\s+", "", p.strip()) for p in text.split(";")]
    else:
        parts = [p.strip() for p in text.split(",")]
        if parts:
            last = parts.pop()
            parts += [p.strip() for p in re.split(r"\s+(?:and|or)\s+", last)]
    return [p for p in parts if p]


# subjects that are no service: quantities, pronouns, staff, money
_NOT_A_SERVICE_SUBJECT = LazyPattern(r"(?i)^(?:it|this|they|these|those|which|that|staff|employees|budget|funding|"
                                    r"money|responsibility|ownership|\d)\b|\b(?:majority|most|some|all|part)\s+of\b|"
                                    r"\b(?:staff|budget|funding|money|employees|assets|land|buildings?)$")
_SERVICE_WORD = re.compile(r"(?i)\bservices?\b")
_CONTRACT_NOUN = re.compile(r"(?i)\b(?:contract|agreement|partnership|concession|framework|SLA)s?\b")
# an inline list is services only in a sentence stating the arrangement itself, and its items are noun phrases
_ARRANGEMENT_VERB = LazyPattern(r"(?i)\b(?:commission(?:s|ed)|transferred|retain(?:s|ed)|outsourced|contracted)\b")
_CLAUSE = LazyPattern(r"(?i)\b(?:provided|delivered|run|funded|supported)\s+by\b|\b(?:is|are|was|were|will|would)\b")


def _inline_lists(a: Analysis, out: _Collector, held: list[set[str]], screened: bool) -> None:
    contract_words = _contract_words()
    for s, words in zip(a.sentences, held):
        if not _may_match(_screens().inline, words, screened):
            continue
        for m in _inline_regex().finditer(s.text):
            cue = m.group("cue").lower()
            status = _status_of(s)
            if cue == "delivering":
                if not (contract_words.search(s.text) or a.providers_in(s.start, s.end)):
                    continue
                status = status or "commissioned"
            if status is None or (cue != "delivering" and not (_SERVICE_WORD.search(s.text)
                                                                and _ARRANGEMENT_VERB.search(s.text))):
                continue
            items = [i for i in _split_inline(m.group("list")) if not i[0].isdigit() and not _CLAUSE.search(i)]
            if len(items) < 2 or any(len(i.split()) > MAX_INLINE_ITEM_WORDS for i in items):
                continue
            provider = None
            if status != "retained":
                provider = _provider_after(a, s, s.start + m.end()) or _provider_after(a, s, s.start) \
                    or _context_provider(a, s.start)
            for item in items:
                out.add(item, status, provider, s.start + m.start("list"), a.sentence_source(s))


_AFTER_PREPOSITION = re.compile(r"^.*\b(?:on|of|for|to|in|with|about|from|by|at|as|than)\s+", re.I)
_NOUN_PHRASE_END = re.compile(r"(?:[A-Za-z][\w\-]*\s+){0,3}(?:support|services?)$")


def _words_before(text: str, m: re.Match) -> str | None:
    """The noun phrase ending at the head word of a "… support provided to" match (up to four words before it)."""
    head_end = m.start() + len(re.match(r"\w+", text[m.start():]).group(0))
    found = _NOUN_PHRASE_END.search(text[max(0, head_end - 80):head_end])
    if not found:
        return None
    # "comments on the support" is "the support": a phrase starts after its last preposition
    return _AFTER_PREPOSITION.sub("", found.group(0))


# words that end a noun phrase read forward from its head ("duties to vulnerable schools | as set out …")
_PHRASE_STOP = (r"(?:as|which|that|who|where|when|is|are|were|was|in|on|at|by|with|and|or|from|under|within|"
                r"during|since|until|but)\b")


def _antecedent(a: Analysis, index: int, head: str) -> str | None:
    """The named thing a bare "these duties" / "Services that …" refers to, from the sentence before."""
    for back in (1, 2):
        if index - back < 0:
            return None
        prev = a.sentences[index - back].text
        if head.lower().startswith("service"):
            # "Services that …" refers back to a named "… Services" only; a bare "services" names nothing
            named = re.findall(rf"(?:{_CAPW}\s+(?:(?:and|&|of|for)\s+)?){{1,5}}Services?\b", prev)
            if named:
                return named[-1]
            continue
        m = None
        for m in re.finditer(rf"\b{head.lower()}\b(?:\s+(?!{_PHRASE_STOP})[\w\-’']+){{1,5}}", prev):
            pass
        if m is not None:
            return m.group(0)
    return None


_TERM_WORDS = re.compile(r"(?i)^(?:\d+(?:\.\d+)?|" + "|".join(sorted(
    (w for w in NUMBER_WORDS if " " not in w), key=len, reverse=True)) + r")[\s-]+(?:years?|months?)(?:[\s-]long)?\s+")


@cache
def _contract_modifiers() -> tuple[re.Pattern, re.Pattern]:
    """Words describing a contract rather than its service (``CONTRACT_MODIFIER``): "new", "zero-cost" (dropped
    from the phrase's start), and "lease", "funding" (a phrase holding one names no service)."""
    words = rules("CONTRACT_MODIFIER")
    drop = alternation([p for p, i in words if i == "modifier"])
    never = alternation([p for p, i in words if i == "not_service"])
    return re.compile(rf"(?i)^(?:{drop})\s+"), re.compile(rf"(?i)(?<![\w-])(?:{never})(?![\w-])")


def _contract_service(phrase: str) -> str | None:
    """The service in the words before "contract with": "new three-year garden waste and compost" → "garden waste
    and compost"; None when nothing but the contract's own words is left, or it is no service ("lease")."""
    drop, never = _contract_modifiers()
    phrase = _WS.sub(" ", phrase).strip()
    while True:
        shorter = _TERM_WORDS.sub("", drop.sub("", phrase + " ")).strip()
        if shorter == phrase:
            break
        phrase = shorter
    if not phrase or never.search(phrase) or not any(len(w) >= 3 and w.islower() for w in phrase.split()):
        return None
    return phrase


def _better_contract_service(text: str) -> bool:
    """A sentence naming the service after the provider too ("a contract with X to deliver Y", "… for the provision
    of Y"): that names it, not the words before "contract"."""
    return any(rx.search(text) for kind, rx in PROSE if kind in ("contract_to", "contract_for"))


_CAP_SLASH = r"[A-Z][\w&'’\-]*(?:/[A-Z][\w&'’\-]*)*"  # "Centres/Family"
# "the two commissioned Youth Clubs/Play Hubs": what the council commissions, named in capitals
_COMMISSIONED = re.compile(rf"\bcommissioned\s+(?P<svc>{_CAP_SLASH}(?:\s+(?:(?:and|&|of|for)\s+)?{_CAP_SLASH}){{0,5}})")


def _commissioned_before(a: Analysis, s: Sentence, at: int) -> str | None:
    """The last "commissioned <Service>" in the paragraph before offset ``at`` of sentence ``s``: what the providers
    a provider noun then names deliver."""
    unit = a.units[s.unit]
    found = None
    for found in _COMMISSIONED.finditer(a.text, unit.start, s.start + at):
        pass
    return found.group("svc") if found else None


_COORDINATION = re.compile(r"\s*(?:,\s*)?(?:(?:and|or|&)\s+)?(?:the\s+)?")


def _coordinated(a: Analysis, s: Sentence, after: int) -> set[str]:
    """The providers named one after another from ``after`` (an offset in the sentence) on: "A, B and C"."""
    found: set[str] = set()
    pos = s.start + after
    for m in a.mentions[bisect_left(a._starts, pos):]:
        if m.start >= s.end or (m.start > pos and not _COORDINATION.fullmatch(a.text, pos, m.start)):
            break
        found.add(m.provider)
        pos = m.end
    return found


def _prose(a: Analysis, out: _Collector, held: list[set[str]], screened: bool) -> None:
    # a service named only as "the X service" / "the X contract" belongs to the paper's one main provider
    main_provider = a.paper_provider()
    has_retained_list = any(r.status == "retained" for _, r in out.found)
    provider_forms = [f for key, info in a.providers.items() if not info.from_table for f in [key, *info.aliases]]
    acts = None  # built on first use: few papers have a sentence it could match
    screens = _screens()
    # a special statement without a service in it ("Kier were appointed as the council's contractor") names none here
    specials = [(rx, needs, screened_needs)
                for rx, needs, screened_needs in zip(special_regexes(), SPECIAL_NEEDS, screens.specials) if "(?P<svc>" in rx.pattern]
    listed = a.cued.get("PROVIDER_LIST_NOUN", set())  # sentences holding a provider noun (a span-ruler cue)
    for index, (s, words) in enumerate(zip(a.sentences, held)):
        transfer = s.has("SERVICE_STATUS") and "transferred" in s.ids("SERVICE_STATUS")
        listing = index in listed
        if not words and screened and not transfer and not listing:
            continue  # no pattern below can match it
        src = a.sentence_source(s)
        # what takes its provider from the sentence is not looked for in a sentence that names none
        names_provider = bool(a.providers_in(s.start, s.end))
        for kind, rx in PROSE:
            if words.isdisjoint(NEEDS[kind]) or not _may_match(screens.prose[kind], words, screened) or (
                    kind in _PROVIDER_IN_SENTENCE and not names_provider):
                continue
            for m in rx.finditer(s.text):
                if kind in ("subject", "subject_by") and (PROSE[0][1].search(s.text)
                                                          or _NOT_A_SERVICE_SUBJECT.search(m.group("svc"))):
                    continue
                status = (m.groupdict().get("status") or "commissioned").lower()
                status = "transferred" if status.startswith("transfer") else "commissioned"
                if kind == "retained":
                    # the council keeping work in prose; a paper with a retained list has said it there
                    if has_retained_list:
                        continue
                    for item in _split_inline(m.group("list")):
                        if len(item.split()) <= MAX_INLINE_ITEM_WORDS:
                            out.add(item, "retained", None, s.start + m.start(), src)
                    continue
                if kind == "possessive":
                    name, provider = m.group("svc"), _provider_after(a, s, s.start + m.end())
                    if provider is None:
                        continue
                    out.add(name, "transferred" if status == "transferred" else status, provider, s.start + m.start(), src)
                    continue
                if kind in ("named", "subject", "awarded", "subject_by"):
                    name = m.group("svc")
                    provider = _provider_after(a, s, s.start + m.end())
                    if kind != "named" and provider is None:
                        continue
                    if kind == "subject_by" and not (_SERVICE_WORD.search(s.text) or _CONTRACT_NOUN.search(s.text)):
                        continue
                elif kind == "antecedent":
                    if m.group("ref") is None and m.start("head") != 0 and not s.text[:m.start("head")].strip() == "":
                        continue
                    name = _antecedent(a, index, m.group("head"))
                    if name is None:
                        continue
                    provider = _provider_after(a, s, s.start + m.end("status"))
                elif kind == "appositive":
                    name, provider = m.group("svc"), _provider_after(a, s, s.start + m.end("status"))
                elif kind == "contract_with":
                    name = _contract_service(m.group("svc"))
                    # the provider named right after "with" ("the"/"their" between at most)
                    named = a.providers_in(s.start + m.end(), s.start + m.end() + 6)
                    if not name or not named or _better_contract_service(s.text):
                        continue
                    provider = named[0]
                    if m.group("plural"):  # "the cleaning contracts with A and B": each holds one
                        listed = [p for p in a.providers_in(s.start + m.end(), s.end) if p in _coordinated(a, s, m.end())]
                        if len(listed) > 1:
                            for each in listed:
                                out.add(name, "commissioned", each, s.start + m.start(), src, per_provider=True)
                            continue
                elif kind == "contract_ensures":
                    named = a.providers_in(s.start, s.end)
                    provider = named[0] if len(named) == 1 else a.introduced_next(index) if not named else None
                    name = m.group("svc")
                    if provider is None:
                        continue
                elif kind == "commissioner_of":
                    name, provider = m.group("svc"), None
                elif kind == "service_by":
                    name = _words_before(s.text, m)
                    # the provider is the one named right after "by", not one further on
                    named = a.providers_in(s.start + m.end(), min(s.end, s.start + m.end() + 40))
                    provider = named[0] if named else None
                    if not name or provider is None:
                        continue
                elif kind in ("provided_to", "offered_by", "contract_for", "contract_to", "award_for"):
                    named = a.providers_in(s.start, s.end)
                    if not named:
                        continue
                    name = m.group("svc") if kind != "provided_to" else _words_before(s.text, m)
                    if not name:
                        continue
                    provider = named[0]
                    # "contracts with A, B and C for the provision of X": each party delivers X
                    listed = a.providers_in(s.start + m.start(), s.start + m.start("svc")) if kind in (
                        "contract_for", "contract_to") else []
                    if len(listed) > 1:
                        for each in listed:
                            out.add(name, status, each, s.start + m.start(), src, per_provider=True)
                        continue
                else:  # traded / contract / the_service: the paper's provider context
                    if main_provider is None:
                        continue
                    name, provider = m.group("svc"), main_provider
                    if kind == "contract":
                        name = name.strip()
                        if all(w.isupper() for w in name.split()) or not acceptable_name(name):
                            continue
                    if kind == "the_service" and len(name.split()) == 2 and name.split()[0].isupper():
                        continue
                if provider is None and status == "transferred" and kind != "commissioner_of":
                    continue
                out.add(name, status, provider, s.start + m.start(), src)
        for m in (PROVIDER_LIST.finditer(s.text) if names_provider and _may_match(screens.provider_list, words, screened) else ()):
            named = a.providers_in(s.start + m.start("list"), s.end)
            for each in named:
                out.add(m.group("svc"), "commissioned", each, s.start + m.start(), src, per_provider=len(named) > 1)
        for m in (named_list().finditer(s.text) if names_provider and listing else ()):
            # "The two commissioned Youth Clubs … Officers wrote to the two providers: A and B"
            svc = _commissioned_before(a, s, m.start())
            named = _coordinated(a, s, m.start("name")) if svc else ()
            for each in a.providers_in(s.start + m.start("name"), s.end):
                if each in named:
                    out.add(svc, "commissioned", each, s.start + m.start(), src, as_written=True,
                            per_provider=len(named) > 1)
        for rx, needs, screened_needs in specials:
            if not names_provider or words.isdisjoint(needs) or not _may_match(screened_needs, words, screened):
                continue
            for m in rx.finditer(s.text):
                svc = m.groupdict().get("svc")
                if svc and acceptable_name(m.group("name")):
                    named = a.providers_in(s.start + m.start("name"), s.end)
                    if named:  # no provider: the council's own team (in-house), or a name that was no provider
                        out.add(svc, "commissioned", named[0], s.start + m.start(), src)
        if provider_forms and not words.isdisjoint(_ACTS_WORDS):
            if acts is None:
                acts = re.compile(r"(?<![\w-])(?P<prov>" + "|".join(re.escape(f) for f in sorted(provider_forms, key=len, reverse=True))
                                  + r")" + PROVIDER_ACTS.pattern)
            for m in acts.finditer(s.text):
                key = next((k for k in a.providers if m.group("prov") == k or m.group("prov") in a.providers[k].aliases), None)
                out.add(m.group("svc"), "commissioned", key, s.start + m.start(), src)
        if transfer and _may_match(screens.transfer_from, words, screened):
            for m in TRANSFER_FROM.finditer(s.text):
                to_start = s.start + m.start("to")
                named = a.providers_in(to_start, s.start + m.end("to"))
                if named:
                    out.add(m.group("svc"), "transferred", named[-1], s.start + m.start(), src)


def _register(a: Analysis, out: _Collector) -> None:
    for row in a.registers:
        name = row.cell(a.text, "service")
        provider = row.cell(a.text, "provider")
        if name and provider:
            out.add(name, "commissioned", clean_name(provider), a.units[row.unit].start,
                    a.unit_source(row.unit), as_written=True)


def extract(ctx):
    """Services named as transferred, retained or commissioned, with their provider."""
    analysis = analyse(ctx)
    out = _Collector(analysis, ctx.document.doc_id)
    _register(analysis, out)
    _list_items(analysis, out)
    held = _held_words(analysis)
    screened = screenable(analysis.text) is not None  # (else case-insensitive patterns are never screened)
    _inline_lists(analysis, out, held, screened)
    _prose(analysis, out, held, screened)
    return out.records()
