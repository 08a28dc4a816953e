#pragma once
// One unit of work: a job kind plus its parameters. Its id is a hash of the canonical
// parameters, so it is stable across runs, rank counts and orderings; its seed derives from
// (spec seed, id) for the same reason.
#include <cstdint>
#include <map>
#include <string>
#include <variant>

namespace riskstep {

using ParamValue = std::variant<bool, int64_t, double, std::string>;
using Params = std::map<std::string, ParamValue>;  // sorted keys: canonical order

struct Task {
  std::string kind;
  Params params;
  std::string id;     // 16 hex chars, see task_id()
  uint64_t seed = 0;  // see task_seed()
  int ranks = 1;      // ranks the task needs (a group made with MPI_Comm_split)
};

// Canonical JSON of {"kind": kind, "params": {...}} with sorted keys.
std::string canonical_json(const std::string& kind, const Params& params);
std::string task_id(const std::string& kind, const Params& params);
uint64_t task_seed(uint64_t spec_seed, const std::string& id);
Task make_task(std::string kind, Params params, uint64_t spec_seed, int ranks = 1);

// Typed access with a clear error naming the task and the parameter.
const ParamValue& param(const Task& task, const std::string& name);
std::string param_string(const Task& task, const std::string& name);
double param_double(const Task& task, const std::string& name);  // accepts int too
int64_t param_int(const Task& task, const std::string& name);
bool param_bool(const Task& task, const std::string& name);
std::string param_string_or(const Task& task, const std::string& name, const std::string& fallback);
double param_double_or(const Task& task, const std::string& name, double fallback);
int64_t param_int_or(const Task& task, const std::string& name, int64_t fallback);
bool param_bool_or(const Task& task, const std::string& name, bool fallback);

std::string param_to_string(const ParamValue& value);

}  // namespace riskstep
