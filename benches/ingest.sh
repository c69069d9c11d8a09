#!/usr/bin/env bash
# Benchmark: reading the files councils really have. Times `repgap representation --by grade`
# (release build) on a seeded synthetic workforce (examples/generate_demo.rs) saved four ways:
# UTF-8 with commas, Windows-1252 with a title row above the header (Excel's "CSV" on a Windows
# PC), UTF-16 with tabs (Excel's "Unicode Text"), and an .xlsx workbook; against a named
# baseline: the same command by an earlier build (BASELINE=path to that binary) on the UTF-8
# file, the only one it reads. Without BASELINE only the current build is timed.
# Needs: hyperfine (Debian package), python3 (and openpyxl from PyPI for the workbook; without
# it the workbook is skipped).
# Settings: STAFF=200000 RUNS=5.
set -euo pipefail
cd "$(dirname "$0")/.."
STAFF=${STAFF:-200000}
cargo build --release --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo run --release --quiet --example generate_demo -- "$work/utf8.csv" "$STAFF" 2>/dev/null
python3 - "$work" <<'PY'
import sys
work = sys.argv[1]
text = open(f"{work}/utf8.csv", encoding="utf-8").read()
title = "Council – Workforce Equality Profile" + "," * (text.split("\n", 1)[0].count(",")) + "\r\n"
open(f"{work}/cp1252.csv", "wb").write((title + text.replace("\n", "\r\n")).encode("cp1252"))
open(f"{work}/utf16.txt", "wb").write(b"\xff\xfe" + text.replace(",", "\t").replace("\n", "\r\n").encode("utf-16-le"))
try:
    import csv, openpyxl
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Staff")
    for row in csv.reader(open(f"{work}/utf8.csv", encoding="utf-8")):
        ws.append(row)
    wb.save(f"{work}/staff.xlsx")
except ImportError:
    print("openpyxl not installed: the workbook is skipped", file=sys.stderr)
PY
census=datasets/census/census2021-ethnic-group-rushmoor-and-neighbours.csv
cmd() { echo "$1 representation --census $census --area E07000092 --workforce $2 --by grade --format csv"; }
new=target/release/repgap
commands=("$(cmd $new "$work/utf8.csv")" "$(cmd $new "$work/cp1252.csv")" "$(cmd $new "$work/utf16.txt")")
[ -f "$work/staff.xlsx" ] && commands+=("$(cmd $new "$work/staff.xlsx")")
[ -n "${BASELINE:-}" ] && commands+=("$(cmd "$BASELINE" "$work/utf8.csv")")
hyperfine -N --warmup 1 --runs "${RUNS:-5}" --output=null "${commands[@]}"
