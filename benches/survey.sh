#!/usr/bin/env bash
# Benchmark: `repgap survey` (release build) against the R survey-package baseline
# (benches/baseline_survey.R) on the demo resident survey (1,500 respondents) and a copy ten
# times its size (15,000). Both rake the design weights to ethnic group (Census 2021, Rushmoor),
# age band and sex, then report each question's weighted % positive overall and by ethnic group
# with a logit interval and a design-based t-test. The demo's questions are used with margins
# both sides read alike and no trimming, because R's trimWeights() caps the weights once where
# repgap caps and rakes again: untrimmed, both sides compute the same weights.
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
# The margins R reads: age bands (Census 2021 TS007, Rushmoor, residents aged 16 and over) and
# the demo's sex rows. R scales each margin on its own, so the all-ages ethnic-group table is
# accepted beside them; repgap is told to accept the different totals (margin_tolerance).
{
  echo "variable,category,count"
  printf 'age_band,16-34,26025\nage_band,35-54,28096\nage_band,55-74,19895\nage_band,75+,6857\n'
  grep '^sex,' "$demo/survey-margins.csv"
} > "$work/margins.csv"
for n in 1500 15000; do
  {
    printf '[census]\nfile = "%s"\nareas = ["E07000092"]\n\n' "$census"
    printf '[survey]\nfile = "%s"\nmargins = "%s"\n' "$work/survey-$n.csv" "$work/margins.csv"
    printf 'ethnicity_column = "ethnicity"\nage_column = "age_band"\nsex_column = "sex"\n'
    printf 'weight_column = "design_weight"\nweight_by = ["ethnic_group", "age_band", "sex"]\n'
    printf '\n[survey.raking]\nmargin_tolerance = 0.3\nmin_respondents = 0\n\n'
    # The demo's questions.
    awk '/^\[/ { s = ($0 ~ /^\[\[survey\.questions\]\]/) } s { print }' "$demo/repgap.toml"
  } > "$work/survey-$n.toml"
  hyperfine --warmup 1 --runs "${RUNS:-5}" --export-markdown "$work/bench-$n.md" \
    -n "repgap survey ($n respondents)" \
    "target/release/repgap survey --config $work/survey-$n.toml --format csv --output $work/out.csv" \
    -n "R survey baseline ($n respondents)" \
    "Rscript benches/baseline_survey.R $work/survey-$n.csv $work/margins.csv $census E07000092 $work/base.csv"
  cat "$work/bench-$n.md"
done
# Two waves: the demo survey as configured (weighted by ethnic group, age band, sex and ward,
# with its 2022 wave) against the same without the earlier wave (the named baseline).
awk '/^\[/ { s = ($0 ~ /^\[survey\.previous_wave\]/) } !s { print }' "$demo/repgap.toml" \
  | sed "s|^file = \"\(\.\./[^\"]*\)\"|file = \"$demo/\1\"|; s|^file = \"\([^/.][^\"]*\)\"|file = \"$demo/\1\"|; s|^margins = \"|margins = \"$demo/|" \
  > "$work/one-wave.toml"
hyperfine --warmup 1 --runs "${RUNS:-5}" \
  -n "repgap survey, two waves (1,500 + 1,200)" \
  "target/release/repgap survey --config $demo/repgap.toml --format csv --output $work/out.csv" \
  -n "repgap survey, one wave (1,500)" \
  "target/release/repgap survey --config $work/one-wave.toml --format csv --output $work/out.csv"
rm -rf "$work"
