#!/usr/bin/env bash
# Throughput and memory of the whole pipeline, next to baselines measured in the same run.
#
#   scripts/bench.sh [SIZE_MB] [--pgo]       (default 100)
#
# Builds a SIZE_MB corpus from ../shared/corpus/dev (the machine-translated wires:
# paragraphs shuffled, names and numbers substituted) and, if present, one from
# ../shared/corpus/human (human-written briefs: clean copy), then measures, on this
# machine:
#   - on each corpus: wirecheck, every rule, findings CSV to /dev/null, on one core
#     (pinned with taskset) and on all cores; `wc -w` on the same text (the floor of
#     reading and tokenising); Grammalecte (grammalecte-cli -j) on a 1 MB slice, if
#     installed (apt-get install grammalecte-cli);
#   - on the wires: one core again with `--lang fr` (no per-document language vote);
#     peak RSS (GNU time), also on one large file against eight of them
#     (memory must not grow with the number of inputs), start-up on one small file, and
#     throughput on one 10 MB document, next to the corpus of small files.
# With --pgo, the binary of scripts/build-pgo.sh (profile-guided optimisation) is built
# too and measured beside the plain release build, in a row of its own.
set -euo pipefail
cd "$(dirname "$0")/.."
size=100 pgo=0
for arg in "$@"; do
  case $arg in
    --pgo) pgo=1 ;;
    *) size=$arg ;;
  esac
done
# The corpus goes to memory (tmpfs) when there is room: on a disk, idle page cache may be
# paged out between runs (this machine's kernel runs a DAMON reclaimer), and a run then
# waits on the disk, which is not what is measured. BENCH_DIR chooses another place.
shm_free_mb=$(df -Pm /dev/shm 2>/dev/null | awk 'NR == 2 { print $4 }')
if [ -z "${BENCH_DIR:-}" ] && [ -w /dev/shm ] && [ "${shm_free_mb:-0}" -gt $((size * 4)) ]; then
  work=/dev/shm/wirecheck-bench
else
  work=${BENCH_DIR:-target/bench}
fi
corpus=../shared/corpus/dev
[ -d "$corpus" ] || { echo "bench: $corpus is absent" >&2; exit 2; }
cargo build --release --quiet --bin wirecheck --example make_bench_corpus
# The binaries measured: the plain release build, and the PGO one if asked for.
builds=(./target/release/wirecheck)
if [ "$pgo" = 1 ]; then
  builds+=("$(scripts/build-pgo.sh)")
fi
build_label() { case $1 in *pgo*) echo ", PGO build" ;; esac; }
mkdir -p "$work"
cores=$(nproc)
cpu=$(grep -m 1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | sed 's/^ *//')
echo "machine: ${cpu:-unknown processor}, $cores cores; corpus in $work"

# seconds and peak KB of a command, best of 3 runs
measure() {
  local best="" rss=0
  for _ in 1 2 3; do
    /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" > /dev/null 2>&1 || true
    read -r t m < <(tail -n 1 "$work/time.txt")
    if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
    [ "$m" -gt "$rss" ] && rss=$m
  done
  echo "$best $rss"
}
mbps() { awk -v b="$1" -v t="$2" 'BEGIN{ if (t <= 0) t = 0.001; printf "%.3g", b / 1048576 / t }'; }

# One core is one core: the single-thread run is pinned to CPU 0 (taskset), so that
# nothing it starts (with --jobs 1 it checks and prints on one thread) can borrow another.
pin=(); command -v taskset > /dev/null && pin=(taskset -c 0)

# Builds a corpus from the texts of folder $1 into $work/$2 (and $work/$2.txt), measures
# the baselines on it once, then each binary of `builds`, and prints a row of the table
# per binary, labelled $3; leaves the first binary's one-core MB/s in `one`.
row() {
  local dir=$work/$2 bytes tw tg wc gram t1 m1 tn mn first=1 label bin one_b all ratio_g
  rm -rf "$dir" "$dir.txt"
  ./target/release/examples/make_bench_corpus "$1" "$dir" "$size" > /dev/null
  bytes=$(stat -c %s "$dir.txt")
  read -r tw _ < <(measure wc -w "$dir.txt")
  wc=$(mbps "$bytes" "$tw")
  gram="n/a"
  if command -v grammalecte-cli > /dev/null; then
    head -c 1048576 "$dir.txt" > "$work/slice.txt"
    read -r tg _ < <(/usr/bin/time -f "%e %M" -o "$work/time.txt" grammalecte-cli -f "$work/slice.txt" -j > /dev/null 2>&1; tail -n 1 "$work/time.txt")
    gram=$(mbps 1048576 "$tg")
  fi
  for bin in "${builds[@]}"; do
    label=$(build_label "$bin")
    read -r t1 m1 < <(measure "${pin[@]}" "$bin" --jobs 1 --format findings-csv "$dir")
    read -r tn mn < <(measure "$bin" --jobs "$cores" --format findings-csv "$dir")
    one_b=$(mbps "$bytes" "$t1"); all=$(mbps "$bytes" "$tn")
    [ "$first" = 1 ] && one=$one_b && first=0
    ratio_g="n/a"
    [ "$gram" != "n/a" ] && ratio_g=$(awk -v a="$one_b" -v g="$gram" 'BEGIN{printf "%.0fx", a / g}')
    printf '| %s MB, %s files (%s%s) | %s MB/s | %s MB/s (%.2fx) | %s / %s MB | %s MB/s | %s MB/s | %s | %s |\n' \
      "$(awk -v b="$bytes" 'BEGIN{printf "%.0f", b/1048576}')" "$(ls "$dir" | wc -l)" "$3" "$label" \
      "$one_b" "$all" "$(awk -v a="$all" -v o="$one_b" 'BEGIN{print a/o}')" "$((m1 / 1024))" "$((mn / 1024))" \
      "$wc" "$gram" "$(awk -v a="$one_b" -v w="$wc" 'BEGIN{printf "%.3fx", a / w}')" "$ratio_g"
  done
}

