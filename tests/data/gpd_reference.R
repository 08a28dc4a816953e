# Reference maximum-likelihood fits of the generalised Pareto distribution by R's evd (fpot), for
# tests/unit/gpd_test.cpp: excesses drawn from GPDs with shape 0.3, 0 and -0.2 (set seed), and the
# 25 largest standardised losses of a normal GARCH(1,1) on the S&P 500's 251 returns before
# 2020-03-16 over the 26th largest (McNeil-Frey's k = 25, fitted with fGarch as in
# fgarch_reference.R). Writes gpd_reference_data.csv (sample, excess) and gpd_reference.csv
# (sample, shape, scale, loglik): committed, so the tests need no R. evd 2.3-6.1 (Debian
# r-cran-evd).
#   Rscript tests/data/gpd_reference.R ../shared/data/indices/sp500.csv tests/data
args <- commandArgs(trailingOnly = TRUE)
suppressMessages({library(evd); library(fGarch)})
set.seed(20001)
samples <- list(heavy = rgpd(200, loc = 0, scale = 0.7, shape = 0.3),
                exponential = rgpd(150, loc = 0, scale = 1.2, shape = 0),
                bounded = rgpd(120, loc = 0, scale = 0.5, shape = -0.2))
prices <- read.csv(args[1])
returns <- prices$Close[-1] / prices$Close[-nrow(prices)] - 1
last <- max(which(prices$Date[-1] < "2020-03-16"))
x <- returns[(last - 250):last]
fit <- suppressWarnings(garchFit(~garch(1, 1), data = x, include.mean = FALSE, cond.dist = "norm",
                                 trace = FALSE))
losses <- sort(-x / fit@sigma.t, decreasing = TRUE)
samples$sp500_2020 <- losses[1:25] - losses[26]
data <- NULL
fits <- NULL
for (name in names(samples)) {
  excess <- samples[[name]]
  data <- rbind(data, data.frame(sample = name, excess = sprintf("%.17g", excess)))
  f <- fpot(excess, threshold = 0, model = "gpd", std.err = FALSE)
  fits <- rbind(fits, data.frame(sample = name, shape = f$estimate[["shape"]],
                                 scale = f$estimate[["scale"]], loglik = -f$deviance / 2))
}
write.csv(data, file.path(args[2], "gpd_reference_data.csv"), row.names = FALSE, quote = FALSE)
write.csv(fits, file.path(args[2], "gpd_reference.csv"), row.names = FALSE)
