"""regex_screen: a cheap substring test that must pass before a regex can match.

Python's ``re`` tries a pattern that starts with ``\\b`` or a group at every position of
a line, so scanning many lines with many cue patterns costs far more than looking for
the words those patterns cannot match without. ``screen(pattern)`` reads the pattern's
syntax tree for such words: every match contains one of them (compared in lower case).
A line holding none of them is skipped without running the pattern; the result is the
same as running it, only faster.
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache

try:  # the parser moved in Python 3.11; older versions name it sre_parse
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_parse as _sre_parse  # type: ignore[no-redef]

_C = _sre_parse  # opcodes are re-exported by the parser module
MIN_WORD = 3  # shorter required strings screen out too little to pay for the test
# Characters that ``re.IGNORECASE`` matches to ASCII letters although ``str.lower`` does not
# make them so (dotted/dotless i, long s, Kelvin sign): a line holding one is never screened.
_FOLDS_TO_ASCII = "\u0130\u0131\u017f\u212a"
_ATOMIC = getattr(_C, "ATOMIC_GROUP", object())


def screen(pattern: re.Pattern) -> tuple[str, ...] | None:
    """Lower-case strings one of which every match of ``pattern`` contains, or None when none is known."""
    return screen_source(pattern.pattern, pattern.flags)


@lru_cache(maxsize=1024)  # keyed by the pattern's text: hashing a compiled pattern hashes its whole code
def screen_source(pattern: str, flags: int = 0) -> tuple[str, ...] | None:
    """``screen`` of a pattern not compiled (it need not be: the words are read from its parsed text)."""
    try:
        parsed = _sre_parse.parse(pattern, flags)
    except Exception:  # a pattern the parser reads differently: no screen, run it in full
        return None
    found = _required(list(parsed))
    if not found or min(len(w) for w in found) < MIN_WORD:
        return None
    return tuple(sorted(found))


def screenable(text: str) -> str | None:
    """``text`` in lower case for ``holds_any``, or None when it holds a character that
    ``re.IGNORECASE`` folds to an ASCII letter differently (then run every pattern)."""
    return text.lower() if folds_plainly(text) else None


def folds_plainly(text: str) -> bool:
    """True when ``text`` holds none of the characters ``re.IGNORECASE`` folds to ASCII letters unlike ``str.lower``:
    then a case-insensitive pattern of ASCII literals matches where its lower-case form matches ``text.lower()``.
    (Four substring tests: several times faster than a character-class search of a whole paper.)"""
    for c in _FOLDS_TO_ASCII:
        if c in text:
            return False
    return True


def holds_any(lowered: str, words: tuple[str, ...]) -> bool:
    """True when ``lowered`` (from ``screenable``) contains one of ``words`` (a plain loop: no generator)."""
    for word in words:
        if word in lowered:
            return True
    return False


def _joins_word(c: str) -> bool:
    """True for a character that would continue a word: a word character of re (``\\w``) or a hyphen."""
    return c.isalnum() or c == "_" or c == "-"


def holds_bounded(text: str, phrase: str) -> bool:
    """True when ``text`` holds ``phrase`` with no word character or hyphen either side: what a search for
    ``(?<![\\w-])phrase(?![\\w-])`` finds, without a pattern compiled per phrase."""
    k = text.find(phrase)
    while k >= 0:
        end = k + len(phrase)
        if not (k and _joins_word(text[k - 1])) and not (end < len(text) and _joins_word(text[end])):
            return True
        k = text.find(phrase, k + 1)
    return False


class PaperScreen:
    """A whole paper lower-cased once, for screening many spans of it with a pattern's ``screen`` words.

    Meant for case-sensitive patterns, whose (ASCII) literals the lower-cased paper holds in lower
    case at the same offsets; a paper whose length changes when lower-cased is never screened.
    """

    def __init__(self, text: str):
        lowered = text.lower()
        self.lowered = lowered if len(lowered) == len(text) else None
        self._word_at: dict[tuple[str, ...], list[int]] = {}  # screen words → where the paper holds them

    def may_match(self, needs: tuple[str, ...] | None, start: int, end: int) -> bool:
        """False only when text[start:end] lacks every word of ``needs``."""
        if needs is None or self.lowered is None:
            return True
        for word in needs:
            if self.lowered.find(word, start, end) >= 0:
                return True
        return False

    def may_hold(self, needs: tuple[str, ...] | None, start: int, end: int) -> bool:
        """``may_match`` for a screen tried on every sentence: where the paper holds its words is found
        once (one pass per word), then each span is a bisection, not a search."""
        if needs is None or self.lowered is None:
            return True
        found = self._word_at.get(needs)
        if found is None:
            found = []
            for word in needs:
                k = self.lowered.find(word)
                while k >= 0:
                    found.append(k)
                    k = self.lowered.find(word, k + 1)
            found.sort()
            self._word_at[needs] = found
        k = bisect.bisect_left(found, start)
        return k < len(found) and found[k] < end


class LazyPattern:
    """A rule pattern compiled on its first use, for the patterns a screen or a word test keeps from most papers:
    compiling one costs about as much as running it over a whole paper, and a process that never needs it
    should not pay for it at start-up. Used like the ``re.Pattern`` it stands for (``pattern`` and ``flags``
    are readable before it is compiled, so ``screen`` does not compile it)."""

    def __init__(self, pattern: str, flags: int = 0):
        self.pattern = pattern
        self.flags = flags
        _LAZY_PATTERNS.append(self)

    def __getattr__(self, name: str):
        # Called only for an attribute not yet set: compile, then keep the compiled pattern's methods as
        # attributes of this object, so later calls go straight to them.
        if name.startswith("_"):
            raise AttributeError(name)
        compiled = self.__dict__.get("_compiled")
        if compiled is None:
            compiled = self._compiled = re.compile(self.pattern, self.flags)
            for attr in ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split", "groupindex",
                         "groups"):
                setattr(self, attr, getattr(compiled, attr))
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"LazyPattern({self.pattern!r}, {self.flags})"


# Every LazyPattern made (they are module constants or built once by cached rule loaders), for compile_lazy_patterns.
_LAZY_PATTERNS: list[LazyPattern] = []


def compile_lazy_patterns() -> int:
    """Compile every LazyPattern made so far that is not compiled yet; how many were. For a process that forks
    workers (ingest's forkserver): compiled there once, they are shared by every worker instead of compiled in each
    on its first paper that needs them."""
    pending = [p for p in _LAZY_PATTERNS if "search" not in vars(p)]
    for p in pending:
        p.search  # noqa: B018  (the first attribute read compiles it)
    return len(pending)


def may_match(pattern: re.Pattern, text: str) -> bool:
    """False only when ``pattern`` cannot match ``text`` (it lacks every word the pattern needs)."""
    words = screen(pattern)
    lowered = screenable(text) if words is not None else None
    return lowered is None or holds_any(lowered, words)


def _required(items: list) -> set[str] | None:
    """The best set of alternatives one of which a match of this sequence must contain."""
    candidates: list[set[str]] = []
    run: list[str] = []

    def close_run() -> None:
        if run:
            candidates.append({"".join(run).lower()})
            run.clear()

    for op, arg in items:
        if op is _C.LITERAL and arg < 128:  # ASCII only: str.lower folds it as re.IGNORECASE does
            run.append(chr(arg))
            continue
        close_run()
        if op is _C.SUBPATTERN:
            inner = _required(list(arg[-1]))
            if inner:
                candidates.append(inner)
        elif op is _C.BRANCH:
            alternatives = [_required(list(branch)) for branch in arg[1]]
            if alternatives and all(alternatives):
                candidates.append(set().union(*alternatives))
        elif op in (_C.MAX_REPEAT, _C.MIN_REPEAT, getattr(_C, "POSSESSIVE_REPEAT", None)) and arg[0] >= 1:
            inner = _required(list(arg[2]))
            if inner:
                candidates.append(inner)
        elif op is _ATOMIC:
            inner = _required(list(arg))
            if inner:
                candidates.append(inner)
    close_run()
    if not candidates:
        return None
    # the most selective: the set whose shortest string is longest
    return max(candidates, key=lambda c: (min(len(w) for w in c), -len(c)))