printf '\n| corpus | wirecheck 1 core | wirecheck %s cores | peak RSS (1 / %s cores) | wc -w | Grammalecte (1 MB) | vs wc -w | vs Grammalecte |\n' "$cores" "$cores"
printf '|---|---|---|---|---|---|---|---|\n'
# Human-written briefs first (clean copy: few findings, longer stories), then the
# machine-translated wires: the benchmark's own row, whose corpus the rest reuses.
if [ -d ../shared/corpus/human ]; then
  row ../shared/corpus/human human "human briefs"
  rm -rf "$work/human" "$work/human.txt"
fi
row "$corpus" corpus "MT wires"

# A feed whose language is known can name it (`--lang fr`): no vote of marker words at
# the start of each document then. Same corpus, plain build, one core.
read -r tf _ < <(measure "${pin[@]}" ./target/release/wirecheck --lang fr --jobs 1 --format findings-csv "$work/corpus")
printf '\nthe wires on one core with --lang fr (no language vote): %s MB/s (with auto: %s MB/s)\n' \
  "$(mbps "$(stat -c %s "$work/corpus.txt")" "$tf")" "$one"

# start-up on one small file (a clean one, and the artefact-laden seed, whose findings
# compile more of the rules' regexes): hyperfine's mean over 100 runs when installed
# (apt-get install hyperfine), else the mean of 20 runs from this shell (which adds the
# cost of its own fork and exec).
startup_ms() {
  local cmd="./target/release/wirecheck --format findings-csv $1"
  if command -v hyperfine > /dev/null; then
    hyperfine -N -i -w 5 -r 100 --export-json "$work/startup.json" "$cmd" > /dev/null 2>&1
    grep -o '"mean": *[0-9.e-]*' "$work/startup.json" | head -n 1 |
      awk '{ printf "%.1f", $2 * 1000 }'
  else
    local start
    start=$(date +%s%N)
    for _ in $(seq 20); do $cmd > /dev/null || true; done
    echo $(( ($(date +%s%N) - start) / 20000000 ))
  fi
}

printf '\nstart-up on one small file: %s ms clean (tests/fixtures/clean.txt), %s ms on the seed wire\n' \
  "$(startup_ms tests/fixtures/clean.txt)" "$(startup_ms data/samples/fr-seed.txt)"

# Peak memory on large documents: one 10 MB file, then eight of them in one folder.
rm -rf "$work/large"
mkdir -p "$work/large"
head -c 10000000 "$work/corpus.txt" > "$work/large/story-1.txt"
for i in 2 3 4 5 6 7 8; do cp "$work/large/story-1.txt" "$work/large/story-$i.txt"; done
rss_mb() {
  /usr/bin/time -f "%M" -o "$work/time.txt" "$@" > /dev/null 2>&1 || true
  echo $(( $(tail -n 1 "$work/time.txt") / 1024 ))
}
# A large document must cost what the same bytes cost in small files (no step may grow
# faster than its input).
read -r tl _ < <(measure "${pin[@]}" ./target/release/wirecheck --jobs 1 --format findings-csv "$work/large/story-1.txt")
# (With a corpus under 10 MB, the document is the whole corpus.)
printf 'one 10 MB document on one core: %s MB/s (the corpus of small files: %s MB/s)\n' \
  "$(mbps "$(stat -c %s "$work/large/story-1.txt")" "$tl")" "$one"
for jobs in 1 "$cores"; do
  printf 'peak RSS on 10 MB documents, --jobs %s: %s MB for one, %s MB for eight\n' "$jobs" \
    "$(rss_mb ./target/release/wirecheck --jobs "$jobs" --format findings-csv "$work/large/story-1.txt")" \
    "$(rss_mb ./target/release/wirecheck --jobs "$jobs" --format findings-csv "$work/large")"
done
# A corpus in memory is memory: given back.
if [ "$work" = /dev/shm/wirecheck-bench ]; then rm -rf "$work"; fi
