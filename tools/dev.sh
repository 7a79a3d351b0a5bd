#!/usr/bin/env bash
# The project's main job (`make dev`): a local chain with Viable deployed.
source "$(dirname "$0")/env.sh"
install_node_modules
need_cargo
echo "==> cargo build (first run takes a few minutes)"
cargo build --locked -p viable-cli
exec "$ROOT/target/debug/viable" dev "$@"
