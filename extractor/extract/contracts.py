"""`contract` extractor: the arrangement between the council and each provider.

Prose: one contract per provider the `providers` analysis found, its fields read
from the sentences that name the provider (or one of its aliases), and from
sentences about "the contract" / "the partnership" that name no provider (they
belong to the provider last named, else the paper's main provider):

* ``start_date`` — a date next to a start cue (``commence``, ``entered into``,
  ``established``, ``came into operation``, ``commissioned to … on``); a day and
  month without a year take the year of the nearest earlier mention of that month;
* ``term_years`` — ``5 year contract``, ``seven year strategic partnership``,
  ``a term of five years``;
* ``end_date`` — a date next to an end cue, else computed from start and term;
* ``annual_value_gbp`` — money beside ``per annum`` / ``management fee`` / ``annual value``;
* ``savings_gbp`` and ``savings_period`` — money beside ``savings`` and the
  financial years it spans (``between 2016/17 and 2019/20`` → ``2016/17 to 2019/20``);
* ``notes`` — short facts such as ``joint venture between …`` or ``owns a 49% stake``.

A sentence about "the contract" naming no provider, in a paragraph that goes on to
introduce one ("The X contract was extended … Acme, a charity, …"), is that
provider's; "two … contracts" after two providers named together are theirs however
far back. ``£150k (Acme, Eastby)`` after a contract-value cue, in a paragraph
speaking of a year, is Acme's annual value. ``extended for 12 months`` is a term,
and ``from April 25`` is April 2025 in a paper writing its dates day first.

Register tables: one contract per row (supplier, start and end month, estimated
annual value, ref, supplier information and the procurement column in notes).
Cue words are data in ``models/rules/contracts.jsonl``.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from functools import cache
from itertools import islice

from ..dates import end_from_term, find_dates, financial_years, parse_cell_date
from ..quantities import MONTH_ABBREVIATIONS
from ..records import ContractRecord
from ..regex_screen import LazyPattern, holds_any, screen_source, screenable
from .providers import Analysis, Sentence, alternation, analyse, clean_name, fold, header_field, lookup, phrases

_WS = re.compile(r"\s+")
_DIGIT = re.compile(r"\d")

NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "twenty-five": 25, "thirty": 30}
_NUM = r"(?:\d{1,2}(?:\.\d)?|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + ")"

MONEY = re.compile(r"£\s?(?P<n>\d[\d,]*(?:\.\d+)?)\s*(?P<mult>bn|billion|m|million|mn|k|thousand)?\b", re.I)
_MULT = {"bn": 1e9, "billion": 1e9, "m": 1e6, "million": 1e6, "mn": 1e6, "k": 1e3, "thousand": 1e3}


def _can_match(rx: re.Pattern, lowered: str | None) -> bool:
    """False only when ``lowered`` (a text from ``regex_screen.screenable``) lacks every word ``rx`` needs."""
    words = screen_source(rx.pattern, rx.flags)
    return lowered is None or words is None or holds_any(lowered, words)


def _may_match(patterns: list[re.Pattern], text: str) -> list[re.Pattern]:
    """The patterns worth running on ``text``: those whose needed words (``regex_screen.screen``) it holds."""
    lowered = screenable(text)
    if lowered is None:
        return patterns
    return [rx for rx in patterns if (words := screen_source(rx.pattern, rx.flags)) is None or holds_any(lowered, words)]


def money(text: str) -> float | None:
    """``£10.8m`` → 10800000, ``£850k`` → 850000, ``£32,400`` → 32400; ``£-`` or no amount → None."""
    m = MONEY.search(text)
    return _money_value(m) if m else None


_CONTRACT_WORD = re.compile(r"(?i)\b(?:contract|partnership|agreement|arrangement|concession|lease|SLA)s?\b")
_PLAIN_AMOUNT = re.compile(r"^\s*(?P<n>\d[\d,]*(?:\.\d+)?)\s*(?P<mult>bn|billion|m|million|k|thousand)?\s*$", re.I)


def cell_amount(cell: str) -> float | None:
    """A money column's cell without a pound sign (``12,000``, ``1.2m``), the header saying it is money."""
    m = _PLAIN_AMOUNT.match(cell)
    return _money_value(m) if m else None


