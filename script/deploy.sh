#!/usr/bin/env bash
# Deploy Viable to a network from a genesis file, checking it offline first.
#
#   ETH_RPC_URL=https://… ETH_KEYSTORE_ACCOUNT=deployer script/deploy.sh genesis.toml
#   ETH_RPC_URL=https://… VIABLE_PRIVATE_KEY=0x… script/deploy.sh genesis.toml
#
# The signer is whatever the CLI reads (the same names as everywhere in Viable):
# ETH_KEYSTORE_ACCOUNT (a `cast wallet import` name; the password is asked, or
# ETH_PASSWORD), ETH_KEYSTORE (a keystore file), or VIABLE_PRIVATE_KEY.
# Start a genesis from the production preset: `viable genesis preset production`.
# The deployment is recorded in deployments/<chainId>.json (commit it).
# The same deploy by forge, from the same genesis: see script/Deploy.s.sol.
source "$(dirname "$0")/../tools/env.sh"
genesis="${1:?usage: ETH_RPC_URL=… ETH_KEYSTORE_ACCOUNT=… script/deploy.sh GENESIS_FILE}"
: "${ETH_RPC_URL:?set ETH_RPC_URL to the network's JSON-RPC endpoint}"
if [[ -z "${ETH_KEYSTORE_ACCOUNT:-}${ETH_KEYSTORE:-}${VIABLE_PRIVATE_KEY:-}" ]]; then
  echo "error: no signer: set ETH_KEYSTORE_ACCOUNT, ETH_KEYSTORE or VIABLE_PRIVATE_KEY (the deployer keeps no power after bootstrap)" >&2
  exit 1
fi
need_cargo
cargo build --locked -p viable-cli
viable="$ROOT/target/debug/viable"
"$viable" genesis check "$genesis"
exec "$viable" deploy --genesis "$genesis"
