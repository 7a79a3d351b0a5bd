#!/usr/bin/env bash
# Symbolic checks (a step of `make test`; alone: `make halmos`): Halmos proves the
# `check_` properties in test/halmos/ for all inputs. Halmos runs `forge build` itself:
# the real forge is put first on PATH, and the build is limited to contracts/ and
# test/halmos/ (FOUNDRY_TEST) in its own out-halmos/, so the test build is left alone.
# Extra arguments go to halmos (e.g. --function check_sqrt).
source "$(dirname "$0")/env.sh"
install_node_modules
install_analysis_venv
PATH="$(dirname "$FORGE"):$VENV/bin:$PATH" \
  FOUNDRY_TEST=test/halmos FOUNDRY_SCRIPT=test/halmos FOUNDRY_OUT=out-halmos FOUNDRY_CACHE_PATH=cache-halmos \
  FOUNDRY_OPTIMIZER=false \
  halmos --forge-build-out out-halmos --default-bytes-lengths 0,31,32,33,64,96,128 \
  --solver-timeout-assertion 120000 "$@"
