#pragma once
// `riskstep compare RESULTS`: which VaR models score best, with Diebold-Mariano tests. Per model
// variant (the model and the settings it was given beyond the defaults, e.g. "garch
// garch_dist=student_t window=1000"), pooled over every index x period cell it ran in: days, hits
// against expected hits, the tests' pass rates and the VaR-volatility slope over its tasks, mean
// tick or FZ0 loss at one level (stats/scoring.h), and against a baseline variant the
// mean loss difference and the Diebold-Mariano statistic and p-value on the days both forecast.
// Network seeds of one variant and cell are one forecaster: their daily losses averaged.
#include <CLI/CLI.hpp>

#include "pipeline/core/job.h"

namespace riskstep {

void add_compare_command(CLI::App& app, int& exit_code);

}  // namespace riskstep