def _money_value(m: re.Match) -> float:
    value = float(m.group("n").replace(",", ""))
    mult = (m.group("mult") or "").lower()
    return round(value * _MULT.get(mult, 1), 2)


@cache
def _term_regexes() -> list[LazyPattern]:
    nouns = alternation(phrases("CONTRACT_NOUN"))
    # (compiled on first use: few sentences hold the words screen_source finds in them)
    return [
        LazyPattern(rf"(?i)\b(?P<n>{_NUM})[\s-]+years?['’]?\s+(?:[a-z-]+\s+){{0,4}}?(?:{nouns})\b"),
        LazyPattern(rf"(?i)\b(?:term|period|duration|length)\s+of\s+(?P<n>{_NUM})\s+years?\b"),
        LazyPattern(rf"(?i)\b(?:{nouns})\b[^.;]{{0,40}}?\bfor\s+(?:a\s+(?:period|term|duration)\s+of\s+)?(?P<n>{_NUM})\s+years?\b"),
        # "a six-month contract extension", "a term of 18 months": months, as a fraction of a year
        LazyPattern(rf"(?i)\b(?P<months>{_NUM})[\s-]+months?['’]?\s+(?:[a-z-]+\s+){{0,4}}?(?:{nouns})\b"),
        LazyPattern(rf"(?i)\b(?:term|period|duration|length)\s+of\s+(?P<months>{_NUM})\s+months?\b"),
        # "the contract was due to be extended for 12 months", "renewed for a further two years"
        LazyPattern(rf"(?i)\b(?:{nouns})\b[^.;]{{0,40}}?\b(?:extended|renewed)\s+for\s+(?:a\s+(?:further\s+)?"
                   rf"(?:(?:period|term)\s+of\s+)?)?(?:(?P<n>{_NUM})\s+years?|(?P<months>{_NUM})\s+months?)\b"),
    ]


def term_years(text: str) -> float | None:
    """The contract term a sentence states, in years (``seven year strategic partnership`` → 7)."""
    for rx in _may_match(_term_regexes(), text):
        m = rx.search(text)
        if m:
            months = m.groupdict().get("months")
            n = (months or m.group("n")).lower()
            value = float(NUMBER_WORDS[n]) if n in NUMBER_WORDS else float(n)
            return round(value / 12, 2) if months else value
    return None


_NOTE_PATTERNS = [
    re.compile(r"(?i)\bjoint\s+venture\s+(?:between|with)\s+[^.;,(]+"),
    re.compile(r"(?i)\b(?:owns?|holds?)\s+an?\s+\d+(?:\.\d+)?\s*%\s+(?:stake|share|shareholding)[^.;,(]*"),
    re.compile(r"(?i)\b(?:service\s+level\s+agreement|SLA)\s+for\s+[^.;,(]+"),
    re.compile(r"(?i)\bsub-?contractor\s+to\s+[^.;,(]+"),
    re.compile(r"(?i)\bthrough\s+(?:their|its)\s+contract\s+with\s+[^.;,()]+"),
    re.compile(r"(?i)\b(?:total\s+)?contract\s+value\s+(?:of\s+|is\s+|was\s+)?£\s?[\d.,]+\s*(?:m|k|bn|million|billion)?\b[^.;,()]*"),
    re.compile(r"(?i)\boption\s+to\s+extend\b[^.;()]*"),
]


def _note_facts(text: str) -> list[str]:
    return [_WS.sub(" ", m.group(0)).strip() for rx in _may_match(_NOTE_PATTERNS, text) for m in rx.finditer(text)]


