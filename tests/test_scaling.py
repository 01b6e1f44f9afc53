"""Long papers: the shared parse is bounded, computed once, and records are found throughout the text.

No timing here (speed is measured by bench/bench_extract.py); these tests check the mechanisms that
keep extraction linear and memory-bounded.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from extractor import nlp
from extractor.extract import ExtractionContext, extract_records
from extractor.loaders import load
from extractor.structure import structure

from .conftest import SEED_DOCS


def _whole_doc_parse(text: str) -> tuple[list[int], dict[str, list[tuple[int, int, str, str]]]]:
    """What one spaCy Doc over the whole text gives: the reference the chunked parse must equal."""
    pipeline = nlp.get_nlp()
    pipeline.max_length = max(pipeline.max_length, len(text) + 1)
    doc = pipeline(text)
    groups: dict[str, list[tuple[int, int, str, str]]] = {}
    for span in doc.spans.get(nlp.SPANS_KEY, []):
        groups.setdefault(span.label_, []).append((span.start_char, span.end_char, span.id_, span.text))
    return [s.start_char for s in doc.sents], {label: sorted(found) for label, found in groups.items()}


def _seed_text(name: str) -> str:
    return next(p for p in SEED_DOCS if p.name.startswith(name)).read_text(encoding="utf-8")


@pytest.mark.parametrize("limit", [600, 5000])
def test_chunked_parse_equals_one_doc_over_the_whole_text(limit):
    # a seed as it is, plus the same text run onto one long line (cut at sentence ends or spaces)
    seed = _seed_text("001")
    for text in (seed, seed.replace("\n", " ")[:8000]):
        bounds = nlp.chunk_bounds(text, limit)
        assert len(bounds) > 1
        parsed = nlp.parse_text(text, limit)
        starts, matches = _whole_doc_parse(text)
        assert parsed.sentence_starts == starts
        assert parsed.matches == matches
        assert any(parsed.matches.values())


def test_chunks_tile_the_text_and_stay_bounded():
    seed = _seed_text("002")
    for text in (seed * 20, seed.replace("\n", " ") * 5, "x" * 3000):
        bounds = nlp.chunk_bounds(text, 1000)
        assert bounds[0][0] == 0 and bounds[-1][1] == len(text)
        assert all(a == z for (_, a), (z, _) in zip(bounds, bounds[1:]))  # no gap, no overlap: nothing dropped
        assert all(0 < b - a <= 1000 for a, b in bounds[:-1])
        # a cut never splits a word, except in a run of 1000 letters without a space
        if " " in text:
            assert all(text[a - 1].isspace() and not text[a].isspace() for a, _ in bounds[1:])


def test_the_shared_parse_is_computed_once_per_paper(monkeypatch):
    calls = []
    real = nlp.parse_text

    def counting(text, *args, **kwargs):
        calls.append(len(text))
        return real(text, *args, **kwargs)

    monkeypatch.setattr(nlp, "parse_text", counting)
    document = load(next(p for p in SEED_DOCS if p.name.startswith("001")))
    ctx = ExtractionContext(document, structure(document))
    from extractor.extract import _extractors
    for extractor in _extractors():
        ctx.records.extend(extractor(ctx))
    assert calls == [len(document.text)]  # every extractor read the one parse
    assert "_spacy_doc" not in ctx.__dict__  # and no Doc over the whole text was built
    assert {r.TYPE for r in ctx.records} >= {"provider", "recommendation", "service"}


def test_records_are_found_at_the_end_of_a_2mb_paper(tmp_path: Path):
    """A seed after 2 MB of other minutes is read as it is read alone (offsets shifted)."""
    seed_path = next(p for p in SEED_DOCS if p.name.startswith("001"))
    seed = seed_path.read_text(encoding="utf-8")
    topics = ("highways", "libraries", "parks", "housing", "waste", "budget", "planning")
    filler = "".join(f"The members discussed the {topics[n % 7]} update and the minutes of the last meeting were read.\n\n"
                     for n in range(24000))
    assert len(filler) > 2_000_000
    big = tmp_path / "long.txt"
    big.write_text(filler + seed, encoding="utf-8")

    def found(path: Path, offset: int) -> set[tuple[str, int, str]]:
        document = load(path)
        records = extract_records(document, structure(document))
        return {(r.TYPE, r.source.start - offset, r.source.quote) for r in records
                if r.TYPE in ("provider", "service", "recommendation", "contract") and r.source.start >= offset}

    alone = found(seed_path, 0)
    assert len(alone) >= 10
    assert alone <= found(big, len(filler))


def test_a_regex_screen_never_skips_a_line_its_pattern_matches():
    import re

    from extractor.extract import document_meta
    from extractor.regex_screen import holds_any, may_match, screen, screenable

    assert screen(re.compile(r"\bthis report\b", re.I)) == ("this report",)
    assert set(screen(re.compile(r"\b(?:seconded|proposed|moved) by\b", re.I))) == {"seconded", "proposed", "moved"}
    assert screen(re.compile(r"^(?:from|to):", re.I)) is None  # nothing long enough to look for
    assert screen(re.compile(r"\b(?:a|b)?report", re.I)) == ("report",)
    # characters re.IGNORECASE folds to ASCII letters that str.lower does not: never screened out
    long_s = re.compile(r"\bstatus\b", re.I)
    assert long_s.search("ſtatus") and may_match(long_s, "ſtatus") and screenable("ſtatus") is None
    assert not may_match(long_s, "no such word here")
    cues = [pattern for pattern, _, _, _ in document_meta.rules().doc_type_cues]
    lines = [line.strip() for p in SEED_DOCS for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]
    lines += ["Minutes of the meeting", "THIS REPORT sets out", "Seconded by Councillor Smith", "It was agreed that"]
    for pattern in cues:
        words = screen(pattern)
        for line in lines:
            if pattern.search(line):
                low = screenable(line)
                assert words is None or low is None or holds_any(low, words), (pattern.pattern, line)
