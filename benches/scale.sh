#!/usr/bin/env bash
# Benchmark: the whole `repgap run` at scale, in one go.
#
# What it measures, on seeded synthetic inputs of 1,000,000 staff (examples/generate_demo.rs) and
# 200,000 survey respondents (the demo survey copied and resampled by benches/scale_inputs.py):
#   (a) `repgap run` on the demo config (datasets/demo/repgap.toml: every section, with the
#       workforce and survey files swapped for the generated ones) - the full pipeline;
#   (b) a bare read: polars reading both CSV files in full and nothing else
#       (benches/read_polars.py) - the floor the full run is compared with;
#   (c) `repgap run` on the deep-dive config of benches/deep_dive.sh (representation at the high
#       level overall and by grade, seniority by grade, pay gap) against the same work in pandas,
#       scipy and statsmodels (benches/baseline_deep_dive.py).
# Wall time is the median of hyperfine's runs (--export-json); peak RSS is the median of as many
# separate runs under GNU time (/usr/bin/time -f %M). It prints a markdown table of both, the
# ratio of the full run to the bare read and the speed-up of repgap over pandas, with the
# project's targets, on stdout; progress goes to stderr.
#
# Needs: cargo; hyperfine (Debian package `hyperfine`); GNU time at /usr/bin/time (Debian package
# `time`); python3 with polars, pandas, scipy and statsmodels (PyPI). It installs nothing: when a
# tool is missing it says how to install it and exits with status 2.
#
# Settings (environment variables):
#   STAFF=1000000 RESPONDENTS=200000   input sizes (smaller for a quick check)
#   RUNS=5 WARMUP=1                    hyperfine runs and warm-ups per job
#   RSS_RUNS=$RUNS                     separate runs under /usr/bin/time per job
#   BUILD=release                      cargo profile for repgap and the generator: release or debug
#   REPGAP=<target dir>/$BUILD/repgap  the binary to time; when set, the script does not build it
#   KEEP=1                             keep the temporary folder (inputs, configs, outputs, JSON)
#
#   benches/scale.sh                                                 # the real measurement
#   STAFF=2000 RESPONDENTS=3000 RUNS=2 BUILD=debug benches/scale.sh  # a quick check
set -euo pipefail

STAFF=${STAFF:-1000000}
RESPONDENTS=${RESPONDENTS:-200000}
RUNS=${RUNS:-5}
WARMUP=${WARMUP:-1}
RSS_RUNS=${RSS_RUNS:-$RUNS}
BUILD=${BUILD:-release}
KEEP=${KEEP:-0}

case $BUILD in
  release) profile=(--release) ;;
  debug) profile=() ;;
  *) echo "BUILD must be release or debug, not '$BUILD'" >&2; exit 2 ;;
esac
for v in STAFF RESPONDENTS RUNS RSS_RUNS; do
  [[ ${!v} =~ ^[1-9][0-9]*$ ]] || { echo "$v must be a positive whole number" >&2; exit 2; }
done
[[ $WARMUP =~ ^[0-9]+$ ]] || { echo "WARMUP must be a whole number" >&2; exit 2; }

