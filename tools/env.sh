# Shared by tools/*.sh: install what is missing and name the real Foundry binaries.
# Sourced, not executed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) PLATFORM=linux-amd64 ;;
  Linux-aarch64) PLATFORM=linux-arm64 ;;
  Darwin-x86_64) PLATFORM=darwin-amd64 ;;
  Darwin-arm64) PLATFORM=darwin-arm64 ;;
  *) echo "unsupported platform $(uname -s)-$(uname -m)" >&2; exit 1 ;;
esac

# The npm wrappers in node_modules/.bin always exit 0; call the real binaries.
FORGE="${FORGE_BIN:-$ROOT/node_modules/@foundry-rs/forge-$PLATFORM/bin/forge}"
ANVIL_BIN="${ANVIL_BIN:-$ROOT/node_modules/@foundry-rs/anvil-$PLATFORM/bin/anvil}"
CAST="${CAST_BIN:-$ROOT/node_modules/@foundry-rs/cast-$PLATFORM/bin/cast}"
export ANVIL_BIN FORGE_BIN="$FORGE" CAST_BIN="$CAST"

need() {
  command -v "$1" >/dev/null 2>&1 || { echo "error: $1 is required ($2)" >&2; exit 1; }
}

# npm packages: forge, anvil, cast, solc (WebAssembly) and OpenZeppelin, pinned in
# package.json. `npm ci` cannot be used here (see docs/toolchain.md).
install_node_modules() {
  need node "Node.js 18+ runs the solc shim"
  need npm "npm installs the pinned toolchain"
  local stamp="$ROOT/node_modules/.viable-installed"
  if [[ ! -x "$FORGE" || ! -f "$stamp" || "$ROOT/package.json" -nt "$stamp" ]]; then
    echo "==> npm install (forge, anvil, cast, solc, OpenZeppelin)"
    npm install --no-audit --no-fund --loglevel=error
    touch "$stamp"
  fi
  [[ -x "$FORGE" ]] || { echo "error: $FORGE missing after npm install" >&2; exit 1; }
}

need_cargo() {
  need cargo "install Rust from https://rustup.rs"
}

# Python tools (Slither, Halmos), pinned in tools/requirements-analysis.txt, in a local
# virtualenv (.venv/, git-ignored). Reinstalled only when missing or when the pins changed.
VENV="$ROOT/.venv"
install_analysis_venv() {
  need python3 "Python 3.10+ runs Slither and Halmos"
  local req="$ROOT/tools/requirements-analysis.txt" stamp="$VENV/.viable-installed"
  if [[ ! -x "$VENV/bin/slither" || ! -f "$stamp" || "$req" -nt "$stamp" ]]; then
    echo "==> python venv .venv (slither-analyzer, halmos; tools/requirements-analysis.txt)"
    [[ -x "$VENV/bin/python" ]] || python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$req"
    touch "$stamp"
  fi
}
