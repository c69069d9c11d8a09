#!/usr/bin/env bash
# Benchmark: `repgap representation` (release build) against the pandas/scipy baseline
# (benches/baseline_representation.py) on synthetic workforces of 420, 20,000 and 200,000 staff.
# Needs: hyperfine (Debian package), pandas, scipy, statsmodels (PyPI).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
work=$(mktemp -d)
census=datasets/census/census2021-ethnic-group-rushmoor-and-neighbours.csv
for n in 420 20000 200000; do
  cargo run --quiet --example generate_demo -- "$work/wf-$n.csv" "$n" 2>/dev/null
  hyperfine --warmup 2 --runs "${RUNS:-10}" --export-markdown "$work/bench-$n.md" \
    -n "repgap ($n staff)" \
    "target/release/repgap representation --census $census --area E07000092 --workforce $work/wf-$n.csv --level high,detailed --format csv --output $work/out.csv" \
    -n "pandas+scipy baseline ($n staff)" \
    "python3 benches/baseline_representation.py $work/wf-$n.csv $census E07000092 > $work/base.csv"
  cat "$work/bench-$n.md"
done
rm -rf "$work"