# Paths given relative to the folder the script is run from are made absolute before moving.
absolute() { if [[ $1 = /* ]]; then printf '%s\n' "$1"; else printf '%s\n' "$PWD/$1"; fi; }
target_dir=$(absolute "${CARGO_TARGET_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/target}")
[[ -n ${CARGO_TARGET_DIR:-} ]] && export CARGO_TARGET_DIR=$target_dir
[[ -n ${REPGAP:-} ]] && REPGAP=$(absolute "$REPGAP")
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD

# --- Tools: say what is missing and how to get it; install nothing. ---
missing=()
command -v cargo > /dev/null || missing+=("cargo: https://rustup.rs")
command -v hyperfine > /dev/null ||
  missing+=("hyperfine: sudo apt-get install hyperfine   (or: cargo install hyperfine)")
if ! [[ -x /usr/bin/time ]] || ! /usr/bin/time -f %M -o /dev/null true 2> /dev/null; then
  missing+=("GNU time at /usr/bin/time: sudo apt-get install time")
fi
if ! command -v python3 > /dev/null; then
  missing+=("python3: sudo apt-get install python3 python3-pip")
else
  for module in polars pandas scipy statsmodels; do
    python3 -c "import $module" 2> /dev/null ||
      missing+=("python module $module: python3 -m pip install $module")
  done
fi
if ((${#missing[@]})); then
  echo "benches/scale.sh needs tools that are not installed:" >&2
  printf '  %s\n' "${missing[@]}" >&2
  exit 2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/repgap-scale.XXXXXX")
if [[ $KEEP == 1 ]]; then
  echo "keeping $work" >&2
else
  trap 'rm -rf "$work"' EXIT
fi
demo=$root/datasets/demo
census=$root/datasets/census/census2021-ethnic-group-rushmoor-and-neighbours.csv
export SOURCE_DATE_EPOCH=1774915200

# --- The binary. ---
if [[ -z ${REPGAP:-} ]]; then
  echo "building repgap ($BUILD)" >&2
  cargo build "${profile[@]}" --quiet --bin repgap
  REPGAP=$target_dir/$BUILD/repgap
fi
[[ -x $REPGAP ]] || { echo "no repgap binary at $REPGAP" >&2; exit 2; }

# --- 1. Inputs, seeded: the same sizes always give the same files. ---
workforce=$work/workforce-$STAFF.csv
survey=$work/survey-$RESPONDENTS.csv
cargo run "${profile[@]}" --quiet --example generate_demo -- "$workforce" "$STAFF"
python3 benches/scale_inputs.py "$demo/survey-synthetic.csv" "$survey" "$RESPONDENTS"

# --- 2. Configs, with absolute paths everywhere. ---
# The full run: the demo config line for line, except the workforce and survey files (the
# generated ones), output_dir (in $work) and every other file made absolute (recruitment, trends,
# survey margins and the register stay the demo files; the census file stays the demo's).
awk -v demo="$demo" -v workforce="$workforce" -v survey="$survey" -v out="$work/out-full" '
  function absolute(p,   d) {
    if (p ~ /^\//) return p
    d = demo
    sub(/^\.\//, "", p)
    while (p ~ /^\.\.\//) { sub(/^\.\.\//, "", p); sub(/\/[^\/]*$/, "", d) }
    return d "/" p
  }
  /^[ \t]*\[/ { section = $0; gsub(/^[ \t]*\[+|\]+.*$/, "", section) }
  /^output_dir *=/ { print "output_dir = \"" out "\""; next }
  /^(file|margins|mapping) *=/ && match($0, /"[^"]*"/) {
    key = $0; sub(/ *=.*/, "", key)
    value = substr($0, RSTART + 1, RLENGTH - 2)
    rest = substr($0, RSTART + RLENGTH)
    if (key == "file" && section == "workforce") value = workforce
    else if (key == "file" && section == "survey") value = survey
    else value = absolute(value)
    print key " = \"" value "\"" rest
    next
  }
  { print }' "$demo/repgap.toml" > "$work/full.toml"
grep -qxF "file = \"$workforce\"" "$work/full.toml" && grep -qxF "file = \"$survey\"" "$work/full.toml" ||
  { echo "could not rewrite $demo/repgap.toml for the generated inputs" >&2; exit 1; }

# The deep dive: the config benches/deep_dive.sh writes.
cat > "$work/deep-dive.toml" << TOML
output_dir = "$work/out-deep"

[census]
file = "$census"
areas = ["E07000092"]

[workforce]
file = "$workforce"
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

# --- 3. Timing. Each job is a name and a command line. ---
names=(full read deep pandas)
full=("$REPGAP" run "$work/full.toml")
read=(python3 "$root/benches/read_polars.py" "$workforce" "$survey")
deep=("$REPGAP" run "$work/deep-dive.toml")
pandas=(python3 "$root/benches/baseline_deep_dive.py" "$workforce" "$census" E07000092 "$work/out-pandas")

hyperfine_args=()
for name in "${names[@]}"; do
  declare -n cmd=$name
  hyperfine_args+=(-n "$name" "$(printf '%q ' "${cmd[@]}")")
  unset -n cmd
done
echo "timing: $RUNS runs and $WARMUP warm-up(s) per job" >&2
hyperfine --warmup "$WARMUP" --runs "$RUNS" --export-json "$work/wall.json" "${hyperfine_args[@]}" >&2

echo "peak RSS: $RSS_RUNS separate runs per job under /usr/bin/time" >&2
for name in "${names[@]}"; do
  declare -n cmd=$name
  for ((i = 1; i <= RSS_RUNS; i++)); do
    if ! /usr/bin/time -f %M -o "$work/rss-$name-$i.txt" "${cmd[@]}" > /dev/null 2> "$work/stderr.txt"; then
      cat "$work/stderr.txt" >&2
      echo "failed: ${cmd[*]}" >&2
      exit 1
    fi
  done
  unset -n cmd
done

# --- 4. The table. ---
cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2> /dev/null || true)
python3 - "$work" "$STAFF" "$RESPONDENTS" "$RUNS" "$WARMUP" "$RSS_RUNS" "$BUILD" "$(nproc)" "${cpu:-unknown CPU}" << 'PY'
import json
import statistics
import sys
from pathlib import Path

