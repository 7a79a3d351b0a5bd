#!/usr/bin/env python3
"""Check Slither's JSON findings against the triage file (docs/slither-triage.md).

    tools/slither_triage.py RESULTS.json TRIAGE.md [--write]

Fails (exit 1) when Slither reports any High or Medium finding (fix it, or suppress a
false positive on the line itself with `// slither-disable-next-line DETECTOR (reason)`),
when a Low, Informational or Optimization finding is not listed in the triage file, when
a detector's section has no reason, or when the file lists a finding that is gone.
`--write` rewrites the finding lists (keeping every reason; a new detector gets a
section whose reason is TODO, which still fails until someone writes one).

A finding is named by its detector and the first thing its description names (a
function, variable or contract, with its signature), so moving code does not change it.
"""

import json
import re
import sys
from collections import Counter, OrderedDict

IMPACT_ORDER = ["High", "Medium", "Low", "Informational", "Optimization"]


def finding_name(r: dict) -> str:
    first = r["description"].strip().split("\n")[0]
    first = re.sub(r"^(Reentrancy in|Low level call in) ", "", first)
    return first.split(" (")[0].strip()


def load_findings(path: str):
    data = json.load(open(path))
    if not data.get("success"):
        sys.exit(f"error: slither failed: {data.get('error')}")
    found = OrderedDict()  # (check) -> {"impact": .., "names": set}
    counts = Counter()
    severe = []
    for r in data.get("results", {}).get("detectors", []):
        counts[r["impact"]] += 1
        if r["impact"] in ("High", "Medium"):
            severe.append(r)
            continue
        entry = found.setdefault(r["check"], {"impact": r["impact"], "names": set()})
        entry["names"].add(finding_name(r))
    return found, counts, severe


def parse_triage(path: str):
    sections = OrderedDict()  # check -> {"head": line, "reason": [lines], "names": set}
    preamble = []
    current = None
    for line in open(path).read().splitlines():
        m = re.match(r"^## `([\w-]+)`", line)
        if m:
            current = sections.setdefault(m.group(1), {"head": line, "reason": [], "names": set()})
            continue
        if current is None:
            preamble.append(line)
            continue
        b = re.match(r"^- `(.+)`\s*$", line)
        if b:
            current["names"].add(b.group(1))
        elif line.strip() or current["reason"]:
            current["reason"].append(line)
    for s in sections.values():
        while s["reason"] and not s["reason"][-1].strip():
            s["reason"].pop()
    return preamble, sections


def write_triage(path, preamble, sections, found):
    out = list(preamble)
    while out and not out[-1].strip():
        out.pop()
    checks = sorted(found, key=lambda c: (IMPACT_ORDER.index(found[c]["impact"]), c))
    for c in checks:
        s = sections.get(c)
        out.append("")
        out.append(s["head"] if s else f"## `{c}` ({found[c]['impact']})")
        out.append("")
        out.extend(s["reason"] if s and s["reason"] else ["Reason: TODO"])
        out.append("")
        out.extend(f"- `{n}`" for n in sorted(found[c]["names"]))
    open(path, "w").write("\n".join(out) + "\n")


def main() -> int:
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    results, triage = sys.argv[1], sys.argv[2]
    found, counts, severe = load_findings(results)
    preamble, sections = parse_triage(triage)
    if "--write" in sys.argv:
        write_triage(triage, preamble, sections, found)
        preamble, sections = parse_triage(triage)

    problems = []
    for r in severe:
        problems.append(f"{r['impact']} {r['check']}: {r['description'].strip().splitlines()[0]}")
    for c, f in found.items():
        s = sections.get(c)
        if s is None:
            problems.append(f"{f['impact']} `{c}` has no section in {triage}")
            continue
        reason = " ".join(s["reason"]).strip()
        if not reason or "TODO" in reason:
            problems.append(f"`{c}` in {triage} has no reason")
        for n in sorted(f["names"] - s["names"]):
            problems.append(f"{f['impact']} `{c}` not triaged: {n}")
        for n in sorted(s["names"] - f["names"]):
            problems.append(f"`{c}` in {triage} lists a finding Slither no longer reports: {n}")
    for c, s in sections.items():
        if c not in found and s["names"]:
            problems.append(f"`{c}` in {triage} lists findings Slither no longer reports")

    summary = ", ".join(f"{k} {counts.get(k, 0)}" for k in IMPACT_ORDER)
    kept = sum(len(f["names"]) for f in found.values())
    print(f"slither findings: {summary} ({kept} triaged entries across {len(found)} detectors)")
    if problems:
        print("\n".join(problems), file=sys.stderr)
        print(f"error: {len(problems)} slither problem(s); `tools/slither.sh --write` refreshes the "
              f"lists in {triage} (reasons are kept; write one for any TODO)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
