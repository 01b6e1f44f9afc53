"""Reconciliation speed: the batch path against ``process.extractOne`` per name, in one run.

Draws 100,000 names with repetition (Zipf-like: a corpus repeats the same names endlessly)
from real papers' wording: every service and provider name in the corpus gold
(../shared/corpus/gold) and the contract titles of the Contracts Finder sample
(../shared/registers). Then, against the shipped registers, it times

(a) the reference: for every name, fold it and call ``process.extractOne`` over every
    register label (``Reconciler.reference_best``), and
(b) ``Reconciler.match_many`` on the whole list (deduplicated, cached, one ``process.cdist``
    per chunk of distinct forms),

checks that both give the same best entry and score for every name, and prints names per
second and the speed-up. Target: at least 10 x, with identical results. Exit 1 when either fails.

Usage: .venv/bin/python bench/bench_reconcile.py [--names N] [--reference-sample N] [--seed S]
  --reference-sample N  time the reference on the first N drawn names of each register (default
                        10,000) and extrapolate its per-name time; 0 runs it on every name (about
                        10 minutes). Results are compared on every name the reference ran on.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = Path(os.environ.get("MINUTES_SHARED", ROOT.parent / "shared"))
TARGET = 10.0


def real_names() -> dict[str, list[str]]:
    """Distinct service and provider names as papers write them."""
    services: list[str] = []
    providers: list[str] = []
    gold = SHARED / "corpus" / "gold"
    for f in sorted(gold.glob("*.jsonl")):
        for line in f.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            if rec.get("type") == "service":
                services.append(rec["name"])
            elif rec.get("type") == "provider":
                providers.append(rec["name"])
                providers.extend(rec.get("aliases") or [])
            elif rec.get("type") == "contract":
                providers.append(rec["provider"])
    cf = SHARED / "registers" / "mysociety_contract-countdown_uk_contracts_finder_council_contracts.csv"
    if cf.exists():
        with open(cf, encoding="utf-8", errors="replace", newline="") as fh:
            services.extend(row["tender_title"].strip() for row in csv.DictReader(fh) if row["tender_title"].strip())
    return {"services": list(dict.fromkeys(services)), "providers": list(dict.fromkeys(providers))}


def draw(names: list[str], n: int, rng: random.Random) -> list[str]:
    """``n`` names with repetition, the k-th most common drawn ~1/k as often (Zipf-like)."""
    order = names[:]
    rng.shuffle(order)
    weights = [1.0 / (k + 1) for k in range(len(order))]
    return rng.choices(order, weights=weights, k=n)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--names", type=int, default=100_000)
    parser.add_argument("--reference-sample", type=int, default=10_000,
                        help="names the reference is timed on (0: every name; it has no cache, so its "
                             "per-name cost does not depend on repetition and extrapolates)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    if not (SHARED / "corpus" / "gold").is_dir():
        print(f"skipped: {SHARED / 'corpus' / 'gold'} is not present", file=sys.stderr)
        return 0

    from extractor.reconcile import Reconciler
    from extractor.registers import shipped_register

    pools = real_names()
    rng = random.Random(args.seed)
    share = {"services": 0.8, "providers": 0.2}  # papers name services more often than providers
    ok = True
    total_ref = total_fast = 0.0
    total_names = 0
    for kind in ("services", "providers"):
        n = int(args.names * share[kind])
        drawn = draw(pools[kind], n, rng)
        sample = drawn[: args.reference_sample] if args.reference_sample else drawn

        reference = Reconciler(shipped_register(kind))
        started = time.perf_counter()
        expected = [reference.reference_best(name) for name in sample]
        t_ref = time.perf_counter() - started
        t_ref_all = t_ref * len(drawn) / len(sample)

        fast = Reconciler(shipped_register(kind))  # a fresh one: no cache carried over
        started = time.perf_counter()
        matches = fast.match_many(drawn)
        t_fast = time.perf_counter() - started

        got = [(m.best.id if m.best else None, m.best.score if m.best else -1.0) for m in matches[: len(sample)]]
        differ = [(name, e, g) for name, e, g in zip(sample, expected, got) if e != g]
        distinct = len(set(drawn))
        print(f"{kind}: {len(drawn):,} names ({distinct:,} distinct, from {len(pools[kind]):,} in papers) "
              f"against {len(fast.register)} entries / {len(fast.choices):,} labels")
        print(f"  extractOne per name: {len(sample) / t_ref:,.0f} names/s"
              + (f" (on {len(sample):,} names; {t_ref_all:.1f}s extrapolated to all)" if len(sample) < len(drawn) else f" ({t_ref:.1f}s)"))
        print(f"  match_many:          {len(drawn) / t_fast:,.0f} names/s ({t_fast:.2f}s)")
        print(f"  speed-up {t_ref_all / t_fast:,.1f} x; same best entry and score on {len(sample) - len(differ):,}/{len(sample):,}")
        for name, e, g in differ[:5]:
            print(f"    differs: {name!r}: reference {e}, batch {g}")
        ok &= not differ
        total_ref += t_ref_all
        total_fast += t_fast
        total_names += len(drawn)
    ratio = total_ref / total_fast
    print(f"all: {total_names:,} names, {total_names / total_fast:,.0f} names/s batch vs "
          f"{total_names / total_ref:,.0f} names/s extractOne: {ratio:,.1f} x (target >= {TARGET:.0f} x)"
          f"; results {'identical' if ok else 'DIFFER'}")
    return 0 if ok and ratio >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
