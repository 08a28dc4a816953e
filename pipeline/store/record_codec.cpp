#include "pipeline/store/record_codec.h"

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <type_traits>

namespace riskstep {
namespace {

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "record bytes are little-endian: a big-endian build needs byte swaps here");

// Every field of a record, in the order of the bytes, for both directions: `code` is a Writer
// (record const) or a Reader.
template <typename Record, typename Coder>
void each_field(Record& r, Coder& code) {
  code(r.task.kind), code(r.task.params), code(r.task.run_settings), code(r.task.input_sha256);
  code(r.task.id);
  code(r.task.seed), code(r.task.ranks);
  code(r.result.attributes), code(r.result.columns), code(r.result.matrices);
  code(r.result.tables), code(r.result.summary);
  code(r.status), code(r.error), code(r.wall_seconds), code(r.rank), code(r.host);
}

struct Writer {
  std::string bytes;

  template <typename T>
  void operator()(const T& value) {
    static_assert(std::is_trivially_copyable_v<T>);
    bytes.append(reinterpret_cast<const char*>(&value), sizeof(T));
  }
  void operator()(const std::string& text) {
    (*this)(uint64_t{text.size()});
    bytes.append(text);
  }
  template <typename T>
  void operator()(const std::vector<T>& values) {
    (*this)(uint64_t{values.size()});
    for (const auto& value : values) (*this)(value);
  }
  template <typename... T>
  void operator()(const std::variant<T...>& value) {
    (*this)(static_cast<uint8_t>(value.index()));
    std::visit([this](const auto& held) { (*this)(held); }, value);
  }
  template <typename V>
  void operator()(const std::map<std::string, V>& entries) {
    (*this)(uint64_t{entries.size()});
    for (const auto& [name, value] : entries) (*this)(name), (*this)(value);
  }
  void operator()(const Table& table) { (*this)(table.names), (*this)(table.columns); }
  void operator()(const Matrix& m) {
    (*this)(uint64_t{m.rows}), (*this)(uint64_t{m.cols}), (*this)(m.values), (*this)(m.col_names);
  }
};

struct Reader {
  const char* data;
  size_t size;
  size_t at = 0;

  const char* take(size_t count) {
    if (count > size - at) throw std::runtime_error("record bytes end early");
    const char* start = data + at;
    at += count;
    return start;
  }
  // A count of what follows; each of those takes at least one byte, so a count beyond the bytes
  // left is damage (and must not become a huge allocation).
  uint64_t count() {
    uint64_t n = 0;
    (*this)(n);
    if (n > size - at) throw std::runtime_error("record bytes hold an impossible count");
    return n;
  }
  template <typename T>
  void operator()(T& value) {
    static_assert(std::is_trivially_copyable_v<T>);
    std::memcpy(&value, take(sizeof(T)), sizeof(T));
  }
  void operator()(std::string& text) {
    const uint64_t size = count();
    text.assign(take(size), size);
  }
  template <typename T>
  void operator()(std::vector<T>& values) {
    values.resize(count());
    for (auto& value : values) (*this)(value);
  }
  template <size_t I = 0, typename... T>
  void alternative(std::variant<T...>& value, uint8_t index) {
    if constexpr (I < sizeof...(T)) {
      if (index != I) return alternative<I + 1>(value, index);
      (*this)(value.template emplace<I>());
    } else {
      throw std::runtime_error("record bytes hold an unknown variant index");
    }
  }
  template <typename... T>
  void operator()(std::variant<T...>& value) {
    uint8_t index = 0;
    (*this)(index);
    alternative(value, index);
  }
  template <typename V>
  void operator()(std::map<std::string, V>& entries) {
    for (uint64_t n = count(); n > 0; --n) {
      std::string name;
      (*this)(name);
      (*this)(entries[name]);
    }
  }
  void operator()(Table& table) { (*this)(table.names), (*this)(table.columns); }
  void operator()(Matrix& m) {
    uint64_t rows = 0, cols = 0;
    (*this)(rows), (*this)(cols), (*this)(m.values), (*this)(m.col_names);
    m.rows = rows;
    m.cols = cols;
  }
};

}  // namespace

std::string encode_records(const std::vector<TaskRecord>& records) {
  Writer writer;
  writer(uint64_t{records.size()});
  for (const auto& record : records) each_field(record, writer);
  return std::move(writer.bytes);
}

std::vector<TaskRecord> decode_records(const std::string& bytes) {
  Reader reader{bytes.data(), bytes.size()};
  std::vector<TaskRecord> records(reader.count());
  for (auto& record : records) each_field(record, reader);
  if (reader.at != bytes.size())
    throw std::runtime_error("record bytes hold more than the records");
  return records;
}

void encode_record(const TaskRecord& record, std::string& bytes) {
  Writer writer{std::move(bytes)};
  each_field(record, writer);
  bytes = std::move(writer.bytes);
}

TaskRecord decode_record(const char* data, size_t size) {
  Reader reader{data, size};
  TaskRecord record;
  each_field(record, reader);
  if (reader.at != size) throw std::runtime_error("record bytes hold more than the record");
  return record;
}

void encode_table(const Table& table, std::string& bytes) {
  Writer writer{std::move(bytes)};
  writer(table);
  bytes = std::move(writer.bytes);
}

Table decode_table(const char* data, size_t size, size_t& used) {
  Reader reader{data, size};
  Table table;
  reader(table);
  used = reader.at;
  return table;
}

}  // namespace riskstep
