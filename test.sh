#!/usr/bin/env bash
# Runs every test of httpcodes, installing what is missing first:
# formatting, lints, Rust unit and integration tests, HTML validity of the
# built site (Nu HTML Checker), and the browser tests (Debian's Chromium
# driven by playwright-core).
set -euo pipefail
cd "$(dirname "$0")"

say() { printf '\n==> %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

say "Installing what is missing"
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# A JDK, not only a JRE: the Java constants check runs a program from source.
command -v javac >/dev/null 2>&1 || missing+=(default-jdk-headless)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
command -v go >/dev/null 2>&1 || missing+=(golang-go)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
if [ ${#missing[@]} -gt 0 ]; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
command -v cargo-deny >/dev/null 2>&1 || cargo install --locked cargo-deny --version 0.20.2

say "Formatting and lints"
cargo fmt --check
cargo clippy --all-targets --quiet -- -D warnings

say "Dependency policy (cargo-deny: licenses, bans, sources; advisories run on GitHub)"
cargo deny check --hide-inclusion-graph licenses bans sources

say "Rust tests"
# Here Go and a JDK were installed above, so the Go and Java constants checks must run.
HTTPCODES_REQUIRE_GO=1 HTTPCODES_REQUIRE_JAVA=1 cargo test --quiet

say "Building the site as GitHub Pages would (project path /httpcodes/)"
cargo build --release --quiet
site=target/test-site
./target/release/httpcodes build --output "$site" --base-url https://example.github.io/httpcodes/

say "Building the hostile fixture (tests/fixtures/hostile laid over tests/fixtures/valid)"
hostile_root=target/hostile-root
rm -rf "$hostile_root" && mkdir -p "$hostile_root"
cp -R tests/fixtures/valid/. tests/fixtures/hostile/. themes "$hostile_root"/
rm -f "$hostile_root/expected-stderr.txt"
# Its warnings are checked by the Rust test of the same fixture.
./target/release/httpcodes build --root "$hostile_root" --output target/hostile-site \
  --base-url https://example.github.io/httpcodes/ 2>/dev/null

say "HTML validity (Nu HTML Checker)"
java -jar tests/browser/node_modules/vnu-jar/build/dist/vnu.jar --errors-only --skip-non-html "$site"
echo "every page is valid HTML"
java -jar tests/browser/node_modules/vnu-jar/build/dist/vnu.jar --css --errors-only themes/*/static/*.css
echo "every theme stylesheet is valid CSS"

say "Browser tests"
# Files, not the folder: Node 21+ reads a folder argument as a glob.
SITE_DIR="$site" HOSTILE_SITE_DIR=target/hostile-site HTTPCODES_BIN=./target/release/httpcodes node --test --test-concurrency=1 tests/browser/*.test.mjs
