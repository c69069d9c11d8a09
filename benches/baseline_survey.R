# Baseline for the survey benchmark: the job of `repgap survey` done with R's survey package,
# the way tests/oracle/survey_oracle.R does it. Rakes the design weights to ethnic group (Census
# 2021, high-level groups), age band and sex, then for each question reports the weighted %
# positive overall and by ethnic group (svymean, svyciprop logit interval) and a t-test of each
# group against everyone else who answered (svyttest). No trimming (the benchmark config has
# none either). Writes one CSV of results; no charts, no profile or weighting tables.
#
# Usage: Rscript benches/baseline_survey.R SURVEY.csv MARGINS.csv CENSUS_TIDY.csv AREA_CODE OUT.csv
# It maps only the ethnicity labels of datasets/demo/survey-synthetic.csv.

suppressMessages(library(survey))
args <- commandArgs(trailingOnly = TRUE)

d <- read.csv(args[1], check.names = FALSE, stringsAsFactors = FALSE,
              na.strings = character(0))
margins <- read.csv(args[2], stringsAsFactors = FALSE)
census <- read.csv(args[3], stringsAsFactors = FALSE)
census <- census[census$area_code == args[4], ]

high <- c(
  "White British" = "White",
  "White - English/Welsh/Scottish/Northern Irish/British" = "White",
  "White Irish" = "White",
  "White - Any other White background" = "White",
  "Asian or Asian British - Indian" = "Asian, Asian British or Asian Welsh",
  "Asian or Asian British - Pakistani" = "Asian, Asian British or Asian Welsh",
  "Asian or Asian British - Any other Asian background" = "Asian, Asian British or Asian Welsh",
  "Nepalese" = "Asian, Asian British or Asian Welsh",
  "Black or Black British - African" = "Black, Black British, Black Welsh, Caribbean or African",
  "Black or Black British - Caribbean" = "Black, Black British, Black Welsh, Caribbean or African",
  "Mixed - White and Asian" = "Mixed or Multiple ethnic groups",
  "Mixed - White and Black Caribbean" = "Mixed or Multiple ethnic groups",
  "Arab" = "Other ethnic group",
  "Any other ethnic group" = "Other ethnic group")
stopifnot(all(d$ethnicity %in% names(high)))
d$ethnic_group <- unname(high[d$ethnicity])

# Margins, each scaled to the design-weighted sample total.
total_w <- sum(d$design_weight)
scaled <- function(variable, category, count) {
  out <- data.frame(category, count / sum(count) * total_w, stringsAsFactors = FALSE)
  names(out) <- c(variable, "Freq")
  out
}
census_high <- tapply(census$count, sub(": .*", "", census$ethnic_group), sum)
pop <- list(scaled("ethnic_group", names(census_high), as.numeric(census_high)))
for (v in c("age_band", "sex")) {
  m <- margins[margins$variable == v, ]
  pop[[length(pop) + 1]] <- scaled(v, m$category, m$count)
}

des0 <- svydesign(ids = ~1, weights = ~design_weight, data = d)
raked <- rake(des0, list(~ethnic_group, ~age_band, ~sex), pop,
              control = list(maxit = 100, epsilon = 1e-10))
d$rw <- as.numeric(weights(raked))

missing <- c("", "Don't know", "Prefer not to say")
score <- list(
  satisfied_council = function(x) ifelse(x %in% missing, NA,
                                         x %in% c("Very satisfied", "Fairly satisfied")),
  treats_fairly = function(x) ifelse(x %in% missing, NA,
                                     x %in% c("Strongly agree", "Tend to agree")),
  belong = function(x) ifelse(x %in% missing, NA, x %in% c("Strongly agree", "Tend to agree")),
  discrimination_12m = function(x) ifelse(x %in% missing, NA, x == "Yes"),
  safe_after_dark = function(x) ifelse(x %in% missing, NA, as.numeric(x) >= 7))

des <- svydesign(ids = ~1, weights = ~rw, data = d)
groups <- sort(unique(d$ethnic_group))
rows <- list()
for (q in names(score)) {
  des <- update(des, pos = as.numeric(score[[q]](as.character(d[[q]]))))
  dq <- subset(des, !is.na(pos))
  est <- function(design, group) {
    m <- svymean(~pos, design)
    ci <- attr(svyciprop(~pos, design, method = "logit"), "ci")
    data.frame(question = q, group = group, base = nrow(design$variables),
               proportion = coef(m)[[1]], se = SE(m)[[1]], ci_low = ci[[1]],
               ci_high = ci[[2]], difference = NA, t = NA, df = NA, p_value = NA)
  }
  rows[[length(rows) + 1]] <- est(dq, "All respondents")
  for (g in groups) {
    r <- est(subset(dq, ethnic_group == g), g)
    dq <- update(dq, in_group = as.numeric(ethnic_group == g))
    t <- svyttest(pos ~ in_group, dq)
    r$difference <- t$estimate[[1]]
    r$t <- t$statistic[[1]]
    r$df <- t$parameter[[1]]
    r$p_value <- t$p.value[[1]]
    rows[[length(rows) + 1]] <- r
  }
}
write.csv(do.call(rbind, rows), args[5], row.names = FALSE)
