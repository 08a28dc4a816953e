# Fits zero-mean GARCH(1,1) or GJR (fGarch's APARCH(1,1) with delta fixed at 2) with R's fGarch to
# each window of a CSV (one window per row) and writes per-window parameters, log-likelihood and
# seconds. Called by bench/garch_vs_fgarch.
# Usage: Rscript garch_fgarch.R WINDOWS.csv ged|norm|std|sstd garch|gjr OUT.csv
args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 4)
  stop("usage: Rscript garch_fgarch.R WINDOWS.csv ged|norm|std|sstd garch|gjr OUT.csv")
suppressMessages(library(fGarch))
windows <- as.matrix(read.csv(args[1], header = FALSE))
dist <- args[2]
formula <- if (args[3] == "gjr") ~aparch(1, 1) else ~garch(1, 1)
out <- data.frame(omega = numeric(0), alpha = numeric(0), beta = numeric(0), shape = numeric(0),
                  gamma = numeric(0), skew = numeric(0), loglik = numeric(0), seconds = numeric(0))
for (i in seq_len(nrow(windows))) {
  x <- as.numeric(windows[i, ])
  started <- proc.time()[["elapsed"]]
  fit <- suppressWarnings(garchFit(formula, data = x, include.mean = FALSE, cond.dist = dist,
                                   include.delta = FALSE, delta = 2, trace = FALSE))
  seconds <- proc.time()[["elapsed"]] - started
  coefs <- coef(fit)
  get <- function(name, default) if (name %in% names(coefs)) coefs[[name]] else default
  # fit@fit$llh is the minimised negative log-likelihood, constants included.
  out[i, ] <- c(coefs[["omega"]], coefs[["alpha1"]], coefs[["beta1"]], get("shape", 2),
                get("gamma1", 0), get("skew", 1), -fit@fit$llh, seconds)
}
write.csv(out, args[4], row.names = FALSE)
