#pragma once
// One unit of work: a job kind plus its settings. Its id is a hash of the kind and the identity
// settings (pipeline/core/settings.h) exactly as given, so it is stable across runs, rank
// counts, orderings and run settings; its seed derives from (spec seed, id) for the same reason.
// Leaving a setting out and writing its default are different ids: the id hashes what was written.
#include <cstdint>
#include <map>
#include <string>
#include <variant>

namespace riskstep {

using ParamValue = std::variant<bool, int64_t, double, std::string>;
using Params = std::map<std::string, ParamValue>;  // sorted keys: canonical order

struct Task {
  std::string kind;
  Params params;        // identity settings: the id and seed hash these and nothing else
  Params run_settings;  // run settings: recorded with the result, never hashed
  std::string id;       // 16 hex chars, see task_id()
  uint64_t seed = 0;    // see task_seed()
  int ranks = 1;        // ranks the task needs (a group made with MPI_Comm_split)
};

// Canonical JSON of {"kind": kind, "params": {...}} with sorted keys.
std::string canonical_json(const std::string& kind, const Params& params);
std::string task_id(const std::string& kind, const Params& params);
uint64_t task_seed(uint64_t spec_seed, const std::string& id);
Task make_task(std::string kind, Params identity, uint64_t spec_seed, int ranks = 1,
               Params run_settings = {});

std::string params_json(const Params& params);            // {"name": value, ...}
Params params_from_json(const std::string& json_object);  // throws on other JSON types
std::string param_to_string(const ParamValue& value);     // 0.05, not 0.050000000000000003
std::string describe(const Task& task);  // "kind a=1 b=x [threads=2]" for listings and messages

}  // namespace riskstep
