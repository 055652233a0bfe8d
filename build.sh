#!/usr/bin/env bash
# Builds the release binary and the site into public/ (arguments go to `httpcodes build`).
set -euo pipefail
cd "$(dirname "$0")"
cargo build --release --quiet
exec ./target/release/httpcodes build "$@"
