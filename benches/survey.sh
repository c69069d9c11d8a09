#!/usr/bin/env bash
# Benchmark: `repgap survey` (release build) against the R survey-package baseline
# (benches/baseline_survey.R) on the demo resident survey (1,500 respondents) and a copy ten
# times its size (15,000). Both rake the design weights to ethnic group (Census 2021, Rushmoor),
# age band and sex, then report each question's weighted % positive overall and by ethnic group
# with a logit interval and a design-based t-test. The [survey] section of
# datasets/demo/repgap.toml is used without its `trim` line, because R's trimWeights() caps the
# weights once where repgap caps and rakes again: untrimmed, both sides compute the same weights.
# Needs: hyperfine (Debian package), R with the survey package (Debian: r-cran-survey).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
work=$(mktemp -d)
demo=$PWD/datasets/demo
census=$PWD/datasets/census/census2021-ethnic-group-rushmoor-and-neighbours.csv
cp "$demo/survey-synthetic.csv" "$work/survey-1500.csv"
# Ten copies with new respondent ids (S00001 becomes S0100001, S0200001, ...).
{
  head -n 1 "$demo/survey-synthetic.csv"
  for k in 01 02 03 04 05 06 07 08 09 10; do
    tail -n +2 "$demo/survey-synthetic.csv" | sed "s/^S/S$k/"
  done
} > "$work/survey-15000.csv"
for n in 1500 15000; do
  {
    printf '[census]\nfile = "%s"\nareas = ["E07000092"]\n\n' "$census"
    # The [survey] tables of the demo config, with absolute paths and no trimming.
    awk -v file="$work/survey-$n.csv" -v margins="$demo/survey-margins.csv" '
      /^\[/ { s = ($0 ~ /^\[+survey[].]/) }
      !s || /^trim *=/ { next }
      /^file *=/ { print "file = \"" file "\""; next }
      /^margins *=/ { print "margins = \"" margins "\""; next }
      { print }' "$demo/repgap.toml"
  } > "$work/survey-$n.toml"
  hyperfine --warmup 1 --runs "${RUNS:-5}" --export-markdown "$work/bench-$n.md" \
    -n "repgap survey ($n respondents)" \
    "target/release/repgap survey --config $work/survey-$n.toml --format csv --output $work/out.csv" \
    -n "R survey baseline ($n respondents)" \
    "Rscript benches/baseline_survey.R $work/survey-$n.csv $demo/survey-margins.csv $census E07000092 $work/base.csv"
  cat "$work/bench-$n.md"
done
rm -rf "$work"
