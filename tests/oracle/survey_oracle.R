# Golden values for `repgap survey`, computed with R's survey package (the reference
# implementation named in the domain notes).
#
# Re-run from the repository root (R 4.2 and r-cran-survey 4.1 from Debian's packages:
#   apt-get install -y r-base-core r-cran-survey):
#
#     Rscript tests/oracle/survey_oracle.R > tests/oracle/survey_expected.csv
#
# Inputs: tests/fixtures/survey/survey.csv (240 synthetic respondents, deliberately
# unrepresentative, with a design weight) and tests/fixtures/survey/margins.csv (population
# margins for ethnic group, age band and sex). Output columns: quantity,group,question,value.
#
# Method, as repgap implements it:
#  1. svydesign(ids = ~1, weights = ~design_weight).
#  2. Each margin is scaled to the design-weighted sample total, then rake() with
#     maxit = 100, epsilon = 1e-10.
#  3. Estimates use a new design with the raked weights treated as fixed:
#     svydesign(ids = ~1, weights = ~raked_weight).
#  4. For each question, the analysis design is subset(design, answered); a group's estimate
#     uses subset(analysis design, group). Proportion and SE from svymean(); interval from
#     svyciprop(method = "logit") (its df is degf() of the subset: answered rows in the group
#     minus 1); group vs rest from svyttest(positive ~ in_group) on the analysis design.
#  5. The same estimates on the design rake() returns (its default variance, which knows the
#     weights were calibrated to the margins), emitted with the prefix "cal_": SE from
#     svymean(), interval from svyciprop(method = "logit"), test from svyttest(), each on
#     subset(raked, answered) and its groups.
#  6. Two waves (tests/fixtures/survey/survey-previous.csv, an earlier wave, and survey.csv):
#     the waves stacked as strata of one design, raked to the margins crossed with the wave
#     (each wave to its own design-weighted total), then for each question and group the
#     coefficient of svyglm(pos ~ current) (current − previous: the model is saturated, so it
#     is the difference of the weighted proportions) and its SE, emitted as "wave_change" and
#     "wave_se" on the raked design itself and "wave_fixed_change" and "wave_fixed_se" with
#     the raked weights treated as fixed.
#  7. Weighting at the 8 categories (White British and Other White apart;
#     tests/fixtures/survey/margins-eight.csv): the raked weights, as "eight_weight".

suppressMessages(library(survey))
options(digits = 15)

read_survey <- function(path) {
  read.csv(path, check.names = FALSE, stringsAsFactors = FALSE, na.strings = character(0))
}
d <- read_survey("tests/fixtures/survey/survey.csv")
margins <- read.csv("tests/fixtures/survey/margins.csv", stringsAsFactors = FALSE)

high <- c(
  "White British" = "White",
  "White - Any other White background" = "White",
  "Indian" = "Asian, Asian British or Asian Welsh",
  "Nepalese" = "Asian, Asian British or Asian Welsh",
  "Black African" = "Black, Black British, Black Welsh, Caribbean or African",
  "Mixed - White and Asian" = "Mixed or Multiple ethnic groups",
  "Arab" = "Other ethnic group",
  "Any other ethnic group" = "Other ethnic group")
prepare <- function(d) {
  stopifnot(all(d[["Ethnic group"]] %in% names(high)))
  d$ethnic_group <- unname(high[d[["Ethnic group"]]])
  d$age_band <- d[["Age band"]]
  d$sex <- d[["Sex"]]
  d$w <- d$design_weight
  d
}
d <- prepare(d)

des0 <- svydesign(ids = ~1, weights = ~w, data = d)
total_w <- sum(d$w)
pop <- function(variable) {
  m <- margins[margins$variable == variable, ]
  out <- data.frame(m$category, m$count / sum(m$count) * total_w)
  names(out) <- c(variable, "Freq")
  out
}
raked <- rake(des0, list(~ethnic_group, ~age_band, ~sex),
              list(pop("ethnic_group"), pop("age_band"), pop("sex")),
              control = list(maxit = 100, epsilon = 1e-10))
d$rw <- as.numeric(weights(raked))

emit <- function(quantity, group, question, value) {
  cat(sprintf("%s,\"%s\",%s,%.15g\n", quantity, group, question, value))
}
cat("quantity,group,question,value\n")
for (i in seq_len(nrow(d))) emit("weight", d$respondent[i], "", d$rw[i])
n <- nrow(d)
emit("deff", "All respondents", "", n * sum(d$rw^2) / sum(d$rw)^2)
emit("ess", "All respondents", "", sum(d$rw)^2 / sum(d$rw^2))
emit("weight_min", "All respondents", "", min(d$rw))
emit("weight_max", "All respondents", "", max(d$rw))
for (v in c("ethnic_group", "age_band", "sex")) {
  for (cat_ in sort(unique(d[[v]]))) {
    sel <- d[[v]] == cat_
    emit("design_share", paste0(v, "=", cat_), "", sum(d$w[sel]) / sum(d$w))
    emit("raked_share", paste0(v, "=", cat_), "", sum(d$rw[sel]) / sum(d$rw))
  }
}

positive <- list(
  q_satisfaction = function(x) ifelse(x %in% c("", "Don't know"), NA,
                                      x %in% c("Very satisfied", "Fairly satisfied")),
  q_fair = function(x) ifelse(x == "", NA, x %in% c("4", "5")),
  q_discrimination = function(x) ifelse(x == "Prefer not to say", NA, x == "Yes"))

