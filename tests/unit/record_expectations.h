#pragma once
// One check that two TaskRecords are equal, part by part (gtest expectations naming the part):
// what the result store and the packed part files must give back.
#include <gtest/gtest.h>

#include "pipeline/core/task_record.h"

namespace riskstep::testing {

inline void expect_same_record(const TaskRecord& a, const TaskRecord& b) {
  EXPECT_EQ(a.task.id, b.task.id);
  EXPECT_EQ(a.task.kind, b.task.kind);
  EXPECT_EQ(a.task.params, b.task.params);
  EXPECT_EQ(a.task.seed, b.task.seed);
  EXPECT_EQ(a.task.ranks, b.task.ranks);
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.error, b.error);
  EXPECT_EQ(a.wall_seconds, b.wall_seconds);
  EXPECT_EQ(a.rank, b.rank);
  EXPECT_EQ(a.result.attributes, b.result.attributes);
  EXPECT_EQ(a.result.columns, b.result.columns);
  ASSERT_EQ(a.result.matrices.size(), b.result.matrices.size());
  for (const auto& [name, m] : a.result.matrices) {
    const Matrix& other = b.result.matrices.at(name);
    EXPECT_EQ(m.rows, other.rows);
    EXPECT_EQ(m.cols, other.cols);
    EXPECT_EQ(m.values, other.values);
    EXPECT_EQ(m.col_names, other.col_names);
  }
  ASSERT_EQ(a.result.tables.size(), b.result.tables.size());
  for (const auto& [name, t] : a.result.tables) {
    EXPECT_EQ(t.names, b.result.tables.at(name).names);
    EXPECT_EQ(t.columns, b.result.tables.at(name).columns);
  }
  EXPECT_EQ(a.result.summary.names, b.result.summary.names);
  EXPECT_EQ(a.result.summary.columns, b.result.summary.columns);
}

}  // namespace riskstep::testing
