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
