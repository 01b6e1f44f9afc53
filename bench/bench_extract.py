"""Words per second of the nlp + extract stages, as a ratio to spaCy's bare tokenizer.

Both run in this process over the same texts: the seed papers, plus
../shared/corpus/docs when it is beside the checkout. Loading and structuring
are done first and not timed; the timed part is ``extract_records`` (the rule
pipeline and every extractor). Target: ratio >= 0.25.

Both are timed in CPU seconds of this process, alternately, keeping each one's
best run: on a shared machine wall time swings with other work, CPU time much less.

usage: python bench/bench_extract.py [--repeat N] [PATH...]
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED_DOCS = Path(os.environ.get("MINUTES_SHARED", ROOT.parent / "shared")) / "corpus" / "docs"
TARGET = 0.25


def corpus_paths() -> list[Path]:
    """Seeds, then the shared development papers that are not seeds."""
    seeds = sorted((ROOT / "corpus" / "docs").glob("*"))
    names = {p.name for p in seeds}
    shared = sorted(p for p in SHARED_DOCS.glob("*") if p.is_file() and p.name not in names) if SHARED_DOCS.is_dir() else []
    return [p for p in (*seeds, *shared) if p.is_file()]


def best_of_alternating(repeat: int, *fns) -> list[float]:
    """Each function's fastest of ``repeat`` runs in CPU seconds, the functions run in turn
    (so a busy spell on the machine falls on both, not on one)."""
    best = [float("inf")] * len(fns)
    for _ in range(repeat):
        for i, fn in enumerate(fns):
            start = time.process_time()
            fn()
            best[i] = min(best[i], time.process_time() - start)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)

    import spacy

    from extractor.errors import MinutesError
    from extractor.extract import extract_records
    from extractor.loaders import load
    from extractor.nlp import get_nlp
    from extractor.structure import structure

    prepared = []
    for path in args.paths or corpus_paths():
        try:
            document = load(path)
        except (MinutesError, ImportError) as exc:
            print(f"skipped {path.name}: {exc}", file=sys.stderr)
            continue
        prepared.append((document, structure(document)))
    if not prepared:
        print("no papers to measure", file=sys.stderr)
        return 1
    texts = [doc.text for doc, _ in prepared]
    tokenizer = spacy.blank("en").tokenizer
    words = sum(len(tokenizer(t)) for t in texts)
    get_nlp()  # built once per process: not part of the per-word cost

    def tokenize() -> None:
        for t in texts:
            tokenizer(t)

    def run_extract() -> None:
        for document, blocks in prepared:
            extract_records(document, blocks)

    run_extract()  # warm caches (rule packs, registers) as a long run would have them
    tokenizer_s, extract_s = best_of_alternating(args.repeat, tokenize, run_extract)
    ratio = tokenizer_s / extract_s
    print(f"papers {len(prepared)}, words {words}")
    print(f"bare tokenizer   {words / tokenizer_s:12,.0f} words/s")
    print(f"nlp + extract    {words / extract_s:12,.0f} words/s")
    print(f"extract/tokenizer ratio {ratio:.3f} (target >= {TARGET}) {'OK' if ratio >= TARGET else 'BELOW TARGET'}")
    return 0 if ratio >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
