# Reference fits of R's fGarch for tests/unit/garch_variants_test.cpp: zero-mean GARCH(1,1) and
# GJR (fGarch's APARCH(1,1) with delta fixed at 2) with normal and skewed-t ("sstd", Fernandez-Steel)
# innovations, on 251-return windows of the S&P 500 (../shared/data/indices/sp500.csv, Close; simple
# returns P_t / P_{t-1} - 1) ending the day before each date below. Writes fgarch_reference.csv
# (committed, so the tests need no R). fGarch 4052.93 (Debian r-cran-fgarch), R 4.2.
#   Rscript tests/data/fgarch_reference.R ../shared/data/indices/sp500.csv tests/data/fgarch_reference.csv
args <- commandArgs(trailingOnly = TRUE)
suppressMessages(library(fGarch))
prices <- read.csv(args[1])
returns <- prices$Close[-1] / prices$Close[-nrow(prices)] - 1
dates <- prices$Date[-1]
out <- NULL
for (end in c("2008-09-15", "2011-08-08", "2020-03-16")) {
  last <- max(which(dates < end))
  x <- returns[(last - 250):last]
  for (kind in c("garch", "gjr")) for (dist in c("norm", "sstd")) {
    formula <- if (kind == "garch") ~garch(1, 1) else ~aparch(1, 1)
    fit <- suppressWarnings(garchFit(formula, data = x, include.mean = FALSE, cond.dist = dist,
                                     include.delta = FALSE, delta = 2, trace = FALSE))
    coefs <- coef(fit)
    get <- function(name, default) if (name %in% names(coefs)) coefs[[name]] else default
    out <- rbind(out, data.frame(before = end, kind = kind, dist = dist,
                                 omega = get("omega", NA), alpha = get("alpha1", NA),
                                 gamma = get("gamma1", 0), beta = get("beta1", NA),
                                 shape = get("shape", 0), skew = get("skew", 1),
                                 loglik = -fit@fit$llh))
  }
}
write.csv(out, args[2], row.names = FALSE)
# A few values of the unit-variance skewed-t density and quantile (fGarch's dsstd and qsstd).
grid <- expand.grid(x = c(-3, -1.5, -0.2, 0, 0.7, 2.5), nu = c(2.5, 5, 30), xi = c(0.6, 1, 1.7))
grid$density <- dsstd(grid$x, mean = 0, sd = 1, nu = grid$nu, xi = grid$xi)
p <- expand.grid(p = c(0.001, 0.01, 0.025, 0.05, 0.5, 0.95), nu = c(2.5, 5, 30), xi = c(0.6, 1, 1.7))
p$quantile <- qsstd(p$p, mean = 0, sd = 1, nu = p$nu, xi = p$xi)
write.csv(grid, sub("\\.csv$", "_dsstd.csv", args[2]), row.names = FALSE)
write.csv(p, sub("\\.csv$", "_qsstd.csv", args[2]), row.names = FALSE)
