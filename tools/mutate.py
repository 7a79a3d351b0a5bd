#!/usr/bin/env python3
"""Mutation testing for one contract at a time (see docs/security.md, "Mutation testing").

Usage (through tools/mutate.sh, which sets FORGE):
    tools/mutate.py CONTRACT [--match-path GLOB] [--only LINE,LINE] [--limit N]
                    [--ops OP,OP] [--exclude-ops OP,OP] [--sample N [--seed S]] [--tag T]
                    [--shuffle] [--resume] [--survivors-of TAG]

It copies foundry.toml, contracts/, test/ and script/ into target/mutate/work (so the
real sources are never edited), then for every mutant of contracts/CONTRACT.sol writes
the mutant there and runs `forge test --match-path GLOB --fail-fast`. A mutant that
does not compile is "invalid" and does not count; one that makes a test fail (or time
out) is "killed"; one that passes every selected test "survived". Results go to
target/mutate/CONTRACT.tsv (CONTRACT.TAG.tsv with --tag), one mutant a line, and a
summary is printed. --sample N runs N mutants drawn at random (seeded, so a run can be
repeated) from those selected: an unbiased estimate of the kill rate when running them
all takes too long.

Operators (each applied to one place at a time, code lines only, never comments):
    guard   `if (COND) revert`  ->  `if (false) revert`     (drop a check)
    ror     <  <=  >  >=  ==  !=  swapped with their neighbour
    lor     &&  <->  ||
    aor     +  <->  -,  *  <->  /,  +=  <->  -=
    stmt    an assignment, emit, delete, ++/-- or call statement removed
"""

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "target" / "mutate"

ROR = {"<": "<=", "<=": "<", ">": ">=", ">=": ">", "==": "!=", "!=": "=="}
LOR = {"&&": "||", "||": "&&"}
AOR = {"+": "-", "-": "+", "*": "/", "/": "*", "+=": "-=", "-=": "+="}

# Binary operators with a space either side, as `forge fmt` writes them.
BIN_RE = re.compile(r"(?<=\S) (<=|>=|==|!=|<|>|&&|\|\||\+=|-=|\+|-|\*|/) (?=\S)")
GUARD_RE = re.compile(r"\bif \((.*)\) revert\b")
STMT_RE = re.compile(
    r"^\s*("
    r"emit \w|delete \w|\+\+\w|--\w|\w+(\[[^\]]*\])*(\.\w+(\[[^\]]*\])*)*\s*(=|\+=|-=|\|=|&=|\+\+|--)[^=]"
    r"|[\w.\[\]]+\([^;]*\);\s*$"
    r")"
)
SKIP_RE = re.compile(r"^\s*(//|/\*|\*|import |pragma |error |event |using |function |modifier |constructor|"
                     r"contract |library |interface |struct |enum |mapping|returns|\}|\{)")
DECL_RE = re.compile(r"^\s*(uint\d*|int\d*|bool|address|bytes\d*|string|[A-Z]\w*(\.\w+)?)(\[\])?"
                     r"(\s+(memory|storage|calldata))?\s+\w+\s*(=|;)")


def code_part(line: str) -> str:
    """The line without a trailing // comment (strings in contracts hold no //)."""
    i = line.find("//")
    return line if i < 0 else line[:i]


def mutants(lines: list[str]):
    in_body = False
    depth = 0
    for n, raw in enumerate(lines, 1):
        code = code_part(raw)
        stripped = code.strip()
        # Only inside function/constructor/modifier bodies.
        if re.match(r"^\s*(function|constructor|modifier)\b", code):
            in_body = True
        if not in_body:
            continue
        depth += code.count("{") - code.count("}")
        if depth <= 0 and "}" in code:
            in_body = False
            depth = 0
        if not stripped or SKIP_RE.match(code):
            continue
        g = GUARD_RE.search(code)
        if g:
            yield n, "guard", raw[: g.start(1)] + "false" + raw[g.end(1):]
        for m in BIN_RE.finditer(code):
            op = m.group(1)
            for table, name in ((ROR, "ror"), (LOR, "lor"), (AOR, "aor")):
                if op in table:
                    # `-` inside a type like `uint256 - x` is fine; skip unary minus (no left operand).
                    yield n, name, raw[: m.start(1)] + table[op] + raw[m.end(1):]
        if (STMT_RE.match(code) and not DECL_RE.match(code) and stripped.endswith(";")
                and not stripped.startswith(("return", "revert", "if", "for", "while", "else"))):
            indent = raw[: len(raw) - len(raw.lstrip())]
            yield n, "stmt", indent + "// MUTANT removed: " + raw.strip() + "\n"


