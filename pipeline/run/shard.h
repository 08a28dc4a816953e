#pragma once
// A slice of a sweep for one task of a Slurm job array: shard i of n holds the tasks whose
// position in the id-sorted task list is i modulo n. It depends only on the task ids, so every
// array task computes the same partition with no coordination, and the shards are disjoint,
// cover the grid and differ in size by at most one.
#include <cstddef>
#include <string>
#include <vector>

#include "pipeline/spec/task_list.h"

namespace riskstep {

struct Shard {
  size_t index = 0;
  size_t count = 1;
};

// "i/n" with 0 <= i < n; throws std::invalid_argument naming --shard and the expected form.
Shard parse_shard(const std::string& text);

// Indices into `tasks` of the tasks in `shard`, ascending.
std::vector<size_t> shard_task_indices(const TaskList& tasks, const Shard& shard);

}  // namespace riskstep
