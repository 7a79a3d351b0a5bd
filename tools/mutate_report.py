#!/usr/bin/env python3
"""The mutation figures of docs/security.md, from the driver's result files.

    tools/mutate_report.py [--tag TAG]... CONTRACT...

For each contract it reads, in target/mutate (or each --dir; the committed run is in
docs/mutation), CONTRACT.TAG.tsv for each tag (default: full, a seeded random sample
from `tools/mutate.sh CONTRACT --shuffle --tag full`, and guard, a run of the `guard`
operator alone), and CONTRACT.recheck.tsv if present (survivors run again, with
`--survivors-of`, after tests were added). A result counts only if its mutant still
exists in the current source (same line number, operator and mutated text), so results
from before a change to that line drop out. Survivors listed in tools/mutants-equivalent.tsv (contract,
mutated line, reason) are equivalent: no test can tell them apart from the original,
and they leave the score's denominator. Prints one Markdown table row per contract:
the score of the first run, the score once survivors killed on the recheck count,
and the 95% Wilson lower bound of the latter for all of the contract's mutants (the
run being a random sample of them); survivors still left go to stderr.
"""

import argparse
import csv
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import mutate  # noqa: E402  (the same mutant generator as the driver)

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "target" / "mutate"


def rows(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with open(path) as f:
        return list(csv.DictReader(f, delimiter="\t"))


def wilson(k: int, n: int) -> tuple[float, float]:
    """95% interval for a proportion k/n (Wilson score)."""
    if n == 0:
        return 0.0, 1.0
    z = 1.96
    p = k / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return max(0.0, c - h), min(1.0, c + h)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("contracts", nargs="+")
    ap.add_argument("--tag", action="append",
                    help="result files to combine, CONTRACT.TAG.tsv (repeatable; default: full and guard)")
    ap.add_argument("--dir", action="append", type=Path,
                    help="where the result files are (repeatable; default: target/mutate; the "
                         "committed run is in docs/mutation)")
    args = ap.parse_args()
    equivalent = {}
    eq_file = ROOT / "tools" / "mutants-equivalent.tsv"
    if eq_file.exists():
        for r in csv.reader(open(eq_file), delimiter="\t"):
            if r and not r[0].startswith("#"):
                # A fourth column, the line number, tells apart mutants whose text repeats.
                line = int(r[3]) if len(r) > 3 and r[3].strip() else None
                equivalent[(r[0], r[1].strip())] = line
    print("| contract | mutants | run | killed at once | first-run score | killed on recheck "
          "| equivalent | left | score | 95% lower bound |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    dirs = args.dir or [OUT]

    def results(name: str) -> list[dict]:
        return [r for d in dirs for r in rows(d / name)]

    for c in args.contracts:
        src = (ROOT / "contracts" / f"{c}.sol").read_text().splitlines(keepends=True)
        current = {(n, op, new.strip()) for n, op, new in mutate.mutants(src)}

        def key(r: dict) -> tuple:
            return int(r["line"]), r["operator"], r["mutant"].strip()

        first = {}
        for tag in args.tag or ["full", "guard"]:
            for r in results(f"{c}.{tag}.tsv"):
                if key(r) in current:
                    first.setdefault(key(r), r["verdict"])
        recheck = {key(r): r["verdict"] for r in results(f"{c}.recheck.tsv")}
        valid = {k: v for k, v in first.items() if v != "invalid"}
        killed = sum(1 for v in valid.values() if v.startswith("killed"))
        survivors = [k for k, v in valid.items() if v == "survived"]
        later = [k for k in survivors if recheck.get(k, "").startswith("killed")]
        eq = [k for k in survivors if k not in later and (c, k[2]) in equivalent
              and equivalent[(c, k[2])] in (None, k[0])]
        left = [k for k in survivors if k not in later and k not in eq]
        n = len(valid) - len(eq)
        k = killed + len(later)
        lo, hi = wilson(k, n)
        score = f"{100 * k / n:.1f}%" if n else "–"
        first_score = f"{100 * killed / n:.1f}%" if n else "–"
        # Every mutant run: the score is the contract's, not an estimate from a sample.
        bound = "all run" if len(first) == len(current) else f"{100 * lo:.1f}%"
        print(f"| {c} | {len(current)} | {len(valid)} | {killed} | {first_score} | {len(later)} | {len(eq)} "
              f"| {len(left)} | {score} | {bound} |")
        for k_ in left:
            print(f"{c} line {k_[0]} {k_[1]}: {k_[2]}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
