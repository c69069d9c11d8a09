#!/usr/bin/env bash
# Benchmark: the workforce deep dive of `repgap run` (release build) against the pandas/scipy
# baseline (benches/baseline_deep_dive.py) on synthetic workforces of 420, 20,000 and 200,000
# staff: representation at the high level (overall and by grade), seniority by grade with a
# trend test, the ethnicity pay gap and pay quarters. repgap also renders the evidence annex and
# its charts (PNG and SVG); the baseline writes CSVs only.
# Needs: hyperfine (Debian package), pandas, scipy, statsmodels (PyPI).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
work=$(mktemp -d)
census=$PWD/datasets/census/census2021-ethnic-group-rushmoor-and-neighbours.csv
export SOURCE_DATE_EPOCH=1774915200
for n in 420 20000 200000; do
  cargo run --quiet --example generate_demo -- "$work/wf-$n.csv" "$n" 2>/dev/null
  cat > "$work/deep-dive-$n.toml" <<TOML
[census]
file = "$census"
areas = ["E07000092"]

[workforce]
file = "$work/wf-$n.csv"
id_column = "employee_id"

[representation]
levels = ["high"]
by = ["grade"]

[representation.order]
grade = ["Grade 1", "Grade 2", "Grade 3", "Grade 4", "Grade 5", "Grade 6", "Grade 7", "Grade 8", "Chief Officer"]

[seniority]
column = "grade"

[pay_gap]
hourly_pay_column = "hourly_pay"
full_pay_relevant_column = "full_pay_relevant"
bonus_column = "bonus_12m"
TOML
  hyperfine --warmup 1 --runs "${RUNS:-5}" --export-markdown "$work/bench-$n.md" \
    -n "repgap run ($n staff)" \
    "target/release/repgap run $work/deep-dive-$n.toml --output-dir $work/out > /dev/null" \
    -n "pandas+scipy baseline ($n staff)" \
    "python3 benches/baseline_deep_dive.py $work/wf-$n.csv $census E07000092 $work/base"
  cat "$work/bench-$n.md"
done
rm -rf "$work"
