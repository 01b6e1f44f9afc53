"""Run every benchmark in bench/ (bench_*.py), one process each, and report which failed.

Usage: .venv/bin/python bench/run.py [NAME_FRAGMENT...]
"""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    """Run the benchmarks whose file names contain any of ``argv`` (all when empty)."""
    scripts = sorted(p for p in BENCH.glob("bench_*.py") if not argv or any(a in p.name for a in argv))
    failed = []
    for script in scripts:
        print(f"== {script.name}", flush=True)
        started = time.perf_counter()
        code = subprocess.call([sys.executable, str(script)], cwd=BENCH.parent)
        print(f"== {script.name}: exit {code} in {time.perf_counter() - started:.1f}s\n", flush=True)
        if code:
            failed.append(script.name)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
