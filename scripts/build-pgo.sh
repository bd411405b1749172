#!/usr/bin/env bash
# Builds wirecheck with profile-guided optimisation (PGO) into target/pgo/release/:
#
#   scripts/build-pgo.sh          (prints the binary's path last)
#
# 1. builds a binary that counts which branches and calls it takes;
# 2. runs it on training text: the wires and briefs of ../shared/corpus (when present;
#    else data/samples), and 10 MB corpora made from them by make_bench_corpus with
#    another seed than the benchmark's (the benchmark does not measure its own training
#    text), in every report format, on one core and on all;
# 3. merges the counts and builds the release binary with them: the compiler lays the
#    code out for the paths taken and inlines the calls made.
# The same output as `cargo build --release`, a little faster (README, Speed). Needs
# the toolchain's llvm-profdata: `rustup component add llvm-tools`. The profile is made
# anew on each build, never stale; it costs two release builds (about 7 minutes here).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
sysroot=$(rustc --print sysroot)
host=$(rustc -vV | sed -n 's/^host: //p')
profdata=$sysroot/lib/rustlib/$host/bin/llvm-profdata
if [ ! -x "$profdata" ]; then
  echo "build-pgo: $profdata is missing (it must be the toolchain's own LLVM):" >&2
  echo "  rustup component add llvm-tools" >&2
  exit 3
fi
profiles=$root/target/pgo-profiles
rm -rf "$profiles"
mkdir -p "$profiles"

echo "build-pgo: 1/3 instrumented build" >&2
RUSTFLAGS="${RUSTFLAGS:-} -Cprofile-generate=$profiles" \
  cargo build --release --quiet --bin wirecheck --target-dir target/pgo-instrumented
cargo build --release --quiet --example make_bench_corpus

echo "build-pgo: 2/3 training" >&2
# A run of the instrumented binary: exit code 1 (findings) is the usual outcome.
train() {
  local code=0
  target/pgo-instrumented/release/wirecheck "$@" > /dev/null || code=$?
  if [ "$code" -gt 1 ]; then
    echo "build-pgo: training run failed (exit code $code): wirecheck $*" >&2
    exit 1
  fi
}
corpora=()
for c in ../shared/corpus/dev ../shared/corpus/human; do
  [ -d "$c" ] && corpora+=("$c")
done
[ ${#corpora[@]} -gt 0 ] || corpora=(data/samples)
generated=target/pgo-training
rm -rf "$generated"
mkdir -p "$generated"
i=0
for c in "${corpora[@]}"; do
  i=$((i + 1))
  ./target/release/examples/make_bench_corpus "$c" "$generated/corpus-$i" 10 7 > /dev/null
  train --jobs 1 --format findings-csv "$generated/corpus-$i"
  train --format findings-csv "$generated/corpus-$i"
  train --jobs 1 --format json "$generated/corpus-$i.txt"
done
for format in text json csv findings-csv sarif github; do
  train --format "$format" "${corpora[@]}" data/samples
done
rm -rf "$generated"

echo "build-pgo: 3/3 optimised build" >&2
"$profdata" merge -o "$profiles/merged.profdata" "$profiles"/*.profraw
RUSTFLAGS="${RUSTFLAGS:-} -Cprofile-use=$profiles/merged.profdata" \
  cargo build --release --quiet --bin wirecheck --target-dir target/pgo
echo "target/pgo/release/wirecheck"