def glob_regex(glob: str) -> re.Pattern:
    """forge's --match-path glob as a regex: `{a,b}` alternatives, `**/` any number of
    folders (none included), `*` and `?` within one path segment."""
    out, i = "", 0
    while i < len(glob):
        c = glob[i]
        if glob.startswith("**/", i):
            out, i = out + "(?:.*/)?", i + 3
            continue
        if c == "*":
            out += "[^/]*"
        elif c == "?":
            out += "[^/]"
        elif c == "{":
            j = glob.index("}", i)
            out += "(?:" + "|".join(glob_regex(alt).pattern[:-2] for alt in glob[i + 1:j].split(",")) + ")"
            i = j
        else:
            out += re.escape(c)
        i += 1
    return re.compile(out + r"\Z")


def unselected(work: Path, match: str) -> list[str]:
    """Test and script files the selection does not run: left out of each mutant's
    compile with forge's --skip (a file they import is still compiled), which cuts a
    mutant's compile to about a third. The gas tests are never run on mutants."""
    sel = glob_regex(match)
    files = [f.relative_to(work).as_posix() for d in ("test", "script") for f in (work / d).rglob("*.sol")]
    return sorted(f for f in files if f.endswith((".t.sol", ".s.sol"))
                  and (not sel.match(f) or f.endswith(".gas.t.sol")))


def prepare_work(work: Path) -> None:
    work.mkdir(parents=True, exist_ok=True)
    for d in ("contracts", "test", "script"):
        if (work / d).exists():
            shutil.rmtree(work / d)
        if (ROOT / d).exists():
            shutil.copytree(ROOT / d, work / d)
    shutil.copy2(ROOT / "foundry.toml", work / "foundry.toml")
    (work / "tools").mkdir(exist_ok=True)
    shutil.copy2(ROOT / "tools" / "solc", work / "tools" / "solc")
    nm = work / "node_modules"
    if not nm.exists():
        nm.symlink_to((ROOT / "node_modules").resolve())


def first_failure(out: str) -> str:
    """The first failing test forge names, e.g. `test_RevertWhen_x()`."""
    # The reason may itself hold brackets (decoded arguments), so look for the test's name.
    m = re.search(r"\[FAIL.*?\] ((?:test|invariant|statefulFuzz|check)\w*)\(", out)
    return m.group(1) if m else "?"