class _Draft:
    def __init__(self, provider: str):
        self.provider = provider
        self.start_date: str | None = None
        self.term: float | None = None
        self.end_date: str | None = None
        self.annual: float | None = None
        self.savings: float | None = None
        self.savings_period: str | None = None
        self.notes: list[str] = []
        self.source_sentence: Sentence | None = None
        self.table_unit: int | None = None

    def touched(self, s: Sentence) -> None:
        if self.source_sentence is None:
            self.source_sentence = s


def _cue_offsets(s: Sentence, label: str) -> list[int]:
    return [c[2] for c in s.cues if c[0] == label]


def _default_year(text: str, before: int, month_name: str) -> int | None:
    """The year of the nearest earlier date naming the same month, else of any earlier dated mention."""
    found = [d for d in find_dates(text[:before]) if d.has_year]
    same = [d for d in found if text[d.start:d.end].lower().find(month_name.lower()[:3]) >= 0]
    pick = same or found
    return int(pick[-1].iso[:4]) if pick else None


_FROM_BEFORE = re.compile(r"(?i)\b(?:from|since|commencing|starting|beginning)\s+(?:the\s+)?(?:on\s+)?$")


# "on 1st April": a day and month without a year
_DAY_AND_MONTH = re.compile(r"(?i)\b(?:on\s+(?:the\s+)?)?(\d{1,2}(?:st|nd|rd|th)?\s+(January|February|March|April|May|June|"
                            r"July|August|September|October|November|December))\b")


_MONTHS = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*"
# "extended for 12 months from April 25": a month and a two-figure year (no day, no four-figure year after it)
_FROM_MONTH_YY = re.compile(rf"(?i)\bfrom\s+(?P<month>{_MONTHS})[ \t'’-]+(?P<yy>\d{{2}})\b(?![,/:.]?\s*\d)(?!\s*(?:st|nd|rd|th)\b)")
# (opening with a digit or a month's capital, not ``\b``, so re scans for the opening)
_DAY_FIRST = re.compile(rf"\d(?<!\d\d)\d?(?:st|nd|rd|th)?\s+{_MONTHS}\s+\d{{4}}\b")
_MONTH_FIRST = re.compile(rf"{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b")
DATE_ORDER_SAMPLE = 12  # dates read to tell a paper's date order


def _from_month_yy(a: Analysis, text: str) -> str | None:
    """ "from April 25" as April 2025, in a paper writing its dates day first ("1 April 2025"): there "April 25"
    is no day of April."""
    m = _FROM_MONTH_YY.search(text)
    if m is None:
        return None
    month = MONTH_ABBREVIATIONS.get(m.group("month")[:3].lower())
    day_first = sum(1 for _ in islice(_DAY_FIRST.finditer(a.text), DATE_ORDER_SAMPLE))
    if month is None or day_first <= sum(1 for _ in islice(_MONTH_FIRST.finditer(a.text), day_first)):
        return None
    return f"20{m.group('yy')}-{month:02d}-01"


def _start_date(a: Analysis, s: Sentence) -> str | None:
    if not _DIGIT.search(s.text):
        return None  # every date has a day or a year in figures: no need to look for one
    cues = _cue_offsets(s, "CONTRACT_START_CUE")
    if not cues:
        # "runs for five years from 1 April 2018": a date right after "from" in a sentence about the contract
        if not _CONTRACT_WORD.search(s.text):
            return None  # (tested first: finding the dates costs more)
        for d in find_dates(s.text):
            if _FROM_BEFORE.search(s.text[max(0, d.start - 25):d.start]):
                return d.iso
        return _from_month_yy(a, s.text)
    dates = find_dates(s.text)
    if not dates:
        m = _DAY_AND_MONTH.search(s.text)
        if m:
            year = _default_year(a.text, s.start, m.group(2))
            if year is not None:
                dates = find_dates(m.group(1), default_year=year)
                dates = [type(d)(d.start + m.start(1), d.end + m.start(1), d.iso, d.has_day, False) for d in dates]
    ends = [c[3] for c in s.cues if c[0] == "CONTRACT_END_CUE"]
    # a date right after "until" / "expires on" ends the contract; it does not start it
    dates = [d for d in dates if not any(0 <= s.start + d.start - e <= 20 for e in ends)]
    if not dates:
        return None
    best = min(dates, key=lambda d: min(abs(s.start + d.start - c) for c in cues))
    return best.iso


