# Two commands do everything on a fresh machine (Node.js + npm and Rust needed):
#   make dev    start anvil, deploy Viable (local genesis), run the keeper, show its state
#   make test   every check CI runs
#   make bench  the benchmark: gas beside the peers, scaling, SDK throughput (bench/RESULTS.md)
.PHONY: dev test artifacts bench slither halmos mutate

dev:
	@tools/dev.sh $(ARGS)

test:
	@tools/test.sh

bench:
	@bench/run.sh

# Recompile contracts/ into crates/viable/artifacts (commit the result).
artifacts:
	@. tools/env.sh && install_node_modules && cargo run --quiet -p viable-cli -- build-contracts

# Static analysis alone (also a step of `make test`).
slither:
	@tools/slither.sh

# Symbolic checks of the pure libraries (Halmos; test/halmos/).
halmos:
	@tools/halmos.sh

# Mutation testing, slow and not in CI: make mutate CONTRACT=WorkRegistry [ARGS=...]
mutate:
	@tools/mutate.sh $(CONTRACT) $(ARGS)
