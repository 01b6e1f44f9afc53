"""Text speed of the PDF loader against poppler's pdftotext and plain pdfplumber, in one run.

Over the long packs in ../shared/corpus/extra (kent_cc_*.pdf, UKPARL_*.pdf) it times
(a) ``pdftotext`` per file, (b) pdfplumber ``page.extract_text()`` on every page and
(c) ``extractor.loaders.load``, then prints pages/second and the ratios
ours/pdftotext and ours/pdfplumber, with the tables each found. Target: ours at
least 0.2 × pdftotext's pages/s with the tables still found.

Times are CPU seconds (pdftotext's as a child process's), so a machine busy with
other work skews neither side; each fast reader's is the best of three.

Usage: .venv/bin/python bench/bench_text.py   (MINUTES_SHARED points elsewhere)
"""
from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("MINUTES_SHARED", ROOT.parent / "shared"))
EXTRA = SHARED / "corpus" / "extra"
TARGET = 0.2  # ours / pdftotext, pages per second
REPEAT = 3  # best of three for the fast readers; pdfplumber runs once (it is slow enough to be steady)


def cpu_seconds() -> float:
    """CPU time (user + system) of this process and of its finished children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def best_of(fn, repeat: int = REPEAT) -> float:
    """The least CPU time of ``repeat`` calls."""
    best = float("inf")
    for _ in range(repeat):
        started = cpu_seconds()
        fn()
        best = min(best, cpu_seconds() - started)
    return best


def time_pdftotext(path: Path) -> float:
    """pdftotext's CPU time for the file (the child's, plus the little it costs here to start it)."""
    return best_of(lambda: subprocess.run(["pdftotext", "-q", str(path), "-"], check=False,
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))


def time_pdfplumber(path: Path) -> tuple[float, int]:
    """Seconds spent in ``extract_text`` over every page, and the ruled tables pdfplumber finds.

    ``find_tables`` runs after the timed call, on the already parsed page, so it is not timed.
    """
    import pdfplumber

    spent, tables = 0.0, 0
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            started = time.process_time()
            page.extract_text()
            spent += time.process_time() - started
            tables += sum(1 for t in page.find_tables() if _columns_with_text(t.extract()) >= 2)
            page.close()
    return spent, tables


def _columns_with_text(rows: list[list[str | None]]) -> int:
    """How many columns hold any text: a box drawn round a paragraph has one."""
    width = max((len(r) for r in rows), default=0)
    return sum(1 for col in range(width) if any(col < len(r) and r[col] for r in rows))


def time_ours(path: Path) -> tuple[float, int, int]:
    from extractor.loaders import load

    document = None

    def run() -> None:
        nonlocal document
        document = load(path)

    seconds = best_of(run)
    return seconds, document.page_count or 0, len({row.table for row in document.table_rows})


def main() -> int:
    files = sorted([*EXTRA.glob("kent_cc_*.pdf"), *EXTRA.glob("UKPARL_*.pdf")]) if EXTRA.is_dir() else []
    if not files:
        print(f"skipped: no long PDF packs under {EXTRA} (papers from public repositories live in ../shared)")
        return 0
    have_pdftotext = shutil.which("pdftotext") is not None
    if not have_pdftotext:
        print("note: pdftotext not found (apt-get install poppler-utils); its column is left out")
    print(f"{'file':58} {'pages':>5} {'pdftotext':>10} {'pdfplumber':>10} {'ours':>8} "
          f"{'ours/ptt':>8} {'ours/plb':>8} {'tables ours/plb':>15}")
    totals = {"pages": 0, "ptt": 0.0, "plb": 0.0, "ours": 0.0, "t_ours": 0, "t_plb": 0}
    for path in files:
        ours_s, pages, tables_ours = time_ours(path)
        ptt_s = time_pdftotext(path) if have_pdftotext else float("nan")
        plb_s, tables_plb = time_pdfplumber(path)
        totals["pages"] += pages
        totals["ptt"] += ptt_s
        totals["plb"] += plb_s
        totals["ours"] += ours_s
        totals["t_ours"] += tables_ours
        totals["t_plb"] += tables_plb
        print(f"{path.name[:58]:58} {pages:5d} {pages / ptt_s:10.0f} {pages / plb_s:10.1f} {pages / ours_s:8.0f} "
              f"{ptt_s / ours_s:8.2f} {plb_s / ours_s:8.1f} {tables_ours:7d}/{tables_plb:<7d}")
    pages = totals["pages"]
    ratio = totals["ptt"] / totals["ours"]
    print(f"{'TOTAL (pages/s)':58} {pages:5d} {pages / totals['ptt']:10.0f} {pages / totals['plb']:10.1f} "
          f"{pages / totals['ours']:8.0f} {ratio:8.2f} {totals['plb'] / totals['ours']:8.1f} "
          f"{totals['t_ours']:7d}/{totals['t_plb']:<7d}")
    print("tables: pdfplumber's are ruled tables with text in two or more columns; ours are those (found by "
          "pdfplumber's table finder run on PDFium's ruling lines) plus tables aligned without rules")
    if have_pdftotext:
        verdict = "met" if ratio >= TARGET and totals["t_ours"] > 0 else "NOT met"
        print(f"target ours >= {TARGET} x pdftotext pages/s with tables found: {verdict} ({ratio:.2f} x)")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
