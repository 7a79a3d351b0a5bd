#!/usr/bin/env bash
# Static analysis (a step of `make test`): Slither over contracts/, then the triage check.
#   tools/slither.sh           run; fail on any High/Medium or any finding not in the triage file
#   tools/slither.sh --write   also rewrite the finding lists in docs/slither-triage.md
# Slither compiles through crytic-compile's Foundry support, which calls `forge build
# --build-info`: the real forge is put first on PATH (not the node_modules/.bin wrapper),
# and it builds into out-slither/ so the test build in out/ is left alone. The optimizer
# is off there: Slither reads the AST, and an unoptimized build is faster.
source "$(dirname "$0")/env.sh"
install_node_modules
install_analysis_venv
mkdir -p target
rm -f target/slither.json
PATH="$(dirname "$FORGE"):$VENV/bin:$PATH" \
  FOUNDRY_OUT=out-slither FOUNDRY_CACHE_PATH=cache-slither FOUNDRY_OPTIMIZER=false \
  slither . --fail-none --json target/slither.json >target/slither.log 2>&1 || {
    cat target/slither.log >&2
    echo "error: slither did not run (log above)" >&2
    exit 1
  }
"$VENV/bin/python" tools/slither_triage.py target/slither.json docs/slither-triage.md "$@"
