"""regex_screen: the word screens, lazily compiled patterns and the case-folding test."""
from __future__ import annotations

import re

from extractor.regex_screen import LazyPattern, folds_plainly, screen, screen_source, screenable


def test_lazy_pattern_compiles_on_first_use_and_acts_as_the_pattern():
    lazy = LazyPattern(r"\bcontract(?P<plural>s)?\b", re.IGNORECASE)
    assert "search" not in vars(lazy)  # nothing compiled yet
    assert screen(lazy) == screen_source(lazy.pattern, lazy.flags) == ("contract",)
    assert "search" not in vars(lazy)  # screening reads the text, it does not compile
    compiled = re.compile(lazy.pattern, re.IGNORECASE)
    text = "The Contracts and the contract; subcontract"
    assert [m.span() for m in lazy.finditer(text)] == [m.span() for m in compiled.finditer(text)]
    assert lazy.search(text).group("plural") == "s"
    assert lazy.groupindex == compiled.groupindex
    assert lazy.sub("X", text) == compiled.sub("X", text)


def test_folds_plainly_matches_the_characters_ignorecase_folds_to_ascii():
    for text in ["plain text", "ſtatus", "İstanbul", "ı", "\u212aelvin", "café £5"]:
        assert folds_plainly(text) == (re.search("[\u0130\u0131\u017f\u212a]", text) is None)
        assert screenable(text) == (text.lower() if folds_plainly(text) else None)


def test_compile_lazy_patterns_compiles_those_pending():
    from extractor.regex_screen import compile_lazy_patterns
    lazy = LazyPattern(r"\bfor\s+(?:the\s+)?council\b")
    compile_lazy_patterns()
    assert "search" in vars(lazy) and lazy.search("work for the council")
    assert compile_lazy_patterns() == 0  # nothing left to compile
