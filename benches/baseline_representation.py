"""Baseline for the representation benchmark: the same high-level and detailed representation
table computed with pandas + scipy + statsmodels, the way an analyst would script it.

Usage: python3 benches/baseline_representation.py WORKFORCE.csv CENSUS_TIDY.csv AREA_CODE
It maps only the labels the synthetic generator writes (see examples/generate_demo.rs).
"""

import sys

import pandas as pd
from scipy.stats import binomtest, chisquare
from statsmodels.stats.proportion import proportion_confint

LABELS = {
    "White British": "White: English, Welsh, Scottish, Northern Irish or British",
    "White - British": "White: English, Welsh, Scottish, Northern Irish or British",
    "White: English": "White: English, Welsh, Scottish, Northern Irish or British",
    "White Irish": "White: Irish",
    "Irish": "White: Irish",
    "Gypsy or Irish Traveller": "White: Gypsy or Irish Traveller",
    "White - Any other White background": "White: Other White",
    "Other White": "White: Other White",
    "Asian or Asian British - Indian": "Asian, Asian British or Asian Welsh: Indian",
    "Indian": "Asian, Asian British or Asian Welsh: Indian",
    "Asian or Asian British - Pakistani": "Asian, Asian British or Asian Welsh: Pakistani",
    "Asian or Asian British - Bangladeshi": "Asian, Asian British or Asian Welsh: Bangladeshi",
    "Chinese": "Asian, Asian British or Asian Welsh: Chinese",
    "Asian or Asian British - Any other Asian background": "Asian, Asian British or Asian Welsh: Other Asian",
    "Nepalese": "Asian, Asian British or Asian Welsh: Other Asian",
    "Gurkha": "Asian, Asian British or Asian Welsh: Other Asian",
    "Black or Black British - African": "Black, Black British, Black Welsh, Caribbean or African: African",
    "Black African": "Black, Black British, Black Welsh, Caribbean or African: African",
    "Black or Black British - Caribbean": "Black, Black British, Black Welsh, Caribbean or African: Caribbean",
    "Any other Black background": "Black, Black British, Black Welsh, Caribbean or African: Other Black",
    "Mixed - White and Asian": "Mixed or Multiple ethnic groups: White and Asian",
    "Mixed - White and Black African": "Mixed or Multiple ethnic groups: White and Black African",
    "Mixed - White and Black Caribbean": "Mixed or Multiple ethnic groups: White and Black Caribbean",
    "Mixed - Any other mixed background": "Mixed or Multiple ethnic groups: Other Mixed or Multiple ethnic groups",
    "Arab": "Other ethnic group: Arab",
    "Any other ethnic group": "Other ethnic group: Any other ethnic group",
}


def table(staff, pop):
    declared = int(staff.sum())
    rows = []
    for group, n in staff.items():
        p = pop[group] / pop.sum()
        lo, hi = proportion_confint(int(n), declared, alpha=0.05, method="wilson")
        rows.append((group, int(n), n / declared, lo, hi, p, binomtest(int(n), declared, p).pvalue))
    chisquare(staff.values, staff.sum() * pop[staff.index] / pop.sum())
    return rows


def main():
    wf = pd.read_csv(sys.argv[1], keep_default_na=False)
    census = pd.read_csv(sys.argv[2])
    census = census[census.area_code == sys.argv[3]].set_index("ethnic_group")["count"]
    detailed = wf.ethnicity.str.strip().map(LABELS).dropna()
    staff = detailed.value_counts().reindex(census.index, fill_value=0)
    out = table(staff, census)
    high_pop = census.groupby(census.index.str.split(": ").str[0]).sum()
    high_staff = staff.groupby(staff.index.str.split(": ").str[0]).sum()
    out += table(high_staff, high_pop)
    pd.DataFrame(out).to_csv(sys.stdout, index=False)


if __name__ == "__main__":
    main()
