"""Baseline for the deep-dive benchmark: the workforce figures of `repgap run` (representation at
the high level, overall and by grade; seniority by grade with a trend test; the ethnicity pay gap
and pay quarters) computed with pandas + scipy + statsmodels, the way an analyst would script it.
It writes CSVs only: no charts, no annex.

Usage: python3 benches/baseline_deep_dive.py WORKFORCE.csv CENSUS_TIDY.csv AREA_CODE OUT_DIR
It maps only the labels the synthetic generator writes (see examples/generate_demo.rs).
"""

import os
import sys

import numpy as np
import pandas as pd
from scipy.stats import binomtest, chisquare, norm
from statsmodels.stats.proportion import proportion_confint

WHITE = "White"
ASIAN = "Asian, Asian British or Asian Welsh"
BLACK = "Black, Black British, Black Welsh, Caribbean or African"
MIXED = "Mixed or Multiple ethnic groups"
OTHER = "Other ethnic group"
HIGH = [ASIAN, BLACK, MIXED, WHITE, OTHER]

# label -> (high-level group, pay group)
LABELS = {
    "White British": (WHITE, "White British"),
    "White - British": (WHITE, "White British"),
    "White: English": (WHITE, "White British"),
    "White Irish": (WHITE, "White minorities"),
    "Irish": (WHITE, "White minorities"),
    "Gypsy or Irish Traveller": (WHITE, "White minorities"),
    "White - Any other White background": (WHITE, "White minorities"),
    "Other White": (WHITE, "White minorities"),
    "Asian or Asian British - Indian": (ASIAN, ASIAN),
    "Indian": (ASIAN, ASIAN),
    "Asian or Asian British - Pakistani": (ASIAN, ASIAN),
    "Asian or Asian British - Bangladeshi": (ASIAN, ASIAN),
    "Chinese": (ASIAN, ASIAN),
    "Asian or Asian British - Any other Asian background": (ASIAN, ASIAN),
    "Nepalese": (ASIAN, ASIAN),
    "Gurkha": (ASIAN, ASIAN),
    "Black or Black British - African": (BLACK, BLACK),
    "Black African": (BLACK, BLACK),
    "Black or Black British - Caribbean": (BLACK, BLACK),
    "Any other Black background": (BLACK, BLACK),
    "Mixed - White and Asian": (MIXED, MIXED),
    "Mixed - White and Black African": (MIXED, MIXED),
    "Mixed - White and Black Caribbean": (MIXED, MIXED),
    "Mixed - Any other mixed background": (MIXED, MIXED),
    "Arab": (OTHER, OTHER),
    "Any other ethnic group": (OTHER, OTHER),
}
NOT_STATED = {"Prefer not to say", "Not known", ""}
GRADES = ["Grade 1", "Grade 2", "Grade 3", "Grade 4", "Grade 5", "Grade 6", "Grade 7",
          "Grade 8", "Chief Officer"]
PAY_GROUPS = ["White British", "White minorities", ASIAN, BLACK, MIXED, OTHER]
MINORITIES = "Ethnic minorities (excluding White minorities)"


def representation(counts, pop_share, breakdown):
    declared = int(counts.sum())
    rows = []
    for group in HIGH:
        n, p = int(counts.get(group, 0)), pop_share[group]
        lo, hi = proportion_confint(n, declared, alpha=0.05, method="wilson")
        pvalue = binomtest(n, declared, p).pvalue if declared else np.nan
        share = n / declared if declared else np.nan
        rows.append((breakdown, group, n, share, lo, hi, p, (share - p) * 100, share / p, pvalue))
    chisquare(counts.reindex(HIGH, fill_value=0).values,
              declared * pop_share[HIGH].values)
    return rows


def cochran_armitage(x, n):
    """Cochran-Armitage trend test, scores 1..k (the form of R's prop.trend.test)."""
    x, n = np.asarray(x, float), np.asarray(n, float)
    s = np.arange(1, len(x) + 1, dtype=float)
    p = x.sum() / n.sum()
    s_bar = (n * s).sum() / n.sum()
    t = (x * (s - s_bar)).sum()
    var = p * (1 - p) * (n * (s - s_bar) ** 2).sum()
    z = t / np.sqrt(var)
    return z, z * z, 2 * norm.sf(abs(z))


def pay_row(group, g, ref):
    mean, median = g.hourly_pay.mean(), g.hourly_pay.median()
    bonus = g.bonus[g.bonus > 0]
    ref_bonus = ref.bonus[ref.bonus > 0]
    return (group, len(g), mean, median,
            (ref.hourly_pay.mean() - mean) / ref.hourly_pay.mean() * 100,
            (ref.hourly_pay.median() - median) / ref.hourly_pay.median() * 100,
            (g.bonus > 0).mean(),
            (ref_bonus.mean() - bonus.mean()) / ref_bonus.mean() * 100,
            (ref_bonus.median() - bonus.median()) / ref_bonus.median() * 100)