_OF = re.compile(r"(?i)\bof\b")


def _end_date(s: Sentence) -> str | None:
    cues = _cue_offsets(s, "CONTRACT_END_CUE")
    if not cues or not _DIGIT.search(s.text):
        return None  # no end cue, or no date (every date has a day or a year in figures)
    ends = [c[3] for c in s.cues if c[0] == "CONTRACT_END_CUE"]
    for d in find_dates(s.text, end=True):
        for cue_end in ends:
            if d.start < cue_end - s.start:
                continue
            between = s.text[cue_end - s.start:d.start]
            # "expires on 31 March 2023", "until March 2023"; not "the end of the school year in July 2016"
            if len(between) <= 20 and not _OF.search(between):
                return d.iso
    return None


_ANNUAL_PHRASE = re.compile(r"(?i)\b(?:management\s+fee|annual(?:ised)?\s+(?:[\w-]+\s+){0,2}?(?:value|cost|fee|price|"
                            r"charge|payment|spend))\b")


def _annual_value(s: Sentence) -> float | None:
    if "£" not in s.text:
        return None  # no amount (MONEY opens with the pound sign)
    if not (s.has("CONTRACT_ANNUAL_CUE") or _ANNUAL_PHRASE.search(s.text)):
        return None
    for m in MONEY.finditer(s.text):
        before = s.text[max(0, m.start() - 40):m.start()].lower()
        if "saving" in before:
            continue
        return _money_value(m)
    return None


_SPAN = re.compile(r"(?i)\b(?:between|from|over)\b")  # "between 2016/17 and 2019/20": a period, not one year


def _savings(s: Sentence) -> tuple[float | None, str | None]:
    if not s.has("CONTRACT_SAVINGS_CUE") or "£" not in s.text:
        return None, None
    for m in MONEY.finditer(s.text):
        window = s.text[max(0, m.start() - 60):m.end() + 30].lower()
        if "saving" not in window and "efficienc" not in window:
            continue
        rest = s.text[m.end():]
        years = financial_years(rest[:80])
        period = None
        if len(years) >= 2 and _SPAN.search(rest[:80]):
            period = f"{years[0]} to {years[1]}"
        elif years:
            period = years[0]
        return _money_value(m), period
    return None, None


# "contracts with A, B and C", "a contract extension with A and B": one set of terms for every party named
_COORDINATED_CONTRACTS = re.compile(r"(?i)\b(?:contracts|contract\s+extensions?|agreements)\s+with\b|"
                                    r"\bcontract\s+extensions?\s+with\b")
# "These contracts", "the contracts": the plural picks up the providers last named together
# ("two Children's Centre contracts" too: a count of contracts after providers named together is theirs)
_PLURAL_CONTRACTS = re.compile(r"(?i)\b(?:these|those|the|both|all|(?P<count>two|three|four|five|six|seven|eight|nine|ten|\d))\s+"
                               r"(?:[\w'’-]+\s+){0,2}?(?:contracts|agreements|extensions)\b")


def _plural_contracts(text: str, providers: list[str], counted: bool = False) -> bool:
    """ "These contracts", "two Children's Centre Contracts": contracts of the providers last named together, the
    count (if any) agreeing; ``counted``: a count is needed (it makes them theirs however far back they were named)."""
    for m in _PLURAL_CONTRACTS.finditer(text):
        n = m.group("count")
        if n is None:
            if not counted:
                return True
        elif (int(n) if n.isdigit() else NUMBER_WORDS.get(n.lower())) == len(providers):
            return True
    return False


