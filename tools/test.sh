#!/usr/bin/env bash
# The project's test command (`make test`): everything CI checks, from a clean clone.
source "$(dirname "$0")/env.sh"
install_node_modules
need_cargo

step() { echo; echo "==> $*"; }

step "forge fmt --check"
"$FORGE" fmt --check

step "forge lint (contracts; warnings fail)"
"$FORGE" lint --deny warnings

step "forge build --sizes (every deployable under the 24 KiB limit)"
"$FORGE" build --sizes

step "forge test (gas snapshots checked against snapshots/)"
FOUNDRY_PROFILE="${FORGE_PROFILE:-default}" FORGE_SNAPSHOT_CHECK=true "$FORGE" test

step "cargo fmt --check"
cargo fmt --all --check

step "cargo clippy -D warnings"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "artifacts fresh (crates/viable/artifacts match contracts/)"
cargo run --quiet --locked -p viable-cli -- build-contracts --check

step "cargo test (unit + anvil integration)"
cargo test --workspace --locked
