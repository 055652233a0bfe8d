#!/usr/bin/env bash
# bench/run.sh: httpcodes against Hugo on the same generated Markdown, and the
# figures a reader feels on the real site. A benchmark, run by hand (nothing
# here is asserted by the test suite):
#
#   bench/run.sh [SIZE...]          sizes default to 1000 10000 50000
#   RUNS=5 bench/run.sh 1000 10000  runs per size (default 5)
#
# What it measures, and how:
# - For each SIZE, examples/bench_corpus.rs writes SIZE generated guides
#   (2–4 KB of Markdown each) plus the real content, once for httpcodes and
#   once for Hugo (same Markdown, equivalent minimal layouts in bench/hugo/).
#   Then RUNS rounds, the order alternating (ours first, then Hugo first):
#   `httpcodes build` (release), `hugo`, and `cp -r` of our output, the disk's
#   floor for writing that many files. Each into a fresh folder on the same
#   disk, after `sync`; none of them syncs its own writes. Wall time from
#   bash's EPOCHREALTIME around the process (start included), peak RSS from
#   GNU time (%M). Medians, pages per second, and the ratios ours/Hugo and
#   ours/cp. With both 10000 and 50000, also the 50k/10k ratios.
# - The real site (the repository root): cold build of the release binary,
#   process start included, median of COLD_RUNS (20) runs.
# - `serve`: save → reload, by bench/serve-reload.sh with SERVE_RUNS (20).
# - Page weight, for the real site and the 10000-page site: the largest
#   page's HTML plus the stylesheets it links, gzipped (Python's gzip module,
#   level 9), the read-all page all/ apart (it holds every code page, so it is
#   outside the per-page budget by its nature), and the scripts a page links,
#   gzipped; the search index files (search-index.json and search/), raw and
#   gzipped.
# - Search in Chromium: `node tests/browser/bench-search.mjs SITE...` for the
#   same two sites, one `RESULT {json}` line each (index size, bytes one query
#   downloads, per-keystroke times). Skipped, and said so, when the script
#   prints no such line.
#
# Installs what is missing: hugo and GNU time from Debian (apt-get). Work
# files go to BENCH_DIR (default $CARGO_TARGET_DIR/bench, or target/bench).
# Needs python3; node for the serve and search parts (skipped without it).
set -euo pipefail
export LC_ALL=C # a decimal point in EPOCHREALTIME
cd "$(dirname "$0")/.."
repo=$PWD

