#!/usr/bin/env bash
# Measures save → reload of `httpcodes serve` on a copy of the real site:
# builds the release binary, then runs bench/serve-reload.mjs (Node) with it.
# Run by hand: bench/serve-reload.sh [RUNS] (default 50).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
target="${CARGO_TARGET_DIR:-target}"
exec node bench/serve-reload.mjs "$target/release/httpcodes" "${1:-50}"
