#!/usr/bin/env bash
# Benchmark: what protecting every count of a run together costs. Times `repgap run` (release
# build) on the demo config and on copies of it with the workforce swapped for seeded synthetic
# workforces (examples/generate_demo.rs) of 20,000 staff in 6 departments and the same staff
# spread over 30 departments, against a named baseline: the same runs with an earlier build
# that withheld small counts table by table (BASELINE=path to that binary; without it only the
# current build is timed).
# Needs: hyperfine (Debian package), python3.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
work=$(mktemp -d)
demo=$PWD/datasets/demo
export SOURCE_DATE_EPOCH=1774915200
cargo run --release --quiet --example generate_demo -- "$work/wf-6.csv" 20000 2>/dev/null
python3 - "$work/wf-6.csv" "$work/wf-30.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
for i, row in enumerate(rows):
    row["department"] = f"{row['department']} {i % 5}"
with open(sys.argv[2], "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
    w.writeheader()
    w.writerows(rows)
PY
for d in 6 30; do
  sed -e "s#^file = \"workforce-synthetic.csv\"#file = \"$work/wf-$d.csv\"#" \
      -e "s#\"\\.\\./census/#\"$PWD/datasets/census/#" \
      -e "s#^file = \"\\([a-z-]*\\.csv\\)\"#file = \"$demo/\\1\"#" \
      -e "s#^margins = \"survey-margins.csv\"#margins = \"$demo/survey-margins.csv\"#" \
      "$demo/repgap.toml" > "$work/run-$d.toml"
done
for config in "$demo/repgap.toml" "$work/run-6.toml" "$work/run-30.toml"; do
  commands=("target/release/repgap run $config --output-dir $work/new")
  if [ -n "${BASELINE:-}" ]; then
    commands+=("$BASELINE run $config --output-dir $work/old")
  fi
  hyperfine -N --warmup 1 --runs "${RUNS:-3}" "${commands[@]}"
done
rm -rf "$work"
