"""Dates as council papers write them, to ISO ``YYYY-MM-DD``.

``1 October 2015``, ``1st April 2016``, ``April 2013`` (a month stands for its
first day, or its last when it ends something), ``Mar-16`` / ``Aug 17``
(register tables), ``01/04/2016`` (UK order), ``2015-10-01``; terms added to a
start (``2015-10-01`` + 5 years ends ``2020-09-30``); financial years
(``2016/17``, ``2016-17``).
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = {name: i for i, name in enumerate(calendar.month_name) if name} | {
    name: i for i, name in enumerate(calendar.month_abbr) if name} | {"Sept": 9}
_MONTH_KEYS = {k.lower(): v for k, v in MONTHS.items()}
_MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"

# Longest forms first: a day-month-year must not be read as a bare month-year.
DATE_PATTERN = re.compile(
    rf"\b(?:(?P<d1>{_DAY})\s+(?:of\s+)?(?P<m1>{_MONTH})\.?,?\s+(?P<y1>(?:19|20)\d\d)"
    rf"|(?P<m2>{_MONTH})\.?\s+(?P<d2>{_DAY}),?\s+(?P<y2>(?:19|20)\d\d)"
    rf"|(?P<d3>{_DAY})\s+(?:of\s+)?(?P<m3>{_MONTH})\b(?![\s.,]*(?:19|20)\d\d)"
    rf"|(?P<m4>{_MONTH})\.?[\s-]+(?P<y4>(?:19|20)\d\d)"
    r"|(?P<d6>[0-3]?\d)[/.](?P<m6>[01]?\d)[/.](?P<y6>(?:19|20)?\d\d)(?![\d/])"
    r"|(?P<y7>(?:19|20)\d\d)-(?P<m7>[01]\d)-(?P<d7>[0-3]\d))\b",
    re.IGNORECASE)

# The first date of a range takes the year written once at its end: "January 1 through June 30, 2023",
# "1 January to 30 June 2023" (a later month than the end's is in the year before).
_RANGE_JOIN = r"\s*(?:through|thru|to|until|till|and|[-–—])\s*"
DATE_RANGE_START = re.compile(
    rf"\b(?:(?P<ma>{_MONTH})\.?\s+(?P<da>{_DAY})(?={_RANGE_JOIN}(?P<mae>{_MONTH})\.?\s+{_DAY},?\s+(?P<ya>(?:19|20)\d\d)\b)"
    rf"|(?P<db>{_DAY})\s+(?:of\s+)?(?P<mb>{_MONTH})(?={_RANGE_JOIN}{_DAY}\s+(?:of\s+)?(?P<mbe>{_MONTH})\.?,?\s+(?P<yb>(?:19|20)\d\d)\b))",
    re.IGNORECASE)

# ``Mar-16``, ``Aug 17``: month and two-digit year, as register tables write them. Only read in
# cells, since in prose ``July 32%`` or ``March 10`` would be misread.
SHORT_MONTH_YEAR = re.compile(rf"^\s*(?P<m>{_MONTH})\.?\s*[-\s'’/]\s*(?P<y>\d\d)\s*$", re.IGNORECASE)

SHORT_DAY_MONTH_YEAR = re.compile(rf"^\s*(?P<d>[0-3]?\d)[-\s](?P<m>{_MONTH})\.?[-\s](?P<y>\d\d)\s*$", re.IGNORECASE)

FINANCIAL_YEAR = re.compile(r"\b((?:19|20)\d\d)\s*[/-]\s*(\d\d(?:\d\d)?)\b")


@dataclass(frozen=True)
class DateMention:
    """A date found in text: its span, the ISO date, and whether a day was written."""

    start: int
    end: int
    iso: str
    has_day: bool
    has_year: bool = True


def _month(name: str) -> int:
    key = name.lower().rstrip(".")
    return _MONTH_KEYS.get(key) or _MONTH_KEYS[key[:3]]


def _year(text: str) -> int:
    y = int(text)
    return y + 2000 if y < 100 else y


def _day_of(year: int, month: int, day: int | None, end: bool) -> date | None:
    if day is None:
        day = calendar.monthrange(year, month)[1] if end else 1
    try:
        return date(year, month, day)
    except ValueError:
        return None


def find_dates(text: str, *, end: bool = False, default_year: int | None = None) -> list[DateMention]:
    """Every date in ``text``. A month without a day is its first day (its last when ``end``).

    A day and month without a year (``on 1st April``) take ``default_year`` when given, else are skipped.
    """
    found = []
    range_starts = {}
    for m in DATE_RANGE_START.finditer(text):
        g = m.groupdict()
        month, day, end_month, year = ((g["ma"], g["da"], g["mae"], g["ya"]) if g["ma"] else
                                       (g["mb"], g["db"], g["mbe"], g["yb"]))
        y = _year(year) - (1 if _month(month) > _month(end_month) else 0)
        when = _day_of(y, _month(month), int(re.sub(r"\D", "", day)), end)
        if when is not None:
            range_starts[m.start()] = DateMention(m.start(), m.end(), when.isoformat(), True, True)
    for m in DATE_PATTERN.finditer(text):
        if m.start() in range_starts:
            found.append(range_starts[m.start()])
            continue
        g = m.groupdict()
        has_year = True
        if g["d1"]:
            y, mo, d = _year(g["y1"]), _month(g["m1"]), int(re.sub(r"\D", "", g["d1"]))
        elif g["m2"]:
            y, mo, d = _year(g["y2"]), _month(g["m2"]), int(re.sub(r"\D", "", g["d2"]))
        elif g["d3"]:
            if default_year is None:
                continue
            y, mo, d, has_year = default_year, _month(g["m3"]), int(re.sub(r"\D", "", g["d3"])), False
        elif g["m4"]:
            y, mo, d = _year(g["y4"]), _month(g["m4"]), None
        elif g["d6"]:
            y, mo, d = _year(g["y6"]), int(g["m6"]), int(g["d6"])
            if not 1 <= mo <= 12:
                continue
        else:
            y, mo, d = int(g["y7"]), int(g["m7"]), int(g["d7"])
            if not 1 <= mo <= 12:
                continue
        when = _day_of(y, mo, d, end)
        if when is not None:
            found.append(DateMention(m.start(), m.end(), when.isoformat(), d is not None, has_year))
    taken = {d.start for d in found}
    leftover = [d for at, d in range_starts.items() if at not in taken]  # "January 1": no pattern of its own
    return sorted(found + leftover, key=lambda d: d.start) if leftover else found


def parse_date(text: str, *, end: bool = False, default_year: int | None = None) -> str | None:
    """The first date in ``text`` as ISO, or None (``April 2013`` → 2013-04-01; with ``end`` → 2013-04-30)."""
    found = find_dates(text, end=end, default_year=default_year)
    return found[0].iso if found else None


def parse_cell_date(cell: str, *, end: bool = False) -> str | None:
    """A table cell's date, also in the short ``Mar-16`` / ``Aug 17`` / ``1-Apr-16`` forms (``Mar-16`` starts
    2016-03-01 and ends 2016-03-31)."""
    m = SHORT_MONTH_YEAR.match(cell)
    if m:
        when = _day_of(_year(m.group("y")), _month(m.group("m")), None, end)
        return when.isoformat() if when else None
    m = SHORT_DAY_MONTH_YEAR.match(cell)
    if m:
        when = _day_of(_year(m.group("y")), _month(m.group("m")), int(m.group("d")), end)
        return when.isoformat() if when else None
    return parse_date(cell, end=end)


def end_from_term(start_iso: str, years: float) -> str | None:
    """The last day of a term of ``years`` from ``start_iso`` (2015-10-01 + 5 → 2020-09-30)."""
    start = date.fromisoformat(start_iso)
    whole = int(years)
    months = round((years - whole) * 12)
    total = start.month - 1 + months
    year, month = start.year + whole + total // 12, total % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return (date(year, month, day) - timedelta(days=1)).isoformat()


def financial_years(text: str) -> list[str]:
    """Financial years as written, normalised to ``2016/17`` (``2016-17`` and ``2016/2017`` too)."""
    out = []
    for m in FINANCIAL_YEAR.finditer(text):
        first, second = int(m.group(1)), m.group(2)
        follow = int(second[-2:])
        if follow != (first + 1) % 100:
            continue
        out.append(f"{first}/{follow:02d}")
    return out