groups <- sort(unique(d$ethnic_group))
results <- function(des, prefix) {
  for (q in names(positive)) {
    # A calibrated design keeps the rows a subset leaves out (with zero weight), so an
    # unanswered question is 0 there, not NA, and the subset is by `answered`.
    raw <- as.numeric(positive[[q]](as.character(d[[q]])))
    des <- update(des, answered = !is.na(raw), pos = ifelse(is.na(raw), 0, raw))
    dq <- subset(des, answered)
    est <- function(design, label) {
      m <- svymean(~pos, design)
      ci <- attr(svyciprop(~pos, design, method = "logit"), "ci")
      emit(paste0(prefix, "base_n"), label, q, sum(weights(design) > 0))
      emit(paste0(prefix, "proportion"), label, q, coef(m)[[1]])
      emit(paste0(prefix, "se"), label, q, SE(m)[[1]])
      emit(paste0(prefix, "ci_low"), label, q, ci[[1]])
      emit(paste0(prefix, "ci_high"), label, q, ci[[2]])
    }
    est(dq, "All respondents")
    for (g in groups) {
      dg <- subset(dq, ethnic_group == g)
      est(dg, g)
      dq <- update(dq, in_group = as.numeric(ethnic_group == g))
      t <- svyttest(pos ~ in_group, dq)
      emit(paste0(prefix, "test_difference"), g, q, t$estimate[[1]])
      emit(paste0(prefix, "test_t"), g, q, t$statistic[[1]])
      emit(paste0(prefix, "test_df"), g, q, t$parameter[[1]])
      emit(paste0(prefix, "test_p"), g, q, t$p.value[[1]])
    }
  }
}
# Weighting by a fourth variable, ward (tests/fixtures/survey/margins-with-ward.csv): the
# raked weights, emitted as "ward_weight".
margins <- read.csv("tests/fixtures/survey/margins-with-ward.csv", stringsAsFactors = FALSE)
d$ward <- d[["Ward"]]
des4 <- svydesign(ids = ~1, weights = ~w, data = d)
raked4 <- rake(des4, list(~ethnic_group, ~age_band, ~sex, ~ward),
               list(pop("ethnic_group"), pop("age_band"), pop("sex"), pop("ward")),
               control = list(maxit = 100, epsilon = 1e-10))
rw4 <- as.numeric(weights(raked4))
for (i in seq_len(nrow(d))) emit("ward_weight", d$respondent[i], "", rw4[i])

# The raked weights treated as fixed.
results(svydesign(ids = ~1, weights = ~rw, data = d), "")
# The raked design itself: the variance accounts for the calibration.
results(raked, "cal_")

# Two waves, stacked as strata of one design; each wave raked to the margins scaled to its own
# design-weighted total.
margins <- read.csv("tests/fixtures/survey/margins.csv", stringsAsFactors = FALSE)
prev <- prepare(read_survey("tests/fixtures/survey/survey-previous.csv"))
prev$wave <- "previous"
cur <- d[, names(prev)[names(prev) != "wave"]]
cur$wave <- "current"
both <- rbind(prev, cur)
both$current <- as.numeric(both$wave == "current")
pop_by_wave <- function(variable) {
  m <- margins[margins$variable == variable, ]
  out <- do.call(rbind, lapply(c("previous", "current"), function(wv) {
    data.frame(wv, m$category, m$count / sum(m$count) * sum(both$w[both$wave == wv]))
  }))
  names(out) <- c("wave", variable, "Freq")
  out
}
both_des <- svydesign(ids = ~1, strata = ~wave, weights = ~w, data = both)
both_raked <- rake(both_des, list(~wave + ethnic_group, ~wave + age_band, ~wave + sex),
                   list(pop_by_wave("ethnic_group"), pop_by_wave("age_band"),
                        pop_by_wave("sex")),
                   control = list(maxit = 100, epsilon = 1e-10))
both$rw <- as.numeric(weights(both_raked))
changes <- function(des, prefix) {
  for (q in names(positive)) {
    raw <- as.numeric(positive[[q]](as.character(both[[q]])))
    des <- update(des, answered = !is.na(raw), pos = ifelse(is.na(raw), 0, raw))
    dq <- subset(des, answered)
    change <- function(design, label) {
      fit <- svyglm(pos ~ current, design)
      emit(paste0(prefix, "change"), label, q, coef(fit)[["current"]])
      emit(paste0(prefix, "se"), label, q, SE(fit)[["current"]])
    }
    change(dq, "All respondents")
    for (g in groups) change(subset(dq, ethnic_group == g), g)
  }
}
changes(both_raked, "wave_")
changes(svydesign(ids = ~1, strata = ~wave, weights = ~rw, data = both), "wave_fixed_")

# Weighting at the 8 categories, White split into White British and Other White
# (tests/fixtures/survey/margins-eight.csv): the raked weights, emitted as "eight_weight".
margins <- read.csv("tests/fixtures/survey/margins-eight.csv", stringsAsFactors = FALSE)
eight <- c(
  "White British" = "White: English, Welsh, Scottish, Northern Irish or British",
  "White - Any other White background" =
    "White: Gypsy or Irish Traveller, Roma or Other White")
d$ethnic_group8 <- ifelse(d[["Ethnic group"]] %in% names(eight),
                          unname(eight[d[["Ethnic group"]]]), d$ethnic_group)
pop8 <- pop("ethnic_group")
names(pop8)[1] <- "ethnic_group8"
des8 <- svydesign(ids = ~1, weights = ~w, data = d)
raked8 <- rake(des8, list(~ethnic_group8, ~age_band, ~sex),
               list(pop8, pop("age_band"), pop("sex")),
               control = list(maxit = 100, epsilon = 1e-10))
rw8 <- as.numeric(weights(raked8))
for (i in seq_len(nrow(d))) emit("eight_weight", d$respondent[i], "", rw8[i])
