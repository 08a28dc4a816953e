#pragma once
// Everything riskstep writes into an out directory DIR, in one place (docs/hdf5-layout.md):
//   DIR/spec.toml          the spec as given
//   DIR/sweep.json         what it expanded to (format, fingerprint of the tasks), to recognise
//                          a different sweep
//   DIR/riskstep.lock      the lock of the run using DIR (pipeline/layout/out_dir_lock.h)
//   DIR/logs/<run>.r<rank>.log   each process's finished tasks, appended (record_log.h)
//   DIR/parts/<log>.<digest>.h5  each log's task groups in HDF5, written by the merge
//                                (part_file.h)
//   DIR/checkpoints/<id>/  resumable state of long tasks
//   DIR/results.h5         the merged results: an index of the parts and /summary
//   DIR/tasks/<id>.h5      (formats 1-3 only: one file per finished task)
//   DIR/report.html        `riskstep report DIR`
//   DIR/slurm/             `riskstep slurm submit`: scripts, logs, copied inputs
// and temporaries NAME.tmp.<host>.<pid> of writers (renamed into place when complete).
#include <string>

namespace riskstep::out_layout {

std::string spec_file(const std::string& dir);
std::string sweep_manifest(const std::string& dir);
std::string lock_file(const std::string& dir);
std::string logs_dir(const std::string& dir);
// "<run>.r<rank, 5 digits>.log": run ids sort by time (run_id), so logs sort by age.
std::string log_file(const std::string& dir, const std::string& run_id, int rank);
std::string parts_dir(const std::string& dir);
std::string tasks_dir(const std::string& dir);  // formats 1-3

// A run's name, unique among runs into one DIR even from several hosts at once (array shards):
// "<UTC time to the nanosecond>-<host>-<pid>", e.g. 20240501T120000.123456789Z-node7-4242.
std::string new_run_id();
std::string checkpoint_dir(const std::string& dir, const std::string& task_id);
std::string results_file(const std::string& dir);
std::string report_file(const std::string& dir);
std::string slurm_dir(const std::string& dir);

// What a reader was given: a results file, or a sweep directory meaning its results file. Throws
// std::invalid_argument naming the path when there is none ("has the sweep finished?").
std::string existing_results_file(const std::string& input);

// True for a name (no directory part) riskstep puts directly into DIR: one of the entries above,
// or a temporary of one.
bool is_own_entry(const std::string& name);

}  // namespace riskstep::out_layout
