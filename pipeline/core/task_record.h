#pragma once
// What became of one task: its outcome as the engine stores it (pipeline/store/result_store.h).
#include <string>

#include "pipeline/core/result.h"
#include "pipeline/core/task.h"

namespace riskstep {

struct TaskRecord {
  Task task;
  Result result;              // empty unless ok
  std::string status = "ok";  // ok | failed | stopped (stopped is never stored: it resumes)
  std::string error;          // why it failed or stopped ("" when ok)
  double wall_seconds = 0;
  int rank = 0;      // world rank that ran it (the group's rank 0 for multi-rank tasks)
  std::string host;  // host name of that rank
};

}  // namespace riskstep
