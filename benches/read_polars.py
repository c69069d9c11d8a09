"""The floor for benches/scale.sh: polars reading the workforce and survey CSV files in full with
pl.read_csv (default options, all cores) and doing nothing else with them. It prints the shape of
each frame, which costs nothing next to the read.

Usage: python3 benches/read_polars.py WORKFORCE.csv SURVEY.csv
Needs: polars (PyPI).
"""

import sys

import polars as pl


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit("usage: read_polars.py WORKFORCE.csv SURVEY.csv")
    for path in sys.argv[1:]:
        frame = pl.read_csv(path)
        print(f"{path}: {frame.height} rows, {frame.width} columns")


if __name__ == "__main__":
    main()