work, staff, respondents, runs, warmup, rss_runs, build, cores, cpu = sys.argv[1:]
work = Path(work)
wall = {r["command"]: statistics.median(r["times"]) for r in json.loads((work / "wall.json").read_text())["results"]}


def rss(name):
    """Median peak RSS in MiB (GNU time's %M is in KiB); the last line of the file is the figure."""
    values = [int(p.read_text().split()[-1]) for p in sorted(work.glob(f"rss-{name}-*.txt"))]
    return statistics.median(values) / 1024


jobs = [
    ("full", f"repgap run: full pipeline ({int(staff):,} staff, {int(respondents):,} respondents)"),
    ("read", "polars: bare read of both CSV files (pl.read_csv)"),
    ("deep", f"repgap run: deep dive ({int(staff):,} staff)"),
    ("pandas", f"pandas + scipy + statsmodels baseline: deep dive ({int(staff):,} staff)"),
]
print(f"## repgap at scale: {int(staff):,} staff, {int(respondents):,} survey respondents\n")
print(f"{cores} cores ({cpu}); repgap {build} build; wall: median of {runs} hyperfine runs after "
      f"{warmup} warm-up(s); peak RSS: median of {rss_runs} runs under /usr/bin/time.\n")
print("| job | median wall (s) | peak RSS (MiB) |")
print("|---|---:|---:|")
for name, label in jobs:
    print(f"| {label} | {wall[name]:.3f} | {rss(name):,.0f} |")

over_read = wall["full"] / wall["read"]
speed_up = wall["pandas"] / wall["deep"]
checks = [
    ("full pipeline, median wall", f"{wall['full']:.3f} s", "≤ 1.5 s", wall["full"] <= 1.5),
    ("full pipeline, peak RSS", f"{rss('full'):,.0f} MiB", "≤ 1,024 MiB", rss("full") <= 1024),
    ("full repgap run ÷ bare polars read", f"{over_read:.2f}×", "≤ 2×", over_read <= 2),
    ("pandas baseline ÷ repgap deep dive (speed-up)", f"{speed_up:.2f}×", "≥ 5×", speed_up >= 5),
]
print("\n| measure | value | target | met |")
print("|---|---:|---:|:---:|")
for measure, value, target, met in checks:
    print(f"| {measure} | {value} | {target} | {'yes' if met else 'no'} |")
if (int(staff), int(respondents)) != (1_000_000, 200_000):
    print("\nThe targets are for 1,000,000 staff and 200,000 respondents on the project's 2-core "
          "machine with a release build; at other sizes they are only indicative.")
PY
