"""extractor.nlp: spaCy imported without its command-line package, and still whole afterwards."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_fresh(code: str) -> str:
    """Run ``code`` in a new interpreter (imports are per process) and return what it printed."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_spacy_is_imported_without_its_cli():
    out = run_fresh("import sys, extractor.nlp; print(sorted(m for m in sys.modules if m.startswith('spacy.cli')))")
    assert out == "[]"


def test_spacy_cli_and_info_still_work_after_the_import():
    out = run_fresh(
        "import extractor.nlp, spacy\n"
        "print(spacy.info(silent=True)['spacy_version'] == spacy.__version__)\n"
        "import spacy.cli\n"
        "print(spacy.cli.__file__.endswith('__init__.py'), callable(spacy.cli.download), spacy.cli.info is spacy.cli.info)\n"
        "from spacy.cli.info import info\n"
        "print(info(silent=True)['spacy_version'] == spacy.__version__)\n"
    )
    assert out.split() == ["True"] * 5


def test_spacy_already_imported_is_used_as_it_is():
    out = run_fresh("import spacy, sys; import extractor.nlp as nlp; print(nlp.spacy is spacy, 'spacy.cli' in sys.modules)")
    assert out == "True True"


def test_pipeline_after_the_import():
    out = run_fresh(
        "from extractor.nlp import get_nlp, parse_text\n"
        "p = parse_text('The Cabinet met. It agreed the report.')\n"
        "print(p.sentence_starts, 'span_ruler' in get_nlp().pipe_names)\n"
    )
    assert out == "[0, 17] True"


def test_trimmed_vocabulary_reads_the_same_tokens_as_the_full_one():
    from spacy.attrs import IS_PUNCT, LOWER, ORTH

    from extractor.nlp import _READ_LEXEME_ATTRS, _blank_english

    text = ("Cllr Ann Example (Chair) said: \u201cthe £1.2m contract\u2014signed 1st April—runs to 2027!\u201d "
            "See www.example.gov.uk/papers?id=3 or e-mail a.b@example.org. U.S. costs rose 3.5% (Q3).\n\n"
            "RESOLVED: that the Cabinet… note the report; ¿Qué? naïve café — don't, can't, 10:30am, 5km.")
    full, trimmed = _blank_english(None), _blank_english(_READ_LEXEME_ATTRS)
    assert set(trimmed.vocab.lex_attr_getters) == {LOWER, IS_PUNCT}
    attrs = [ORTH, LOWER, IS_PUNCT]
    assert full(text).to_array(attrs).tolist() == trimmed(text).to_array(attrs).tolist()


def test_pipeline_computes_every_lexical_attribute_when_a_rule_is_a_token_pattern(monkeypatch):
    from extractor import nlp

    monkeypatch.setattr(nlp, "rule_files", lambda: ["pack"])
    monkeypatch.setattr(nlp, "load_patterns", lambda _: [{"label": "X", "pattern": [{"LIKE_NUM": True}]}])
    nlp.get_nlp.cache_clear()
    try:
        doc = nlp.get_nlp()("five cats")
        assert [span.text for span in doc.spans[nlp.SPANS_KEY]] == ["five"]
    finally:
        nlp.get_nlp.cache_clear()


def test_is_in_sorted_agrees_with_numpy_isin():
    import numpy

    from extractor.nlp import _is_in_sorted

    rng = numpy.random.default_rng(7)
    keys = numpy.sort(rng.integers(-2**63, 2**63 - 1, 50))
    values = numpy.concatenate([keys, rng.integers(-2**63, 2**63 - 1, 500), keys[::-3], [keys[0] - 1, keys[-1] + 1]])
    rng.shuffle(values)
    assert _is_in_sorted(values, keys).tolist() == numpy.isin(values, keys).tolist()
    assert _is_in_sorted(values, keys[:0]).tolist() == [False] * len(values)


def test_load_patterns_reads_a_pack_once_and_again_when_it_changes(tmp_path):
    import pytest

    from extractor.nlp import load_patterns

    pack = tmp_path / "pack.jsonl"
    pack.write_text('{"label": "A", "pattern": "alpha"}\n// a comment\n{"label": "B", "pattern": [{"LOWER": "beta"}]}\n')
    first = load_patterns(pack)
    assert first == [{"label": "A", "pattern": "alpha"}, {"label": "B", "pattern": [{"LOWER": "beta"}]}]
    first[0]["label"] = "changed"
    first[1]["pattern"][0]["LOWER"] = "changed"
    assert load_patterns(pack) == [{"label": "A", "pattern": "alpha"}, {"label": "B", "pattern": [{"LOWER": "beta"}]}]
    pack.write_text('{"label": "C", "pattern": "gamma, longer"}\n')
    assert load_patterns(pack) == [{"label": "C", "pattern": "gamma, longer"}]
    pack.write_text('{"label": "C", "pattern": "gamma, longer"}\nnot json\n')
    with pytest.raises(ValueError, match="pack.jsonl:2: not JSON"):
        load_patterns(pack)