def run_tests(forge: str, work: Path, match: str, skip: list[str], timeout: int) -> tuple[str, float]:
    env = dict(os.environ)
    # Faster compiles: the optimizer is off (so the size limit is lifted and the gas
    # tests, which need optimized code, are left out); fewer fuzz and invariant runs.
    env.update({
        "FOUNDRY_OPTIMIZER": "false",
        "FOUNDRY_DISABLE_CODE_SIZE_LIMIT": "true",
        "FOUNDRY_FUZZ_RUNS": env.get("MUTATE_FUZZ_RUNS", "64"),
        "FOUNDRY_INVARIANT_RUNS": env.get("MUTATE_INVARIANT_RUNS", "8"),
        "FOUNDRY_INVARIANT_DEPTH": env.get("MUTATE_INVARIANT_DEPTH", "32"),
        "FORGE_SNAPSHOT_CHECK": "false",
    })
    start = time.time()
    try:
        p = subprocess.run([forge, "test", "--match-path", match, "--no-match-path", "test/**/*.gas.t.sol",
                            "--fail-fast"] + (["--skip", *skip] if skip else []), cwd=work, env=env,
                           capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "killed(timeout)", time.time() - start
    out = p.stdout + p.stderr
    if p.returncode == 0:
        return "survived", time.time() - start
    if "Compiler run failed" in out or "Error (" in out and "Compiler" in out:
        return "invalid", time.time() - start
    return f"killed by {first_failure(out)}", time.time() - start


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("contract", help="file name under contracts/ without .sol, e.g. WorkRegistry")
    ap.add_argument("--match-path", help="forge --match-path glob (default: test/**CONTRACT*.t.sol)")
    ap.add_argument("--only", help="comma-separated line numbers to mutate (re-check survivors)")
    ap.add_argument("--limit", type=int, help="stop after N mutants")
    ap.add_argument("--ops", help="comma-separated operators to apply (default: all)")
    ap.add_argument("--exclude-ops", help="comma-separated operators to leave out")
    ap.add_argument("--sample", type=int, help="run N mutants drawn at random from those selected")
    ap.add_argument("--seed", type=int, default=1, help="the draw's seed (default 1)")
    ap.add_argument("--tag", help="write target/mutate/CONTRACT.TAG.tsv")
    ap.add_argument("--shuffle", action="store_true",
                    help="run the selected mutants in a seeded random order, so that a run cut short "
                         "is still an unbiased sample")
    ap.add_argument("--resume", action="store_true",
                    help="keep the results already in the .tsv and run only the mutants it lacks")
    ap.add_argument("--survivors-of", metavar="TAG",
                    help="run only the mutants that survived in CONTRACT.TAG.tsv (still in the source), "
                         "e.g. after adding tests; use with --tag recheck")
    ap.add_argument("--timeout", type=int, default=600)
    ap.add_argument("--list", action="store_true", help="only list the mutants")
    args = ap.parse_args()

    forge = os.environ.get("FORGE")
    if not forge:
        print("error: FORGE is not set (run through tools/mutate.sh)", file=sys.stderr)
        return 2
    rel = Path("contracts") / f"{args.contract}.sol"
    src = (ROOT / rel).read_text().splitlines(keepends=True)
    match = args.match_path or f"test/**/{args.contract}*.t.sol"
    only = {int(x) for x in args.only.split(",")} if args.only else None
    ops = set(args.ops.split(",")) if args.ops else None
    exclude = set(args.exclude_ops.split(",")) if args.exclude_ops else set()
    todo = [m for m in mutants(src) if (only is None or m[0] in only) and (ops is None or m[1] in ops)
            and m[1] not in exclude]
    if args.survivors_of:
        prior = OUT / f"{args.contract}.{args.survivors_of}.tsv"
        survived = set()
        for row in prior.read_text().splitlines()[1:]:
            f = row.split("\t")
            if f[2] == "survived":
                survived.add((int(f[0]), f[1], f[4]))
        todo = [m for m in todo if (m[0], m[1], m[2].strip()) in survived]
    if args.sample is not None and args.sample < len(todo):
        print(f"==> {args.sample} of {len(todo)} mutants drawn at random (seed {args.seed})")
        todo = sorted(random.Random(args.seed).sample(todo, args.sample))
    if args.shuffle:
        random.Random(args.seed).shuffle(todo)
    if args.limit:
        todo = todo[: args.limit]
    if args.list:
        for n, op, new in todo:
            print(f"{n}\t{op}\t{new.strip()}")
        print(f"{len(todo)} mutants")
        return 0

    # One scratch copy per contract and tag, so two runs can share the machine.
    work = OUT / ("work-" + args.contract + (f"-{args.tag}" if args.tag else ""))
    tsv = OUT / (f"{args.contract}.{args.tag}.tsv" if args.tag else f"{args.contract}.tsv")
    done = set()
    if args.resume and tsv.exists():
        for row in tsv.read_text().splitlines()[1:]:
            f = row.split("\t")
            done.add((int(f[0]), f[1], f[4]))
        todo = [m for m in todo if (m[0], m[1], m[2].strip()) not in done]
        print(f"==> resuming: {len(done)} results kept, {len(todo)} mutants to run")
    prepare_work(work)
    skip = unselected(work, match)
    target = work / rel
    print(f"==> baseline: forge test --match-path '{match}' on the unmutated copy"
          f" ({len(skip)} unselected test and script files skipped)")
    verdict, secs = run_tests(forge, work, match, skip, args.timeout)
    if verdict != "survived":
        print(f"error: the unmutated suite does not pass ({verdict}); fix that first", file=sys.stderr)
        return 1
    print(f"    passes in {secs:.0f}s; {len(todo)} mutants of {rel}")

    counts = {"killed": 0, "survived": 0, "invalid": 0}
    with open(tsv, "a" if done else "w") as log:
        if not done:
            log.write("line\toperator\tverdict\tseconds\tmutant\n")
        try:
            for i, (n, op, new) in enumerate(todo, 1):
                mutated = src.copy()
                mutated[n - 1] = new if new.endswith("\n") else new + "\n"
                target.write_text("".join(mutated))
                verdict, secs = run_tests(forge, work, match, skip, args.timeout)
                key = "killed" if verdict.startswith("killed") else verdict
                counts[key] += 1
                log.write(f"{n}\t{op}\t{verdict}\t{secs:.0f}\t{new.strip()}\n")
                log.flush()
                print(f"[{i}/{len(todo)}] line {n} {op}: {verdict} ({secs:.0f}s)"
                      + (f"\n    {new.strip()}" if verdict == "survived" else ""), flush=True)
        finally:
            target.write_text("".join(src))
    valid = counts["killed"] + counts["survived"]
    rate = 100.0 * counts["killed"] / valid if valid else 0.0
    print(f"{args.contract}: {counts['killed']} killed, {counts['survived']} survived, "
          f"{counts['invalid']} invalid (did not compile); kill rate {rate:.1f}% of {valid}")
    print(f"details: {tsv.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
