#!/usr/bin/env bash
# Deploy Viable to a network from a genesis file, checking it offline first.
#
#   RPC_URL=https://… PRIVATE_KEY=0x… script/deploy.sh genesis.toml
#
# Start a genesis from the production preset: `viable genesis preset production`.
# The deployment is recorded in deployments/<chainId>.json (commit it).
source "$(dirname "$0")/../tools/env.sh"
genesis="${1:?usage: RPC_URL=… PRIVATE_KEY=… script/deploy.sh GENESIS_FILE}"
: "${RPC_URL:?set RPC_URL to the network's JSON-RPC endpoint}"
: "${PRIVATE_KEY:?set PRIVATE_KEY to the deployer's key (it keeps no power after bootstrap)}"
need_cargo
cargo build --quiet --locked -p viable-cli
viable="$ROOT/target/debug/viable"
"$viable" genesis check "$genesis"
VIABLE_PRIVATE_KEY="$PRIVATE_KEY" exec "$viable" deploy --genesis "$genesis" --rpc-url "$RPC_URL"
