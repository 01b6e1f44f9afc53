"""nlp: the one spaCy pipeline, built once per process from ``spacy.blank("en")``.

A sentencizer plus a ``span_ruler`` whose patterns are the JSONL rule packs in
``models/rules/`` (lines ``{"label": ..., "pattern": ..., "id": ...}``). No
trained model is needed; nothing is downloaded.
"""
from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .resources import models_dir

SPANS_KEY = "rules"


def rule_files() -> list[Path]:
    return sorted((models_dir() / "rules").glob("*.jsonl"))


def load_patterns(path: Path) -> list[dict]:
    """Read one rule pack, refusing malformed lines with the file and line number."""
    patterns = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            line = line.strip()
            if not line or line.startswith("//"):
                continue
            try:
                entry = json.loads(line)
            except ValueError as exc:
                raise ValueError(f"{path}:{n}: not JSON ({exc})") from None
            if not isinstance(entry, dict) or "label" not in entry or "pattern" not in entry:
                raise ValueError(f"{path}:{n}: a rule needs 'label' and 'pattern'")
            patterns.append(entry)
    return patterns


@cache
def get_nlp() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    patterns = [p for f in rule_files() for p in load_patterns(f)]
    if patterns:
        ruler = nlp.add_pipe("span_ruler", config={"spans_key": SPANS_KEY, "phrase_matcher_attr": "LOWER"})
        ruler.add_patterns(patterns)
    return nlp


def parse(texts: list[str]) -> list[Doc]:
    """Run the pipeline over many texts at once."""
    return list(get_nlp().pipe(texts, batch_size=256))
