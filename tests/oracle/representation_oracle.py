"""Independent reference figures for repgap's representation statistics.

Computes, with scipy and statsmodels (not with repgap's code):
  1. stats_cases.csv: Wilson intervals, exact two-sided binomial p-values and a chi-square
     goodness-of-fit test for a grid of cases, used by the Rust unit tests in src/stats.
  2. representation_expected.csv: every figure of the high-level representation table for the
     fixtures tests/fixtures/workforce-small.csv against tests/fixtures/census2021-tidy.csv
     (Rushmoor, E07000092, and Rushmoor + Hart, E07000092 + E07000089), used by the
     integration tests that run the repgap binary.

Re-derive with:
    pip install "scipy==1.17.*" "statsmodels==0.15.*"
    python3 tests/oracle/representation_oracle.py
"""

import csv
import json
import os

from scipy.stats import binomtest, chisquare
from statsmodels.stats.proportion import proportion_confint

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "fixtures")

HIGH = [
    "Asian, Asian British or Asian Welsh",
    "Black, Black British, Black Welsh, Caribbean or African",
    "Mixed or Multiple ethnic groups",
    "White",
    "Other ethnic group",
]

# The fixture's labels, mapped by hand (independently of repgap's classifier).
FIXTURE_LABELS = {
    "White British": "White",
    "White - Any other White background": "White",
    "Indian": HIGH[0],
    "Nepalese": HIGH[0],
    "Black African": HIGH[1],
    "Mixed - White and Asian": HIGH[2],
    "Arab": HIGH[4],
    "Prefer not to say": None,
    "": None,
}


def wilson(x, n, conf):
    return proportion_confint(x, n, alpha=1 - conf, method="wilson")


def stats_cases():
    cases = [
        (42, 149, 0.28, 0.95),
        (7, 50, 0.10, 0.95),
        (0, 20, 0.05, 0.95),
        (20, 20, 0.90, 0.95),
        (3, 386, 0.003, 0.95),
        (23, 386, 0.1055, 0.95),
        (307, 386, 0.7109, 0.95),
        (5, 12, 0.2, 0.90),
        (1, 1000, 0.02, 0.99),
        (150, 300, 0.5, 0.95),
        (61, 200, 0.25, 0.80),
    ]
    rows = []
    for x, n, p, conf in cases:
        lo, hi = wilson(x, n, conf)
        rows.append(
            {
                "x": x,
                "n": n,
                "p": p,
                "confidence": conf,
                "wilson_low": repr(float(lo)),
                "wilson_high": repr(float(hi)),
                "binom_p_value": repr(float(binomtest(x, n, p, alternative="two-sided").pvalue)),
            }
        )
    with open(os.path.join(HERE, "stats_cases.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def census_high(area_codes):
    counts = {h: 0 for h in HIGH}
    with open(os.path.join(FIXTURES, "census2021-tidy.csv")) as f:
        for r in csv.DictReader(f):
            if r["area_code"] in area_codes:
                high = r["ethnic_group"].split(": ")[0]
                counts[high] += int(r["count"])
    return counts


def workforce_high():
    counts = {h: 0 for h in HIGH}
    not_stated = 0
    with open(os.path.join(FIXTURES, "workforce-small.csv")) as f:
        for r in csv.DictReader(f):
            group = FIXTURE_LABELS[r["ethnicity"].strip()]
            if group is None:
                not_stated += 1
            else:
                counts[group] += 1
    return counts, not_stated


def representation_expected():
    staff, not_stated = workforce_high()
    declared = sum(staff.values())
    out = []
    chi = {}
    for comparator, areas in [("E07000092", ["E07000092"]), ("E07000092+E07000089", ["E07000092", "E07000089"])]:
        pop = census_high(areas)
        total = sum(pop.values())
        for h in HIGH:
            x = staff[h]
            share = x / declared
            pshare = pop[h] / total
            lo, hi = wilson(x, declared, 0.95)
            assessment = "under-represented" if hi < pshare else "over-represented" if lo > pshare else "in line"
            out.append(
                {
                    "comparator": comparator,
                    "group": h,
                    "workforce_n": x,
                    "declared_n": declared,
                    "workforce_share": repr(share),
                    "workforce_ci_low": repr(float(lo)),
                    "workforce_ci_high": repr(float(hi)),
                    "population_n": pop[h],
                    "population_share": repr(pshare),
                    "gap_pp": repr((share - pshare) * 100),
                    "ratio": repr(share / pshare),
                    "ratio_ci_low": repr(float(lo) / pshare),
                    "ratio_ci_high": repr(float(hi) / pshare),
                    "p_value": repr(float(binomtest(x, declared, pshare).pvalue)),
                    "assessment": assessment,
                }
            )
        observed = [staff[h] for h in HIGH]
        expected = [declared * pop[h] / total for h in HIGH]
        stat, p = chisquare(observed, expected)
        chi[comparator] = {"statistic": float(stat), "df": len(HIGH) - 1, "p_value": float(p)}
        # With the default threshold of 5, groups of 1-4 staff are withheld, and then the
        # smallest other groups until the withheld groups hold at least 5 between them (else
        # the declared total less the shown groups bounds each of them below 5). The test pools
        # the withheld groups into one category so that it reveals nothing about them.
        hidden = [h for h in HIGH if 1 <= staff[h] < 5]
        while hidden and sum(staff[h] for h in hidden) < 5:
            hidden.append(min((h for h in HIGH if h not in hidden and staff[h] > 0), key=lambda h: staff[h]))
        shown = [h for h in HIGH if h not in hidden]
        pooled_obs = [staff[h] for h in shown] + [sum(staff[h] for h in hidden)]
        pooled_exp = [declared * pop[h] / total for h in shown] + [declared * sum(pop[h] for h in hidden) / total]
        stat, p = chisquare(pooled_obs, pooled_exp)
        chi[comparator + " pooled"] = {"statistic": float(stat), "df": len(pooled_obs) - 1, "p_value": float(p)}
    with open(os.path.join(HERE, "representation_expected.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(out[0].keys()), lineterminator="\n")
        w.writeheader()
        w.writerows(out)
    summary = {
        "headcount": declared + not_stated,
        "not_stated_n": not_stated,
        "declared_n": declared,
        "declaration_rate": declared / (declared + not_stated),
        "chi_square": chi,
    }
    with open(os.path.join(HERE, "representation_expected.json"), "w") as f:
        json.dump(summary, f, indent=2, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    stats_cases()
    representation_expected()