def main():
    wf_path, census_path, area, out = sys.argv[1:5]
    os.makedirs(out, exist_ok=True)
    wf = pd.read_csv(wf_path, keep_default_na=False, dtype={"bonus_12m": str})
    census = pd.read_csv(census_path)
    census = census[census.area_code == area]
    pop = census.groupby(census.ethnic_group.str.split(": ").str[0])["count"].sum()
    pop_share = pop / pop.sum()

    label = wf.ethnicity.str.strip()
    mapped = label.map(LABELS)
    assert mapped.notna().sum() + label.isin(NOT_STATED).sum() == len(wf), "unmapped label"
    wf["high"] = mapped.str[0]
    wf["pay_group"] = mapped.str[1].fillna("Not known")
    wf["grade"] = pd.Categorical(wf.grade, categories=GRADES, ordered=True)
    stated = wf[wf.high.notna()]

    # Representation at the high level: overall, then by grade.
    rows = representation(stated.high.value_counts(), pop_share, "all")
    by_grade = stated.groupby(["grade", "high"], observed=False).size()
    for grade in GRADES:
        rows += representation(by_grade[grade], pop_share, f"grade={grade}")
    pd.DataFrame(rows, columns=["breakdown", "group", "workforce_n", "workforce_share", "ci_low",
                                "ci_high", "population_share", "gap_pp", "ratio", "p_value"]
                 ).to_csv(f"{out}/representation.csv", index=False)

    # Seniority: share of each group at each grade, Wilson interval, trend across grades.
    table = by_grade.unstack("high").reindex(index=GRADES, columns=HIGH, fill_value=0)
    table[MINORITIES] = table[[ASIAN, BLACK, MIXED, OTHER]].sum(axis=1)
    n = table[HIGH].sum(axis=1)
    shares = pop_share.copy()
    shares[MINORITIES] = 1 - pop_share[WHITE]
    rows = []
    for group in [MINORITIES] + HIGH:
        z, chi2, p = cochran_armitage(table[group], n)
        lo, hi = proportion_confint(table[group].values, n.values, alpha=0.05, method="wilson")
        for rank, grade in enumerate(GRADES):
            x = int(table.at[grade, group])
            rows.append(("grade", rank + 1, grade, group, int(n[grade]), x, x / n[grade],
                         lo[rank], hi[rank], shares[group], z, chi2, p))
    pd.DataFrame(rows, columns=["column", "grade_rank", "grade", "group", "n", "count", "share",
                                "ci_low", "ci_high", "population_share", "trend_z",
                                "trend_chi_square", "trend_p_value"]
                 ).to_csv(f"{out}/seniority.csv", index=False)

    # Pay gap: full-pay relevant staff, each group against White British.
    fpr = wf[wf.full_pay_relevant.str.lower() == "yes"].copy()
    fpr["hourly_pay"] = fpr.hourly_pay.astype(float)
    fpr["bonus"] = pd.to_numeric(fpr.bonus_12m.replace("", "0"))
    ref = fpr[fpr.pay_group == "White British"]
    rows = [pay_row(g, fpr[fpr.pay_group == g], ref) for g in PAY_GROUPS]
    rows.append(pay_row("All other ethnic groups combined",
                        fpr[~fpr.pay_group.isin(["White British", "Not known"])], ref))
    gap = pd.DataFrame(rows, columns=["group", "n", "mean_hourly", "median_hourly",
                                      "mean_gap_pct", "median_gap_pct", "bonus_proportion",
                                      "mean_bonus_gap_pct", "median_bonus_gap_pct"])
    gap["unknown_ethnicity_share"] = (fpr.pay_group == "Not known").mean()
    gap.to_csv(f"{out}/pay-gap.csv", index=False)

    # Pay quarters: rank by hourly pay, four groups of equal size.
    quarter = pd.qcut(fpr.hourly_pay.rank(method="first"), 4,
                      labels=["Lower", "Lower middle", "Upper middle", "Upper"])
    counts = fpr.groupby([quarter, fpr.pay_group], observed=False).size().rename("count")
    quarters = counts.reset_index().rename(columns={"hourly_pay": "quarter", "pay_group": "group"})
    quarters["share"] = quarters["count"] / quarters.groupby("quarter", observed=False)[
        "count"].transform("sum")
    quarters.to_csv(f"{out}/pay-quarters.csv", index=False)


if __name__ == "__main__":
    main()
