#pragma once
// A sweep spec (TOML, format in docs/specs.md) and its expansion into Tasks.
//
//   kind = "backtest_var"      seed = 20231      ranks_per_task = 1      out = "out/x"
//   [fixed]    settings every task gets (an array: a list setting's items)
//   [grid]     axes: non-empty arrays of scalars, or "a-b" integer ranges
//   [[exclude]]    drops the combinations matching every listed key
//   [[drop_axes]]  when = { key = values }, axes = ["seed"]: matching tasks lose those axes
//                  (duplicates then merge, so e.g. seed-free models run once)
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "pipeline/core/settings.h"
#include "pipeline/core/task.h"
#include "pipeline/core/task_identity.h"

namespace riskstep {

// One line: "spec.toml:LINE: key 'x': expected ..." (or "spec.toml: --set x: ...").
class SpecError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// key -> accepted values; a task matches when its value for every key is among them.
using ValueMatch = std::map<std::string, std::vector<ParamValue>>;

struct DropAxesRule {
  ValueMatch when;
  std::vector<std::string> axes;
};

struct SweepSpec {
  std::string source;                  // the spec file name used in messages
  std::string text;                    // the file as read
  std::vector<std::string> overrides;  // --set key=value, as given
  std::string kind;
  uint64_t seed = 0;
  int ranks_per_task = 1;
  std::string out;  // "" when absent
  // Relative values of path settings (Setting::path) in the file are its folder's ("" = as given).
  std::string base_dir;
  Params fixed;  // a list setting's array as the list's text (setting_list.h)
  std::vector<std::pair<std::string, std::vector<ParamValue>>> grid;  // file order
  std::vector<ValueMatch> exclude;
  std::vector<DropAxesRule> drop_axes;
  // Where "kind", each "fixed.NAME", "grid.NAME", "exclude[I].NAME" and
  // "drop_axes[I].when.NAME" came from, as messages name it: "spec.toml:12: key 'fixed.x'",
  // "spec.toml: --set x=1: key 'fixed.x'" or "--models".
  std::map<std::string, std::string> locations;
  std::set<std::string> overridden;  // the "fixed.NAME" and "grid.NAME" that --set gave
  std::set<std::string> arrays;      // the "fixed.NAME" given as an array
};

// `base_dir` anchors relative paths: `out`'s here, those of path settings in bind_settings.
// Overrides are "key=value" with key one of kind, seed, ranks_per_task, out, fixed.NAME,
// grid.NAME, or a bare NAME (a grid axis if there is one, else a fixed parameter).
SweepSpec parse_sweep_spec(const std::string& text, const std::string& source,
                           const std::string& base_dir,
                           const std::vector<std::string>& overrides = {});
SweepSpec load_sweep_spec(const std::string& path, const std::vector<std::string>& overrides = {});

// TOML text that parses back to `spec`: what a command such as `riskstep backtest` records as
// the spec of its run, so `riskstep sweep` can rerun it. Paths are as resolved when `spec` is
// bound (bind_settings).
std::string spec_toml(const SweepSpec& spec);

// `spec` as the kind's settings read it: every [fixed] value, [grid] value and rule value checked
// (SettingsSchema::checked: unknown names with a "did you mean", types, choices, bounds, list
// items; a run setting cannot be an axis, only a list setting takes an array) and canonical (a
// list as its canonical text, an integer for a number as that number), and the relative values of
// path settings resolved: those of the file against base_dir, those of --set against the current
// directory, path words ("synthetic") never. Throws SpecError naming the line.
SweepSpec bind_settings(const SweepSpec& spec, const SettingsSchema& settings);

constexpr size_t kDefaultMaxTasks = 1000000;

// The grid's cartesian product (last axis fastest), minus exclusions, axes dropped, duplicates
// (equal ids: equal content) merged; each with the fixed settings, spec seed and ranks_per_task,
// made by make_task with `settings` and `input_digest`. Calls bind_settings first, and refuses
// (before expanding) a grid of more than `max_tasks` combinations. A task whose input cannot be
// read is a SpecError naming it.
std::vector<Task> expand_tasks(const SweepSpec& spec, const SettingsSchema& settings,
                               size_t max_tasks = kDefaultMaxTasks,
                               const InputDigest& input_digest = {});

// The same combinations handed to `take` one at a time, in order, duplicates included (the
// caller merges equal ids): what a sweep of a million tasks uses to keep them compactly
// (pipeline/spec/task_list.h) instead of as a vector of Tasks.
void for_each_task(const SweepSpec& spec, const SettingsSchema& settings, size_t max_tasks,
                   const InputDigest& input_digest, const std::function<void(Task&&)>& take);

}  // namespace riskstep
