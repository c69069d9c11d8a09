"""Writes a resident survey of any size for benches/scale.sh from the demo survey.

examples/generate_survey_demo.rs writes a fixed 1,500 respondents. This copies its rows whole as
many times as they fit, then adds a seeded random sample (without replacement) of the demo rows
for the remainder, so every answer, ethnic group, age band and sex of the demo appears once the
size reaches 1,500 and the same arguments always write the same file. Respondent ids are
renumbered S0000001, S0000002, ... so they stay unique.

Usage: python3 benches/scale_inputs.py DEMO_SURVEY.csv OUT.csv RESPONDENTS
Standard library only.
"""

import csv
import random
import sys

SEED = 20_210_321


def main() -> None:
    if len(sys.argv) != 4:
        sys.exit("usage: scale_inputs.py DEMO_SURVEY.csv OUT.csv RESPONDENTS")
    source, dest, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if size < 1:
        sys.exit("RESPONDENTS must be at least 1")
    with open(source, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = list(reader)
    if header[0] != "respondent_id" or not rows:
        sys.exit(f"{source}: expected a respondent_id column first and at least one row")
    copies, rest = divmod(size, len(rows))
    picked = sorted(random.Random(SEED).sample(range(len(rows)), rest))
    width = max(5, len(str(size)))
    with open(dest, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        n = 0
        for indices in [range(len(rows))] * copies + [picked]:
            for i in indices:
                n += 1
                writer.writerow([f"S{n:0{width}d}"] + rows[i][1:])
    print(f"wrote {n} synthetic respondents to {dest}", file=sys.stderr)


if __name__ == "__main__":
    main()
