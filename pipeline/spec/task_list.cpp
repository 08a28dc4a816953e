#include "pipeline/spec/task_list.h"

#include <cstdio>
#include <functional>
#include <stdexcept>

namespace riskstep {

namespace {

constexpr int kIdDigits = 16;

uint64_t packed_id(const std::string& id) {
  uint64_t packed = 0;
  bool hex = id.size() == kIdDigits;
  for (size_t i = 0; hex && i < id.size(); ++i) {
    const char c = id[i];
    const int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    hex = digit >= 0;
    packed = packed << 4 | static_cast<uint64_t>(digit & 15);
  }
  if (!hex) throw std::invalid_argument("task id '" + id + "' is not 16 lowercase hex digits");
  return packed;
}

// Ids are sha256 prefixes, so a multiplicative hash spreads them evenly.
size_t spread(uint64_t value, size_t mask) {
  return static_cast<size_t>((value * 0x9e3779b97f4a7c15ULL) >> 32) & mask;
}

uint64_t pair_hash(uint16_t name, const ParamValue& value) {
  const uint64_t held = std::visit(
      [](const auto& v) {
        return static_cast<uint64_t>(std::hash<std::decay_t<decltype(v)>>{}(v));
      },
      value);
  return held ^ (static_cast<uint64_t>(name) << 48) ^ (static_cast<uint64_t>(value.index()) << 40);
}

template <typename T>
uint32_t intern(const T& value, std::vector<T>& values, std::map<T, uint32_t>& ids) {
  const auto [it, inserted] = ids.emplace(value, static_cast<uint32_t>(values.size()));
  if (inserted) values.push_back(value);
  return it->second;
}

}  // namespace

uint32_t TaskList::intern_pair(const std::string& name, const ParamValue& value) {
  auto [name_it, new_name] = name_ids_.emplace(name, static_cast<uint16_t>(names_.size()));
  if (new_name) {
    if (names_.size() == UINT16_MAX) throw std::invalid_argument("too many setting names");
    names_.push_back(name);
  }
  const uint16_t name_id = name_it->second;
  if (2 * (pairs_.size() + 1) > pair_index_.size()) {  // keep the table at most half full
    std::vector<uint32_t> grown(std::max<size_t>(64, 2 * pair_index_.size()), 0);
    for (uint32_t p = 0; p < pairs_.size(); ++p) {
      size_t slot = spread(pair_hash(pairs_[p].first, pairs_[p].second), grown.size() - 1);
      while (grown[slot] != 0) slot = (slot + 1) & (grown.size() - 1);
      grown[slot] = p + 1;
    }
    pair_index_.swap(grown);
  }
  const size_t mask = pair_index_.size() - 1;
  for (size_t slot = spread(pair_hash(name_id, value), mask);; slot = (slot + 1) & mask) {
    const uint32_t held = pair_index_[slot];
    if (held == 0) {
      pairs_.emplace_back(name_id, value);
      pair_index_[slot] = static_cast<uint32_t>(pairs_.size());
      return static_cast<uint32_t>(pairs_.size() - 1);
    }
    const auto& [held_name, held_value] = pairs_[held - 1];
    if (held_name == name_id && held_value == value) return held - 1;
  }
}

std::optional<size_t> TaskList::slot_of(uint64_t packed) const {
  if (index_.empty()) return std::nullopt;
  const size_t mask = index_.size() - 1;
  for (size_t slot = spread(packed, mask);; slot = (slot + 1) & mask)
    if (index_[slot] == 0 || ids_[index_[slot] - 1] == packed) return slot;
}

void TaskList::grow_index() {
  std::vector<uint32_t> grown(std::max<size_t>(64, 2 * index_.size()), 0);
  for (uint32_t i = 0; i < ids_.size(); ++i) {
    size_t slot = spread(ids_[i], grown.size() - 1);
    while (grown[slot] != 0) slot = (slot + 1) & (grown.size() - 1);
    grown[slot] = i + 1;
  }
  index_.swap(grown);
}

bool TaskList::add(const Task& task) {
  const uint64_t packed = packed_id(task.id);
  if (ids_.size() >= UINT32_MAX - 1) throw std::invalid_argument("too many tasks");
  if (2 * (ids_.size() + 1) > index_.size()) grow_index();
  const size_t slot = *slot_of(packed);
  if (index_[slot] != 0) return false;
  index_[slot] = static_cast<uint32_t>(ids_.size() + 1);
  ids_.push_back(packed);
  seeds_.push_back(task.seed);
  ranks_.push_back(task.ranks);
  kind_of_.push_back(intern(task.kind, kinds_, kind_ids_));
  input_of_.push_back(intern(task.input_sha256, inputs_, input_ids_));
  run_settings_of_.push_back(intern(task.run_settings, run_settings_, run_settings_ids_));
  for (const auto& [name, value] : task.params) pair_of_.push_back(intern_pair(name, value));
  first_pair_.push_back(static_cast<uint32_t>(pair_of_.size()));
  return true;
}

Task TaskList::operator[](size_t index) const {
  Task task;
  task.kind = kinds_[kind_of_[index]];
  for (uint32_t p = first_pair_[index]; p < first_pair_[index + 1]; ++p) {
    const auto& [name, value] = pairs_[pair_of_[p]];
    task.params.emplace_hint(task.params.end(), names_[name], value);  // added in name order
  }
  task.run_settings = run_settings_[run_settings_of_[index]];
  task.input_sha256 = inputs_[input_of_[index]];
  task.id = id(index);
  task.seed = seeds_[index];
  task.ranks = ranks_[index];
  return task;
}

std::string TaskList::id(size_t index) const {
  char text[kIdDigits + 1];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(ids_[index]));
  return std::string(text, kIdDigits);
}

std::optional<size_t> TaskList::find(const std::string& id) const {
  uint64_t packed = 0;
  try {
    packed = packed_id(id);
  } catch (const std::invalid_argument&) {
    return std::nullopt;
  }
  const auto slot = slot_of(packed);
  if (!slot || index_[*slot] == 0) return std::nullopt;
  return index_[*slot] - 1;
}

}  // namespace riskstep