# how many sentences on "the contract" may still mean the contract of the provider last named (in another paragraph)
ANAPHORA_SENTENCES = 3


@cache
def _definite_contract() -> tuple[LazyPattern, LazyPattern]:
    """A sentence naming no provider speaks of one only through a definite "the contract" / "this partnership".

    With it, the contract nouns alone: a cheap screen (``_can_match``) the whole pattern's words ("the", "this")
    are not, since the pattern needs one of the nouns as well.
    """
    nouns = alternation(phrases("CONTRACT_NOUN"))
    # (up to seven words between: "The bulky household waste (BHW) zero-cost contract")
    return (LazyPattern(rf"(?i:\b(?:the|this|that|its|their)\s+(?:[\w'’()-]+\s+){{0,7}}?(?:{nouns})\b)"),
            LazyPattern(rf"(?i:{nouns})"))


def _prose_contracts(a: Analysis) -> list[_Draft]:
    prose = [k for k, info in a.providers.items() if not info.from_table]
    if not prose:
        return []
    drafts = {k: _Draft(k) for k in prose}
    definite, contract_nouns = _definite_contract()
    dominant = a.dominant_provider()
    last_with_contract: str | None = None  # the provider last named in a sentence about a contract
    last_list: list[str] = []  # the providers last named together in a sentence about their contracts
    last_named_at = (-10, -1)  # (sentence index, unit) where a provider was last named
    for si, s in enumerate(a.sentences):
        named = [p for p in a.providers_in(s.start, s.end) if p in drafts]
        if named:
            last_named_at = (si, s.unit)
        elif si - last_named_at[0] > ANAPHORA_SENTENCES and s.unit != last_named_at[1] and not (
                last_list and _can_match(_PLURAL_CONTRACTS, screenable(s.text)) and _plural_contracts(s.text, last_list, counted=True)):
            continue  # "a lease that costs £54,000" pages on speaks of no provider's contract
        lowered = screenable(s.text)
        if named and _can_match(_CONTRACT_WORD, lowered) and _CONTRACT_WORD.search(s.text):
            last_with_contract = named[0] if len(named) == 1 else last_with_contract or named[0]
            last_list = named if len(named) > 1 else []
        shared = (len(named) > 1 and _can_match(_COORDINATED_CONTRACTS, lowered)
                  and _COORDINATED_CONTRACTS.search(s.text) is not None)
        if not named and last_list and _can_match(_PLURAL_CONTRACTS, lowered) and _plural_contracts(s.text, last_list):
            named, shared = list(last_list), True  # "These contracts are for a duration of three years"
        if not named:
            if not (_can_match(contract_nouns, lowered) and _can_match(definite, lowered) and definite.search(s.text)):
                continue
            # "The contract is expected to deliver savings …": the contract last named with its provider, unless
            # the paragraph, not yet naming one, goes on to introduce one ("The X contract was extended. Acme, …")
            owner = (a.introduced_next(si) if s.unit != last_named_at[1] else None) \
                or last_with_contract or a.last_provider_before(s.start) or dominant
            if owner not in drafts:
                continue
            named = [owner]
        here = [drafts[key] for key in named]
        # each field is read once per sentence, and only while a provider named in it still lacks that field
        start = _start_date(a, s) if any(d.start_date is None for d in here) else None
        term = term_years(s.text) if (len(named) == 1 or shared) and any(d.term is None for d in here) else None
        end = _end_date(s) if any(d.end_date is None for d in here) else None
        for d in here:
            if start and d.start_date is None:
                d.start_date = start
                d.touched(s)
            if term and d.term is None:
                d.term = term
                d.touched(s)
            if end and d.end_date is None:
                d.end_date = end
                d.touched(s)
            if len(named) == 1:
                annual = _annual_value(s) if d.annual is None else None
                if annual:
                    d.annual = annual
                    d.touched(s)
                saved, period = _savings(s) if d.savings is None else (None, None)
                if saved:
                    d.savings, d.savings_period = saved, period
                    d.touched(s)
                for fact in _note_facts(s.text):
                    if fact not in d.notes:
                        d.notes.append(fact)
    _from_provider_tables(a, drafts)
    _values_named_by_provider(a, drafts)
    for d in drafts.values():
        if d.end_date is None and d.start_date and d.term:
            d.end_date = end_from_term(d.start_date, d.term)
    return list(drafts.values())


