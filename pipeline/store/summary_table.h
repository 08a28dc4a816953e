#pragma once
// The run-wide /summary table: every ok task's Result.summary rows, each prefixed with
// task_id, kind, status and the task's parameters, so a generic group-by needs no job knowledge.
// Tasks with different schemas give the union of columns (first-seen order); cells a task lacks
// are NaN (double), 0 (int64) or "" (string). A column seen with int64 and double becomes double;
// with a string and a number becomes string. A job column named like a parameter wins.
#include <vector>

#include "pipeline/core/result.h"
#include "pipeline/core/task_record.h"

namespace riskstep {

Table summary_table(const std::vector<TaskRecord>& records);

// One record's rows of it: its Result.summary prefixed as above (no columns when the task is not
// ok or has no summary). A sweep's merge streams these (summary_schema.h).
Table summary_rows(const TaskRecord& record);

// Appends `rows` to `into` by column name with the union/fill/promotion rules above.
void append_rows_union(Table& into, const Table& rows);

}  // namespace riskstep
