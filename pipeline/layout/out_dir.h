#pragma once
// Preparing and reading the output directory of a sweep (its layout: pipeline/store/out_layout.h).
#include <optional>
#include <string>
#include <vector>

#include "pipeline/spec/sweep_spec.h"
#include "pipeline/store/result_store.h"

namespace riskstep {

// A hash of every task's id, seed and ranks: equal iff the sweep would compute the same tasks.
std::string sweep_fingerprint(const std::vector<Task>& tasks);

// Creates DIR/tasks; throws (one line) when DIR holds a different sweep and !force, or a
// results.h5 riskstep did not write. Writes spec.toml and sweep.json (safe with concurrent array
// shards) and deletes temporaries left by killed writers: every one when `alone` (this run holds
// the directory's lock by itself), else only this host's of processes that no longer exist.
void prepare_sweep_directory(const std::string& dir, const SweepSpec& spec,
                             const std::vector<Task>& tasks, bool force, bool alone);

// What is on disk for each task (same order): a record when its file is complete, its checksum
// matches and it belongs to this task (same id and seed), else nullopt. Each file that exists
// but is not such a record adds a line "tasks/<id>.h5: <why>" to `problems`.
std::vector<std::optional<TaskRecord>> scan_task_files(
    const std::string& dir, const std::vector<Task>& tasks,
    std::vector<std::string>* problems = nullptr);

}  // namespace riskstep