# "£150k (Eastgate, Northby)": an amount with the provider it belongs to in brackets right after it
_AMOUNT_BEFORE_BRACKET = re.compile(r"£\s?(?P<n>\d[\d,]*(?:\.\d+)?)\s*(?P<mult>bn|billion|m|million|mn|k|thousand)?\s*\(\s*$",
                                    re.I)
_SENTENCE_END = re.compile(r"[.!?]\s+[A-Z(]")
VALUE_LOOKBACK = 250  # how far before the amount its value cue may stand (in the same paragraph or row)


@cache
def _value_cues() -> tuple[re.Pattern, re.Pattern]:
    """A contract's value spoken of (``CONTRACT_VALUE_CUE`` phrases naming the contract: "contract value", "value of
    the contracts"), and a year spoken of (``CONTRACT_ANNUAL_CUE``, and "annual" itself)."""
    value = alternation([p for p in phrases("CONTRACT_VALUE_CUE") if len(p.split()) > 1])
    annual = alternation([p for p in phrases("CONTRACT_ANNUAL_CUE") if len(p) > 3] + ["annual"])
    return re.compile(rf"(?i)\b(?:{value})\b"), re.compile(rf"(?i)(?<![\w-])(?:{annual})(?![\w-])")


def _values_named_by_provider(a: Analysis, drafts: dict[str, _Draft]) -> None:
    """ "the contract value for the two clubs is £150k (Eastgate) and £120k (Brookside) … annually": an amount
    followed by a provider's name in brackets, after a contract-value cue, is that provider's annual value when the
    paragraph (or table row) speaks of a year."""
    text = a.text
    unit_starts = [u.start for u in a.units]
    value_cue, annual_cue = _value_cues()
    for m in a.mentions:
        d = drafts.get(m.provider)
        if d is None or d.annual is not None:
            continue
        before = text[max(0, m.start - 30):m.start]
        if not before.rstrip().endswith("(") or "£" not in before:
            continue  # (cheap tests first: most mentions follow no bracket)
        amount = _AMOUNT_BEFORE_BRACKET.search(before)
        k = bisect_right(unit_starts, m.start) - 1
        if amount is None or k < 0 or a.units[k].end < m.start:
            continue
        unit = a.units[k]
        at = m.start - len(before) + amount.start()
        cue = None
        for cue in value_cue.finditer(text, max(unit.start, at - VALUE_LOOKBACK), at):
            pass  # the last cue before the amount, which must be in the amount's sentence
        if cue is not None and not _SENTENCE_END.search(text, cue.end(), at) and annual_cue.search(text, unit.start, unit.end):
            d.annual = _money_value(amount)
            if d.table_unit is None and d.source_sentence is None:
                d.table_unit = k


_TABLE_FIELDS = {"start", "end", "annual_value", "term"}


def _from_provider_tables(a: Analysis, drafts: dict[str, _Draft]) -> None:
    """Fill prose contracts from tables whose rows start with a provider's name (end date, value per annum)."""
    header: dict[str, int] | None = None
    for i, u in enumerate(a.units):
        if u.kind != "table_row":
            header = None
            continue
        cells = [_WS.sub(" ", a.text[x:y]).strip() for x, y in u.cells]
        mapping = {}
        for col, cell in enumerate(cells):
            name = header_field(cell) if not _DIGIT.search(cell) else None
            if name in _TABLE_FIELDS and name not in mapping:
                mapping[name] = col
        if mapping and not any(_DIGIT.search(c) for c in cells):
            header = mapping
            continue
        if header is None or not cells:
            continue
        key = _provider_for_cell(a, cells[0], drafts)
        if key is None:
            continue
        d = drafts[key]
        get = lambda f: cells[header[f]] if f in header and header[f] < len(cells) else ""  # noqa: E731
        start = parse_cell_date(get("start")) if get("start") else None
        end = parse_cell_date(get("end"), end=True) if get("end") else None
        annual = money(get("annual_value")) if get("annual_value") else None
        for attr, value in (("start_date", start), ("end_date", end), ("annual", annual)):
            if value is not None and getattr(d, attr) is None:
                setattr(d, attr, value)
                if d.table_unit is None:
                    d.table_unit = i  # cited only when no sentence gave a field


