#pragma once
// The output directory of a sweep: DIR/spec.toml (the spec as given), DIR/sweep.json (what the
// spec expanded to, to recognise a different sweep), DIR/tasks/<id>.h5, DIR/results.h5.
#include <optional>
#include <string>
#include <vector>

#include "pipeline/engine/sweep_spec.h"
#include "pipeline/store/result_store.h"

namespace riskstep {

// A hash of every task's id, seed and ranks: equal iff the sweep would compute the same tasks.
std::string sweep_fingerprint(const std::vector<Task>& tasks);

// Creates DIR and DIR/tasks; throws std::runtime_error (one line) when DIR holds a different
// sweep and !force. Then writes spec.toml and sweep.json (safe with concurrent array shards) and,
// if `remove_temporaries`, deletes temporaries left by a killed run (never while other shards may
// be writing into DIR).
void prepare_sweep_directory(const std::string& dir, const SweepSpec& spec,
                             const std::vector<Task>& tasks, bool force, bool remove_temporaries);

// What is on disk for each task (same order): a record when its file is complete and belongs to
// this task (same id and seed), else nullopt (missing, partial, unreadable or stale).
std::vector<std::optional<TaskRecord>> scan_task_files(const std::string& dir,
                                                       const std::vector<Task>& tasks);

}  // namespace riskstep
