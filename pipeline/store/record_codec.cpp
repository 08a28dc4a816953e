#include "pipeline/store/record_codec.h"

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <type_traits>

namespace riskstep {
namespace {

struct Writer {
  std::string bytes;

  template <typename T>
  void put(const T& value) {
    static_assert(std::is_trivially_copyable_v<T>);
    bytes.append(reinterpret_cast<const char*>(&value), sizeof(T));
  }
  void put(const std::string& text) {
    put<uint64_t>(text.size());
    bytes.append(text);
  }
  template <typename T>
  void put(const std::vector<T>& values) {
    put<uint64_t>(values.size());
    for (const auto& value : values) put(value);
  }
  template <typename... T>
  void put(const std::variant<T...>& value) {
    put<uint8_t>(static_cast<uint8_t>(value.index()));
    std::visit([this](const auto& held) { put(held); }, value);
  }
  template <typename V>
  void put(const std::map<std::string, V>& entries) {
    put<uint64_t>(entries.size());
    for (const auto& [name, value] : entries) {
      put(name);
      put(value);
    }
  }
  void put(const Table& table) {
    put(table.names);
    put(table.columns);
  }
  void put(const Matrix& matrix) {
    put<uint64_t>(matrix.rows);
    put<uint64_t>(matrix.cols);
    put(matrix.values);
    put(matrix.col_names);
  }
};

struct Reader {
  const std::string& bytes;
  size_t at = 0;

  const char* take(size_t count) {
    if (count > bytes.size() - at) throw std::runtime_error("record bytes end early");
    const char* start = bytes.data() + at;
    at += count;
    return start;
  }
  template <typename T>
  void get(T& value) {
    static_assert(std::is_trivially_copyable_v<T>);
    std::memcpy(&value, take(sizeof(T)), sizeof(T));
  }
  // A count of what follows; each of those takes at least one byte, so a count beyond the bytes
  // left is damage (and must not become a huge allocation).
  uint64_t count() {
    uint64_t n = 0;
    get(n);
    if (n > bytes.size() - at) throw std::runtime_error("record bytes hold an impossible count");
    return n;
  }
  void get(std::string& text) {
    const uint64_t size = count();
    text.assign(take(size), size);
  }
  template <typename T>
  void get(std::vector<T>& values) {
    values.resize(count());
    for (auto& value : values) get(value);
  }
  template <size_t I = 0, typename... T>
  void get_alternative(std::variant<T...>& value, uint8_t index) {
    if constexpr (I < sizeof...(T)) {
      if (index != I) return get_alternative<I + 1>(value, index);
      get(value.template emplace<I>());
    } else {
      throw std::runtime_error("record bytes hold an unknown variant index");
    }
  }
  template <typename... T>
  void get(std::variant<T...>& value) {
    uint8_t index = 0;
    get(index);
    get_alternative(value, index);
  }
  template <typename V>
  void get(std::map<std::string, V>& entries) {
    for (uint64_t n = count(); n > 0; --n) {
      std::string name;
      get(name);
      get(entries[name]);
    }
  }
  void get(Table& table) {
    get(table.names);
    get(table.columns);
  }
  void get(Matrix& matrix) {
    uint64_t rows = 0, cols = 0;
    get(rows);
    get(cols);
    matrix.rows = rows;
    matrix.cols = cols;
    get(matrix.values);
    get(matrix.col_names);
  }
};

}  // namespace

std::string encode_records(const std::vector<TaskRecord>& records) {
  Writer w;
  w.put<uint64_t>(records.size());
  for (const auto& r : records) {
    w.put(r.task.kind);
    w.put(r.task.params);
    w.put(r.task.run_settings);
    w.put(r.task.id);
    w.put<uint64_t>(r.task.seed);
    w.put<int32_t>(r.task.ranks);
    w.put(r.result.attributes);
    w.put(r.result.columns);
    w.put(r.result.matrices);
    w.put(r.result.tables);
    w.put(r.result.summary);
    w.put(r.status);
    w.put(r.error);
    w.put<double>(r.wall_seconds);
    w.put<int32_t>(r.rank);
    w.put(r.host);
  }
  return std::move(w.bytes);
}

std::vector<TaskRecord> decode_records(const std::string& bytes) {
  Reader r{bytes};
  std::vector<TaskRecord> records(r.count());
  for (auto& record : records) {
    int32_t ranks = 0, rank = 0;
    r.get(record.task.kind);
    r.get(record.task.params);
    r.get(record.task.run_settings);
    r.get(record.task.id);
    r.get(record.task.seed);
    r.get(ranks);
    r.get(record.result.attributes);
    r.get(record.result.columns);
    r.get(record.result.matrices);
    r.get(record.result.tables);
    r.get(record.result.summary);
    r.get(record.status);
    r.get(record.error);
    r.get(record.wall_seconds);
    r.get(rank);
    r.get(record.host);
    record.task.ranks = ranks;
    record.rank = rank;
  }
  if (r.at != bytes.size()) throw std::runtime_error("record bytes hold more than the records");
  return records;
}

}  // namespace riskstep