def _provider_for_cell(a: Analysis, cell: str, drafts: dict[str, _Draft]) -> str | None:
    f = fold(cell)
    if not f:
        return None
    for key in drafts:
        forms = [key, *a.providers[key].aliases]
        if any(fold(x) == f for x in forms) or fold(key).startswith(f + " "):
            return key
    return None


def _register_contracts(a: Analysis, doc_id: str) -> list[ContractRecord]:
    open_end = lookup("CONTRACT_OPEN_END")
    out = []
    seen_rows: set[tuple] = set()
    for row in a.registers:
        values = {name: row.cell(a.text, name) for name in row.fields}  # each cell cleaned once
        cell = values.get
        # a table listing one contract over several rows (one per KPI, say) is one contract
        identity = tuple(fold(cell(f) or "") for f in ("service", "provider", "start", "end", "annual_value", "ref"))
        if identity in seen_rows:
            continue
        seen_rows.add(identity)
        provider = clean_name(cell("provider") or "")
        notes = [cell("service") or ""]
        if cell("ref"):
            notes.append(f"ref {cell('ref')}")
        if cell("provider_info"):
            notes.append(f"supplier information: {cell('provider_info')}")
        if cell("procurement"):
            notes.append(f"procurement: {cell('procurement')}")
        start = parse_cell_date(cell("start") or "")
        end_text = cell("end") or ""
        end = parse_cell_date(end_text, end=True)
        if end is None and fold(end_text) in open_end:
            notes.append(f"end date: {end_text}")
        annual = None
        raw_value = cell("annual_value")
        if raw_value:
            annual = money(raw_value) if "£" in raw_value else cell_amount(raw_value)
            if annual is None and "£" in raw_value:
                notes.append(f"{row.headers.get('annual_value', 'annual value').lower()} shown as {raw_value}")
        elif cell("value"):
            notes.append(f"{row.headers.get('value', 'value').lower()}: {cell('value')}")
        term = None
        if cell("term"):
            term = term_years(cell("term") + " years contract") if _DIGIT.search(cell("term")) else None
        if end is None and start and term:
            end = end_from_term(start, term)
        out.append(ContractRecord(doc=doc_id, source=a.unit_source(row.unit), provider=provider, start_date=start,
                                  term_years=term, end_date=end, annual_value_gbp=annual,
                                  notes="; ".join(n for n in notes if n) or None))
    return out


def extract(ctx):
    """One `contract` per prose provider and per contract-register row."""
    a = analyse(ctx)
    doc_id = ctx.document.doc_id
    records = _register_contracts(a, doc_id)
    for d in _prose_contracts(a):
        info = a.providers[d.provider]
        if d.source_sentence is not None:
            source = a.sentence_source(d.source_sentence)
        elif d.table_unit is not None:
            source = a.unit_source(d.table_unit)
        else:
            source = a.sentence_source(a.sentences[info.first.sentence])
        records.append(ContractRecord(doc=doc_id, source=source, provider=d.provider, start_date=d.start_date,
                                      term_years=d.term, end_date=d.end_date, annual_value_gbp=d.annual,
                                      savings_gbp=d.savings, savings_period=d.savings_period,
                                      notes="; ".join(d.notes) or None))
    return records
