#!/usr/bin/env bash
# Mutation testing (slow; not part of `make test`): see docs/security.md.
#   tools/mutate.sh CONTRACT [--match-path GLOB] [--only LINES] [--limit N] [--list]
# Mutates contracts/CONTRACT.sol in a scratch copy (target/mutate/work) and runs the
# contract's forge tests on each mutant, at the lowest CPU priority.
source "$(dirname "$0")/env.sh"
install_node_modules
need python3 "Python 3 runs the mutation driver"
export FORGE
exec nice -n 19 python3 tools/mutate.py "$@"
