#!/usr/bin/env bash
# Benchmark: writing what officers use. Times the README's main job, `repgap run` on the bundled
# demo (release build): 25 charts rasterised to PNG at 300 dpi, the annex as HTML, Markdown and
# Word, and every table in tables.xlsx. The baseline is the same command by an earlier build
# (BASELINE=path to that binary; it may write fewer outputs). Prints each run's file sizes.
# Needs: hyperfine (Debian package). Settings: RUNS=10.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-10}
cargo build --release --quiet
new=target/release/repgap
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
export SOURCE_DATE_EPOCH=1774915200
commands=("$new run datasets/demo/repgap.toml --output-dir $out/new")
[ -n "${BASELINE:-}" ] && commands+=("$BASELINE run datasets/demo/repgap.toml --output-dir $out/baseline")
hyperfine --warmup 1 --runs "$RUNS" --export-markdown /dev/stdout "${commands[@]}"
for run in new baseline; do
  [ -d "$out/$run" ] || continue
  echo "$run: $(find "$out/$run" -type f | wc -l) files, $(du -sk "$out/$run" | cut -f1) KB in all;" \
    "charts (PNG) $(cat "$out/$run"/annex/charts/*.png | wc -c) bytes;" \
    "annex.docx $(stat -c %s "$out/$run/annex/annex.docx" 2>/dev/null || echo -) bytes;" \
    "tables.xlsx $(stat -c %s "$out/$run/tables.xlsx" 2>/dev/null || echo -) bytes"
done
