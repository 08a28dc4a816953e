// riskstep: one binary, subcommands for each way of running the studies.
#include <CLI/CLI.hpp>

#include <iostream>

#include "pipeline/version.h"

int main(int argc, char** argv) {
  CLI::App app{"riskstep: distributed VaR backtests and StepNet training"};
  app.set_version_flag("--version", std::string(RISKSTEP_VERSION) + " (" RISKSTEP_GIT_COMMIT ")");
  app.require_subcommand(1);
  CLI11_PARSE(app, argc, argv);
  return 0;
}
