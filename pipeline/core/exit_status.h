#pragma once
// riskstep's exit statuses, stated once (README, Commands). An interrupted run (SIGINT, SIGTERM)
// exits with 128 + the signal (pipeline/process/interrupt.h).
namespace riskstep::exit_status {

constexpr int ok = 0;
constexpr int failed = 1;         // a task failed, or riskstep could not finish (a write, sbatch)
constexpr int bad_input = 2;      // a file, spec, setting or option was wrong: nothing was run
constexpr int stopped_early = 3;  // tasks left for a later run: the same command continues them

}  // namespace riskstep::exit_status
