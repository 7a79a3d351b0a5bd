#!/usr/bin/env bash
# The benchmark (`make bench`): every figure in bench/RESULTS.md, from a clean clone.
#   1. the peers' npm packages into bench/node_modules (only here, never by `make test`);
#   2. a clean forge build and run of bench/test (FOUNDRY_PROFILE=bench), which writes
#      the gas figures to bench/snapshots/*.json;
#   3. on a fresh anvil: the receipts of the same calls (cross-check) and the SDK's
#      throughput against raw sends and a `cast send` loop;
#   4. bench/RESULTS.md and bench/gas.svg from all of it.
# BENCH_PACKETS (default 1000) and BENCH_CAST_PACKETS (default 50) size step 3;
# BENCH_KEEPER_ITEMS (default 10000; 0 skips it) sizes the keeper's run in step 3;
# BENCH_ANVIL_ARGS (default --prune-history) replaces the options anvil gets.
source "$(dirname "$0")/../tools/env.sh"
install_node_modules
need_cargo

echo "==> npm install in bench/ (EAS contracts; hardhat replaced by an empty stand-in, no scripts run)"
(cd bench && npm install --no-audit --no-fund --ignore-scripts --no-package-lock --loglevel=error)

echo "==> forge test, bench profile (clean build: gas depends on it)"
rm -rf bench/out bench/cache bench/snapshots
mkdir -p bench/results
FOUNDRY_PROFILE=bench "$FORGE" test 2>&1 | tee bench/results/forge.log

echo "==> throughput and receipts on anvil"
# Release builds, as an application using the SDK or running the keeper would be built
# (the first build takes several minutes: every dependency is optimized).
cargo build --locked --release -p viable-bench
cargo build --locked --release -p viable-keeper --example bench
BIN="$(cargo metadata --format-version 1 --no-deps | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))')/release/viable-bench"
"$BIN" throughput bench/results/throughput.json "${BENCH_PACKETS:-1000}" "${BENCH_CAST_PACKETS:-50}"

if [ "${BENCH_KEEPER_ITEMS:-10000}" != 0 ]; then
  echo "==> the keeper: ${BENCH_KEEPER_ITEMS:-10000} due items (a block a second; about 20 minutes at 10,000)"
  rm -f bench/results/keeper.json
  BENCH_ITEMS="${BENCH_KEEPER_ITEMS:-10000}" BENCH_KEEPER_OUT="$PWD/bench/results/keeper.json" \
    cargo run --locked --release -q -p viable-keeper --example bench
else
  rm -f bench/results/keeper.json
fi

{
  echo "forge, anvil, cast: $("$FORGE" --version | head -1)"
  echo "solc: $(node tools/solc --version | tail -1 | sed 's/^Version: //') (solc-js, the project's shim), optimizer 200 runs, evm prague"
  echo "OpenZeppelin contracts: $(node -p 'require("./node_modules/@openzeppelin/contracts/package.json").version')"
  echo "EAS contracts: $(node -p 'require("./bench/node_modules/@ethereum-attestation-service/eas-contracts/package.json").version') (their published bytecode)"
  echo "rustc: $(rustc --version) (viable-bench and the keeper's benchmark built with the release profile)"
  echo "anvil: automine (one block per transaction), ${BENCH_ANVIL_ARGS---prune-history}, started fresh by viable-bench"
  echo "machine: $(nproc) cores, $(uname -sm)"
} > bench/results/versions.txt

echo "==> bench/RESULTS.md and bench/gas.svg"
"$BIN" report bench
echo "done: bench/RESULTS.md"
