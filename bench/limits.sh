#!/usr/bin/env bash
# Times the release build on each huge or odd input of
# tests/integration/limits.rs, one at a time on top of the valid fixture,
# and prints wall time and peak memory (GNU time). Run by hand:
#   bench/limits.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
command -v /usr/bin/time >/dev/null || { echo "needs GNU time: apt-get install time" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

make_case() { # name, then a Python expression for the file text (front in `f`)
  local site="$work/$1"
  mkdir -p "$site"
  cp -R tests/fixtures/valid/. themes "$site"/
  python3 - "$site" "$1" "$2" <<'PY'
import sys, pathlib
site, name, expr = sys.argv[1:]
f = "---\ntitle: Odd guide\nsummary: A guide made to stress the build.\n---\n"
guides = pathlib.Path(site, "content/guides")
if name == "10000-files":
    for n in range(10_000):
        (guides / f"g{n}.md").write_text(f"---\ntitle: G{n}\nsummary: Tiny.\n---\nHi.\n")
else:
    (guides / f"{name}.md").write_text(eval(expr))
PY
}
make_case 10mb-file 'f + ("Some *text* with a [link](https://example.org/), `code` and <kbd>Ctrl</kbd>.\n\n" * 140000)'
make_case 100000-headings 'f + "".join(f"## Part\n\nText {n}.\n\n" for n in range(100_000))'
make_case 5000-deep-list 'f + "- " * 5000 + "x\n"'
make_case 5000-deep-quote 'f + "> " * 5000 + "x\n"'
make_case 1mb-front-matter '"---\ntitle: Big\nsummary: " + "y" * 1_000_000 + "\n---\nBody.\n"'
make_case nul-bytes 'f + "a\0b\n\n## N\0L\n" * 1000'
make_case 10000-files ''
make_case alias-bomb '"---\ntitle: Bomb\nsummary: Laughs.\nbomb: " + __import__("functools").reduce(lambda bomb, level: f"&a{level} [{bomb}, " + ", ".join([f"*a{level - 1}"] * 8) + "]", range(1, 10), "&a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]") + "\n---\n"'

printf '%-18s %-8s %10s %12s\n' case outcome "wall (s)" "peak (MiB)"
for site in "$work"/*/; do
  name=$(basename "$site")
  if /usr/bin/time -f '%e %M' -o "$work/time.$name" ./target/release/httpcodes build --root "$site" --output "$work/out-$name" >/dev/null 2>&1; then
    outcome=built
  else
    outcome=error
  fi
  # GNU time puts "Command exited with non-zero status" first on failure.
  read -r seconds kib < <(tail -n 1 "$work/time.$name")
  printf '%-18s %-8s %10s %12d\n' "$name" "$outcome" "$seconds" $((kib / 1024))
done
