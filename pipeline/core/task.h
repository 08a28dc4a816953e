#pragma once
// One unit of work: a job kind plus its settings. Its id and seed derive from its content alone
// (pipeline/core/task_identity.h), so they are the same across runs, machines, directories, rank
// counts, orderings and run settings.
#include <cstdint>
#include <map>
#include <string>
#include <variant>

namespace riskstep {

using ParamValue = std::variant<bool, int64_t, double, std::string>;
using Params = std::map<std::string, ParamValue>;  // sorted keys: canonical order

struct Task {
  std::string kind;
  Params params;        // identity and label settings the task uses, every default filled in
  Params run_settings;  // input and run settings as given: recorded with the result, never hashed
  std::string input_sha256;  // the content of its input data (JobKind::input_digest); "" = none
  std::string id;            // 16 hex chars (task_identity.h)
  uint64_t seed = 0;         // (task_identity.h)
  int ranks = 1;             // ranks the task needs (a group made with MPI_Comm_split)
};

// JSON of {"kind": kind, "params": {...}} with sorted keys: how records store a task's params.
std::string canonical_json(const std::string& kind, const Params& params);

std::string params_json(const Params& params);            // {"name": value, ...}
Params params_from_json(const std::string& json_object);  // throws on other JSON types
std::string param_to_string(const ParamValue& value);     // 0.05, not 0.050000000000000003
// The text an identity hashes: param_to_string, with a whole number the same whatever its type
// (251 and 251.0 are "251"), so changing a setting's C++ type changes no id.
std::string canonical_text(const ParamValue& value);

}  // namespace riskstep
