"""Independent reference figures for repgap's workforce deep-dive statistics.

Computes, with numpy, scipy and statsmodels (not with repgap's code):
  - workforce_stats_expected.csv, used by the Rust unit tests in src/stats:
    * Cochran-Armitage trend tests. statsmodels' Table.test_ordinal_association is the
      linear-by-linear association test, whose variance uses N - 1; the classic
      Cochran-Armitage statistic (R's prop.trend.test) is its chi-square times N / (N - 1).
      The script checks that against the textbook formula, computed separately with numpy.
    * Newcombe hybrid score intervals for a difference of two independent proportions
      (statsmodels confint_proportions_2indep, method="newcomb").
    * Katz log intervals for relative likelihoods (scipy.stats.contingency.relative_risk).

Re-derive with:
    pip install "scipy==1.17.*" "statsmodels==0.15.*"
    python3 tests/oracle/workforce_oracle.py
"""

import csv
import os

import numpy as np
from scipy.stats import chi2, norm
from scipy.stats.contingency import relative_risk
from statsmodels.stats.contingency_tables import Table
from statsmodels.stats.proportion import confint_proportions_2indep

HERE = os.path.dirname(os.path.abspath(__file__))

TREND_CASES = [
    # successes per ordered group; group sizes; scores
    ([12, 9, 6, 3, 1], [60, 50, 40, 30, 20], [1, 2, 3, 4, 5]),
    ([5, 10, 15], [50, 50, 50], [1, 2, 3]),
    ([8, 8, 8, 8], [40, 35, 30, 25], [0, 1, 2, 3]),
    ([30, 22, 14, 9, 4, 1], [150, 120, 90, 60, 30, 10], [1, 2, 3, 4, 5, 6]),
]

NEWCOMBE_CASES = [
    # x1, n1, x2, n2
    (56, 70, 48, 80),
    (9, 10, 3, 10),
    (38, 386, 31, 402),
    (0, 25, 4, 30),
]

KATZ_CASES = [(10, 75, 12, 225), (40, 200, 10, 100), (14, 60, 41, 300), (7, 19, 52, 240)]


def cochran_armitage_textbook(x, n, s):
    x, n, s = (np.asarray(v, dtype=float) for v in (x, n, s))
    total = n.sum()
    p = x.sum() / total
    t = np.sum(s * (x - n * p))
    var = p * (1 - p) * (np.sum(n * s * s) - np.sum(n * s) ** 2 / total)
    return t / np.sqrt(var)


rows = []
for x, n, s in TREND_CASES:
    z = cochran_armitage_textbook(x, n, s)
    table = np.array([x, [ni - xi for xi, ni in zip(x, n)]]).T
    lbl = Table(table).test_ordinal_association(row_scores=np.array(s, float), col_scores=np.array([1.0, 0.0]))
    total = sum(n)
    chi_sq = lbl.zscore ** 2 * total / (total - 1)
    assert abs(chi_sq - z * z) < 1e-9 * z * z, (chi_sq, z * z)
    rows.append({
        "kind": "trend",
        "inputs": " ".join(f"{xi}/{ni}@{si}" for xi, ni, si in zip(x, n, s)),
        "z": repr(float(z)),
        "chi_square": repr(float(chi_sq)),
        "p_value": repr(float(chi2.sf(chi_sq, 1))),
    })
    assert abs(chi2.sf(chi_sq, 1) - 2 * norm.sf(abs(z))) < 1e-12

for x1, n1, x2, n2 in NEWCOMBE_CASES:
    low, high = confint_proportions_2indep(x1, n1, x2, n2, method="newcomb", compare="diff", alpha=0.05)
    rows.append({
        "kind": "newcombe",
        "inputs": f"{x1}/{n1} {x2}/{n2}",
        "estimate": repr(x1 / n1 - x2 / n2),
        "low": repr(float(low)),
        "high": repr(float(high)),
    })

for a, n1, c, n2 in KATZ_CASES:
    rr = relative_risk(a, n1, c, n2)
    ci = rr.confidence_interval(0.95)
    rows.append({
        "kind": "katz",
        "inputs": f"{a}/{n1} {c}/{n2}",
        "estimate": repr(float(rr.relative_risk)),
        "low": repr(float(ci.low)),
        "high": repr(float(ci.high)),
    })

with open(os.path.join(HERE, "workforce_stats_expected.csv"), "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=["kind", "inputs", "estimate", "low", "high", "z", "chi_square", "p_value"], lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
print(f"wrote {len(rows)} cases")
