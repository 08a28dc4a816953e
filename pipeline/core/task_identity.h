#pragma once
// A task's id and seed derive from what it computes, never from where it runs:
//   id   = sha256 of {"kind", "settings": the canonical settings with labels, "input"}, 16 hex
//   seed = sha256 of (spec seed, the same document without labels), 15 hex (positive as int64)
// The canonical settings are the identity and label settings the task uses whose value differs
// from the default, each as canonical_text (pipeline/core/settings.h); "input" is the sha256 of
// the content of its input data (JobKind::input_digest), never a path. So the same study gives
// the same ids and seeds from any directory and machine, writing a default out or declaring a new
// setting changes no id, and tuning one model's settings never changes another model's tasks.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "pipeline/core/settings.h"
#include "pipeline/core/task.h"

namespace riskstep {

// The sha256 (hex) of the input data a task with these settings (identity, input and run, as
// given) reads; "" when it reads none. Throws std::invalid_argument naming the file at fault.
using InputDigest = std::function<std::string(const Params& settings)>;

// Splits and checks `given` (SettingsSchema::split), takes the input digest, derives id and seed.
Task make_task(std::string kind, const SettingsSchema& schema, const Params& given,
               uint64_t spec_seed, int ranks = 1, const InputDigest& input_digest = {});

// The document a task id hashes (with_labels) or its seed hashes (without), as described above.
std::string identity_document(const Task& task, const SettingsSchema& schema, bool with_labels);

// A seed for one purpose inside a task (e.g. the simulated p-values at one VaR level), derived
// from the task's content without labels and without the settings in `leave_out` (e.g. the list
// of levels, when each level's numbers must not depend on which other levels were asked for),
// and independent of the spec seed: the same data and model give the same draws in any study.
uint64_t content_seed(const Task& task, const SettingsSchema& schema,
                      const std::vector<std::string>& leave_out, const std::string& purpose);

// "kind a=1 b=x input=3fa2c1d09e4b [data_dir=/d threads=2]" for listings and messages: the
// settings that differ from their defaults (what makes the task this one), the first 12 hex digits
// of its input's sha256, the input and run settings as given.
std::string describe(const Task& task, const SettingsSchema& schema);

}  // namespace riskstep
