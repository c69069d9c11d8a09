#!/usr/bin/env bash
# Benchmark: reading Census tables for every comparator. Times `repgap census` (release build)
# on the real tables of every local authority or region: TS021 (19 categories, 331 areas; the
# baseline: the same command by an earlier build, BASELINE=path to that binary, which reads
# only this one), RM038 (gender identity × 8 ethnic categories, 331 areas, summed to residents
# aged 16 and over), DC2101EW (sex × age × ethnic group, 1,587 columns, 16–64), and TS022
# (287 answers rolled up to the 19, 10 districts, with a Nepali group).
# Needs: hyperfine (Debian package) and the public Census files in DATA (default
# ../shared/data; see its README). Settings: RUNS=10.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${DATA:-../shared/data}
RUNS=${RUNS:-10}
cargo build --release --quiet
new=target/release/repgap
ts021="$DATA/census2021-ts021-ltla.csv"
rm038="$DATA/census2021-rm038-gender-identity-by-ethnic-group-ltla-ons-custom.csv"
dc2101="$DATA/census2011-dc2101ew-ethnic-group-by-sex-by-age-regions.csv"
ts022="$DATA/census2021-ts022-detailed-greater-manchester-long.csv"
for f in "$ts021" "$rm038" "$dc2101" "$ts022"; do
  [ -f "$f" ] || { echo "missing $f: set DATA to the folder of public Census files" >&2; exit 1; }
done
nepali='Nepali=Asian, Asian British or Asian Welsh: Nepali (includes Gurkha)|Other ethnic group: Nepali (includes Gurkha)'
commands=(
  "$new census $ts021 --area E07000092 --format csv"
  "$new census $rm038 --area E07000092 --comparator aged-16-plus --format csv"
  "$new census $dc2101 --area E12000008 --comparator working-age --format csv"
  "$new census $ts022 --area E08000001 --group '$nepali' --format csv"
)
[ -n "${BASELINE:-}" ] && commands+=("$BASELINE census $ts021 --area E07000092 --format csv")
hyperfine --warmup 2 --runs "$RUNS" --export-markdown /dev/stdout "${commands[@]}"
