#!/usr/bin/env bash
# The project's test command (`make test`): everything CI checks, from a clean clone.
source "$(dirname "$0")/env.sh"
install_node_modules
install_analysis_venv
need_cargo

step() { echo; echo "==> $*"; }

step "forge fmt --check"
"$FORGE" fmt --check

step "forge lint (contracts; warnings fail)"
"$FORGE" lint --deny warnings

step "forge build --sizes (every deployable under the 24 KiB limit)"
# Build everything once (the test step reuses this build, so gas snapshots come from
# one full compilation), then report sizes for contracts/ only: test handlers may be
# larger (tests lift the limit for them).
"$FORGE" build
"$FORGE" build --sizes contracts

step "slither (static analysis: no High/Medium; the rest triaged in docs/slither-triage.md)"
SECONDS=0
tools/slither.sh
echo "slither took ${SECONDS}s"

step "halmos (symbolic checks of the pure libraries, test/halmos/)"
SECONDS=0
tools/halmos.sh
echo "halmos took ${SECONDS}s"

step "forge test (gas snapshots checked against snapshots/)"
mkdir -p target
FOUNDRY_PROFILE="${FORGE_PROFILE:-default}" FORGE_SNAPSHOT_CHECK=true "$FORGE" test 2>&1 | tee target/forge-test.log

step "cargo fmt --check"
cargo fmt --all --check

step "cargo clippy -D warnings"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "artifacts fresh (crates/viable/artifacts match contracts/)"
cargo run --quiet --locked -p viable-cli -- build-contracts --check

step "cargo test (unit + anvil integration)"
cargo test --workspace --locked 2>&1 | tee target/cargo-test.log

# One closing line for both runners (each step above already failed the script on
# any failure, through `set -o pipefail`).
forge_passed=$(grep -Eo '[0-9]+ tests passed' target/forge-test.log | tail -1 | grep -Eo '^[0-9]+')
cargo_passed=$(grep -Eo 'test result: ok\. [0-9]+ passed' target/cargo-test.log | grep -Eo '[0-9]+ passed' | awk '{s += $1} END {print s + 0}')
echo
echo "forge: ${forge_passed:-0} passed, cargo: ${cargo_passed:-0} passed"
echo "summary: $(( ${forge_passed:-0} + ${cargo_passed:-0} )) passed, 0 failed"
