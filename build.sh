#!/usr/bin/env bash
# Builds the release binary, then the site into public/ (arguments go to
# `httpcodes build`), or, as `./build.sh serve [args]`, previews it with live
# reload (`httpcodes serve [args]`).
set -euo pipefail
cd "$(dirname "$0")"
cargo build --release --quiet
if [[ "${1:-}" == serve ]]; then
    shift
    exec ./target/release/httpcodes serve "$@"
fi
exec ./target/release/httpcodes build "$@"