RUNS=${RUNS:-5}
COLD_RUNS=${COLD_RUNS:-20}
SERVE_RUNS=${SERVE_RUNS:-20}
if (($# > 0)); then sizes=("$@"); else sizes=(1000 10000 50000); fi
target=${CARGO_TARGET_DIR:-$repo/target}
work=${BENCH_DIR:-$target/bench}
ours_bin=$target/release/httpcodes
corpus_bin=$target/release/examples/bench_corpus

say() { printf '\n== %s\n' "$*" >&2; }

# --- What the benchmark needs -------------------------------------------
apt_updated=no
install_missing() { # command, Debian package
  command -v "$1" >/dev/null && return
  say "installing $2"
  [[ $apt_updated == yes ]] || { apt-get update -qq; apt_updated=yes; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
}
install_missing hugo hugo
install_missing /usr/bin/time time
install_missing python3 python3
command -v node >/dev/null && have_node=yes || have_node=no

say "building the release binary and the corpus generator"
cargo build --release --quiet --bin httpcodes --example bench_corpus
mkdir -p "$work"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
results=$work/results.tsv # size, tool, run, wall seconds, peak KiB, CPU seconds
: >"$results"

# Runs a command with its output folder fresh; appends its wall time, peak
# memory and CPU time (user + system) to $results. Arguments: size, tool, run, output folder, command...
measure() {
  local size=$1 tool=$2 run=$3 output=$4
  shift 4
  rm -rf "$output"
  sync
  local start=$EPOCHREALTIME
  if ! /usr/bin/time -f '%M %U %S' -o "$work/time.txt" "$@" >"$work/stdout.txt" 2>"$work/stderr.txt"; then
    cat "$work/stdout.txt" "$work/stderr.txt" >&2
    echo "failed: $*" >&2
    exit 1
  fi
  local end=$EPOCHREALTIME
  local wall kib user system cpu
  read -r kib user system < <(tail -n 1 "$work/time.txt")
  wall=$(python3 -c "print(f'{$end - $start:.4f}')")
  cpu=$(python3 -c "print(f'{$user + $system:.2f}')")
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$size" "$tool" "$run" "$wall" "$kib" "$cpu" >>"$results"
  printf '[%s] run %s: %-4s %6.2f s wall, %6.2f s CPU, %s KiB\n' "$size" "$run" "$tool" "$wall" "$cpu" "$kib" >&2
}

build_ours() { # size, run, output
  measure "$1" ours "$2" "$3" "$ours_bin" build --root "$work/corpus-$1/httpcodes" --output "$3"
}
build_hugo() { # size, run, output
  measure "$1" hugo "$2" "$3" hugo --quiet --source "$work/corpus-$1/hugo" --destination "$3"
}
copy_ours() { # size, run, source, output
  measure "$1" cp "$2" "$4" cp -r "$3" "$4"
}

# --- Generated sites: ours, Hugo and cp -r, alternating ---------------------
for size in "${sizes[@]}"; do
  say "size $size: generating the corpus"
  "$corpus_bin" --pages "$size" --out "$work/corpus-$size" >&2
  # One untimed build of each first, so both start with the same warm cache.
  "$ours_bin" build --root "$work/corpus-$size/httpcodes" --output "$work/out-ours" >/dev/null
  hugo --quiet --source "$work/corpus-$size/hugo" --destination "$work/out-hugo" >/dev/null
  for run in $(seq 1 "$RUNS"); do
    if ((run % 2)); then
      build_ours "$size" "$run" "$work/out-ours"
      copy_ours "$size" "$run" "$work/out-ours" "$work/out-cp"
      build_hugo "$size" "$run" "$work/out-hugo"
    else
      build_hugo "$size" "$run" "$work/out-hugo"
      build_ours "$size" "$run" "$work/out-ours"
      copy_ours "$size" "$run" "$work/out-ours" "$work/out-cp"
    fi
  done
  # What each wrote, from the last run.
  for tool in ours hugo; do
    printf '%s\t%s\t%s\t%s\n' "$size" "$tool" "$(find "$work/out-$tool" -type f | wc -l)" \
      "$(du -sk "$work/out-$tool" | cut -f1)" >>"$work/outputs.tsv.$$"
  done
  rm -rf "$work/site-$size" "$work/out-cp" "$work/out-hugo"
  mv "$work/out-ours" "$work/site-$size"
done
mv "$work/outputs.tsv.$$" "$work/outputs.tsv"

# --- The real site -----------------------------------------------------------
say "real site: $COLD_RUNS cold builds (process start included)"
real_site=$work/site-real
for run in $(seq 1 "$COLD_RUNS"); do
  measure real ours "$run" "$real_site" "$ours_bin" build --root "$repo" --output "$real_site" \
    --base-url https://example.github.io/httpcodes/
done

serve_line="not measured (node missing)"
if [[ $have_node == yes ]]; then
  say "serve: save → reload, $SERVE_RUNS runs"
  serve_output=$(bench/serve-reload.sh "$SERVE_RUNS" 2>&1) || true
  serve_line=$(grep -m1 '^median' <<<"$serve_output" || echo "not measured: $(tail -n 1 <<<"$serve_output")")
fi

# --- Search in the browser ---------------------------------------------------
search_sites=("$real_site")
[[ -d $work/site-10000 ]] && search_sites+=("$work/site-10000")
search_lines=""
if [[ $have_node == no ]]; then
  search_note="search: not measured (node missing)"
elif ! grep -q 'RESULT' tests/browser/bench-search.mjs; then
  search_note="search: not measured (bench-search.mjs gave no RESULT line)"
else
  say "search: bench-search.mjs on ${search_sites[*]}"
  search_lines=$(SITE_DIR="$real_site" node tests/browser/bench-search.mjs "${search_sites[@]}" 2>&1 |
    tee "$work/search.txt" | grep '^RESULT ' || true)
  search_note=""
  [[ -n $search_lines ]] || search_note="search: not measured (bench-search.mjs gave no RESULT line)"
fi

# --- The report --------------------------------------------------------------
say "report"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
echo "Machine: $(nproc) cores; load average (1, 5, 15 min) $load_before at the start, $load_after at the end."
echo
WORK=$work RESULTS=$results OUTPUTS=$work/outputs.tsv SERVE_LINE=$serve_line SEARCH_LINES=$search_lines \
  SEARCH_NOTE=$search_note python3 - "${search_sites[@]}" <<'PY'
import gzip, json, os, re, statistics, sys
from collections import defaultdict
from pathlib import Path

rows = defaultdict(lambda: defaultdict(list))  # size -> tool -> [(wall, kib, cpu)]
for line in open(os.environ["RESULTS"]):
    size, tool, _run, wall, kib, cpu = line.rstrip("\n").split("\t")
    rows[size][tool].append((float(wall), int(kib), float(cpu)))
outputs = {}
for line in open(os.environ["OUTPUTS"]):
    size, tool, files, kib = line.rstrip("\n").split("\t")
    outputs[size, tool] = (int(files), int(kib))

def median_wall(size, tool):
    return statistics.median(run[0] for run in rows[size][tool])

def median_mib(size, tool):
    return statistics.median(run[1] for run in rows[size][tool]) / 1024

def median_cpu(size, tool):
    return statistics.median(run[2] for run in rows[size][tool])

def fastest(size, tool):
    return min(run[0] for run in rows[size][tool])

sizes = [size for size in rows if size != "real"]
real_pages = None
print("## Generated sites (median of", len(rows[sizes[0]]["ours"]) if sizes else 0, "alternating runs)\n")
print("| guides | pages | ours | Hugo | ours/Hugo | ours pages/s | Hugo pages/s | ours peak | Hugo peak | peak ours/Hugo | cp -r | ours/cp |")
print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for size in sizes:
    pages = sum(1 for _ in Path(os.environ["WORK"], f"corpus-{size}/httpcodes/content").rglob("*.md"))
    ours, hugo, copy = (median_wall(size, tool) for tool in ("ours", "hugo", "cp"))
    ours_mib, hugo_mib = median_mib(size, "ours"), median_mib(size, "hugo")
    print(f"| {int(size):,} | {pages:,} | {ours:.2f} s | {hugo:.2f} s | {ours / hugo:.2f} | {pages / ours:,.0f} | {pages / hugo:,.0f} "
          f"| {ours_mib:.0f} MiB | {hugo_mib:.0f} MiB | {ours_mib / hugo_mib:.2f} | {copy:.2f} s | {ours / copy:.2f} |")
print("\nPages per second: every Markdown page built (the generated guides plus the real content).")
print("\nOn a shared machine wall times vary with the load; CPU time (user + system) and the fastest run vary less:\n")
print("| guides | ours CPU | Hugo CPU | CPU ours/Hugo | ours fastest | Hugo fastest | cp -r fastest | fastest ours/Hugo | fastest ours/cp |")
print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for size in sizes:
    ours_cpu, hugo_cpu = median_cpu(size, "ours"), median_cpu(size, "hugo")
    ours, hugo, copy = (fastest(size, tool) for tool in ("ours", "hugo", "cp"))
    print(f"| {int(size):,} | {ours_cpu:.2f} s | {hugo_cpu:.2f} s | {ours_cpu / hugo_cpu:.2f} | {ours:.2f} s | {hugo:.2f} s "
          f"| {copy:.2f} s | {ours / hugo:.2f} | {ours / copy:.2f} |")
print("\n| guides | ours: files, size | Hugo: files, size |")
print("| ---: | --- | --- |")
for size in sizes:
    cells = [f"{outputs[size, tool][0]:,} files, {outputs[size, tool][1] / 1024:.0f} MiB" for tool in ("ours", "hugo")]
    print(f"| {int(size):,} | {cells[0]} | {cells[1]} |")
if "10000" in rows and "50000" in rows:
    print(f"\n50,000 against 10,000 (ours): time × {median_wall('50000', 'ours') / median_wall('10000', 'ours'):.2f}, "
          f"peak memory × {median_mib('50000', 'ours') / median_mib('10000', 'ours'):.2f}")

real = rows["real"]["ours"]
walls = sorted(run[0] for run in real)
print(f"\n## Real site\n\nCold build, process start included: median {statistics.median(walls) * 1000:.0f} ms "
      f"(min {walls[0] * 1000:.0f}, max {walls[-1] * 1000:.0f}) over {len(walls)} runs, "
      f"peak {statistics.median(run[1] for run in real) / 1024:.0f} MiB, "
      f"CPU {statistics.median(run[2] for run in real) * 1000:.0f} ms.\n")
print(f"serve, save → reload: {os.environ['SERVE_LINE']}\n")

def gz(data):
    return len(gzip.compress(data, compresslevel=9))

def weights(site):
    site = Path(site)
    cache = {}
    def asset_gz(page, ref):
        target = (page.parent / ref.split("#")[0].split("?")[0]).resolve()
        if target not in cache:
            cache[target] = gz(target.read_bytes()) if target.is_file() else 0
        return cache[target]
    largest = (0, None, 0, 0)
    read_all = 0
    scripts = (0, None)
    for page in site.rglob("*.html"):
        html = page.read_bytes()
        text = html.decode("utf-8", "replace")
        css = sum(asset_gz(page, ref) for ref in re.findall(r'<link rel="stylesheet" href="([^"]+)"', text))
        js = sum(asset_gz(page, ref) for ref in re.findall(r'<script[^>]* src="([^"]+)"', text))
        html_gz = gz(html)
        if page.relative_to(site).as_posix() == "all/index.html":
            read_all = html_gz + css
        elif html_gz + css > largest[0]:
            largest = (html_gz + css, page.relative_to(site), html_gz, css)
        if js > scripts[0]:
            scripts = (js, page.relative_to(site))
    index = [f for f in [site / "search-index.json", *(site / "search").glob("*")] if f.is_file()]
    raw = sum(f.stat().st_size for f in index)
    packed = sum(gz(f.read_bytes()) for f in index)
    return largest, read_all, scripts, len(index), raw, packed

print("## Page weight (gzip -9 via Python's gzip module)\n")
print("| site | largest page: HTML + CSS gzipped | read-all page (all/): HTML + CSS gzipped | scripts a page loads, gzipped | search index (search-index.json + search/): files, raw, gzipped |")
print("| --- | --- | --- | --- | --- |")
for site in sys.argv[1:]:
    (total, page, html_gz, css), read_all, (js, js_page), count, raw, packed = weights(site)
    name = "real" if site.endswith("site-real") else Path(site).name
    print(f"| {name} | {total / 1024:.1f} KiB ({page}: {html_gz / 1024:.1f} + {css / 1024:.1f}) "
          f"| {read_all / 1024:.1f} KiB | {js / 1024:.1f} KiB ({js_page}) | {count} files: {raw / 1024:,.0f} KiB, {packed / 1024:,.0f} KiB |")

print("\n## Search (tests/browser/bench-search.mjs)\n")
lines = [line for line in os.environ["SEARCH_LINES"].splitlines() if line.startswith("RESULT ")]
if not lines:
    print(os.environ["SEARCH_NOTE"])
else:
    results = [json.loads(line[len("RESULT "):]) for line in lines]
    keys = list(dict.fromkeys(key for result in results for key in result))
    print("| | " + " | ".join(str(result.get("site", "?")) for result in results) + " |")
    print("| --- |" + " --- |" * len(results))
    for key in keys:
        print(f"| {key} | " + " | ".join(str(result.get(key, "")) for result in results) + " |")
PY
