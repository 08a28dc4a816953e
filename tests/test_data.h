#pragma once
// Where tests find ../shared/data and scratch space.
#include <cstdint>
#include <string>

#include "pipeline/core/task.h"

namespace riskstep::testing {

// ../shared/data (or $RISKSTEP_SHARED_DATA); "" when absent, so tests can GTEST_SKIP.
std::string shared_data_dir();
// A fresh empty directory under the system temp dir, named after the running test.
std::string scratch_dir();
// Writes text to a file in scratch_dir() and returns its path.
std::string write_scratch_file(const std::string& name, const std::string& text);

// A task of `kind` with these identity and run settings, each declared on the spot with a neutral
// default (false, 0, ""): engine and store tests need no job kind.
Task task_of(const std::string& kind, const Params& identity, uint64_t spec_seed, int ranks = 1,
             const Params& run = {});

}  // namespace riskstep::testing

#define RISKSTEP_REQUIRE_SHARED_DATA(dir)                         \
  const std::string dir = ::riskstep::testing::shared_data_dir(); \
  if (dir.empty()) GTEST_SKIP() << "../shared/data not found: skipping data test"
