# Fits zero-mean GARCH(1,1) with R's fGarch to each window of a CSV (one window per row) and
# writes per-window parameters, log-likelihood and seconds. Called by bench/garch_vs_fgarch.
# Usage: Rscript garch_fgarch.R WINDOWS.csv ged|norm OUT.csv
args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 3) stop("usage: Rscript garch_fgarch.R WINDOWS.csv ged|norm OUT.csv")
suppressMessages(library(fGarch))
windows <- as.matrix(read.csv(args[1], header = FALSE))
dist <- args[2]
out <- data.frame(omega = numeric(0), alpha = numeric(0), beta = numeric(0), shape = numeric(0),
                  loglik = numeric(0), seconds = numeric(0))
for (i in seq_len(nrow(windows))) {
  x <- as.numeric(windows[i, ])
  started <- proc.time()[["elapsed"]]
  fit <- suppressWarnings(garchFit(~ garch(1, 1), data = x, include.mean = FALSE,
                                   cond.dist = dist, trace = FALSE))
  seconds <- proc.time()[["elapsed"]] - started
  coefs <- coef(fit)
  shape <- if ("shape" %in% names(coefs)) coefs[["shape"]] else 2
  # fit@fit$llh is the minimised negative log-likelihood, constants included.
  out[i, ] <- c(coefs[["omega"]], coefs[["alpha1"]], coefs[["beta1"]], shape, -fit@fit$llh, seconds)
}
write.csv(out, args[3], row.names = FALSE)