def test_spacy_import_falls_back_when_spacy_needs_more_of_its_cli(tmp_path):
    # a stand-in spaCy whose package imports more from its CLI than the helper's stand-ins hold
    fake = tmp_path / "spacy"
    (fake / "cli").mkdir(parents=True)
    (fake / "__init__.py").write_text("from .cli.info import info\nfrom .cli import setup_cli\n")
    (fake / "cli" / "__init__.py").write_text("from .info import info\ndef setup_cli():\n    return 'real cli'\n")
    (fake / "cli" / "info.py").write_text("def info():\n    return 'real info'\n")
    out = run_fresh(
        "import inspect, sys, types\n"
        "import extractor.nlp as nlp\n"
        "source = inspect.getsource(nlp._import_spacy_without_cli)\n"
        "for name in [m for m in sys.modules if m == 'spacy' or m.startswith('spacy.')]:\n"
        "    del sys.modules[name]\n"
        f"sys.path.insert(0, {str(tmp_path)!r})\n"
        "space = {'sys': sys, 'types': types}\n"
        "exec(source, space)\n"
        "spacy = space['_import_spacy_without_cli']()\n"
        "print(spacy.setup_cli(), spacy.info(), sys.modules['spacy.cli'].__file__.startswith(sys.path[0]))\n"
    )
    assert out == "real cli real info True"


# ---------------------------------------------------------------- priming the tokenizer's cache

_PIECES = ["council", "Council", "agreed", "e.g.", "i.e.", "can't", "cannot", "’s", "council’s", "families’",
           "(a)", "a.", "£1.2m", "£1.2m.", "—", "‘in-house’", "Recommendation(s):", "3.5%", "10:30am", "U.S.",
           "www.example.gov.uk", ":)", "don't", "Mr.", "2027!", "\u201cquoted\u201d", "naïve", "x—y", "1st"]
_SPACES = [" ", " ", " ", "\n", "\n\n", "  ", "\t", " \n"]


def _tokens(tokenizer, text: str) -> list[list[int]]:
    from spacy.attrs import IDX, ORTH, SPACY
    return tokenizer(text).to_array([ORTH, IDX, SPACY]).tolist()


def test_priming_the_tokenizer_cache_changes_no_token():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from extractor.nlp import _READ_LEXEME_ATTRS, TokenizerCachePrimer, _blank_english

    primed_nlp, plain_nlp = _blank_english(_READ_LEXEME_ATTRS), _blank_english(_READ_LEXEME_ATTRS)
    prime = TokenizerCachePrimer(primed_nlp.tokenizer)
    words = st.lists(st.tuples(st.sampled_from(_PIECES) | st.text(min_size=1, max_size=6),
                               st.sampled_from(_SPACES)), max_size=40)

    @settings(max_examples=150, deadline=None)
    @given(words)
    def check(pairs):
        text = "".join(w + s for w, s in pairs)
        assert _tokens(primed_nlp.tokenizer, prime(text)) == _tokens(plain_nlp.tokenizer, text)

    check()


def test_primed_pieces_are_read_from_the_cache():
    """After priming, tokenizing the text runs the affix rules only for pieces that meet a special
    case: spaCy stops caching a text's pieces after its first special case (here the line break)."""
    from extractor.nlp import _READ_LEXEME_ATTRS, TokenizerCachePrimer, _blank_english

    nlp = _blank_english(_READ_LEXEME_ATTRS)
    tokenizer = nlp.tokenizer
    searched: list[str] = []
    prefix_search = tokenizer.prefix_search
    tokenizer.prefix_search = lambda piece: searched.append(piece) or prefix_search(piece)
    text = "Minutes\nThe Cabinet agreed the contract, e.g. for waste; it cannot start before April."
    later = "\nThe Cabinet agreed the contract for waste, before April."

    tokenizer(text)
    searched.clear()
    tokenizer(later)  # spaCy alone: nothing after the first line break was cached
    assert {"Cabinet", "contract", "waste,"} <= set(searched)

    tokenizer.prefix_search = prefix_search  # a new rule empties the cache
    prime = TokenizerCachePrimer(tokenizer)
    tokenizer.prefix_search = lambda piece: searched.append(piece) or prefix_search(piece)
    tokenizer(prime(text))
    prime(later)
    searched.clear()
    tokenizer(later)
    assert searched == []
