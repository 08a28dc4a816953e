#pragma once
// A sweep's tasks, held compactly. Every rank holds the whole plan, and a Task with its setting
// maps costs about 1.5 kB: 1.5 GB a rank for a million tasks. The tasks of a grid share almost
// all their setting values, so each is kept as indices into dictionaries of (setting, value)
// pairs, run settings and input digests, with its id packed into 8 bytes: about 60 bytes a task
// plus each distinct value once. A Task is rebuilt when asked for (a few microseconds).
#include <cstdint>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/core/task.h"

namespace riskstep {

class TaskList {
 public:
  // Appends `task` unless one with its id is held already (equal ids are equal content): then
  // returns false. Throws std::invalid_argument when the id is not 16 lowercase hex digits.
  bool add(const Task& task);

  size_t size() const { return ids_.size(); }
  bool empty() const { return ids_.empty(); }
  Task operator[](size_t index) const;  // rebuilt, equal to the Task added
  std::string id(size_t index) const;
  uint64_t id_key(size_t index) const { return ids_[index]; }  // orders as the ids do
  uint64_t seed(size_t index) const { return seeds_[index]; }
  int ranks(size_t index) const { return ranks_[index]; }
  const std::string& kind(size_t index) const { return kinds_[kind_of_[index]]; }
  std::optional<size_t> find(const std::string& id) const;  // the index of the task of this id

  class Iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = Task;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = Task;
    Iterator(const TaskList* list, size_t index) : list_(list), index_(index) {}
    Task operator*() const { return (*list_)[index_]; }
    Iterator& operator++() { return ++index_, *this; }
    bool operator!=(const Iterator& other) const { return index_ != other.index_; }
    bool operator==(const Iterator& other) const { return index_ == other.index_; }

   private:
    const TaskList* list_;
    size_t index_;
  };
  Iterator begin() const { return {this, 0}; }
  Iterator end() const { return {this, size()}; }

 private:
  uint32_t intern_pair(const std::string& name, const ParamValue& value);
  std::optional<size_t> slot_of(uint64_t packed) const;  // its slot in index_, or where it goes
  void grow_index();

  // Dictionaries, each value once.
  std::vector<std::string> names_;
  std::map<std::string, uint16_t> name_ids_;
  std::vector<std::pair<uint16_t, ParamValue>> pairs_;  // (setting, value)
  std::vector<uint32_t> pair_index_;                    // open addressing into pairs_, 0 = empty
  std::vector<Params> run_settings_;
  std::map<Params, uint32_t> run_settings_ids_;
  std::vector<std::string> kinds_, inputs_;
  std::map<std::string, uint32_t> kind_ids_, input_ids_;

  // Per task.
  std::vector<uint64_t> ids_;  // the 16 hex digits as a number
  std::vector<uint64_t> seeds_;
  std::vector<int32_t> ranks_;
  std::vector<uint32_t> kind_of_, input_of_, run_settings_of_;
  std::vector<uint32_t> first_pair_{0};  // task i's pairs: pair_of_[first_pair_[i], [i + 1])
  std::vector<uint32_t> pair_of_;

  std::vector<uint32_t> index_;  // open addressing by id: task index + 1, 0 = empty
};

}  // namespace riskstep
