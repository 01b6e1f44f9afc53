"""Structure stage: time per character stays flat as papers grow (no quadratic corner).

Builds texts from the seed papers repeated 1, 4 and 16 times, plus shapes that
once went quadratic (one very long list, one paragraph of many wrapped lines),
and times ``structure`` on each. Prints characters per second and the ratio of
the time per character at 16× to that at 1×, in the same process. Target: the
ratio at most 2 for every shape. Exit 1 when a shape misses it.

Usage: .venv/bin/python bench/bench_structure.py
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.document import Document  # noqa: E402
from extractor.loaders import load  # noqa: E402
from extractor.structure import structure  # noqa: E402

TARGET = 2.0  # time per character at 16× over time per character at 1×
SCALES = (1, 4, 16)
REPEAT = 3


def shapes() -> dict[str, str]:
    seeds = "\n\n".join(load(p).text for p in sorted((ROOT / "corpus" / "docs").glob("00*")))
    return {
        "seed papers": seeds,
        "one long list": "The services were:\n" + "".join(f"• Service number {i} of the council\n" for i in range(500)),
        "wrapped lines": "the council agreed that the plan for the service\n" * 1000,
        "agenda items": "AGENDA\n\n" + "".join(f"{i}.\n\nReport number {i}\n\nMinutes:\n\nNoted.\n\n" for i in range(1, 300)),
    }


def seconds_per_char(text: str) -> float:
    doc = Document(path="bench.txt", format="txt", text=text, doc_id="0" * 16)
    best = float("inf")
    for _ in range(REPEAT):
        started = time.perf_counter()
        structure(doc)
        best = min(best, time.perf_counter() - started)
    return best / max(1, len(text))


def main() -> int:
    missed = []
    for name, base in shapes().items():
        per_char = {scale: seconds_per_char("\n\n".join([base] * scale)) for scale in SCALES}
        ratio = per_char[SCALES[-1]] / per_char[SCALES[0]]
        rates = ", ".join(f"{scale}×: {1 / per_char[scale] / 1000:,.0f}k chars/s" for scale in SCALES)
        print(f"{name:15} {rates}; time/char {SCALES[-1]}× over 1×: {ratio:.2f} (target ≤ {TARGET})")
        if ratio > TARGET:
            missed.append(name)
    if missed:
        print(f"missed the target: {', '.join(missed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
