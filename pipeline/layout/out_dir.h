#pragma once
// Preparing and reading the output directory of a sweep (its layout: pipeline/store/out_layout.h).
#include <optional>
#include <string>
#include <vector>

#include "pipeline/spec/sweep_spec.h"
#include "pipeline/spec/task_list.h"

namespace riskstep {

// A hash of every task's id, seed and ranks: equal iff the sweep would compute the same tasks.
std::string sweep_fingerprint(const TaskList& tasks);

// Creates DIR/logs and DIR/parts; throws (one line) when DIR holds a different sweep and !force,
// results of an older format (they cannot be resumed: another --out), or a results.h5 riskstep
// did not write. Writes spec.toml and sweep.json (safe with concurrent array shards) and deletes
// temporaries left by killed writers: every one when `alone` (this run holds the directory's lock
// by itself), else only this host's of processes that no longer exist.
void prepare_sweep_directory(const std::string& dir, const SweepSpec& spec, const TaskList& tasks,
                             bool force, bool alone);

}  // namespace riskstep
