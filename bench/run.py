"""Run every bench/bench_*.py in turn (each in its own process) and say which missed its target.

usage: python bench/run.py [NAME...]   e.g. python bench/run.py extract ingest
Each benchmark prints its ratios against a reference measured in the same run
and exits 1 when a ratio is below its target.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    scripts = sorted(HERE.glob("bench_*.py"))
    if argv:
        scripts = [s for s in scripts if s.stem.removeprefix("bench_") in argv or s.stem in argv]
    missed = []
    for script in scripts:
        print(f"== {script.stem}", flush=True)
        rc = subprocess.run([sys.executable, str(script)], cwd=HERE.parent).returncode
        if rc != 0:
            missed.append(f"{script.stem} (exit {rc})")
    print(f"== {len(scripts) - len(missed)}/{len(scripts)} benchmarks on target" +
          (f"; missed: {', '.join(missed)}" if missed else ""))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
